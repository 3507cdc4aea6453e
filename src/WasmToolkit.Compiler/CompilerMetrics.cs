using System.Collections.Generic;
using System.Diagnostics.Metrics;

namespace WasmToolkit.Compiler;

/// <summary>
/// The compiler's <see cref="Meter"/>, <c>WasmToolkit.Compiler</c> (<c>dotnet-counters monitor --counters WasmToolkit.Compiler</c>,
/// OpenTelemetry's <c>AddMeter</c>, or a <see cref="MeterListener"/>). Every instrument is tagged <c>wasmtk.compile.mode</c>
/// (<c>sync</c>, <c>async</c>, <c>streaming</c>); module-level ones also <c>wasmtk.compile.outcome</c>
/// (<c>compiled</c>, <c>failed</c>, <c>cancelled</c>).
/// </summary>
public static class CompilerMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "WasmToolkit.Compiler";

    /// <summary>Histogram, seconds: wall time of one module's compilation, from its first step to its last.</summary>
    public const string CompileDuration = "wasmtk.compile.duration";

    /// <summary>Histogram, bytes: machine code of one compiled module.</summary>
    public const string CodeSize = "wasmtk.compile.code_size";

    /// <summary>Counter: defined functions compiled (published).</summary>
    public const string FunctionsCompiled = "wasmtk.compile.functions";

    /// <summary>Counter: modules whose compilation ended (any outcome).</summary>
    public const string ModulesCompiled = "wasmtk.compile.modules";

    private static readonly Meter s_meter = new(MeterName, typeof(CompilerMetrics).Assembly.GetName().Version?.ToString());
    private static readonly Histogram<double> s_duration = s_meter.CreateHistogram<double>(CompileDuration, "s", "Wall time of one module's compilation.");
    private static readonly Histogram<long> s_codeSize = s_meter.CreateHistogram<long>(CodeSize, "By", "Machine code of one compiled module.");
    private static readonly Counter<long> s_functions = s_meter.CreateCounter<long>(FunctionsCompiled, "{function}", "Defined functions compiled.");
    private static readonly Counter<long> s_modules = s_meter.CreateCounter<long>(ModulesCompiled, "{module}", "Module compilations ended.");

    internal static void Record(string mode, string outcome, double seconds, int functions, long codeBytes)
    {
        var modeTag = new KeyValuePair<string, object?>("wasmtk.compile.mode", mode);
        var outcomeTag = new KeyValuePair<string, object?>("wasmtk.compile.outcome", outcome);
        s_duration.Record(seconds, modeTag, outcomeTag);
        if (codeBytes > 0) s_codeSize.Record(codeBytes, modeTag);
        if (functions > 0) s_functions.Add(functions, modeTag);
        s_modules.Add(1, modeTag, outcomeTag);
    }
}
