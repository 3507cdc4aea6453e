namespace WasmToolkit.Cli.Wast;

/// <summary>How <see cref="WastRunner"/> runs scripts.</summary>
public sealed class WastRunOptions
{
    /// <summary>Proposals enabled for modules (WebAssembly 2.0 by default).</summary>
    public WasmFeatures Features { get; init; } = WasmFeatures.V2;

    /// <summary>
    /// Also check that every valid module survives binary write → read and text print → parse unchanged
    /// (a failed round trip fails the module command).
    /// </summary>
    public bool CheckRoundTrips { get; init; } = true;

    /// <summary>
    /// Compile every module in full: a function the compiler does not support fails its module command
    /// instead of trapping when called (the default compiles leniently and skips those commands).
    /// </summary>
    public bool Strict { get; init; }

    /// <summary>How modules are compiled; every mode must give the same outcomes.</summary>
    public WastCompileMode CompileMode { get; init; } = WastCompileMode.Parallel;
}
