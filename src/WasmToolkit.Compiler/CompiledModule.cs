using System;
using System.Collections.Immutable;

namespace WasmToolkit.Compiler;

/// <summary>
/// The output of <see cref="ModuleCompiler"/>: position-independent machine code for every defined
/// function, the stubs the runtime calls through, and the tables that map code back to WebAssembly.
/// Immutable; one compiled module backs any number of instances.
/// </summary>
/// <remarks>
/// Code layout: the shared trap stub, then one entry stub per distinct function signature, then the
/// functions, each 16-byte aligned. Calls between functions are already resolved (relative), so the
/// bytes can be copied anywhere as they are.
/// </remarks>
public sealed class CompiledModule
{
    internal CompiledModule(
        Module module, CompilerOptions options, ImmutableArray<byte> code, int trapStubOffset,
        ImmutableArray<CompiledFunction> functions, ImmutableArray<EntryStub> entryStubs,
        ImmutableArray<TrapSite> trapSites, ImmutableArray<TrapSite> callSites, CompilationStatistics statistics, ImmutableArray<CompileError> unsupportedFunctions)
    {
        CallSites = callSites;
        UnsupportedFunctions = unsupportedFunctions;
        Module = module;
        Options = options;
        Code = code;
        TrapStubOffset = trapStubOffset;
        Functions = functions;
        EntryStubs = entryStubs;
        TrapSites = trapSites;
        Statistics = statistics;
    }

    /// <summary>The module that was compiled (the runtime reads exports, memory limits, globals and data from it).</summary>
    public Module Module { get; }

    public CompilerOptions Options { get; }

    /// <summary>All machine code.</summary>
    public ImmutableArray<byte> Code { get; }

    /// <summary>Offset of the stub every trap site calls.</summary>
    public int TrapStubOffset { get; }

    /// <summary>One entry per defined function (index = function index minus imported functions).</summary>
    public ImmutableArray<CompiledFunction> Functions { get; }

    /// <summary>Entry stubs, one per distinct signature of a defined function.</summary>
    public ImmutableArray<EntryStub> EntryStubs { get; }

    /// <summary>Every trap site, sorted by <see cref="TrapSite.ReturnOffset"/>.</summary>
    public ImmutableArray<TrapSite> TrapSites { get; }

    public CompilationStatistics Statistics { get; }

    /// <summary>Every call between functions, by return address (sorted), for wasm stack traces; <see cref="TrapSite.Kind"/> is unused.</summary>
    public ImmutableArray<TrapSite> CallSites { get; }

    /// <summary>Finds the call whose return address is <paramref name="returnOffset"/>.</summary>
    public bool TryGetCallSite(int returnOffset, out TrapSite site) => Find(CallSites, returnOffset, out site);

    /// <summary>
    /// Under <see cref="CompilerOptions.TrapOnUnsupportedFunctions"/>: functions compiled as trapping stubs,
    /// and module items left out of instances (tables, element segments, globals of unsupported types,
    /// which read as zero). Empty otherwise.
    /// </summary>
    public ImmutableArray<CompileError> UnsupportedFunctions { get; }

    /// <summary>Finds the trap site whose call returns to <paramref name="returnOffset"/> (an offset in <see cref="Code"/>).</summary>
    public bool TryGetTrapSite(int returnOffset, out TrapSite site) => Find(TrapSites, returnOffset, out site);

    internal static bool Find(ImmutableArray<TrapSite> sites, int returnOffset, out TrapSite site)
    {
        int lo = 0, hi = sites.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var c = sites[mid].ReturnOffset.CompareTo(returnOffset);
            if (c == 0)
            {
                site = sites[mid];
                return true;
            }

            if (c < 0) lo = mid + 1;
            else hi = mid - 1;
        }

