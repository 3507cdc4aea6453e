using System;

namespace WasmToolkit.Compiler;

/// <summary>
/// Byte offsets in the per-instance context block that generated code reaches through the context
/// register (r15 on x64). This is the contract between the compiler and the runtime.
/// </summary>
/// <remarks>
/// <para>A fixed header, then sections whose sizes depend on the module (all offsets 8-byte aligned):</para>
/// <code>
///   0  MemoryBase        \  memory 0's definition when the module defines it
///   8  MemorySize         | (<see cref="MemoryDefinitionLayout"/>): base never moves, size in bytes,
///  16  MemoryMaxPages     | page limit for memory.grow, bytes of address space reserved, and the
///  24  MemoryReserved     | last address an access of 1, 2, 4, 8 and 16 bytes may start at
///  32  access limits     /
///  72  MemoryDefinition  pointer to memory 0's definition: this context's own header for a defined
///                        memory, the exporter's definition for an imported one
///  80  InstanceHandle    the runtime's handle on its instance object (builtins find it through this)
///  88  Builtins          <see cref="BuiltinFunction"/> pointers (System V functions, context first)
/// 216  TypeIds           one uint32 per type index: the process-wide canonical id of the function type
///      FuncRefs          one pointer per function index (imports first): the function's <see cref="FuncRefLayout"/> record
///      Tables            one pointer per table index: the table's <see cref="TableDefinitionLayout"/>
///      Globals           16 bytes per global index: the value for a defined global, a pointer to the
///                        exporter's 16-byte cell for an imported one
/// </code>
/// Code never embeds instance addresses, so one compiled module backs any number of instances
/// (DESIGN invariant 5). Per-thread state (stack limit, trap records) lives in the
/// <see cref="ExecutionStateLayout"/> block reached through its own register (r14 on x64).
/// </remarks>
public sealed class VmContextLayout
{
    public const int MemoryBase = MemoryDefinitionLayout.Base;
    public const int MemorySize = MemoryDefinitionLayout.Size;
    public const int MemoryMaxPages = MemoryDefinitionLayout.MaxPages;
    public const int MemoryReserved = MemoryDefinitionLayout.Reserved;
    public const int MemoryDefinition = MemoryDefinitionLayout.RecordSize;
    public const int InstanceHandle = MemoryDefinition + 8;
    public const int Builtins = InstanceHandle + 8;

    /// <summary>Builtin pointer slots reserved in the header.</summary>
    public const int MaxBuiltins = 16;

    public const int TypeIds = Builtins + (MaxBuiltins * 8);

    /// <summary>Bytes of one global slot (room for a v128 value).</summary>
    public const int GlobalSlotSize = 16;

    private VmContextLayout(int types, int functions, int tables, int globals, bool memoryImported, int importedGlobals)
    {
        TypeCount = types;
        FunctionCount = functions;
        TableCount = tables;
        GlobalCount = globals;
        IsMemoryImported = memoryImported;
        ImportedGlobalCount = importedGlobals;
        FuncRefs = Align8(TypeIds + (4 * types));
        Tables = FuncRefs + (8 * functions);
        Globals = Tables + (8 * tables);
        Size = Globals + (GlobalSlotSize * globals);
    }

    /// <summary>The layout for <paramref name="module"/>.</summary>
    public static VmContextLayout For(Module module)
    {
        if (module is null) throw new ArgumentNullException(nameof(module));
        var memoryImported = false;
        foreach (var import in module.Imports)
        {
            if (import.Kind == ExternalKind.Memory) memoryImported = true;
        }

        return new VmContextLayout(
            module.Types.Length, module.TotalFunctionCount, module.TotalTableCount, module.TotalGlobalCount, memoryImported, module.ImportedGlobalCount);
    }

    public int TypeCount { get; }

    public int FunctionCount { get; }

    public int TableCount { get; }

    public int GlobalCount { get; }

    public int ImportedGlobalCount { get; }

    /// <summary>Memory 0 is imported: code reaches it through <see cref="MemoryDefinition"/>.</summary>
    public bool IsMemoryImported { get; }

    /// <summary>Start of the function-reference pointers.</summary>
    public int FuncRefs { get; }

    /// <summary>Start of the table-definition pointers.</summary>
    public int Tables { get; }

    /// <summary>Start of the global slots.</summary>
    public int Globals { get; }

    /// <summary>Bytes of the whole context.</summary>
    public int Size { get; }

