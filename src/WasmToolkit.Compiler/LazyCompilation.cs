using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;

namespace WasmToolkit.Compiler;

/// <summary>
/// The compile-on-first-call state of a module compiled by <see cref="ModuleCompiler.CompileLazy"/>
/// (<see cref="CompiledModule.Lazy"/>): compiles each defined function at most once, whichever threads and
/// instances call it first, and counts what it compiled.
/// </summary>
/// <remarks>
/// <para>Thread-safe. Threads racing on one uncompiled function get one compile: the first takes the
/// function's lock and compiles, the others wait on that lock and then read the published result (V8's lazy
/// compilation does the same with its per-function compile state). Different functions compile in parallel.</para>
/// <para>Each function's code is a pure function of the module, the options and its index (other
/// functions are reached through their records, not through offsets that depend on what was compiled
/// before), so the order of first calls never shows in any byte.</para>
/// </remarks>
public sealed class LazyCompilation
{
    private readonly ModuleCompiler.LazyUnits _units;
    private readonly int _importedFunctionCount;
    private readonly LazyFunctionCode?[] _code;
    private readonly object?[] _locks;
    private readonly List<CompileError> _unsupported = new();
    private int _compiled;
    private long _codeBytes;

    internal LazyCompilation(ModuleCompiler.LazyUnits units, int importedFunctionCount, int functionCount)
    {
        _units = units;
        _importedFunctionCount = importedFunctionCount;
        _code = new LazyFunctionCode?[functionCount];
        _locks = new object?[functionCount];
    }

    /// <summary>Defined functions in the module.</summary>
    public int FunctionCount => _code.Length;

    /// <summary>How many defined functions have been compiled so far (each counts once, however many threads and instances called it).</summary>
    public int CompiledFunctionCount => Volatile.Read(ref _compiled);

    /// <summary>Bytes of machine code compiled so far (each function with its copy of the trap stub).</summary>
    public long CodeBytes => Interlocked.Read(ref _codeBytes);

    /// <summary>
    /// Under <see cref="CompilerOptions.TrapOnUnsupportedFunctions"/>: the functions compiled so far that became
    /// trapping stubs, with the reason (lazy mode learns this only when a function is first called).
    /// </summary>
    public ImmutableArray<CompileError> UnsupportedFunctions
    {
        get
        {
            lock (_unsupported) return _unsupported.ToImmutableArray();
        }
    }

    /// <summary>Whether function <paramref name="functionIndex"/> (in the function index space, imports first) has been compiled.</summary>
    public bool IsCompiled(int functionIndex)
    {
        var defined = functionIndex - _importedFunctionCount;
        return (uint)defined < (uint)_code.Length && Volatile.Read(ref _code[defined]) is not null;
    }

    /// <summary>The code of defined function <paramref name="definedIndex"/>, compiling it first if no thread has.</summary>
    /// <exception cref="CompileException">The function did not compile (unsupported without
    /// <see cref="CompilerOptions.TrapOnUnsupportedFunctions"/>, or a compiler bug); the next call tries again.</exception>
    internal LazyFunctionCode GetOrCompile(int definedIndex)
    {
        var code = Volatile.Read(ref _code[definedIndex]);
        if (code is not null) return code;

        var gate = Volatile.Read(ref _locks[definedIndex]);
        if (gate is null)
        {
            // One lock object per function, made on demand; losers of the race use the winner's.
            gate = Interlocked.CompareExchange(ref _locks[definedIndex], new object(), null) ?? _locks[definedIndex]!;
        }

        lock (gate)
        {
            code = _code[definedIndex];
            if (code is not null) return code;
            code = _units.Compile(definedIndex, out var unsupported);
            if (unsupported is not null)
            {
                lock (_unsupported) _unsupported.Add(unsupported);
            }

            Interlocked.Add(ref _codeBytes, code.Code.Length);
            Interlocked.Increment(ref _compiled);

            // Published last, after the counts: a reader that sees the code sees it counted.
            Volatile.Write(ref _code[definedIndex], code);
            return code;
        }
    }
}
