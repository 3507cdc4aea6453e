namespace WasmToolkit.Diagnostics;

// WASM4101–WASM4149: compiled-module caches (.cwasm) refused on load (docs/compiled-module-cache.md).
// A refused cache is never executed; the fix is always to compile the module again.
public static partial class DiagnosticCatalog
{
    private const string Cache = "Compile";

    /// <summary>The bytes do not start with the compiled-module magic.</summary>
    public static DiagnosticDescriptor CacheMagicNotDetected { get; } = Error("WASM4101", Cache, "not a compiled module", "not a compiled module: magic header not detected");

    /// <summary>The cache ends before its header or payload does.</summary>
    public static DiagnosticDescriptor CacheTruncated { get; } = Error("WASM4102", Cache, "compiled module truncated", "compiled module truncated: {0}");

    /// <summary>The cache was written in another format version.</summary>
    public static DiagnosticDescriptor CacheFormatVersion { get; } = Error("WASM4103", Cache, "unsupported compiled module format version", "unsupported compiled module format version {0} (this toolkit reads version {1}); compile the module again");

    /// <summary>The cache was written by another build of the toolkit (code generation may differ between builds).</summary>
    public static DiagnosticDescriptor CacheToolkitVersion { get; } = Error("WASM4104", Cache, "compiled module made by another toolkit version", "compiled module made by WasmToolkit {0}, this is {1}; compile the module again");

    /// <summary>The cache holds code for another machine architecture.</summary>
    public static DiagnosticDescriptor CacheArchitecture { get; } = Error("WASM4105", Cache, "compiled module targets another architecture", "compiled module targets {0}, expected {1}");

    /// <summary>The cache's code needs processor features the host lacks.</summary>
    public static DiagnosticDescriptor CacheCpuFeatures { get; } = Error("WASM4106", Cache, "compiled module needs missing CPU features", "compiled module needs CPU features this processor lacks: {0}");

    /// <summary>The integrity hash over the cache does not match its contents: corrupted (or edited) bytes.</summary>
    public static DiagnosticDescriptor CacheIntegrity { get; } = Error("WASM4107", Cache, "compiled module integrity check failed", "compiled module integrity check failed: {0}");

    /// <summary>The cache is longer than its header says.</summary>
    public static DiagnosticDescriptor CacheTrailingBytes { get; } = Error("WASM4108", Cache, "unexpected bytes after compiled module", "unexpected bytes after compiled module: {0}");

    /// <summary>The payload does not decode (lengths out of range, bad text, bytes left over).</summary>
    public static DiagnosticDescriptor CacheMalformed { get; } = Error("WASM4109", Cache, "malformed compiled module", "malformed compiled module: {0}");

    /// <summary>The embedded WebAssembly module does not read back.</summary>
    public static DiagnosticDescriptor CacheModuleUnreadable { get; } = Error("WASM4110", Cache, "embedded module does not read", "embedded module does not read: {0}");

    /// <summary>The embedded module's SHA-256 differs from the one in the header.</summary>
    public static DiagnosticDescriptor CacheModuleHash { get; } = Error("WASM4111", Cache, "embedded module hash mismatch", "embedded module hash mismatch: header has {0}, module bytes hash to {1}");

    /// <summary>The code tables contradict each other or point outside the code.</summary>
    public static DiagnosticDescriptor CacheInconsistent { get; } = Error("WASM4112", Cache, "inconsistent compiled module", "inconsistent compiled module: {0}");

    /// <summary>The cache's integrity is keyed (HMAC) and the key given does not match, or one side has no key.</summary>
    public static DiagnosticDescriptor CacheKey { get; } = Error("WASM4113", Cache, "compiled module key mismatch", "compiled module key mismatch: {0}");
}
