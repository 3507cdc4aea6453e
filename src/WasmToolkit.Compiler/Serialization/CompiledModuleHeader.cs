using System;
using System.Collections.Immutable;
using WasmToolkit.Compiler.Serialization.Internal;

namespace WasmToolkit.Compiler.Serialization;

/// <summary>The header of a compiled-module cache: what it was made by and for (docs/compiled-module-cache.md).</summary>
public sealed class CompiledModuleHeader
{
    internal CompiledModuleHeader(uint formatVersion, ushort machine, bool isKeyed, X64Features requiredX64Features, ImmutableArray<byte> moduleHash, int payloadLength, string toolkitVersion)
    {
        FormatVersion = formatVersion;
        Machine = machine;
        IsKeyed = isKeyed;
        RequiredX64Features = requiredX64Features;
        ModuleHash = moduleHash;
        PayloadLength = payloadLength;
        ToolkitVersion = toolkitVersion;
    }

    /// <summary>The layout version; this toolkit reads <see cref="CompiledModuleSerializer.FormatVersion"/> only.</summary>
    public uint FormatVersion { get; }

    /// <summary>The target's PE/COFF machine number (0x8664 x64, 0xAA64 arm64).</summary>
    public ushort Machine { get; }

    /// <summary><c>x64</c>, <c>arm64</c> or <c>unknown machine 0x…</c>.</summary>
    public string ArchitectureName => CacheLayout.DescribeMachine(Machine);

    /// <summary>True when the integrity hash is an HMAC under a key (<see cref="CompiledModuleWriteOptions.IntegrityKey"/>).</summary>
    public bool IsKeyed { get; }

    /// <summary>The x64 extensions the code uses; a host without one of them must not run it.</summary>
    public X64Features RequiredX64Features { get; }

    /// <summary>SHA-256 of the embedded WebAssembly module's bytes.</summary>
    public ImmutableArray<byte> ModuleHash { get; }

    /// <summary>Length of the payload between the header and the trailing integrity hash.</summary>
    public int PayloadLength { get; }

    /// <summary>The informational version of the toolkit build that wrote the cache.</summary>
    public string ToolkitVersion { get; }

    /// <summary><see cref="ModuleHash"/> as lowercase hex.</summary>
    public string ModuleHashHex => Convert.ToHexString(ModuleHash.AsSpan()).ToLowerInvariant();
}
