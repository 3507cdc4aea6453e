namespace WasmToolkit.Compiler.Baseline;

/// <summary><c>memory.grow</c> and the bulk memory instructions (spec 4.4.7), all through builtins.</summary>
/// <remarks>
/// The builtins check bounds before writing anything and copy overlapping ranges like memmove, as the
/// spec requires; inline fill and copy loops are a later optimisation for small constant lengths.
/// </remarks>
internal sealed partial class FunctionCompiler
{
    private void DoMemoryGrow(uint memory)
    {
        RequireMemory(memory);
        CallBuiltin(BuiltinFunction.MemoryGrow, 0, 1, traps: false);
        PushBuiltinResultI32();
    }

    /// <summary><c>memory.fill</c> [d, value, n].</summary>
    private void DoMemoryFill(uint memory)
    {
        RequireMemory(memory);
        CallBuiltin(BuiltinFunction.MemoryFill, 0, 3, traps: true);
    }

    /// <summary><c>memory.copy</c> [d, s, n].</summary>
    private void DoMemoryCopy(uint dstMemory, uint srcMemory)
    {
        RequireMemory(dstMemory);
        RequireMemory(srcMemory);
        CallBuiltin(BuiltinFunction.MemoryCopy, 0, 3, traps: true);
    }

    /// <summary><c>memory.init</c> segment [d, s, n].</summary>
    private void DoMemoryInit(uint segment, uint memory)
    {
        RequireMemory(memory);
        RequireDataSegment(segment);
        BuiltinIndexArg(0, segment);
        CallBuiltin(BuiltinFunction.MemoryInit, 1, 3, traps: true);
    }

    private void DoDataDrop(uint segment)
    {
        RequireDataSegment(segment);
        BuiltinIndexArg(0, segment);
        CallBuiltin(BuiltinFunction.DataDrop, 1, 0, traps: false);
    }

    private void RequireDataSegment(uint segment)
    {
        if (segment >= (uint)_module.Data.Length) throw CompileFailure.Invalid("unknown data segment " + segment);
    }
}
