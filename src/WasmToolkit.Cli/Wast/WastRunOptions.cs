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
}
