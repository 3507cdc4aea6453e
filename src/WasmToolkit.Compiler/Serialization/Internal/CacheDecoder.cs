using System;
using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using WasmToolkit.Binary;
using WasmToolkit.Diagnostics;

namespace WasmToolkit.Compiler.Serialization.Internal;

/// <summary>
/// Reads a cache back: header checks (magic, format version, toolkit version, architecture, CPU features, key),
/// lengths, the integrity hash, then the payload with every table checked against the code and the module.
/// Never throws on bad input; the first problem refuses the cache with its diagnostic.
/// </summary>
internal static class CacheDecoder
{
    private static readonly UTF8Encoding s_strictUtf8 = new(false, true);

    public static CompiledModuleReadResult Decode(ReadOnlySpan<byte> bytes, CompiledModuleReadOptions? options, string? path)
    {
        var header = ReadHeader(bytes, path, out var refusal, out var versionLength);
        if (refusal is not null) return Refuse(header, refusal);
        if (options is null) return new CompiledModuleReadResult(null, header, ImmutableArray<Diagnostic>.Empty);

        // Compatibility before integrity: a cache from another build or machine is reported as such, not as corrupt.
        if (header!.ToolkitVersion != CacheLayout.ToolkitVersion)
        {
            return Refuse(header, Error(DiagnosticCatalog.CacheToolkitVersion, path, CacheLayout.FixedHeaderSize, versionLength, header.ToolkitVersion, CacheLayout.ToolkitVersion));
        }

        var expectedMachine = CacheLayout.MachineOf(options.Architecture);
        if (header.Machine != expectedMachine)
        {
            return Refuse(header, Error(DiagnosticCatalog.CacheArchitecture, path, CacheLayout.MachineOffset, 2, header.ArchitectureName, CacheLayout.DescribeMachine(expectedMachine)));
        }

        var missing = header.RequiredX64Features & ~options.AvailableX64Features;
        if (missing != 0)
        {
            return Refuse(header, Error(DiagnosticCatalog.CacheCpuFeatures, path, CacheLayout.FeaturesOffset, 8, missing));
        }

        var key = options.IntegrityKey.Span;
        if (header.IsKeyed != !key.IsEmpty)
        {
            return Refuse(header, Error(DiagnosticCatalog.CacheKey, path, CacheLayout.FlagsOffset, 2,
                header.IsKeyed ? "the cache is keyed (HMAC) and no key was given" : "a key was given and the cache is not keyed"));
        }

        var payloadStart = CacheLayout.FixedHeaderSize + versionLength;
        var hashStart = (long)payloadStart + header.PayloadLength;
        var total = hashStart + CacheLayout.HashSize;
        if (bytes.Length < total)
        {
            return Refuse(header, Error(DiagnosticCatalog.CacheTruncated, path, bytes.Length, 0, $"the header says {total} bytes, there are {bytes.Length}"));
        }

        if (bytes.Length > total)
        {
            return Refuse(header, Error(DiagnosticCatalog.CacheTrailingBytes, path, (int)total, bytes.Length - (int)total, $"{bytes.Length - total} bytes after the {total} the header says"));
        }

        var expected = CacheEncoder.Integrity(bytes.Slice(0, (int)hashStart), key);
        if (!CryptographicOperations.FixedTimeEquals(expected, bytes.Slice((int)hashStart, CacheLayout.HashSize)))
        {
            return Refuse(header, Error(DiagnosticCatalog.CacheIntegrity, path, (int)hashStart, CacheLayout.HashSize,
                header.IsKeyed ? "the HMAC does not match (corrupted, or written with another key)" : "the SHA-256 does not match the contents (the file is corrupted)"));
        }

        var payload = bytes.Slice(payloadStart, header.PayloadLength);
        return DecodePayload(payload, payloadStart, header, path);
    }

    /// <summary>Magic, format version and the fixed fields; sets <paramref name="refusal"/> when they do not read.</summary>
    private static CompiledModuleHeader? ReadHeader(ReadOnlySpan<byte> bytes, string? path, out Diagnostic? refusal, out int versionLength)
    {
        versionLength = 0;
        var magic = CacheLayout.Magic;
        var prefix = Math.Min(bytes.Length, magic.Length);
        if (!bytes.Slice(0, prefix).SequenceEqual(magic.Slice(0, prefix)))
        {
            refusal = Error(DiagnosticCatalog.CacheMagicNotDetected, path, 0, prefix);
            return null;
        }

        // The format version comes right after the magic so that any future layout is recognised as such.
        if (bytes.Length < CacheLayout.FormatVersionOffset + 4)
        {
            refusal = Error(DiagnosticCatalog.CacheTruncated, path, bytes.Length, 0, $"the header needs at least {CacheLayout.FixedHeaderSize} bytes, there are {bytes.Length}");
            return null;
        }

        var format = BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice(CacheLayout.FormatVersionOffset));
        if (format != CacheLayout.FormatVersion)
        {
            refusal = Error(DiagnosticCatalog.CacheFormatVersion, path, CacheLayout.FormatVersionOffset, 4, format, CacheLayout.FormatVersion);
            return null;
        }

