using System.Globalization;
using System.Linq;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace WasmToolkit.Benchmarks;

/// <summary>
/// "Code MB/s" of <see cref="CompileBenchmarks"/>: the code-section size of the row's input
/// (<see cref="CompileInput"/>) divided by the row's mean, MB = 10^6 bytes.
/// </summary>
internal sealed class CompileThroughputColumn : IColumn
{
    public static readonly IColumn Instance = new CompileThroughputColumn();

    public string Id => nameof(CompileThroughputColumn);

    public string ColumnName => "Code MB/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Code-section size of the input / mean, MB = 10^6 bytes";

    public bool IsAvailable(Summary summary) => summary.BenchmarksCases.Any(b => b.Descriptor.Type == typeof(CompileBenchmarks));

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        if (benchmarkCase.Descriptor.Type != typeof(CompileBenchmarks)) return "-";
        double? meanNs = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (meanNs is null) return "?";
        var input = (string)benchmarkCase.Parameters[nameof(CompileBenchmarks.Input)];
        long bytes = CompileInput.Get(input).CodeSectionBytes;
        return (bytes / (meanNs.Value * 1e-9) / 1e6).ToString("N1", CultureInfo.InvariantCulture);
    }

    public override string ToString() => ColumnName;
}
