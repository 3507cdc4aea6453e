using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using WasmToolkit.Binary;
using WasmToolkit.Compiler.Serialization;
using WasmToolkit.Compiler.Serialization.Internal;
using WasmToolkit.Tests.Infrastructure;
using WasmToolkit.Text;
using WasmToolkit.Validation;
using Xunit;
using Xunit.Abstractions;
using static WasmToolkit.Compiler.Tests.Serialization.CacheTestModules;

namespace WasmToolkit.Compiler.Tests.Serialization;

/// <summary>
/// <see cref="CompiledModuleSerializer"/>: a cache loads back into an equal compiled module, and a cache that does not
/// match the toolkit or the machine, or is truncated, corrupted or structurally inconsistent, is refused with its
/// diagnostic (WASM4101–WASM4113) and never throws. Running a loaded module is tested in the runtime tests
/// (<c>CompiledModuleCacheTests</c>).
/// </summary>
public class CompiledModuleSerializerTests
{
    private readonly ITestOutputHelper _output;

    public CompiledModuleSerializerTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void ALazyModuleIsNotCached()
    {
        var lazy = ModuleCompiler.CompileLazy(Parse("(module (func (export \"f\") (result i32) i32.const 1))"));
        var e = Assert.Throws<ArgumentException>(() => CompiledModuleSerializer.Serialize(lazy));
        Assert.Contains("lazily compiled", e.Message);
    }

