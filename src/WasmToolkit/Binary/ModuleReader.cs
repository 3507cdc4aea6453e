using System;
using WasmToolkit.Binary.Internal;

namespace WasmToolkit.Binary;

/// <summary>
/// Reads the binary format (spec chapter 5) into a <see cref="Module"/>. Never throws on bad input:
/// malformed bytes give diagnostics with byte offsets.
/// </summary>
/// <remarks>
/// The input is copied once, so the module owns its bytes and stays immutable whatever the caller does
/// with its buffer afterwards; function bodies and segment contents are slices of that copy (not decoded
/// until asked). Function bodies are checked for well-formedness by the validator, which decodes every
/// instruction anyway; <see cref="ReadOptions.DecodeFunctionBodies"/> makes the reader do it.
/// </remarks>
public static class ModuleReader
{
    /// <summary>Reads a module from <paramref name="bytes"/>.</summary>
    /// <param name="bytes">The module's bytes.</param>
    /// <param name="path">File name used in diagnostic locations.</param>
    /// <param name="features">Enabled proposals (WebAssembly 2.0 by default).</param>
    public static ModuleReadResult Read(ReadOnlyMemory<byte> bytes, string? path = null, WasmFeatures features = WasmFeatures.V2)
        => Read(bytes, new ReadOptions { Path = path, Features = features });

    /// <summary>Reads a module with explicit options.</summary>
    public static ModuleReadResult Read(ReadOnlyMemory<byte> bytes, ReadOptions options)
    {
        if (options is null) throw new ArgumentNullException(nameof(options));
        return new ModuleDecoder(bytes.ToArray(), options).Decode();
    }
}

/// <summary>Options of <see cref="ModuleReader"/>.</summary>
public sealed class ReadOptions
{
    /// <summary>File name used in diagnostic locations.</summary>
    public string? Path { get; init; }

    /// <summary>Enabled proposals.</summary>
    public WasmFeatures Features { get; init; } = WasmFeatures.V2;

    /// <summary>Also decode every instruction so malformed bodies are reported by the reader (off: the validator does it).</summary>
    public bool DecodeFunctionBodies { get; init; }
}
