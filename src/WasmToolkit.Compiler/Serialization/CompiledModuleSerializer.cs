using System;
using System.IO;
using WasmToolkit.Compiler.Serialization.Internal;

namespace WasmToolkit.Compiler.Serialization;

/// <summary>
/// Turns a <see cref="CompiledModule"/> into bytes and back (a <c>.cwasm</c> cache, like Wasmtime's precompiled
/// modules or V8's code cache), so a module compiles once and later runs without compiling.
/// </summary>
/// <remarks>
/// <para>The bytes hold a header (magic, format version, toolkit version, target architecture, required CPU
/// features, SHA-256 of the module bytes), the embedded WebAssembly module (written with
/// <see cref="Binary.ModuleWriter"/>), the code and its tables, and a trailing SHA-256 (or HMAC-SHA-256 under a
/// key) over everything before it. Loading checks all of it against the running toolkit and the machine the
/// caller describes; a cache that does not match, is truncated or was altered is refused with a diagnostic
/// (WASM4101–WASM4113) and never becomes a <see cref="CompiledModule"/>. Layout and trust model:
/// <c>docs/compiled-module-cache.md</c>.</para>
/// <para>Trust: the unkeyed hash detects corruption, not a deliberate attacker (who can recompute it); a cache
/// file is as trusted as an executable. With <see cref="CompiledModuleWriteOptions.IntegrityKey"/> only holders
/// of the key can produce a cache that loads.</para>
/// </remarks>
public static class CompiledModuleSerializer
{
    /// <summary>The layout version this toolkit writes and reads.</summary>
    public const uint FormatVersion = CacheLayout.FormatVersion;

    /// <summary>The toolkit version written into caches and required of caches loaded (the build's informational version).</summary>
    public static string ToolkitVersion => CacheLayout.ToolkitVersion;

    /// <summary>True when <paramref name="bytes"/> start with the cache magic (<c>WTKCWASM</c>), whatever their extension.</summary>
    public static bool IsCompiledModule(ReadOnlySpan<byte> bytes) => bytes.StartsWith(CacheLayout.Magic);

    /// <summary>Serialises <paramref name="module"/>.</summary>
    public static byte[] Serialize(CompiledModule module, CompiledModuleWriteOptions? options = null)
    {
        if (module is null) throw new ArgumentNullException(nameof(module));

        // A lazy module's image holds compile stubs, not code: its functions only exist per process, at run time.
        if (module.Lazy is not null) throw new ArgumentException("A lazily compiled module cannot be cached (its functions are compiled on first call); compile it eagerly to cache it.", nameof(module));
        return CacheEncoder.Encode(module, options ?? CompiledModuleWriteOptions.Default, default);
    }

    /// <summary>Serialises <paramref name="module"/> to <paramref name="destination"/>.</summary>
    public static void Serialize(CompiledModule module, Stream destination, CompiledModuleWriteOptions? options = null)
    {
        if (destination is null) throw new ArgumentNullException(nameof(destination));
        destination.Write(Serialize(module, options));
    }

    /// <summary>For tests: a cache whose header claims another version, toolkit, architecture or feature set.</summary>
    internal static byte[] Serialize(CompiledModule module, CompiledModuleWriteOptions options, HeaderOverrides overrides)
        => CacheEncoder.Encode(module, options, overrides);

    /// <summary>
    /// Loads a cache written by <see cref="Serialize(CompiledModule, CompiledModuleWriteOptions?)"/> for the machine
    /// <paramref name="options"/> describes. Never throws on bad input: a refused cache gives no module and one diagnostic.
    /// </summary>
    public static CompiledModuleReadResult Deserialize(ReadOnlySpan<byte> bytes, CompiledModuleReadOptions options)
    {
        if (options is null) throw new ArgumentNullException(nameof(options));
        return CacheDecoder.Decode(bytes, options, options.Path);
    }

    /// <summary>Reads all of <paramref name="source"/> and loads it as <see cref="Deserialize(ReadOnlySpan{byte}, CompiledModuleReadOptions)"/> does.</summary>
    public static CompiledModuleReadResult Deserialize(Stream source, CompiledModuleReadOptions options)
    {
        if (source is null) throw new ArgumentNullException(nameof(source));
        using var buffer = new MemoryStream();
        source.CopyTo(buffer);
        return Deserialize(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), options);
    }

    /// <summary>
    /// Reads only the header, for tools that describe a cache (<c>wasmtk inspect</c>): no host checks, no integrity
    /// check, never a module. <see cref="CompiledModuleReadResult.Header"/> is null when the header does not read.
    /// </summary>
    public static CompiledModuleReadResult ReadHeader(ReadOnlySpan<byte> bytes, string? path = null)
        => CacheDecoder.Decode(bytes, null, path);
}