        if (bytes.Length < CacheLayout.FixedHeaderSize)
        {
            refusal = Error(DiagnosticCatalog.CacheTruncated, path, bytes.Length, 0, $"the header needs at least {CacheLayout.FixedHeaderSize} bytes, there are {bytes.Length}");
            return null;
        }

        var machine = BinaryPrimitives.ReadUInt16LittleEndian(bytes.Slice(CacheLayout.MachineOffset));
        var flags = BinaryPrimitives.ReadUInt16LittleEndian(bytes.Slice(CacheLayout.FlagsOffset));
        var features = BinaryPrimitives.ReadUInt64LittleEndian(bytes.Slice(CacheLayout.FeaturesOffset));
        var moduleHash = bytes.Slice(CacheLayout.ModuleHashOffset, CacheLayout.HashSize).ToArray();
        var payloadLength = BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice(CacheLayout.PayloadLengthOffset));
        versionLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.Slice(CacheLayout.ToolkitVersionLengthOffset));
        if ((flags & ~CacheLayout.KnownFlags) != 0)
        {
            refusal = Error(DiagnosticCatalog.CacheMalformed, path, CacheLayout.FlagsOffset, 2, $"unknown header flags 0x{flags:x4}");
            return null;
        }

        if (features > int.MaxValue || ((X64Features)(int)features & ~(X64Features.Popcnt | X64Features.Sse41 | X64Features.Avx)) != 0)
        {
            // Features this build does not know: certainly not available to code it would run.
            refusal = Error(DiagnosticCatalog.CacheCpuFeatures, path, CacheLayout.FeaturesOffset, 8, $"unknown features 0x{features:x}");
            return null;
        }

        if (payloadLength > int.MaxValue - CacheLayout.FixedHeaderSize - ushort.MaxValue - CacheLayout.HashSize)
        {
            refusal = Error(DiagnosticCatalog.CacheMalformed, path, CacheLayout.PayloadLengthOffset, 4, $"payload length {payloadLength} is out of range");
            return null;
        }

        if (bytes.Length < CacheLayout.FixedHeaderSize + versionLength)
        {
            refusal = Error(DiagnosticCatalog.CacheTruncated, path, bytes.Length, 0, $"the header needs {CacheLayout.FixedHeaderSize + versionLength} bytes, there are {bytes.Length}");
            return null;
        }

        string toolkitVersion;
        try
        {
            toolkitVersion = s_strictUtf8.GetString(bytes.Slice(CacheLayout.FixedHeaderSize, versionLength));
        }
        catch (ArgumentException)
        {
            refusal = Error(DiagnosticCatalog.CacheMalformed, path, CacheLayout.FixedHeaderSize, versionLength, "the toolkit version is not valid UTF-8");
            return null;
        }

        refusal = null;
        return new CompiledModuleHeader(format, machine, (flags & CacheLayout.FlagKeyed) != 0, (X64Features)(int)features,
            ImmutableCollectionsMarshal.AsImmutableArray(moduleHash), (int)payloadLength, toolkitVersion);
    }

    private static CompiledModuleReadResult DecodePayload(ReadOnlySpan<byte> payload, int payloadStart, CompiledModuleHeader header, string? path)
    {
        var r = new CacheReader(payload, payloadStart);
        var optionFlags = r.U32("option flags");
        if ((optionFlags & ~CacheLayout.KnownOptionFlags) != 0) r.Fail($"unknown option flags 0x{optionFlags:x}");
        var moduleStart = payloadStart + r.Offset + 4;
        var moduleBytes = r.Blob("module");
        var code = r.Blob("code").ToArray();
        var trapStubOffset = r.I32("trap stub offset");

        var stubCount = r.Count("entry stub count", CacheLayout.EntryStubSize);
        var stubTypes = new int[stubCount];
        var stubOffsets = new int[stubCount];
        var stubSizes = new int[stubCount];
        for (var i = 0; i < stubCount; i++)
        {
            stubTypes[i] = r.Length("entry stub type index");
            stubOffsets[i] = r.I32("entry stub offset");
            stubSizes[i] = r.I32("entry stub size");
        }

        var functionCount = r.Count("function count", CacheLayout.FunctionSize);
        var functionOffsets = new int[functionCount];
        var functionSizes = new int[functionCount];
        var functionStubs = new int[functionCount];
        for (var i = 0; i < functionCount; i++)
        {
            functionOffsets[i] = r.I32("function offset");
            functionSizes[i] = r.I32("function size");
            functionStubs[i] = r.I32("function entry stub");
        }

        var trapSites = Sites(ref r, "trap site count");
        var callSites = Sites(ref r, "call site count");
        var statistics = new CompilationStatistics(r.I32("function count"), r.I32("code bytes"), r.I32("wasm instructions"), r.I32("spills"), r.I32("trap sites"));

        var unsupportedCount = r.Count("unsupported count", 14);
        var unsupported = ImmutableArray.CreateBuilder<CompileError>(unsupportedCount);
        for (var i = 0; i < unsupportedCount && !r.Failed; i++)
        {
            var kind = r.Byte("error kind");
            var has = r.Byte("error fields");
            var function = r.I32("error function");
            var offset = r.I32("error offset");
            var message = r.String("error message");
            if (kind > (byte)CompileErrorKind.Internal || has > 3) r.Fail($"unsupported-function entry {i} is malformed");
            unsupported.Add(new CompileError((CompileErrorKind)kind, message, (has & 1) != 0 ? function : null, (has & 2) != 0 ? offset : null));
        }

        if (!r.Failed && !r.IsAtEnd) r.Fail($"{r.Remaining} bytes left over after the last table");
        if (r.Failed) return Refuse(header, Error(DiagnosticCatalog.CacheMalformed, path, r.ErrorOffset, 0, r.Error!));

        var moduleHash = SHA256.HashData(moduleBytes);
        if (!moduleHash.AsSpan().SequenceEqual(header.ModuleHash.AsSpan()))
        {
            return Refuse(header, Error(DiagnosticCatalog.CacheModuleHash, path, moduleStart, moduleBytes.Length, header.ModuleHashHex, Convert.ToHexString(moduleHash).ToLowerInvariant()));
        }

        var read = ModuleReader.Read(moduleBytes.ToArray(), new ReadOptions { Path = path, Features = CacheLayout.EmbeddedModuleFeatures });
        if (read.Module is not { } module)
        {
            var first = read.Diagnostics.IsEmpty ? "no module" : read.Diagnostics[0].ToString();
            return Refuse(header, Error(DiagnosticCatalog.CacheModuleUnreadable, path, moduleStart, moduleBytes.Length, first));
        }

        var options = new CompilerOptions
        {
            Architecture = CacheLayout.ArchitectureOf(header.Machine),
            X64Features = header.RequiredX64Features,
            TrapOnUnsupportedFunctions = (optionFlags & CacheLayout.OptionTrapOnUnsupportedFunctions) != 0,
        };

        var stubs = ImmutableArray.CreateBuilder<EntryStub>(stubCount);
        var functions = ImmutableArray.CreateBuilder<CompiledFunction>(functionCount);
        var problem = CacheConsistency.Check(module, code.Length, trapStubOffset, stubTypes, stubOffsets, stubSizes, functionOffsets, functionSizes, functionStubs, trapSites, callSites, statistics, unsupported);
        if (problem is not null) return Refuse(header, Error(DiagnosticCatalog.CacheInconsistent, path, payloadStart, header.PayloadLength, problem));

        for (var i = 0; i < stubCount; i++) stubs.Add(new EntryStub(module.Types[stubTypes[i]], stubOffsets[i], stubSizes[i]));
        for (var i = 0; i < functionCount; i++)
        {
            var index = module.ImportedFunctionCount + i;
            functions.Add(new CompiledFunction(index, module.GetFunctionType((uint)index)!, functionOffsets[i], functionSizes[i], functionStubs[i]));
        }

        var compiled = new CompiledModule(
            module, options, ImmutableCollectionsMarshal.AsImmutableArray(code), trapStubOffset, functions.MoveToImmutable(), stubs.MoveToImmutable(),
            ImmutableCollectionsMarshal.AsImmutableArray(trapSites), ImmutableCollectionsMarshal.AsImmutableArray(callSites), statistics, unsupported.ToImmutable());
        return new CompiledModuleReadResult(compiled, header, ImmutableArray<Diagnostic>.Empty);
    }

    private static TrapSite[] Sites(ref CacheReader r, string what)
    {
        var count = r.Count(what, CacheLayout.SiteSize);
        var sites = new TrapSite[count];
        for (var i = 0; i < count; i++)
        {
            sites[i] = new TrapSite(r.I32("site return offset"), r.I32("site function"), r.I32("site wasm offset"), (TrapKind)r.I32("site kind"));
        }

        return sites;
    }

    private static CompiledModuleReadResult Refuse(CompiledModuleHeader? header, Diagnostic diagnostic)
        => new(null, header, ImmutableArray.Create(diagnostic));

    private static Diagnostic Error(DiagnosticDescriptor descriptor, string? path, int offset, int length, params object?[] args)
        => Diagnostic.Create(descriptor, new BinaryLocation(new ByteSpan(offset, length), path), args);
}
