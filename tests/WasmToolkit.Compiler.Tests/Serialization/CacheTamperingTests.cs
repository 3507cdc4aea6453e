using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using WasmToolkit.Compiler.Serialization;
using Xunit;
using Xunit.Abstractions;
using static WasmToolkit.Compiler.Tests.Serialization.CacheTestModules;

namespace WasmToolkit.Compiler.Tests.Serialization;

/// <summary>
/// Caches edited on purpose and re-hashed, so the integrity check passes and the structural checks must catch
/// what would let the runtime jump outside the code: each field's own diagnostic, and never an exception.
/// </summary>
public class CacheTamperingTests
{
    private readonly ITestOutputHelper _output;
    private readonly byte[] _cache = CompiledModuleSerializer.Serialize(Compile(Rich));

    public CacheTamperingTests(ITestOutputHelper output) => _output = output;

    private PayloadFields F => Fields(_cache);

    private static string Refused(byte[] cache, string id)
    {
        var result = CompiledModuleSerializer.Deserialize(cache, AllFeatures);
        Assert.Equal(id, RefusalId(result));
        return result.FirstError!.Message;
    }

    [Fact]
    public void TheFieldWalkerFindsTheTables()
    {
        // Guards the tests below: they edit the fields this walker finds.
        var compiled = CompiledModuleSerializer.Deserialize(_cache, AllFeatures).Module!;
        Assert.Equal(compiled.TrapStubOffset, Read(_cache, F.TrapStubOffset));
        Assert.Equal(compiled.Functions.Length, Read(_cache, F.FunctionCount));
        Assert.Equal(compiled.Functions[0].Offset, Read(_cache, F.Functions));
        Assert.Equal(compiled.TrapSites.Length, F.TrapSiteCountValue);
        Assert.Equal(compiled.TrapSites[0].ReturnOffset, Read(_cache, F.TrapSites));
        Assert.Equal(compiled.Statistics.FunctionCount, Read(_cache, F.Statistics));
    }

    [Fact]
    public void AFunctionOutsideTheCodeIsRefused()
    {
        var codeLength = Read(_cache, F.Code - 4);
        Assert.Contains("outside the code", Refused(With(_cache, F.Functions, codeLength), "WASM4112"));
        Assert.Contains("outside the code", Refused(With(_cache, F.Functions, -16), "WASM4112"));
        Assert.Contains("outside the code", Refused(With(_cache, F.Functions + 4, int.MaxValue), "WASM4112"));
    }

    [Fact]
    public void OverlappingFunctionsAreRefused()
        => Assert.Contains("overlaps", Refused(With(_cache, F.Functions + 12, Read(_cache, F.Functions)), "WASM4112"));

    [Fact]
    public void AnEntryStubIndexOutOfRangeOrOfAnotherSignatureIsRefused()
    {
        Assert.Contains("has entry stub 99", Refused(With(_cache, F.Functions + 8, 99), "WASM4112"));
        Assert.Contains("has entry stub -1", Refused(With(_cache, F.Functions + 8, -1), "WASM4112"));

        // Function 0 ($add, two i32 params) given the stub of "fac" (one i64 param).
        var compiled = CompiledModuleSerializer.Deserialize(_cache, AllFeatures).Module!;
        var other = compiled.Functions.First(f => !f.Type.Equals(compiled.Functions[0].Type)).EntryStubIndex;
        Assert.Contains("has the entry stub of", Refused(With(_cache, F.Functions + 8, other), "WASM4112"));
    }

    [Fact]
    public void AnEntryStubOrTrapStubOutsideTheCodeIsRefused()
    {
        Assert.Contains("entry stub 0", Refused(With(_cache, F.EntryStubs + 4, 1 << 30), "WASM4112"));
        Assert.Contains("entry stub 0 has type index", Refused(With(_cache, F.EntryStubs, 1000), "WASM4112"));
        Assert.Contains("trap stub", Refused(With(_cache, F.TrapStubOffset, -1), "WASM4112"));
    }

    [Fact]
    public void UnsortedOrMisplacedSitesAreRefused()
    {
        var first = Read(_cache, F.TrapSites);
        var second = Read(_cache, F.TrapSites + 16);
        var swapped = With(With(_cache, F.TrapSites, second), F.TrapSites + 16, first);
        Refused(swapped, "WASM4112");
        Assert.Contains("outside function", Refused(With(_cache, F.TrapSites, 0), "WASM4112"));
        Assert.Contains("no code", Refused(With(_cache, F.TrapSites + 4, 1000), "WASM4112"));
        Assert.Contains("unknown trap kind", Refused(With(_cache, F.TrapSites + 12, 99), "WASM4112"));
        Assert.Contains("outside function", Refused(With(_cache, F.CallSites, -5), "WASM4112"));
    }

    [Fact]
    public void StatisticsThatDoNotMatchTheTablesAreRefused()
        => Assert.Contains("statistics", Refused(With(_cache, F.Statistics + 4, 12345), "WASM4112"));

    [Fact]
    public void ACountBeyondThePayloadIsRefusedWithoutAllocatingIt()
        => Assert.Contains("trap site count 2147483647", Refused(With(_cache, F.TrapSiteCount, int.MaxValue), "WASM4109"));

