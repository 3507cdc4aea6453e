using System;
using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Running;
using WasmToolkit.Benchmarks.Kernels;

namespace WasmToolkit.Benchmarks;

/// <summary>
/// Entry point. Run by hand, in Release:
/// <code>dotnet run -c Release --project tests/WasmToolkit.Benchmarks -- --filter '*'</code>
/// Without a job on the command line the <see cref="BenchJob"/> below runs; <c>--job short</c> (3 warm-ups,
/// 3 iterations) or <c>--job dry</c> replace it. Other BenchmarkDotNet options (<c>--list flat</c>,
/// <c>--exporters</c>, ...) pass through. <c>-- --check</c> runs every kernel once; <c>-- --scaling</c> measures compile
/// time with one worker against all cores (<see cref="CompileScaling"/>).
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args is ["--scaling"])
        {
            CompileScaling.Run();
            return 0;
        }

        if (args is ["--check"])
        {
            foreach (string name in CompileInput.Names) Console.WriteLine(CompileInput.Get(name).Describe());
            return KernelBenchmarks.CheckAll() ? 0 : 1;
        }

        // The sizes the throughput columns divide by, printed so results can be checked by hand.
        Console.WriteLine(BenchmarkInput.Describe());

        IConfig config = DefaultConfig.Instance
            .AddColumn(ThroughputColumn.Module, ThroughputColumn.Code, ThroughputColumn.NetOfStartup, CompileThroughputColumn.Instance)
            .AddFilter(new SimpleFilter(IsSupported))
            // BenchmarkDotNet's default of 2 minutes for building the generated project is not enough on two loaded
            // cores (restore and build of the four projects took longer on the reference machine).
            .WithBuildTimeout(TimeSpan.FromMinutes(10));

        // Kernels today's compiler cannot run get no WasmToolkit row; say so before anything runs (and in the log).
        foreach (Kernel kernel in KernelCatalog.All)
        {
            if (s_skipReasons.Value.TryGetValue(kernel.Name, out string? reason))
            {
                Console.WriteLine($"SKIP {nameof(KernelBenchmarks)}.{nameof(KernelBenchmarks.WasmToolkit)}(Kernel={kernel.Name}): {reason}");
            }
        }

        // BenchmarkDotNet takes a default job of the config as the base of every command-line job, so --job would be
        // ignored; add it only when no job is asked for. --warmupCount, --iterationCount etc. still adjust it.
        if (!args.Any(a => a is "--job" or "-j" || a.StartsWith("--job=", StringComparison.Ordinal)))
        {
            config = config.AddJob(BenchJob);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        return 0;
    }

    /// <summary>Why a kernel cannot run on WasmToolkit yet, by kernel name (compiled once, on first use).</summary>
    private static readonly Lazy<Dictionary<string, string>> s_skipReasons = new(() =>
    {
        var reasons = new Dictionary<string, string>();
        foreach (Kernel kernel in KernelCatalog.All)
        {
            byte[] bytes = KernelCatalog.ReadBytes(kernel);
            if (KernelCatalog.TryCompile(KernelCatalog.Read(bytes, kernel.Name), out string? reason) is null) reasons[kernel.Name] = reason!;
        }

        return reasons;
    });

    /// <summary>Drops the WasmToolkit row of a kernel the compiler cannot run yet (the reason is printed at start).</summary>
    private static bool IsSupported(BenchmarkCase benchmark)
    {
        if (benchmark.Descriptor.Type != typeof(KernelBenchmarks) || benchmark.Descriptor.WorkloadMethod.Name != nameof(KernelBenchmarks.WasmToolkit)) return true;
        string kernel = (string)benchmark.Parameters[nameof(KernelBenchmarks.Kernel)];
        return !s_skipReasons.Value.ContainsKey(kernel);
    }

    /// <summary>
    /// Fixed warm-up and iteration counts. The validator benchmarks take 100-300 ms an operation, so each iteration is
    /// one or a few operations; measured in a loop on this machine, the first 10 or so validations of the large module
    /// ran two to three times slower than the rest (most likely tiered compilation still promoting methods called once
    /// or a few times per module, whose call counts reach the tier-up threshold only after many operations; the machine
    /// was shared and loaded, so the exact count is rough). 20 warm-up iterations leave room for that.
    /// </summary>
    private static Job BenchJob { get; } = Job.Default
        .WithWarmupCount(20)
        .WithIterationCount(15)
        .WithId("Bench")
        .AsDefault();
}
