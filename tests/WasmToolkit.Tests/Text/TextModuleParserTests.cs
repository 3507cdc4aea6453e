using System;
using System.Linq;
using WasmToolkit.Diagnostics;
using WasmToolkit.Instructions;
using WasmToolkit.Text;
using Xunit;

namespace WasmToolkit.Tests.Text;

/// <summary>Text modules (spec 6.6): fields, abbreviations, identifiers, encoded bodies and diagnostics.</summary>
public class TextModuleParserTests
{
    private static Module Parse(string text)
    {
        var result = TextModuleParser.Parse(text);
        Assert.True(result.Diagnostics.IsEmpty, string.Join("\n", result.Diagnostics));
        return result.Module!;
    }

    private static Diagnostic Fails(string text, string message)
    {
        var result = TextModuleParser.Parse(text, "test.wat");
        Assert.Null(result.Module);
        var diagnostic = Assert.Single(result.Diagnostics, d => d.Message.Contains(message));
        Assert.IsType<TextLocation>(diagnostic.Location);
        return diagnostic;
    }

    private static string Hex(ReadOnlyMemory<byte> bytes) => Convert.ToHexString(bytes.Span).ToLowerInvariant();

    [Fact]
    public void EncodesFoldedAndFlatInstructions()
    {
        var module = Parse("(module (func (result i32) (i32.add (i32.const 1) (i32.const 2))) (func (result i32) i32.const 1 i32.const 2 i32.add))");
        Assert.Equal("410141026a0b", Hex(module.Functions[0].Code));
        Assert.Equal(module.Functions[0].Code.ToArray(), module.Functions[1].Code.ToArray());
        Assert.Single(module.Types);
    }

    [Fact]
    public void BareFieldsAreAModule()
    {
        var module = Parse("(func) (memory 1)");
        Assert.Single(module.Functions);
        Assert.Single(module.Memories);
    }

    [Fact]
    public void ImplicitTypesFollowExplicitOnesInOrderOfFirstUse()
    {
        var module = Parse(@"(module
            (func (param i64))
            (type $v (func))
            (func (type $v))
            (func (param i32) (result i32) (local.get 0))
            (func (block (param) (result i32 i32) (i32.const 1) (i32.const 2)) drop drop)
            (func (param i32))
            (type (func (param i32))))");
        Assert.Equal(new[] { "(func)", "(func (param i32))", "(func (param i64))", "(func (param i32) (result i32))", "(func (result i32 i32))" },
            module.Types.Select(t => t.ToString()));
        Assert.Equal(new uint[] { 2, 0, 3, 0, 1 }, module.Functions.Select(f => f.Type.Value));
        Assert.Equal("0204", Hex(module.Functions[3].Code).Substring(0, 4));
    }

    [Fact]
    public void ResolvesIdentifiersInEveryIndexSpace()
    {
        var module = Parse(@"(module $m
            (import ""env"" ""f"" (func $imported (param i32)))
            (type $t (func (param i32)))
            (table $tab 2 funcref)
            (memory $mem 1)
            (global $g (mut i32) (i32.const 0))
            (func $main (param $x i32) (local $y i64)
              (block $out
                (loop $again
                  (br_if $out (local.get $x))
                  (br $again)))
              (call $imported (global.get $g))
              (call_indirect $tab (type $t) (i32.const 7) (i32.const 0))
              (global.set $g (i32.load offset=4 align=2 (i32.const 0))))
            (export ""main"" (func $main))
            (elem $e (table $tab) (i32.const 0) func $main $imported)
            (data $d (memory $mem) (offset (i32.const 8)) ""hi""))");
        Assert.Equal("0240034020000d01" + "0c000b0b" + "2300" + "1000" + "41074100" + "110000" + "41002801042400" + "0b", Hex(module.Functions[0].Code));
        Assert.Equal(1u, module.Exports[0].Index);
        Assert.Equal(new FuncIndex[] { 1, 0 }, module.Elements[0].FunctionIndices);
        Assert.Equal("m", module.Names.ModuleName);
        Assert.Equal("imported", module.Names.GetFunctionName(0));
        Assert.Equal("main", module.Names.GetFunctionName(1));
        Assert.Equal("x", module.Names.GetLocalName(1, 0));
        Assert.Equal("y", module.Names.GetLocalName(1, 1));
    }

    [Fact]
    public void InlineImportsAndExports()
    {
        var module = Parse(@"(module
            (func $f (export ""a"") (export ""b"") (import ""m"" ""f"") (result i32))
            (global (export ""g"") (import ""m"" ""g"") (mut i64))
            (table (import ""m"" ""t"") 1 externref)
            (memory (export ""mem"") 1 2))");
        Assert.Equal(new[] { "a", "b", "g", "mem" }, module.Exports.Select(e => e.Name));
        Assert.Equal(new[] { ExternalKind.Function, ExternalKind.Global, ExternalKind.Table }, module.Imports.Select(i => i.Kind));
        Assert.True(module.Imports[1].Global.IsMutable);
        Assert.Equal(new Limits(1, 2), module.Memories[0].Type.Limits);
    }

