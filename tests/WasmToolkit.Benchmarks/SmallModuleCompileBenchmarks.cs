using System;
using System.Linq;
using BenchmarkDotNet.Attributes;
using WasmToolkit.Benchmarks.Kernels;
using WasmToolkit.Compiler;
using WasmToolkit.Validation;

namespace WasmToolkit.Benchmarks;

/// <summary>
/// Compile latency of small modules, where the fixed cost of a compilation shows (plugins, tests, a module per
/// request): the kernels of <see cref="KernelCatalog"/> (a few kilobytes each), read + validate + compile on one
/// thread beside Wasmtime's <c>Module.FromBytes</c> with parallel compilation off, same bytes.
/// </summary>
[MemoryDiagnoser]
public class SmallModuleCompileBenchmarks
{
    private static readonly CompilerOptions s_options = new() { MaxDegreeOfParallelism = 1 };
    private global::Wasmtime.Engine? _engine;
    private byte[] _bytes = [];

    /// <summary>Kernel name (<c>Kernels/NAME.wasm</c>).</summary>
    [ParamsSource(nameof(Kernels))]
    public string Kernel { get; set; } = "";

    public static string[] Kernels() => ["fib", "sieve", "quicksort"];

    [GlobalSetup]
    public void Setup()
    {
        _bytes = KernelCatalog.ReadBytes(KernelCatalog.Get(Kernel));
        _engine = new global::Wasmtime.Engine(new global::Wasmtime.Config().WithParallelCompilation(false));
        Console.WriteLine($"// {Kernel}.wasm: {_bytes.Length:N0} bytes, {KernelCatalog.Read(_bytes, Kernel).Functions.Length} defined functions");
    }

    [GlobalCleanup]
    public void Cleanup() => _engine?.Dispose();

    /// <summary>Wasmtime (Cranelift), one thread.</summary>
    [Benchmark(Baseline = true)]
    public int Wasmtime()
    {
        using var module = global::Wasmtime.Module.FromBytes(_engine!, Kernel, _bytes);
        return module.Exports.Count;
    }

    /// <summary>Reader, validator and compiler, one thread: what <c>Module.FromBytes</c> does.</summary>
    [Benchmark]
    public int WasmToolkit()
    {
        Module module = KernelCatalog.Read(_bytes, Kernel);
        ValidatedModule validated = ModuleValidator.Validate(module, WasmFeatures.V2, Kernel);
        if (!validated.IsValid) throw new InvalidOperationException("invalid kernel");
        return ModuleCompiler.Compile(module, s_options).Statistics.CodeBytes;
    }
}