    public int TypeId(int typeIndex) => TypeIds + (4 * typeIndex);

    public int FuncRef(int functionIndex) => FuncRefs + (8 * functionIndex);

    public int Table(int tableIndex) => Tables + (8 * tableIndex);

    public int Global(int globalIndex) => Globals + (GlobalSlotSize * globalIndex);

    /// <summary>An imported global's slot holds a pointer to the cell, not the value.</summary>
    public bool IsGlobalImported(int globalIndex) => globalIndex < ImportedGlobalCount;

    public int Builtin(BuiltinFunction function) => Builtins + (8 * (int)function);

    private static int Align8(int n) => (n + 7) & ~7;
}

/// <summary>A linear memory's definition record, shared by the instances that import the memory.</summary>
public static class MemoryDefinitionLayout
{
    /// <summary>byte* of the memory; fixed for its lifetime (the maximum is reserved up front).</summary>
    public const int Base = 0;

    /// <summary>Current size in bytes.</summary>
    public const int Size = 8;

    /// <summary>Pages memory.grow may reach.</summary>
    public const int MaxPages = 16;

    /// <summary>Bytes of address space reserved.</summary>
    public const int Reserved = 24;

    /// <summary>
    /// Five signed 64-bit limits, one per access width 1, 2, 4, 8 and 16 bytes: size - width, the last address such
    /// an access may start at (negative when the memory is smaller than the width). A check of an access at a
    /// zero-extended 32-bit address with no static offset is then one signed compare with the limit, where
    /// comparing with <see cref="Size"/> needs the end computed first. Written with <see cref="Size"/>, never
    /// larger than what it implies (see <see cref="AccessLimitFor"/>).
    /// </summary>
    public const int AccessLimits = 32;

    public const int RecordSize = AccessLimits + (8 * AccessLimitWidths);

    /// <summary>How many access widths have a limit (1, 2, 4, 8, 16).</summary>
    public const int AccessLimitWidths = 5;

    /// <summary>The offset of the limit for accesses of <paramref name="width"/> bytes, or -1 when the width has none.</summary>
    public static int AccessLimit(int width)
        => width > 0 && System.Numerics.BitOperations.IsPow2(width) && width < 1 << AccessLimitWidths
            ? AccessLimits + (8 * System.Numerics.BitOperations.Log2((uint)width))
            : -1;

    /// <summary>The limit of an access of <paramref name="width"/> bytes in a memory of <paramref name="sizeBytes"/> bytes.</summary>
    public static long AccessLimitFor(ulong sizeBytes, int width) => (long)sizeBytes - width;
}

/// <summary>
/// A function reference (a <c>funcref</c> value is a pointer to one; null is 0): what a call through an
/// import or a table needs. Calls load <see cref="Context"/> into the context register, call <see cref="Code"/>
/// with the internal calling convention, and restore their own context afterwards.
/// </summary>
public static class FuncRefLayout
{
    public const int Code = 0;
    public const int Context = 8;

    /// <summary>uint32 canonical type id, compared with the caller's <see cref="VmContextLayout.TypeId"/> by call_indirect.</summary>
    public const int TypeId = 16;

    /// <summary>The runtime's own field (generated code never reads it).</summary>
    public const int Runtime = 24;

    public const int RecordSize = 32;
}

/// <summary>A table's definition record, shared by the instances that import the table.</summary>
public static class TableDefinitionLayout
{
    /// <summary>Pointer to the elements, 8 bytes each (funcref: a <see cref="FuncRefLayout"/> pointer; externref: the runtime's handle; 0 = null). Moves when the table grows.</summary>
    public const int Elements = 0;

    /// <summary>Current number of elements (uint64).</summary>
    public const int Length = 8;

    /// <summary>Elements table.grow may reach.</summary>
    public const int Maximum = 16;

    public const int RecordSize = 24;
}

/// <summary>
/// The context block of a host function (what its <see cref="FuncRefLayout.Context"/> points to). The
/// host exit stub calls <c>int trampoline(hostContext, ulong* slots)</c> with the arguments in the slots; the
/// trampoline writes the results over them and returns 0, or a <see cref="TrapKind"/> code.
/// </summary>
public static class HostContextLayout
{
    public const int Trampoline = 0;

    /// <summary>The runtime's handle on the host function object.</summary>
    public const int Handle = 8;

    public const int RecordSize = 16;
}