    [Fact]
    public void AnEditedEmbeddedModuleIsRefused()
    {
        var edited = (byte[])_cache.Clone();
        edited[F.Module + 20] ^= 0x20;
        Assert.Contains("header has", Refused(Rehash(edited), "WASM4111"));

        // With the header's module hash updated too, the module must still read.
        var broken = (byte[])_cache.Clone();
        broken[F.Module] = 0x7f; // not "\0asm"
        SHA256.HashData(broken.AsSpan(F.Module, Read(_cache, F.ModuleLength))).CopyTo(broken, 24);
        Assert.Contains("magic header not detected", Refused(Rehash(broken), "WASM4110"));
    }

    [Fact]
    public void EveryCacheDiagnosticHasACase()
    {
        // One refusal per id of WASM4101–WASM4149, so an id added to the catalogue without a way to reach it fails here.
        var compiled = Compile(Rich);
        var keyed = CompiledModuleSerializer.Serialize(compiled, new CompiledModuleWriteOptions { IntegrityKey = new byte[] { 1 } });
        var broken = (byte[])_cache.Clone();
        broken[F.Module] = 0x7f;
        SHA256.HashData(broken.AsSpan(F.Module, Read(_cache, F.ModuleLength))).CopyTo(broken, 24);
        var edited = (byte[])_cache.Clone();
        edited[F.Module + 20] ^= 0x20;
        var cases = new List<(string Id, byte[] Bytes, CompiledModuleReadOptions Options)>
        {
            ("WASM4101", new byte[] { 0, 0x61, 0x73, 0x6d }, AllFeatures),
            ("WASM4102", _cache[..70], AllFeatures),
            ("WASM4103", CompiledModuleSerializer.Serialize(compiled, CompiledModuleWriteOptions.Default, new(FormatVersion: 7)), AllFeatures),
            ("WASM4104", CompiledModuleSerializer.Serialize(compiled, CompiledModuleWriteOptions.Default, new(ToolkitVersion: "0")), AllFeatures),
            ("WASM4105", CompiledModuleSerializer.Serialize(compiled, CompiledModuleWriteOptions.Default, new(Machine: 0xAA64)), AllFeatures),
            ("WASM4106", _cache, new CompiledModuleReadOptions(TargetArchitecture.X64, X64Features.None)),
            ("WASM4107", _cache[..^1].Concat(new[] { (byte)(_cache[^1] ^ 1) }).ToArray(), AllFeatures),
            ("WASM4108", _cache.Concat(new byte[] { 0 }).ToArray(), AllFeatures),
            ("WASM4109", With(_cache, F.TrapSiteCount, int.MaxValue), AllFeatures),
            ("WASM4110", Rehash(broken), AllFeatures),
            ("WASM4111", Rehash(edited), AllFeatures),
            ("WASM4112", With(_cache, F.TrapStubOffset, -1), AllFeatures),
            ("WASM4113", keyed, AllFeatures),
        };
        foreach (var (id, bytes, options) in cases)
        {
            Assert.Equal(id, RefusalId(CompiledModuleSerializer.Deserialize(bytes, options)));
        }

        var catalogued = Diagnostics.DiagnosticCatalog.All.Select(d => d.Id).Where(i => string.CompareOrdinal(i, "WASM4101") >= 0 && string.CompareOrdinal(i, "WASM4149") <= 0);
        Assert.Equal(catalogued.OrderBy(i => i, StringComparer.Ordinal), cases.Select(c => c.Id).OrderBy(i => i, StringComparer.Ordinal));
    }

    [Fact]
    public void EveryRehashedPayloadFlipIsRefusedOrLoadsConsistentTables()
    {
        // Edited and re-hashed, a cache may well load (a flipped code byte is just other code: the hash, not these
        // checks, is what keeps such bytes out). What must hold: no exception, and what loads is coherent.
        int refused = 0, loaded = 0;
        var ids = new SortedSet<string>(StringComparer.Ordinal);
        for (var position = PayloadStart(_cache); position < _cache.Length - 32; position++)
        {
            var copy = (byte[])_cache.Clone();
            copy[position] ^= 0x41;
            var result = CompiledModuleSerializer.Deserialize(Rehash(copy), AllFeatures);
            if (result.Module is not { } m)
            {
                refused++;
                ids.Add(RefusalId(result));
                continue;
            }

            loaded++;
            foreach (var f in m.Functions)
            {
                Assert.InRange(f.Offset, 0, m.Code.Length - f.Size);
                Assert.InRange(f.EntryStubIndex, 0, m.EntryStubs.Length - 1);
            }

            foreach (var s in m.EntryStubs) Assert.InRange(s.Offset, 0, m.Code.Length - s.Size);
            Assert.InRange(m.TrapStubOffset, 0, m.Code.Length - 1);
            foreach (var s in m.TrapSites.Concat(m.CallSites)) Assert.InRange(s.ReturnOffset, 1, m.Code.Length);
        }

        _output.WriteLine($"{refused} refused ({string.Join(", ", ids)}), {loaded} loaded");
        Assert.True(ids.IsSubsetOf(new[] { "WASM4109", "WASM4110", "WASM4111", "WASM4112" }), string.Join(", ", ids));
        Assert.True(refused > 0 && loaded > 0);
    }
}