    [Fact]
    public void RoundTripGivesAnEqualCompiledModule()
    {
        var original = Compile(Rich);
        Assert.NotEmpty(original.UnsupportedFunctions);
        Assert.NotEmpty(original.CallSites);
        Assert.True(original.EntryStubs.Length >= 4);
        var bytes = CompiledModuleSerializer.Serialize(original);
        var result = CompiledModuleSerializer.Deserialize(bytes, AllFeatures);
        Assert.Empty(result.Diagnostics);
        var loaded = Assert.IsType<CompiledModule>(result.Module);

        Assert.True(original.Code.AsSpan().SequenceEqual(loaded.Code.AsSpan()), "code bytes differ");
        Assert.Equal(original.TrapStubOffset, loaded.TrapStubOffset);
        Assert.Equal(
            original.Functions.Select(f => (f.FunctionIndex, f.Type, f.Offset, f.Size, f.EntryStubIndex)),
            loaded.Functions.Select(f => (f.FunctionIndex, f.Type, f.Offset, f.Size, f.EntryStubIndex)));
        Assert.Equal(original.EntryStubs.Select(s => (s.Type, s.Offset, s.Size)), loaded.EntryStubs.Select(s => (s.Type, s.Offset, s.Size)));
        Assert.Equal(Sites(original.TrapSites), Sites(loaded.TrapSites));
        Assert.Equal(Sites(original.CallSites), Sites(loaded.CallSites));
        Assert.Equal(original.Statistics.ToString(), loaded.Statistics.ToString());
        Assert.Equal(original.UnsupportedFunctions.Select(e => e.ToString()), loaded.UnsupportedFunctions.Select(e => e.ToString()));
        Assert.Equal(original.Options.Architecture, loaded.Options.Architecture);
        Assert.Equal(original.Options.X64Features, loaded.Options.X64Features);
        Assert.Equal(original.Options.TrapOnUnsupportedFunctions, loaded.Options.TrapOnUnsupportedFunctions);

        // The module: the same binary encoding, so the same exports, memory, data, globals, names.
        Assert.Equal(ModuleWriter.Write(original.Module), ModuleWriter.Write(loaded.Module));
        Assert.Equal("rich", loaded.Module.Names.ModuleName);

        var header = result.Header!;
        Assert.Equal(CompiledModuleSerializer.FormatVersion, header.FormatVersion);
        Assert.Equal(CompiledModuleSerializer.ToolkitVersion, header.ToolkitVersion);
        Assert.Equal("x64", header.ArchitectureName);
        Assert.Equal(original.Options.X64Features, header.RequiredX64Features);
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(ModuleWriter.Write(original.Module)), header.ModuleHash.ToArray());
        Assert.False(header.IsKeyed);
    }

    [Fact]
    public void SerialisingIsDeterministicAndALoadedModuleSerialisesToTheSameBytes()
    {
        var compiled = Compile(Rich);
        var bytes = CompiledModuleSerializer.Serialize(compiled);
        Assert.Equal(bytes, CompiledModuleSerializer.Serialize(compiled));
        Assert.Equal(bytes, CompiledModuleSerializer.Serialize(Compile(Rich, new CompilerOptions { TrapOnUnsupportedFunctions = true, X64Features = X64Features.Popcnt, MaxDegreeOfParallelism = 1 })));
        var loaded = CompiledModuleSerializer.Deserialize(bytes, AllFeatures).Module!;
        Assert.Equal(bytes, CompiledModuleSerializer.Serialize(loaded));

        using var stream = new MemoryStream();
        CompiledModuleSerializer.Serialize(compiled, stream);
        Assert.Equal(bytes, stream.ToArray());
        stream.Position = 0;
        Assert.True(CompiledModuleSerializer.Deserialize(stream, AllFeatures).Succeeded);
    }

    [SkippableFact]
    public void EverySpecSuiteModuleRoundTripsToTheSameBytes()
    {
        var suite = SuiteLocator.Require();
        int modules = 0;
        foreach (var file in SuiteLocator.CoreFiles(suite))
        {
            var parsed = WastParser.Parse(File.ReadAllText(file), file);
            foreach (var command in parsed.Script.Commands.OfType<WastModuleCommand>())
            {
                var content = command.Module.Load();
                var module = content.Kind == WastModuleKind.Binary ? ModuleReader.Read(content.Binary).Module : content.Module;
                if (module is null || content.Diagnostics.Any(d => d.IsError) || !ModuleValidator.Validate(module).Diagnostics.IsEmpty) continue;
                var compiled = ModuleCompiler.TryCompile(module, new CompilerOptions { TrapOnUnsupportedFunctions = true }).Module;
                if (compiled is null) continue;

                var bytes = CompiledModuleSerializer.Serialize(compiled);
                var result = CompiledModuleSerializer.Deserialize(bytes, AllFeatures);
                var where = $"{SuiteLocator.Name(suite, file)}:{command.Module.Line}";
                Assert.True(result.Succeeded, where + ": " + result.FirstError);
                Assert.True(compiled.Code.AsSpan().SequenceEqual(result.Module!.Code.AsSpan()), where);
                Assert.Equal(bytes, CompiledModuleSerializer.Serialize(result.Module));
                modules++;
            }
        }

        _output.WriteLine($"{modules} suite modules round trip");
        Assert.True(modules > 500, $"only {modules} suite modules compiled");
    }

    [Fact]
    public void EveryFlippedByteIsRefusedWithTheDiagnosticOfItsField()
    {
        var bytes = CompiledModuleSerializer.Serialize(Compile(Rich));
        var payloadStart = PayloadStart(bytes);
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        for (var position = 0; position < bytes.Length; position++)
        {
            foreach (var mask in new byte[] { 0x01, 0x80 })
            {
                var copy = (byte[])bytes.Clone();
                copy[position] ^= mask;
                var id = RefusalId(CompiledModuleSerializer.Deserialize(copy, AllFeatures));
                counts[id] = counts.TryGetValue(id, out var n) ? n + 1 : 1;
                var expected = position switch
                {
                    < 8 => new[] { "WASM4101" },
                    < 12 => new[] { "WASM4103" },
                    < 14 => new[] { "WASM4105" },
                    < 16 => new[] { "WASM4109", "WASM4113" }, // unknown header flags, or the keyed flag
                    < 24 => new[] { "WASM4106", "WASM4107" }, // a feature the host lacks, or one fewer (then the hash)
                    < 56 => new[] { "WASM4107" }, // module hash
                    < 60 => new[] { "WASM4102", "WASM4108", "WASM4109" }, // payload length (too long, too short, out of range)
                    < 62 => new[] { "WASM4102", "WASM4104", "WASM4109" }, // toolkit version length (the text then ends elsewhere, maybe not UTF-8)
                    _ when position < payloadStart => new[] { "WASM4104", "WASM4109" }, // toolkit version text (or not UTF-8)
                    _ => new[] { "WASM4107" }, // payload and the hash itself
                };
                Assert.True(expected.Contains(id), $"byte {position} ^ 0x{mask:x2}: {id}, expected {string.Join(" or ", expected)}");
            }
        }

        _output.WriteLine($"{bytes.Length} bytes, 2 flips each: " + string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}")));
    }

    [Fact]
    public void TruncationAtEveryLengthIsRefused()
    {
        var bytes = CompiledModuleSerializer.Serialize(Compile(Rich));
        for (var length = 0; length < bytes.Length; length++)
        {
            var result = CompiledModuleSerializer.Deserialize(bytes.AsSpan(0, length), AllFeatures);
            Assert.True(RefusalId(result) == "WASM4102", $"length {length}: {result.FirstError}");
        }

        Assert.True(CompiledModuleSerializer.Deserialize(bytes, AllFeatures).Succeeded);
    }

    [Fact]
    public void BytesAfterTheEndAreRefused()
    {
        var bytes = CompiledModuleSerializer.Serialize(Compile(Rich));
        var result = CompiledModuleSerializer.Deserialize(bytes.Concat(new byte[] { 0 }).ToArray(), AllFeatures);
        Assert.Equal("WASM4108", RefusalId(result));
    }

    [Fact]
    public void AWasmModuleIsNotACache()
    {
        var wasm = ModuleWriter.Write(Parse(Rich));
        Assert.False(CompiledModuleSerializer.IsCompiledModule(wasm));
        Assert.True(CompiledModuleSerializer.IsCompiledModule(CompiledModuleSerializer.Serialize(Compile(Rich))));
        Assert.Equal("WASM4101", RefusalId(CompiledModuleSerializer.Deserialize(wasm, AllFeatures)));
        Assert.Equal("WASM4101", RefusalId(CompiledModuleSerializer.Deserialize("WTKX"u8, AllFeatures)));
        Assert.Equal("WASM4102", RefusalId(CompiledModuleSerializer.Deserialize("WTKC"u8, AllFeatures)));
    }

    [Fact]
    public void AnotherArchitectureIsRefused()
    {
        var bytes = CompiledModuleSerializer.Serialize(Compile(Rich), CompiledModuleWriteOptions.Default, new HeaderOverrides(Machine: CacheLayout.MachineArm64));
        var result = CompiledModuleSerializer.Deserialize(bytes, AllFeatures.WithPath("m.cwasm"));
        Assert.Equal("WASM4105", RefusalId(result));
        Assert.Equal("m.cwasm(0xc): error WASM4105: compiled module targets arm64, expected x64", result.FirstError!.ToString());
        Assert.Equal("arm64", result.Header!.ArchitectureName);
    }

    [Fact]
    public void CpuFeaturesTheHostLacksAreRefused()
    {
        var bytes = CompiledModuleSerializer.Serialize(Compile(Rich, new CompilerOptions { TrapOnUnsupportedFunctions = true, X64Features = X64Features.Popcnt | X64Features.Sse41 }));
        var result = CompiledModuleSerializer.Deserialize(bytes, new CompiledModuleReadOptions(TargetArchitecture.X64, X64Features.Sse41));
        Assert.Equal("WASM4106", RefusalId(result));
        Assert.Contains("lacks: Popcnt", result.FirstError!.Message);

        // Code compiled without a feature loads on a host without it.
        var baseline = CompiledModuleSerializer.Serialize(Compile(Rich, new CompilerOptions { TrapOnUnsupportedFunctions = true, X64Features = X64Features.Sse41 }));
        Assert.True(CompiledModuleSerializer.Deserialize(baseline, new CompiledModuleReadOptions(TargetArchitecture.X64, X64Features.Sse41)).Succeeded);

        // A feature bit this build does not know is never available.
        var unknown = CompiledModuleSerializer.Serialize(Compile(Rich), CompiledModuleWriteOptions.Default, new HeaderOverrides(RequiredX64Features: (X64Features)0x100));
        Assert.Equal("WASM4106", RefusalId(CompiledModuleSerializer.Deserialize(unknown, AllFeatures)));
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(1u)]
    [InlineData(3u)]
    [InlineData(0x01000000u)]
    public void AnotherFormatVersionIsRefused(uint version)
    {
        var bytes = CompiledModuleSerializer.Serialize(Compile(Rich), CompiledModuleWriteOptions.Default, new HeaderOverrides(FormatVersion: version));
        var result = CompiledModuleSerializer.Deserialize(bytes, AllFeatures);
        Assert.Equal("WASM4103", RefusalId(result));
        Assert.Equal($"unsupported compiled module format version {version} (this toolkit reads version 2); compile the module again", result.FirstError!.Message);
    }

    [Theory]
    [InlineData("0.0.9")]
    [InlineData("")]
    [InlineData("0.1.0+0000000000000000000000000000000000000000")]
    public void AnotherToolkitVersionIsRefused(string version)
    {
        var bytes = CompiledModuleSerializer.Serialize(Compile(Rich), CompiledModuleWriteOptions.Default, new HeaderOverrides(ToolkitVersion: version));
        var result = CompiledModuleSerializer.Deserialize(bytes, AllFeatures);
        Assert.Equal("WASM4104", RefusalId(result));
        Assert.Equal($"compiled module made by WasmToolkit {version}, this is {CompiledModuleSerializer.ToolkitVersion}; compile the module again", result.FirstError!.Message);
        Assert.Equal(version, result.Header!.ToolkitVersion);
    }

    [Fact]
    public void AKeyedCacheLoadsOnlyWithItsKey()
    {
        var key = "a secret key"u8.ToArray();
        var compiled = Compile(Rich);
        var keyed = CompiledModuleSerializer.Serialize(compiled, new CompiledModuleWriteOptions { IntegrityKey = key });
        var withKey = new CompiledModuleReadOptions(TargetArchitecture.X64, AllFeatures.AvailableX64Features) { IntegrityKey = key };
        var result = CompiledModuleSerializer.Deserialize(keyed, withKey);
        Assert.True(result.Succeeded);
        Assert.True(result.Header!.IsKeyed);

        var otherKey = new CompiledModuleReadOptions(TargetArchitecture.X64, AllFeatures.AvailableX64Features) { IntegrityKey = "another key"u8.ToArray() };
        Assert.Equal("WASM4107", RefusalId(CompiledModuleSerializer.Deserialize(keyed, otherKey)));
        Assert.Equal("WASM4113", RefusalId(CompiledModuleSerializer.Deserialize(keyed, AllFeatures)));
        Assert.Equal("WASM4113", RefusalId(CompiledModuleSerializer.Deserialize(CompiledModuleSerializer.Serialize(compiled), withKey)));

        // Without the key, re-hashing an edited keyed cache does not help.
        var edited = keyed.ToArray();
        edited[^40] ^= 1;
        var plainHash = System.Security.Cryptography.SHA256.HashData(edited.AsSpan(0, edited.Length - 32));
        plainHash.CopyTo(edited, edited.Length - 32);
        Assert.Equal("WASM4107", RefusalId(CompiledModuleSerializer.Deserialize(edited, withKey)));
    }

    [Fact]
    public void ReadHeaderDescribesACacheWithoutLoadingIt()
    {
        var bytes = CompiledModuleSerializer.Serialize(Compile(Rich), CompiledModuleWriteOptions.Default, new HeaderOverrides(Machine: CacheLayout.MachineArm64));
        var result = CompiledModuleSerializer.ReadHeader(bytes);
        Assert.Null(result.Module);
        Assert.Empty(result.Diagnostics);
        Assert.Equal("arm64", result.Header!.ArchitectureName);
        Assert.Equal(64, result.Header.ModuleHashHex.Length);
        Assert.Equal("WASM4101", RefusalId(CompiledModuleSerializer.ReadHeader(new byte[] { 0, 0x61, 0x73, 0x6d })));
    }
}
