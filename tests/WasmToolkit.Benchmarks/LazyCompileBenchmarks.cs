using System;
using BenchmarkDotNet.Attributes;
using WasmToolkit.Compiler;
using WasmToolkit.Runtime;

namespace WasmToolkit.Benchmarks;

/// <summary>
/// Time to the first call on <c>Inputs/large-direct.wasm</c> (8,555 functions, <see cref="CompileInput"/>): from a
/// decoded module to the result of one exported function, eager (every function compiled, then the call) against
/// lazy (validate everything, then compile only what the call reaches).
/// </summary>
/// <remarks>
/// <para>Each operation compiles the module, instantiates it through a <see cref="Linker"/> whose seven WASI imports
/// are host functions that throw (the call never reaches them) and calls <c>f00000(12345, 7)</c>, which the setup
/// exports as <c>first</c> (the module itself exports only <c>_start</c>); lazily that compiles that one function
/// (it calls no other on this input).</para>
/// <para>Lazy mode validates the whole module (the validator is most of its time); eager mode does not validate
/// today (<see cref="ModuleCompiler.Compile"/> assumes a valid module), so the comparison favours eager.
/// Both compile with <see cref="CompilerOptions.TrapOnUnsupportedFunctions"/> (5 functions of the input need it).</para>
/// </remarks>
[MemoryDiagnoser]
public class LazyCompileBenchmarks
{
    private const string Input = "large-direct.wasm";

    /// <summary>Defined function 1 of the input, <c>f00000 (param i64 i32) (result i64)</c>.</summary>
    private const uint FirstFunction = 8;

    private static readonly CompilerOptions s_sequential = new() { MaxDegreeOfParallelism = 1, TrapOnUnsupportedFunctions = true };
    private static readonly CompilerOptions s_parallel = new() { TrapOnUnsupportedFunctions = true };

    private Module _module = Module.Empty;
    private long _expected;

    [GlobalSetup]
    public void Setup()
    {
        Module read = CompileInput.Get(Input).Read();
        _module = read.WithExports(read.Exports.Add(new Export("first", ExternalKind.Function, FirstFunction)));
        _expected = Run(ModuleCompiler.Compile(_module, s_parallel));
        if (Run(ModuleCompiler.CompileLazy(_module, s_parallel)) != _expected) throw new InvalidOperationException("lazy and eager results differ");
        Console.WriteLine($"// {Input}: {_module.Functions.Length:N0} functions; first call f00000(12345, 7) = {_expected}");
    }

    /// <summary>Every function compiled on one thread, then the call.</summary>
    [Benchmark(Baseline = true)]
    public long EagerSequential() => Check(Run(ModuleCompiler.Compile(_module, s_sequential)));

    /// <summary>Every function compiled on every core, then the call.</summary>
    [Benchmark]
    public long EagerParallel() => Check(Run(ModuleCompiler.Compile(_module, s_parallel)));

    /// <summary>Validation of the whole module, then the call, which compiles the one function it runs.</summary>
    [Benchmark]
    public long Lazy()
    {
        CompiledModule compiled = ModuleCompiler.CompileLazy(_module, s_parallel);
        long result = Check(Run(compiled));
        if (compiled.Lazy!.CompiledFunctionCount != 1) throw new InvalidOperationException($"{compiled.Lazy.CompiledFunctionCount} functions compiled");
        return result;
    }

    private long Check(long result) => result == _expected ? result : throw new InvalidOperationException($"got {result}, expected {_expected}");

    private long Run(CompiledModule compiled)
    {
        using var linker = CompileInput.LinkerWithThrowingImports(_module);

        Instance instance = linker.Instantiate(compiled);
        return instance.GetFunction<long, int, long>("first").Invoke(12345, 7);
    }
}
