using System.Collections.Immutable;

namespace WasmToolkit.Compiler;

/// <summary>
/// One lazily compiled function, ready to be copied into executable memory anywhere: its own copy of the
/// trap stub, then the function's code (which reaches other functions through their function-reference
/// records, never by relative calls, so nothing needs patching). Immutable; shared by every instance.
/// </summary>
internal sealed class LazyFunctionCode
{
    public LazyFunctionCode(int functionIndex, ImmutableArray<byte> code, int entryOffset, ImmutableArray<TrapSite> trapSites, ImmutableArray<TrapSite> callSites)
    {
        FunctionIndex = functionIndex;
        Code = code;
        EntryOffset = entryOffset;
        TrapSites = trapSites;
        CallSites = callSites;
    }

    /// <summary>Index in the module's function index space.</summary>
    public int FunctionIndex { get; }

    /// <summary>The trap stub at offset 0, then the function at <see cref="EntryOffset"/>.</summary>
    public ImmutableArray<byte> Code { get; }

    public int EntryOffset { get; }

    /// <summary>Trap sites by return offset in <see cref="Code"/> (sorted).</summary>
    public ImmutableArray<TrapSite> TrapSites { get; }

    /// <summary>Calls out of the function by return offset in <see cref="Code"/> (sorted), for stack traces.</summary>
    public ImmutableArray<TrapSite> CallSites { get; }

    public bool TryGetTrapSite(int returnOffset, out TrapSite site) => CompiledModule.Find(TrapSites, returnOffset, out site);

    public bool TryGetCallSite(int returnOffset, out TrapSite site) => CompiledModule.Find(CallSites, returnOffset, out site);
}
