using System;

namespace WasmToolkit.Compiler.Serialization;

/// <summary>
/// What a loaded cache must match: the machine that will run it. The compiler never probes the host, so the
/// caller says what it is (the runtime's <c>HostFeatures.CompiledModuleReadOptions</c> describes this process).
/// </summary>
public sealed class CompiledModuleReadOptions
{
    /// <param name="architecture">The architecture the code will run on.</param>
    /// <param name="availableX64Features">The x64 extensions the processor offers; a cache needing any other is refused.</param>
    public CompiledModuleReadOptions(TargetArchitecture architecture, X64Features availableX64Features)
    {
        Architecture = architecture;
        AvailableX64Features = availableX64Features;
    }

    /// <summary>The architecture the code will run on; a cache for another is refused (WASM4105).</summary>
    public TargetArchitecture Architecture { get; }

    /// <summary>The x64 extensions the processor offers; a cache needing any other is refused (WASM4106).</summary>
    public X64Features AvailableX64Features { get; }

    /// <summary>
    /// When set, only caches written with the same <see cref="CompiledModuleWriteOptions.IntegrityKey"/> load (their
    /// integrity hash is an HMAC-SHA-256 under it); when empty, keyed caches are refused.
    /// </summary>
    public ReadOnlyMemory<byte> IntegrityKey { get; init; }

    /// <summary>File name used in diagnostic locations.</summary>
    public string? Path { get; init; }

    /// <summary>These options with <see cref="Path"/> set to <paramref name="path"/>.</summary>
    public CompiledModuleReadOptions WithPath(string? path) => new(Architecture, AvailableX64Features) { IntegrityKey = IntegrityKey, Path = path };
}