    [Fact]
    public void TableAndMemoryAbbreviationsCreateSegments()
    {
        var module = Parse(@"(module
            (func $a) (func $b)
            (table funcref (elem $a $b $a))
            (table externref (elem (ref.null extern)))
            (memory (data ""abc"" ""def"")))");
        Assert.Equal(new Limits(3, 3), module.Tables[0].Type.Limits);
        Assert.Equal(new FuncIndex[] { 0, 1, 0 }, module.Elements[0].FunctionIndices);
        Assert.Equal(SegmentMode.Active, module.Elements[1].Mode);
        Assert.Equal(1u, module.Elements[1].Table.Value);
        Assert.True(module.Elements[1].UsesExpressions);
        Assert.Equal(new Limits(1, 1), module.Memories[0].Type.Limits);
        Assert.Equal("abcdef", System.Text.Encoding.ASCII.GetString(module.Data[0].Data.Span));
    }

    [Fact]
    public void ElementSegmentsInAllForms()
    {
        var module = Parse(@"(module
            (table $t 10 funcref) (func $f)
            (elem (i32.const 0) $f)
            (elem (table $t) (offset (i32.const 1)) func $f)
            (elem (table $t) (i32.const 2) funcref (item (ref.null func)) (ref.func $f))
            (elem funcref (ref.func $f))
            (elem externref (ref.null extern))
            (elem declare func $f))");
        Assert.Equal(new[] { SegmentMode.Active, SegmentMode.Active, SegmentMode.Active, SegmentMode.Passive, SegmentMode.Passive, SegmentMode.Declarative },
            module.Elements.Select(e => e.Mode));
        Assert.True(module.Elements[2].UsesExpressions);
        Assert.Equal(2, module.Elements[2].Count);
        Assert.Equal(ValType.ExternRef, module.Elements[4].ElementType);
    }

    [Fact]
    public void DataSegmentsAndDataCount()
    {
        var module = Parse(@"(module (memory 1)
            (data ""passive"")
            (data (i32.const 4) ""a"" ""\62\u{63}"")
            (func (memory.init 0 (i32.const 0) (i32.const 0) (i32.const 1)) (data.drop 1)))");
        Assert.Equal(SegmentMode.Passive, module.Data[0].Mode);
        Assert.Equal("abc", System.Text.Encoding.ASCII.GetString(module.Data[1].Data.Span));
        Assert.Equal(2u, module.DataCount);
        Assert.Null(Parse("(module (memory 1) (data (i32.const 0) \"x\"))").DataCount);
    }

