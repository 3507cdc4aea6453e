using System;
using BenchmarkDotNet.Attributes;
using WasmToolkit.Compiler;
using WasmToolkit.Validation;

namespace WasmToolkit.Benchmarks;

/// <summary>
/// Compile throughput on a large clang-built module (<see cref="CompileInput"/>): WasmToolkit's baseline compiler
/// beside Wasmtime's <c>Module.FromBytes</c> (parse, validate and compile with Cranelift), same bytes.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="WasmtimeSequential"/> is the baseline of each input's group: Wasmtime with parallel compilation turned
/// off, one thread. <see cref="WasmtimeParallel"/> is Wasmtime's default (all cores; two on
/// the reference machine). <see cref="WasmToolkitReadValidateCompile"/> does what <c>Module.FromBytes</c> does (read,
/// validate, compile); <see cref="WasmToolkitCompile"/> is the compiler alone on a module read in setup (bodies are
/// still lazy byte ranges, so it decodes every instruction itself), on one thread and on every core
/// (<see cref="WasmToolkitCompileParallel"/>; <see cref="WasmToolkitCompileTwoWorkers"/> fixes K = 2), and through the
/// asynchronous and streaming entry points (<see cref="WasmToolkitCompileAsync"/>, <see cref="WasmToolkitCompileStreaming"/>,
/// which read and validate too). The "Code MB/s" column divides the code-section size by the mean.
/// </para>
/// <para>
/// Neither engine instantiates, and neither caches: Wasmtime's compilation cache is off unless configured.
/// </para>
/// </remarks>
[MemoryDiagnoser]
public class CompileBenchmarks
{
    private global::Wasmtime.Engine? _sequential;
    private global::Wasmtime.Engine? _parallel;
    private byte[] _bytes = [];
    private Module _decoded = Module.Empty;

    /// <summary>File name of the input in <c>Inputs/</c>.</summary>
    [ParamsSource(nameof(Inputs))]
    public string Input { get; set; } = "";

    public static string[] Inputs() => CompileInput.Names;

    [GlobalSetup]
    public void Setup()
    {
        CompileInput input = CompileInput.Get(Input);
        _bytes = input.Bytes;
        _decoded = input.Read();
        _sequential = new global::Wasmtime.Engine(new global::Wasmtime.Config().WithParallelCompilation(false));
        _parallel = new global::Wasmtime.Engine();
        Console.WriteLine("// " + input.Describe());
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sequential?.Dispose();
        _parallel?.Dispose();
    }

    /// <summary>Wasmtime, one compilation thread.</summary>
    [Benchmark(Baseline = true)]
    public int WasmtimeSequential()
    {
        using var module = global::Wasmtime.Module.FromBytes(_sequential!, Input, _bytes);
        return module.Exports.Count;
    }

    /// <summary>Wasmtime's default: functions compiled in parallel on every core.</summary>
    [Benchmark]
    public int WasmtimeParallel()
    {
        using var module = global::Wasmtime.Module.FromBytes(_parallel!, Input, _bytes);
        return module.Exports.Count;
    }

    /// <summary>Reader, validator and compiler: the like-for-like comparison with <c>Module.FromBytes</c>.</summary>
    [Benchmark]
    public int WasmToolkitReadValidateCompile()
    {
        Module module = CompileInput.ReadBytes(_bytes, Input);
        ValidatedModule validated = ModuleValidator.Validate(module, WasmFeatures.V2, Input);
        if (!validated.IsValid) throw new InvalidOperationException("invalid input");
        return ModuleCompiler.Compile(module, CompileInput.Options).Statistics.CodeBytes;
    }

    /// <summary>The compiler alone, on the module read in setup.</summary>
    [Benchmark]
    public int WasmToolkitCompile() => ModuleCompiler.Compile(_decoded, CompileInput.Options).Statistics.CodeBytes;

    /// <summary>The compiler alone, functions compiled in parallel on every core (same bytes out).</summary>
    [Benchmark]
    public int WasmToolkitCompileParallel() => ModuleCompiler.Compile(_decoded, s_parallel).Statistics.CodeBytes;

    /// <summary>The compiler alone with exactly two workers (the pipeline's K = 2; the reference machine has two cores).</summary>
    [Benchmark]
    public int WasmToolkitCompileTwoWorkers() => ModuleCompiler.Compile(_decoded, s_twoWorkers).Statistics.CodeBytes;

    /// <summary><c>CompileAsync</c> on the bytes: read, validate and compile with two workers off the calling thread.</summary>
    [Benchmark]
    public int WasmToolkitCompileAsync() => ModuleCompiler.CompileAsync(_bytes, s_twoWorkers).GetAwaiter().GetResult().Statistics.CodeBytes;

    /// <summary>
    /// <c>CompileStreamingAsync</c> on a memory stream (every byte there at once, so this measures the streaming path's
    /// overhead, not the overlap with a slow network): bodies validated against the prefix and compiled as read, then
    /// the whole module read and validated.
    /// </summary>
    [Benchmark]
    public int WasmToolkitCompileStreaming() => ModuleCompiler.CompileStreamingAsync(new System.IO.MemoryStream(_bytes, false), s_twoWorkers).GetAwaiter().GetResult().Statistics.CodeBytes;

    private static readonly CompilerOptions s_parallel = new();
    private static readonly CompilerOptions s_twoWorkers = new() { MaxDegreeOfParallelism = 2 };
}
