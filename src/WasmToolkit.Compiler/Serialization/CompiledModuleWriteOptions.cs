using System;

namespace WasmToolkit.Compiler.Serialization;

/// <summary>How <see cref="CompiledModuleSerializer.Serialize(CompiledModule, CompiledModuleWriteOptions?)"/> writes a cache.</summary>
public sealed class CompiledModuleWriteOptions
{
    /// <summary>The defaults: an unkeyed SHA-256 integrity hash.</summary>
    public static CompiledModuleWriteOptions Default { get; } = new();

    /// <summary>
    /// A secret key: the integrity hash becomes an HMAC-SHA-256 under it, so only holders of the key can make a
    /// cache that loads (<see cref="CompiledModuleReadOptions.IntegrityKey"/>). Without a key the hash detects
    /// corruption but anyone who can write the file can make it pass.
    /// </summary>
    public ReadOnlyMemory<byte> IntegrityKey { get; init; }
}
