using System.Linq;
using WasmToolkit.Text;
using Xunit;

namespace WasmToolkit.Tests.Text;

/// <summary>WAST scripts: commands, actions, constants and result patterns, module definitions.</summary>
public class WastParserTests
{
    private static WastScript Parse(string text)
    {
        var result = WastParser.Parse(text, "test.wast");
        Assert.True(result.Diagnostics.IsEmpty, string.Join("\n", result.Diagnostics));
        return result.Script;
    }

    [Fact]
    public void ParsesEveryCommand()
    {
        var script = Parse(@"
(module $M (func (export ""f"") (param i32) (result i32) (local.get 0)))
(module binary ""\00asm"" ""\01\00\00\00"")
(module $Q quote ""(func)"" "" (memory 1)"")
(register ""m"" $M)
(invoke $M ""f"" (i32.const 1))
(get ""g"")
(assert_return (invoke ""f"" (i32.const -1)) (i32.const -1))
(assert_trap (invoke ""f"" (i32.const 0)) ""unreachable"")
(assert_trap (module (func $s unreachable) (start $s)) ""unreachable"")
(assert_exhaustion (invoke ""f"") ""call stack exhausted"")
(assert_invalid (module (func (result i32))) ""type mismatch"")
(assert_malformed (module quote ""(func bogus)"") ""unknown operator"")
(assert_malformed (module (func bogus)) ""unknown operator"")
(assert_unlinkable (module (import ""x"" ""y"" (func))) ""unknown import"")
(assert_uninstantiable (module binary """") ""out of bounds"")
");
        Assert.Equal(new[]
        {
            WastCommandKind.Module, WastCommandKind.Module, WastCommandKind.Module, WastCommandKind.Register, WastCommandKind.Action,
            WastCommandKind.Action, WastCommandKind.AssertReturn, WastCommandKind.AssertTrap, WastCommandKind.AssertTrap,
            WastCommandKind.AssertExhaustion, WastCommandKind.AssertInvalid, WastCommandKind.AssertMalformed, WastCommandKind.AssertMalformed,
            WastCommandKind.AssertUnlinkable, WastCommandKind.AssertUninstantiable,
        }, script.Commands.Select(c => c.Kind));
        Assert.Equal(new[] { 2, 3, 4, 5 }, script.Commands.Take(4).Select(c => c.Line));

        var text = (WastModuleCommand)script.Commands[0];
        Assert.Equal("$M", text.Module.Id);
        Assert.NotNull(text.Module.Module);

        var binary = ((WastModuleCommand)script.Commands[1]).Module;
        Assert.Equal(WastModuleKind.Binary, binary.Kind);
        Assert.Equal(new byte[] { 0, 0x61, 0x73, 0x6D, 1, 0, 0, 0 }, binary.Load().Binary.ToArray());

        var quote = ((WastModuleCommand)script.Commands[2]).Module;
        Assert.Equal("(func) (memory 1)", quote.QuoteText);
        var loaded = quote.Load();
        Assert.Single(loaded.Module!.Functions);

        var register = (WastRegisterCommand)script.Commands[3];
        Assert.Equal(("m", "$M"), (register.Name, register.ModuleId));

        var invoke = ((WastActionCommand)script.Commands[4]).Action;
        Assert.Equal(WastActionKind.Invoke, invoke.Kind);
        Assert.Equal("$M", invoke.ModuleId);
        Assert.Equal(WastValue.FromI32(1), invoke.Arguments.Single());

        var trapModule = (WastAssertTrapCommand)script.Commands[8];
        Assert.Null(trapModule.Action);
        Assert.NotNull(trapModule.Module!.Module);

        var malformedQuote = (WastAssertModuleCommand)script.Commands[11];
        Assert.Contains(malformedQuote.Module.Load().Diagnostics, d => d.Message.Contains(malformedQuote.Message));

        // Text modules of assert_malformed are kept as text and parsed on demand.
        var malformedText = (WastAssertModuleCommand)script.Commands[12];
        Assert.Equal(WastModuleKind.Text, malformedText.Module.Kind);
        Assert.Null(malformedText.Module.Module);
        Assert.Equal("(module (func bogus))", malformedText.Module.SourceText);
        var diagnostic = Assert.Single(malformedText.Module.Load().Diagnostics);
        Assert.Contains("unknown operator bogus", diagnostic.Message);
        Assert.StartsWith("test.wast(14,", diagnostic.ToString());
    }

    [Fact]
    public void ParsesConstantsAndPatterns()
    {
        var script = Parse(@"(assert_return (invoke ""f""
              (i64.const -1) (f32.const -0x1p-149) (f64.const nan:0x4) (ref.null extern) (ref.extern 7) (v128.const i16x8 1 2 3 4 5 6 7 -1))
            (f32.const nan:canonical) (f64.const nan:arithmetic) (f64.const -inf)
            (v128.const f32x4 nan:canonical 1.0 nan:arithmetic -0)
            (ref.extern) (ref.func) (ref.null func) (ref.extern 3))");
        var command = (WastAssertReturnCommand)script.Commands.Single();
        Assert.Equal(new[]
        {
            WastValue.FromI64(-1), WastValue.FromF32Bits(0x8000_0001), WastValue.FromF64Bits(0x7FF0_0000_0000_0004),
            WastValue.RefNull(HeapType.Extern), WastValue.RefExtern(7),
            WastValue.FromV128(new WasmToolkit.Instructions.V128(0x0004_0003_0002_0001, 0xFFFF_0007_0006_0005)),
        }, command.Action.Arguments);

        var results = command.Results;
        Assert.Equal(WastNanPattern.Canonical, results[0].Nan);
        Assert.Equal(WastValueKind.F32, results[0].Kind);
        Assert.Equal(WastNanPattern.Arithmetic, results[1].Nan);
        Assert.Equal(WastValue.FromF64Bits(0xFFF0_0000_0000_0000), results[2].Value);
        Assert.True(results[2].IsExact);

        var vector = results[3];
        Assert.Equal(WastLaneShape.F32x4, vector.Shape);
        Assert.Equal(new[] { WastNanPattern.Canonical, WastNanPattern.None, WastNanPattern.Arithmetic, WastNanPattern.None }, vector.Lanes.Select(l => l.Nan));
        Assert.Equal(0x3F80_0000UL, vector.Lanes[1].Bits);
        Assert.Equal(0x8000_0000UL, vector.Lanes[3].Bits);
        Assert.False(vector.IsExact);

        Assert.True(results[4].IsAnyReference);
        Assert.Equal(WastValueKind.RefExtern, results[4].Kind);
        Assert.True(results[5].IsAnyReference);
        Assert.Equal(WastValueKind.RefFunc, results[5].Kind);
        Assert.Equal(WastValue.RefNull(HeapType.Func), results[6].Value);
        Assert.Equal(WastValue.RefExtern(3), results[7].Value);
    }

    [Theory]
    [InlineData("(assert_return (invoke \"f\" (f32.const nan:canonical)))", "unexpected token")]
    [InlineData("(frobnicate)", "unknown operator")]
    [InlineData("(assert_return (invoke \"f\" (i32.const 1.5)))", "unexpected token")]
    [InlineData("(module (func (i32.const 99999999999)))", "constant out of range")]
    [InlineData("(register \"\\ff\")", "malformed UTF-8 encoding")]
    [InlineData("(invoke \"f\"", "unexpected end of input")]
    public void ReportsScriptErrors(string text, string message)
    {
        var result = WastParser.Parse(text);
        Assert.Contains(result.Diagnostics, d => d.Message.Contains(message));
    }

    [Fact]
    public void RecoversAfterABrokenCommand()
    {
        var result = WastParser.Parse("(invoke 1)\n(module)\n(bogus)\n(get \"x\")");
        Assert.Equal(2, result.Diagnostics.Length);
        Assert.Equal(new[] { WastCommandKind.Module, WastCommandKind.Action }, result.Script.Commands.Select(c => c.Kind));
    }

    [Fact]
    public void BareModuleFieldsAreOneModule()
    {
        var script = Parse("(func) (memory 0) (func (export \"f\"))");
        var module = ((WastModuleCommand)script.Commands.Single()).Module.Module!;
        Assert.Equal(2, module.Functions.Length);
    }
}
