namespace WasmToolkit;

/// <summary>
/// Implementation limits, in one place (after V8's <c>wasm-limits.h</c> and wasmparser's <c>limits.rs</c>;
/// the values are V8's). Inputs beyond them are rejected with a diagnostic rather than exhausting memory.
/// </summary>
public static class WasmLimits
{
    public const int MaxTypes = 1_000_000;
    public const int MaxFunctions = 1_000_000;
    public const int MaxImports = 100_000;
    public const int MaxExports = 100_000;
    public const int MaxGlobals = 1_000_000;
    public const int MaxTables = 100_000;
    public const int MaxMemories = 100_000;
    public const int MaxDataSegments = 100_000;
    public const int MaxElementSegments = 10_000_000;
    public const int MaxElementSegmentSize = 10_000_000;
    public const int MaxStringSize = 100_000;
    public const int MaxFunctionSize = 7_654_321;
    public const int MaxFunctionLocals = 50_000;
    public const int MaxFunctionParams = 1_000;
    public const int MaxFunctionReturns = 1_000;
    public const int MaxBrTableSize = 65_520;
    public const int MaxModuleSize = 1024 * 1024 * 1024;

    /// <summary>Maximum pages of a 32-bit memory (4 GiB), spec 3.2.5.</summary>
    public const uint MaxMemoryPages32 = 65_536;

    /// <summary>Maximum elements of a table (spec: 2^32 - 1).</summary>
    public const uint MaxTableElements = uint.MaxValue;
}
