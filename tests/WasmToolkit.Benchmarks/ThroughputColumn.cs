using System.Globalization;
using System.Linq;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace WasmToolkit.Benchmarks;

/// <summary>
/// Throughput of a benchmark in MB/s (10^6 bytes per second) of the input module or of its code section, computed
/// from the mean time of the row.
/// </summary>
/// <remarks>
/// With <see cref="ThroughputColumn.NetOfStartup"/> the mean of <see cref="StartupBenchmark"/> (wasm-validate on an
/// empty module) is first subtracted from the wabt row, so that row shows wasm-validate's own parsing and validation
/// speed. In-process rows have no start-up to subtract and show the same value as the plain column, which keeps the
/// column comparable down its length. The start-up row itself gets no throughput.
/// </remarks>
internal sealed class ThroughputColumn : IColumn
{
    /// <summary>The process-start-up baseline, excluded from throughput and subtracted from <see cref="WabtBenchmark"/>.</summary>
    public const string StartupBenchmark = nameof(DecodeValidateBenchmarks.WabtWasmValidateEmptyModule);

    /// <summary>The row that runs an external process.</summary>
    public const string WabtBenchmark = nameof(DecodeValidateBenchmarks.WabtWasmValidate);

    public static readonly IColumn Module = new ThroughputColumn("Module MB/s", () => BenchmarkInput.ModuleBytes, netOfStartup: false);
    public static readonly IColumn Code = new ThroughputColumn("Code MB/s", () => BenchmarkInput.CodeSectionBytes, netOfStartup: false);
    public static readonly IColumn NetOfStartup = new ThroughputColumn("Module MB/s net of start-up", () => BenchmarkInput.ModuleBytes, netOfStartup: true);

    private readonly System.Func<long> _bytes;
    private readonly bool _netOfStartup;

    private ThroughputColumn(string name, System.Func<long> bytes, bool netOfStartup)
    {
        ColumnName = name;
        _bytes = bytes;
        _netOfStartup = netOfStartup;
    }

    public string Id => nameof(ThroughputColumn) + "." + ColumnName;

    public string ColumnName { get; }

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => _netOfStartup
        ? "Module size / (mean - mean of " + StartupBenchmark + ") for the wabt row, MB = 10^6 bytes; in-process rows as Module MB/s"
        : ColumnName.Split(' ')[0] + " size / mean, MB = 10^6 bytes";

    /// <summary>Only the decode/validate summary: the sizes are those of <see cref="BenchmarkInput"/>.</summary>
    public bool IsAvailable(Summary summary) => summary.BenchmarksCases.Any(b => b.Descriptor.Type == typeof(DecodeValidateBenchmarks));

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        string method = benchmarkCase.Descriptor.WorkloadMethod.Name;
        if (method == StartupBenchmark) return "-";
        double? meanNs = MeanNanoseconds(summary, benchmarkCase);
        if (meanNs is null) return "?";

        double ns = meanNs.Value;
        if (_netOfStartup && method == WabtBenchmark)
        {
            BenchmarkCase? startup = summary.BenchmarksCases.FirstOrDefault(b => b.Descriptor.WorkloadMethod.Name == StartupBenchmark);
            double? startupNs = startup is null ? null : MeanNanoseconds(summary, startup);
            if (startupNs is null) return "?";
            ns -= startupNs.Value;
            if (ns <= 0) return "?";
        }

        double megabytesPerSecond = _bytes() / (ns * 1e-9) / 1e6;
        return megabytesPerSecond.ToString("N1", CultureInfo.InvariantCulture);
    }

    private static double? MeanNanoseconds(Summary summary, BenchmarkCase benchmarkCase)
        => summary[benchmarkCase]?.ResultStatistics?.Mean;

    public override string ToString() => ColumnName;
}
