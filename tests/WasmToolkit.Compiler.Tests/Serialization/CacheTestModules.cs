using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using WasmToolkit.Compiler.Serialization;
using WasmToolkit.Text;
using Xunit;

namespace WasmToolkit.Compiler.Tests.Serialization;

/// <summary>
/// Modules and helpers shared by the cache tests: a module that exercises every table of a compiled module,
/// and a reader of the cache layout (docs/compiled-module-cache.md) so tests can edit a field and re-hash.
/// </summary>
internal static class CacheTestModules
{
    /// <summary>
    /// Memory and data, a mutable global, a table with an element segment (call_indirect), several signatures
    /// (several entry stubs), calls (call sites), traps (trap sites), a name section, and a SIMD function that
    /// compiles as a trapping stub under <see cref="CompilerOptions.TrapOnUnsupportedFunctions"/> without SSE4.1
    /// (<see cref="Compile"/>'s default options).
    /// </summary>
    public const string Rich = """
        (module $rich
          (type $binary (func (param i32 i32) (result i32)))
          (memory 1)
          (data (i32.const 16) "hello, cache")
          (global $counter (mut i64) (i64.const 7))
          (table 2 funcref)
          (elem (i32.const 0) $add $sub)
          (func $add (type $binary) (i32.add (local.get 0) (local.get 1)))
          (func $sub (type $binary) (i32.sub (local.get 0) (local.get 1)))
          (func (export "apply") (param i32 i32 i32) (result i32)
            (call_indirect (type $binary) (local.get 1) (local.get 2) (local.get 0)))
          (func $fac (export "fac") (param i64) (result i64)
            (global.set $counter (i64.add (global.get $counter) (i64.const 1)))
            (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 1))
              (else (i64.mul (local.get 0) (call $fac (i64.sub (local.get 0) (i64.const 1)))))))
          (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
          (func $deep (export "deep") (param i32) (result i32) (call $div0 (local.get 0)))
          (func $div0 (param i32) (result i32) (i32.div_u (local.get 0) (i32.const 0)))
          (func (export "load") (param i32) (result i32) (i32.load8_u (local.get 0)))
          (func (export "counter") (result i64) (global.get $counter))
          (func (export "simd") (result i32) (i32x4.extract_lane 0 (v128.const i32x4 1 2 3 4))))
        """;

    public static Module Parse(string wat)
    {
        var parsed = TextModuleParser.Parse(wat, "test.wat");
        Assert.True(parsed.Module is not null && parsed.Diagnostics.IsEmpty, string.Join("; ", parsed.Diagnostics));
        return parsed.Module!;
    }

    public static CompiledModule Compile(string wat, CompilerOptions? options = null)
        => ModuleCompiler.Compile(Parse(wat), options ?? LenientWithoutSse41);

    /// <summary>Stubs for what is unsupported, and no SSE4.1, so SIMD is among it.</summary>
    public static CompilerOptions LenientWithoutSse41 { get; } = new() { TrapOnUnsupportedFunctions = true, X64Features = X64Features.Popcnt };

    /// <summary>Options for a host with every feature the compiler knows.</summary>
    public static CompiledModuleReadOptions AllFeatures { get; } = new(TargetArchitecture.X64, X64Features.Popcnt | X64Features.Sse41);

    public const int FixedHeaderSize = 62;

    /// <summary>Where the payload starts: after the fixed header and the toolkit version.</summary>
    public static int PayloadStart(byte[] cache) => FixedHeaderSize + BinaryPrimitives.ReadUInt16LittleEndian(cache.AsSpan(60));

    /// <summary>Recomputes the trailing SHA-256, as someone editing the file on purpose would.</summary>
    public static byte[] Rehash(byte[] cache)
    {
        var copy = (byte[])cache.Clone();
        SHA256.HashData(copy.AsSpan(0, copy.Length - 32)).CopyTo(copy, copy.Length - 32);
        return copy;
    }

    /// <summary>File offsets of the payload's fields (format version 1), found by walking its lengths.</summary>
    public static PayloadFields Fields(byte[] cache)
    {
        var at = PayloadStart(cache);
        int U32() { var v = BinaryPrimitives.ReadInt32LittleEndian(cache.AsSpan(at)); at += 4; return v; }
        var fields = new PayloadFields();
        at += 4; // option flags
        fields.ModuleLength = at;
        var moduleLength = U32();
        fields.Module = at;
        at += moduleLength;
        var codeLength = U32();
        fields.Code = at;
        at += codeLength;
        fields.TrapStubOffset = at;
        at += 4;
        var stubs = U32();
        fields.EntryStubs = at;
        at += stubs * 12;
        fields.FunctionCount = at;
        var functions = U32();
        fields.Functions = at;
        at += functions * 12;
        fields.TrapSiteCount = at;
        var trapSites = U32();
        fields.TrapSites = at;
        fields.TrapSiteCountValue = trapSites;
        at += trapSites * 16;
        fields.CallSiteCount = at;
        var callSites = U32();
        fields.CallSites = at;
        at += callSites * 16;
        fields.Statistics = at;
        return fields;
    }

    public static byte[] With(byte[] cache, int offset, int value)
    {
        var copy = (byte[])cache.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(copy.AsSpan(offset), value);
        return Rehash(copy);
    }

    public static int Read(byte[] cache, int offset) => BinaryPrimitives.ReadInt32LittleEndian(cache.AsSpan(offset));

    /// <summary>The refusal's single diagnostic id (fails when the cache loaded).</summary>
    public static string RefusalId(CompiledModuleReadResult result)
    {
        Assert.Null(result.Module);
        var d = Assert.Single(result.Diagnostics);
        Assert.True(d.IsError);
        return d.Id;
    }

    public static IEnumerable<(int, int, int, TrapKind)> Sites(System.Collections.Immutable.ImmutableArray<TrapSite> sites)
        => sites.Select(s => (s.ReturnOffset, s.FunctionIndex, s.WasmOffset, s.Kind));
}

/// <summary>File offsets of payload fields (see <see cref="CacheTestModules.Fields"/>).</summary>
internal sealed class PayloadFields
{
    public int ModuleLength;
    public int Module;
    public int Code;
    public int TrapStubOffset;
    public int EntryStubs;
    public int FunctionCount;
    public int Functions;
    public int TrapSiteCount;
    public int TrapSites;
    public int TrapSiteCountValue;
    public int CallSiteCount;
    public int CallSites;
    public int Statistics;
}
