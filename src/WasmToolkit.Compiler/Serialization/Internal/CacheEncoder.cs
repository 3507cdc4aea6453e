using System;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace WasmToolkit.Compiler.Serialization.Internal;

/// <summary>Writes a <see cref="CompiledModule"/> in the cache layout of <see cref="CacheLayout"/>.</summary>
internal static class CacheEncoder
{
    public static byte[] Encode(CompiledModule compiled, CompiledModuleWriteOptions options, HeaderOverrides overrides)
    {
        var module = compiled.Module;
        var moduleBytes = Binary.ModuleWriter.Write(module);
        var payload = EncodePayload(compiled, moduleBytes);

        var version = System.Text.Encoding.UTF8.GetBytes(overrides.ToolkitVersion ?? CacheLayout.ToolkitVersion);
        if (version.Length > ushort.MaxValue) throw new ArgumentException("The toolkit version is too long for the header.", nameof(overrides));
        var keyed = !options.IntegrityKey.IsEmpty;

        // Header, payload and hash go straight into one array of the exact size (the code may be megabytes).
        var payloadStart = CacheLayout.FixedHeaderSize + version.Length;
        var output = new byte[payloadStart + payload.Length + CacheLayout.HashSize];
        var span = output.AsSpan();
        CacheLayout.Magic.CopyTo(span);
        BinaryPrimitives.WriteUInt32LittleEndian(span.Slice(CacheLayout.FormatVersionOffset), overrides.FormatVersion ?? CacheLayout.FormatVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(span.Slice(CacheLayout.MachineOffset), overrides.Machine ?? CacheLayout.MachineOf(compiled.Options.Architecture));
        BinaryPrimitives.WriteUInt16LittleEndian(span.Slice(CacheLayout.FlagsOffset), keyed ? CacheLayout.FlagKeyed : (ushort)0);
        BinaryPrimitives.WriteUInt64LittleEndian(span.Slice(CacheLayout.FeaturesOffset), (uint)(overrides.RequiredX64Features ?? RequiredX64Features(compiled.Options)));
        SHA256.HashData(moduleBytes, span.Slice(CacheLayout.ModuleHashOffset, CacheLayout.HashSize));
        BinaryPrimitives.WriteUInt32LittleEndian(span.Slice(CacheLayout.PayloadLengthOffset), (uint)payload.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(span.Slice(CacheLayout.ToolkitVersionLengthOffset), (ushort)version.Length);
        version.CopyTo(span.Slice(CacheLayout.FixedHeaderSize));
        payload.CopyTo(span.Slice(payloadStart));
        var hashStart = output.Length - CacheLayout.HashSize;
        Integrity(span.Slice(0, hashStart), options.IntegrityKey.Span).CopyTo(span.Slice(hashStart));
        return output;
    }

    /// <summary>SHA-256 of everything before the hash, or HMAC-SHA-256 under <paramref name="key"/> when there is one.</summary>
    public static byte[] Integrity(ReadOnlySpan<byte> covered, ReadOnlySpan<byte> key)
        => key.IsEmpty ? SHA256.HashData(covered) : HMACSHA256.HashData(key, covered);

    private static ReadOnlySpan<byte> EncodePayload(CompiledModule compiled, byte[] moduleBytes)
    {
        var module = compiled.Module;
        var w = new CacheWriter(moduleBytes.Length + compiled.Code.Length + 1024
            + ((compiled.TrapSites.Length + compiled.CallSites.Length) * CacheLayout.SiteSize) + (compiled.Functions.Length * CacheLayout.FunctionSize));

        w.U32(compiled.Options.TrapOnUnsupportedFunctions ? CacheLayout.OptionTrapOnUnsupportedFunctions : 0);
        w.Blob(moduleBytes);
        w.Blob(compiled.Code.AsSpan());
        w.I32(compiled.TrapStubOffset);

        w.U32((uint)compiled.EntryStubs.Length);
        foreach (var stub in compiled.EntryStubs)
        {
            // The stub's signature as a type index: the module is embedded, so its type section names every signature.
            var typeIndex = module.Types.IndexOf(stub.Type);
            if (typeIndex < 0) throw new ArgumentException("An entry stub's signature is not among the module's types.", nameof(compiled));
            w.U32((uint)typeIndex);
            w.I32(stub.Offset);
            w.I32(stub.Size);
        }

        // A defined function's index and type follow from its position and the module.
        w.U32((uint)compiled.Functions.Length);
        for (var i = 0; i < compiled.Functions.Length; i++)
        {
            var f = compiled.Functions[i];
            if (f.FunctionIndex != module.ImportedFunctionCount + i) throw new ArgumentException("Compiled functions are not in function index order.", nameof(compiled));
            w.I32(f.Offset);
            w.I32(f.Size);
            w.I32(f.EntryStubIndex);
        }

        Sites(w, compiled.TrapSites);
        Sites(w, compiled.CallSites);

        var s = compiled.Statistics;
        w.I32(s.FunctionCount);
        w.I32(s.CodeBytes);
        w.I32(s.WasmInstructions);
        w.I32(s.Spills);
        w.I32(s.TrapSites);

        w.U32((uint)compiled.UnsupportedFunctions.Length);
        foreach (var e in compiled.UnsupportedFunctions)
        {
            w.Byte((byte)e.Kind);
            w.Byte((byte)((e.FunctionIndex is null ? 0 : 1) | (e.WasmOffset is null ? 0 : 2)));
            w.I32(e.FunctionIndex ?? 0);
            w.I32(e.WasmOffset ?? 0);
            w.String(e.Message);
        }

        return w.Written;
    }

    private static void Sites(CacheWriter w, System.Collections.Immutable.ImmutableArray<TrapSite> sites)
    {
        w.U32((uint)sites.Length);
        foreach (var site in sites)
        {
            w.I32(site.ReturnOffset);
            w.I32(site.FunctionIndex);
            w.I32(site.WasmOffset);
            w.I32((int)site.Kind);
        }
    }

    /// <summary>The x64 extensions the code needs: none for other architectures, whose caches a processor without them must still load.</summary>
    private static X64Features RequiredX64Features(CompilerOptions options) => options.Architecture == TargetArchitecture.X64 ? options.X64Features : 0;
}