        site = default;
        return false;
    }

    /// <summary>
    /// Null unless the module was compiled by <see cref="ModuleCompiler.CompileLazy"/>: then <see cref="Code"/> holds
    /// a compile stub per function in place of its code (<see cref="Functions"/> point at the stubs), and this
    /// compiles each function on its first call and says how many have been.
    /// </summary>
    public LazyCompilation? Lazy { get; internal init; }

    /// <summary>The function whose code contains <paramref name="codeOffset"/>, or null.</summary>
    public CompiledFunction? FindFunction(int codeOffset)
    {
        foreach (var f in Functions)
        {
            if (codeOffset >= f.Offset && codeOffset < f.Offset + f.Size) return f;
        }

        return null;
    }
}

/// <summary>Where one defined function's code lives.</summary>
public sealed class CompiledFunction
{
    internal CompiledFunction(int functionIndex, FuncType type, int offset, int size, int entryStubIndex)
    {
        FunctionIndex = functionIndex;
        Type = type;
        Offset = offset;
        Size = size;
        EntryStubIndex = entryStubIndex;
    }

    /// <summary>Index in the module's function index space.</summary>
    public int FunctionIndex { get; }

    public FuncType Type { get; }

    /// <summary>Offset of the first instruction in <see cref="CompiledModule.Code"/>.</summary>
    public int Offset { get; }

    public int Size { get; }

    /// <summary>Index in <see cref="CompiledModule.EntryStubs"/> of the stub for this function's signature.</summary>
    public int EntryStubIndex { get; }
}

/// <summary>
/// Native code that a host calls to run a function of one signature. x64 System V:
/// <c>int stub(void* context, void* function, ulong* slots)</c>; the arguments are read from
/// <c>slots[0..n)</c>, the results are written to <c>slots[0..k)</c> (so <c>slots</c> holds max(n, k) values),
/// and the return value is 0 or a <see cref="TrapKind"/>.
/// </summary>
public sealed class EntryStub
{
    internal EntryStub(FuncType type, int offset, int size)
    {
        Type = type;
        Offset = offset;
        Size = size;
    }

    public FuncType Type { get; }

    public int Offset { get; }

    public int Size { get; }
}

/// <summary>A place where generated code may trap, for turning a trap into a wasm location.</summary>
public readonly struct TrapSite
{
    internal TrapSite(int returnOffset, int functionIndex, int wasmOffset, TrapKind kind)
    {
        ReturnOffset = returnOffset;
        FunctionIndex = functionIndex;
        WasmOffset = wasmOffset;
        Kind = kind;
    }

    /// <summary>Offset in the code of the return address the trap site's call to the trap stub pushes.</summary>
    public int ReturnOffset { get; }

    public int FunctionIndex { get; }

    /// <summary>Offset of the trapping instruction (module bytes, or body bytes for modules built in code).</summary>
    public int WasmOffset { get; }

    /// <summary>
    /// The kind the site traps with; 0 (no <see cref="TrapKind"/>) for the check after a trapping builtin call,
    /// whose kind is the builtin's result at run time (the entry stub returns the actual kind in every case).
    /// </summary>
    public TrapKind Kind { get; }
}

/// <summary>Counts describing a compilation (deterministic: no timings).</summary>
public sealed class CompilationStatistics
{
    internal CompilationStatistics(int functionCount, int codeBytes, int wasmInstructions, int spills, int trapSites)
    {
        FunctionCount = functionCount;
        CodeBytes = codeBytes;
        WasmInstructions = wasmInstructions;
        Spills = spills;
        TrapSites = trapSites;
    }

    public int FunctionCount { get; }

    public int CodeBytes { get; }

    public int WasmInstructions { get; }

    /// <summary>Register values written to their stack slot by the baseline compiler.</summary>
    public int Spills { get; }

    public int TrapSites { get; }

    public override string ToString()
        => $"{FunctionCount} functions, {CodeBytes} bytes, {WasmInstructions} wasm instructions, {Spills} spills, {TrapSites} trap sites";
}
