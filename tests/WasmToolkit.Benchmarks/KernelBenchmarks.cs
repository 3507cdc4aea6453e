using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using WasmToolkit.Benchmarks.Kernels;
using WasmToolkit.Compiler;
using WasmToolkit.Runtime;

namespace WasmToolkit.Benchmarks;

/// <summary>
/// Run time of one <c>run(n)</c> call of each compute kernel (<see cref="KernelCatalog"/>), WasmToolkit's baseline
/// compiler beside Wasmtime (Cranelift, optimising) on the same module and input, in the same process.
/// </summary>
/// <remarks>
/// Wasmtime is the baseline of each kernel's group, so the Ratio column is "our time / Wasmtime's time". Compilation and
/// instantiation happen in setup; only the call is timed. A kernel our compiler cannot run yet (the indirect-call kernel
/// until <c>call_indirect</c> lands) has no WasmToolkit row: <see cref="Program"/> filters it out and prints the skip
/// reason before the run, and <see cref="CheckAll"/> prints it again with the checksums.
/// Every call's result is checked against <see cref="Kernel.Expected"/> in setup so a wrong answer is never timed.
/// </remarks>
public class KernelBenchmarks
{
    private global::Wasmtime.Engine? _engine;
    private global::Wasmtime.Store? _store;
    private Func<int, int>? _wasmtimeRun;
    private Instance? _instance;
    private TypedFunction<int, int> _ourRun;
    private int _n;

    /// <summary>Kernel names: the benchmark parameter.</summary>
    public static IEnumerable<string> Kernels()
    {
        foreach (Kernel kernel in KernelCatalog.All) yield return kernel.Name;
    }

    [ParamsSource(nameof(Kernels))]
    public string Kernel { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        Kernel kernel = KernelCatalog.Get(Kernel);
        _n = kernel.BenchmarkInput;
        byte[] bytes = KernelCatalog.ReadBytes(kernel);

        _engine = new global::Wasmtime.Engine();
        _store = new global::Wasmtime.Store(_engine);
        using var module = global::Wasmtime.Module.FromBytes(_engine, kernel.Name, bytes);
        var linker = new global::Wasmtime.Linker(_engine);
        _wasmtimeRun = linker.Instantiate(_store, module).GetFunction<int, int>("run")
                       ?? throw new InvalidOperationException($"{kernel.Name}: no run export in Wasmtime");
        Check(kernel, "Wasmtime", _wasmtimeRun(_n));

        CompiledModule? compiled = KernelCatalog.TryCompile(KernelCatalog.Read(bytes, kernel.Name), out _);
        if (compiled is not null)
        {
            _instance = Instance.Create(compiled);
            _ourRun = _instance.GetFunction<int, int>("run");
            Check(kernel, "WasmToolkit", _ourRun.Invoke(_n));
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _instance?.Dispose();
        _store?.Dispose();
        _engine?.Dispose();
    }

    /// <summary>Wasmtime 50 (Cranelift, default configuration).</summary>
    [Benchmark(Baseline = true)]
    public int Wasmtime() => _wasmtimeRun!(_n);

    /// <summary>WasmToolkit's baseline compiler, through the typed, allocation-free call path.</summary>
    [Benchmark]
    public int WasmToolkit() => _instance is null ? throw new InvalidOperationException(Kernel + " is not supported yet") : _ourRun.Invoke(_n);

    private static void Check(Kernel kernel, string engine, int actual)
    {
        if (kernel.Expected != 0 && actual != kernel.Expected)
        {
            throw new InvalidOperationException($"{kernel.Name}({kernel.BenchmarkInput}) on {engine} returned {actual}, expected {kernel.Expected}");
        }
    }

    /// <summary>
    /// <c>--check</c>: runs every kernel once on both engines, printing checksums, times and skip reasons; returns
    /// false when the engines disagree. Also confirms Wasmtime's native library loads.
    /// </summary>
    public static bool CheckAll()
    {
        bool ok = true;
        using var engine = new global::Wasmtime.Engine();
        Console.WriteLine($"Wasmtime native library loaded (engine created); kernels from {KernelCatalog.Directory}");
        foreach (Kernel kernel in KernelCatalog.All)
        {
            byte[] bytes = KernelCatalog.ReadBytes(kernel);
            using var store = new global::Wasmtime.Store(engine);
            using var module = global::Wasmtime.Module.FromBytes(engine, kernel.Name, bytes);
            var run = new global::Wasmtime.Linker(engine).Instantiate(store, module).GetFunction<int, int>("run")!;
            var watch = System.Diagnostics.Stopwatch.StartNew();
            int theirs = run(kernel.BenchmarkInput);
            double theirMs = watch.Elapsed.TotalMilliseconds;
            string line = $"{kernel.Name,-10} run({kernel.BenchmarkInput}) Wasmtime {theirs,12} in {theirMs,8:F1} ms";

            CompiledModule? compiled = KernelCatalog.TryCompile(KernelCatalog.Read(bytes, kernel.Name), out string? skip);
            if (compiled is null)
            {
                Console.WriteLine(line + $" | WasmToolkit SKIPPED: {skip}");
                continue;
            }

            using Instance instance = Instance.Create(compiled);
            watch.Restart();
            int ours = instance.GetFunction<int, int>("run").Invoke(kernel.BenchmarkInput);
            double ourMs = watch.Elapsed.TotalMilliseconds;
            bool same = ours == theirs && (kernel.Expected == 0 || ours == kernel.Expected);
            ok &= same;
            Console.WriteLine(line + $" | WasmToolkit {ours,12} in {ourMs,8:F1} ms {(same ? "ok" : "MISMATCH")}");
        }

        return ok;
    }
}