    [Fact]
    public void IfElseBlockTypesAndLabels()
    {
        var module = Parse(@"(module (func (param i32) (result i32)
            (if (result i32) (local.get 0) (then (i32.const 1)) (else (i32.const 2)))
            if $l (result i32) i32.const 3 else $l i32.const 4 end $l
            i32.add))");
        Assert.Equal("2000047f41010541020b" + "2000" .Substring(0, 0) + "047f41030541040b6a0b", Hex(module.Functions[0].Code));
    }

    [Fact]
    public void EmptyElseIsLeftOut()
    {
        var module = Parse("(module (func (if (i32.const 1) (then nop) (else))))");
        Assert.Equal("410104400105" .Substring(0, 10) + "0b0b", Hex(module.Functions[0].Code));
    }

    [Fact]
    public void ReferenceBulkAndTableInstructions()
    {
        var module = Parse(@"(module (table $t 1 funcref) (table $u 1 externref) (elem $e func) (func $f
            (drop (ref.null extern)) (drop (ref.is_null (ref.func $f)))
            (drop (table.size $u)) (drop (table.size))
            (table.init $u $e (i32.const 0) (i32.const 0) (i32.const 0))
            (table.init $e (i32.const 0) (i32.const 0) (i32.const 0))
            (table.copy $t $u (i32.const 0) (i32.const 0) (i32.const 0))
            (elem.drop $e)
            (drop (select (result i64) (i64.const 1) (i64.const 2) (i32.const 0)))))");
        var code = Hex(module.Functions[0].Code);
        Assert.Contains("d06f1a", code);
        Assert.Contains("fc10011a", code);
        Assert.Contains("fc10001a", code);
        Assert.Contains("fc0c0001", code);
        Assert.Contains("fc0c0000", code);
        Assert.Contains("fc0e0001", code);
        Assert.Contains("fc0d00", code);
        Assert.Contains("1c017e", code);
    }

    [Fact]
    public void SimdImmediates()
    {
        var module = Parse(@"(module (memory 1) (func (param v128) (result v128)
            (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 31 (local.get 0) (v128.const i32x4 1 2 3 -1))
            (v128.load8_lane offset=1 align=1 15 (i32.const 0))
            (i8x16.replace_lane 3 (i32.const 9))
            (v128.const f32x4 1.0 -0 inf nan)
            drop))");
        var code = Hex(module.Functions[0].Code);
        Assert.StartsWith("2000fd0c" + "01000000" + "02000000" + "03000000" + "ffffffff" + "fd0d000102030405060708090a0b0c0d0e1f", code);
        Assert.Contains("fd5400010f", code);
        Assert.Contains("fd1703", code);
        Assert.Contains("fd0c0000803f000000800000807f0000c07f", code);
    }

    [Fact]
    public void MemargDefaultsToNaturalAlignment()
    {
        var module = Parse("(module (memory 1) (func (drop (i64.load (i32.const 0))) (drop (i32.load8_u offset=0x10 (i32.const 0)))))");
        Assert.Equal("41002903001a" + "41002d00101a" + "0b", Hex(module.Functions[0].Code));
    }

    [Theory]
    [InlineData("(module (func br $nowhere))", "unknown label")]
    [InlineData("(module (func call $f))", "unknown function $f")]
    [InlineData("(module (func (local.get $x)))", "unknown local $x")]
    [InlineData("(module (func (global.get $g)))", "unknown global $g")]
    [InlineData("(module (func (type $t)))", "unknown type $t")]
    [InlineData("(module (func $f) (func $f))", "duplicate func $f")]
    [InlineData("(module (func (param $a i32) (local $a i32)))", "duplicate local")]
    [InlineData("(module (memory $m 1) (memory $m 1))", "duplicate memory")]
    [InlineData("(module (func) (import \"\" \"\" (func)))", "import after function")]
    [InlineData("(module (global i32 (i32.const 0)) (import \"\" \"\" (memory 1)))", "import after global")]
    [InlineData("(module (func block $a end $b))", "mismatching label")]
    [InlineData("(module (type $t (func)) (func (type $t) (param i32)))", "inline function type")]
    [InlineData("(module (func (type 3) (param i32)))", "unknown type")]
    [InlineData("(module (func (drop (i32.const 4294967296))))", "constant out of range")]
    [InlineData("(module (func (drop (f32.const 1e39))))", "constant out of range")]
    [InlineData("(module (memory 0x1_0000_0000))", "i32 constant out of range")]
    [InlineData("(module (memory 1) (func (drop (i32.load align=3 (i32.const 0)))))", "alignment must be a power of two")]
    [InlineData("(module (memory 1) (func (drop (i32.load offset=4294967296 (i32.const 0)))))", "i32 constant")]
    [InlineData("(module (func (i32.frobnicate)))", "unknown operator")]
    [InlineData("(module (func (drop (i32.const 1x))))", "unknown operator")]
    [InlineData("(module (func (nop) (param i32)))", "unexpected token")]
    [InlineData("(module (func (drop (v128.const i32x4 1 2 3))))", "wrong number of lane literals")]
    [InlineData("(module (func (drop (i8x16.extract_lane_s 256 (v128.const i32x4 0 0 0 0)))))", "malformed lane index")]
    [InlineData("(module (func (drop (i8x16.shuffle 1 2 (v128.const i32x4 0 0 0 0) (v128.const i32x4 0 0 0 0)))))", "invalid lane length")]
    [InlineData("(module (func $a) (start $a) (start $a))", "multiple start sections")]
    [InlineData("(module (func (export \"\\ff\")))", "malformed UTF-8 encoding")]
    [InlineData("(module (func (block (param $x i32))))", "unexpected token")]
    [InlineData("(module (func)", "unexpected end of input")]
    [InlineData("(module) (func)", "unexpected token")]
    public void ReportsMalformedText(string text, string message) => Fails(text, message);

    [Fact]
    public void DiagnosticsCarryLineAndColumn()
    {
        var diagnostic = Fails("(module\n  (func\n    call $missing))", "unknown function");
        var location = (TextLocation)diagnostic.Location;
        Assert.Equal(2, location.Start.Line);
        Assert.Equal(9, location.Start.Character);
        Assert.StartsWith("test.wat(3,10): error WASM", diagnostic.ToString());
    }

    [Fact]
    public void FeaturesGateProposals()
    {
        var result = TextModuleParser.Parse("(module (func (drop (i32x4.splat (i32.const 0)))))", features: WasmFeatures.V1);
        Assert.Null(result.Module);
        Assert.Contains(result.Diagnostics, d => d.Message.Contains("unknown operator i32x4.splat"));
    }

    [Fact]
    public void RecoversAndReportsEachBrokenField()
    {
        var result = TextModuleParser.Parse("(module (func call $a) (func (i32.bogus)) (func call $b))");
        Assert.Equal(3, result.Diagnostics.Length);
    }
}
