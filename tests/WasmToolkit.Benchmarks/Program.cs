using System;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace WasmToolkit.Benchmarks;

/// <summary>
/// Entry point. Run by hand, in Release:
/// <code>dotnet run -c Release --project tests/WasmToolkit.Benchmarks -- --filter '*'</code>
/// Add <c>--job short</c> for a quick run (3 warm-ups, 3 iterations). Other BenchmarkDotNet options
/// (<c>--list flat</c>, <c>--exporters</c>, ...) pass through.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        // The sizes the throughput columns divide by, printed so results can be checked by hand.
        Console.WriteLine(BenchmarkInput.Describe());

        IConfig config = DefaultConfig.Instance
            .AddColumn(ThroughputColumn.Module, ThroughputColumn.Code, ThroughputColumn.NetOfStartup);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        return 0;
    }
}
