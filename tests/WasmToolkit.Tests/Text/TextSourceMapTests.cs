using System;
using System.IO;
using System.Linq;
using WasmToolkit.Binary;
using WasmToolkit.Cli;
using WasmToolkit.Cli.Wast;
using WasmToolkit.Diagnostics;
using WasmToolkit.Text;
using WasmToolkit.Validation;
using Xunit;

namespace WasmToolkit.Tests.Text;

/// <summary>
/// The text parser's source map: validation diagnostics of a module parsed from text are put at the
/// line and column of the offending instruction or item.
/// </summary>
public class TextSourceMapTests
{
    /// <summary>Parses (must succeed), validates, and returns the validator's diagnostics remapped to the text.</summary>
    private static Diagnostic[] ValidateText(string text, WasmFeatures features = WasmFeatures.V2)
    {
        var parsed = TextModuleParser.Parse(text, "test.wat", features);
        Assert.True(parsed.Diagnostics.IsEmpty, string.Join("\n", parsed.Diagnostics));
        var validated = ModuleValidator.Validate(parsed.Module!, features, "test.wat");
        return parsed.SourceMap.Remap(validated.Diagnostics).ToArray();
    }

    /// <summary>The one diagnostic's 1-based <c>line,column</c> and the text its span covers.</summary>
    private static (string Position, string Text) Single(Diagnostic[] diagnostics, string message)
    {
        var d = Assert.Single(diagnostics);
        Assert.Contains(message, d.Message, StringComparison.Ordinal);
        var location = Assert.IsType<TextLocation>(d.Location);
        Assert.Equal("test.wat", location.Path);
        return (location.Start.ToString(), location.Source.Text.Substring(location.Span.Start, location.Span.Length));
    }

    [Fact]
    public void InvalidInstructionInTheMiddleOfAFunctionMapsToItsLineAndColumn()
    {
        var diagnostics = ValidateText(
            "(module\n" +
            "  (func $f (param i32) (result i32)\n" +
            "    local.get 0\n" +
            "    i32.const 1\n" +
            "    i32.add\n" +
            "    f32.const 2.5\n" +
            "      i32.mul\n" +
            "    drop\n" +
            "    i32.const 0))\n");
        var (position, text) = Single(diagnostics, "type mismatch");
        Assert.Equal("7,7", position);
        Assert.Equal("i32.mul", text);
        Assert.Equal("test.wat(7,7): error WASM2001: " + diagnostics[0].Message, diagnostics[0].ToString());
    }

    [Fact]
    public void InstructionsOfLaterFunctionsAndFoldedOperatorsMapToTheirOwnText()
    {
        var diagnostics = ValidateText(
            "(module\n" +
            "  (func (result i32) (i32.const 1))\n" +
            "  (func (result i32)\n" +
            "    (i32.add (i32.const 1)\n" +
            "             (i64.const 2))))\n");
        var (position, text) = Single(diagnostics, "type mismatch");
        Assert.Equal("4,6", position);
        Assert.Equal("i32.add", text);
    }

    [Fact]
    public void InstructionWithImmediatesCoversThem()
    {
        var diagnostics = ValidateText("(module (memory 1) (func (result i32) i32.const 0 i32.load offset=4 align=8))");
        var (_, text) = Single(diagnostics, "alignment must not be larger than natural");
        Assert.Equal("i32.load offset=4 align=8", text);
    }

    [Fact]
    public void BlockEndAndElseMapToTheirKeywords()
    {
        var blockEnd = ValidateText("(module (func\n  block (result i32)\n    nop\n  end\n  drop))");
        Assert.Equal(("4,3", "end"), Single(blockEnd, "type mismatch"));

        var elseBranch = ValidateText("(module (func (result i32)\n  i32.const 1\n  if (result i32)\n    i32.const 1\n  else\n    i64.const 2\n  end))");
        Assert.Equal(("7,3", "end"), Single(elseBranch, "type mismatch"));

        var thenBranch = ValidateText("(module (func (result i32)\n  (if (result i32) (i32.const 1)\n    (then (i64.const 1))\n    (else (i32.const 2)))))");
        Assert.Equal(("4,6", "else"), Single(thenBranch, "type mismatch"));
    }

    [Fact]
    public void DuplicateExportNameMapsToTheSecondExport()
    {
        var diagnostics = ValidateText(
            "(module\n" +
            "  (func $a (export \"f\"))\n" +
            "  (func $b)\n" +
            "  (export \"g\" (func $a))\n" +
            "  (export \"f\" (func $b)))\n");
        var (position, text) = Single(diagnostics, "duplicate export name \"f\"");
        Assert.Equal("5,3", position);
        Assert.Equal("(export \"f\" (func $b))", text);
    }

    [Fact]
    public void StartFunctionOfTheWrongTypeMapsToTheStartField()
    {
        var diagnostics = ValidateText(
            "(module\n" +
            "  (func $f (param i32))\n" +
            "  (func $g)\n" +
            "  (start $f)\n" +
            "  (export \"g\" (func $g)))\n");
        Assert.Equal(("4,3", "(start $f)"), Single(diagnostics, "start function must have type [] -> []"));
    }

    [Fact]
    public void ModuleItemsMapToTheirFields()
    {
        Assert.Equal(("1,29", "(memory 2 1)"), Single(ValidateText("(module (func) (memory 1 1) (memory 2 1))", WasmFeatures.V2 | WasmFeatures.MultiMemory), "size minimum"));
        Assert.Equal(("1,9", "(import \"m\" \"t\" (table 2 1 funcref))"), Single(ValidateText("(module (import \"m\" \"t\" (table 2 1 funcref)))"), "size minimum"));
        const string Inline = "(module (export \"m\" (memory 0)) (memory (export \"m\") 1))";
        Assert.Equal(("1," + (Inline.IndexOf("(export \"m\")", StringComparison.Ordinal) + 1), "(export \"m\")"), Single(ValidateText(Inline), "duplicate export"));
    }

    [Fact]
    public void ConstantExpressionsMapToTheirInstructions()
    {
        // A wrong type is found at the expression's end: the parenthesis that closes it.
        var global = ValidateText("(module\n  (global i32\n    (i64.const 1)))");
        Assert.Equal(("3,18", ")"), Single(global, "type mismatch"));

        const string Data = "(module (memory 1) (data (i64.const 0) \"x\"))";
        Assert.Equal(("1," + (Data.IndexOf(") \"x\"", StringComparison.Ordinal) + 1), ")"), Single(ValidateText(Data), "type mismatch"));

        // An instruction that cannot be constant is found where it is.
        var item = ValidateText("(module (import \"m\" \"g\" (global $g (mut funcref))) (table 1 funcref) (elem (table 0) (i32.const 0) funcref (global.get $g)))");
        Assert.Equal("global.get $g", Single(item, "constant expression required").Text);
    }

    [Fact]
    public void LocalDeclarationErrorsMapToTheFunction()
    {
        var diagnostics = ValidateText("(module\n  (func\n    (local v128)))", WasmFeatures.V1);
        Assert.Equal("2,3", Single(diagnostics, "invalid value type").Position);
    }

    [Fact]
    public void BodiesHaveDistinctNonOverlappingCodeOffsets()
    {
        var parsed = TextModuleParser.Parse(
            "(module (global i32 (i32.const 0)) (func (result i32) i32.const 1) (func) (elem (i32.const 0) func 0) (table 1 funcref) (func nop nop))");
        var module = parsed.Module!;
        var ranges = module.Functions.Select(f => (Start: f.CodeOffset, End: f.CodeOffset + f.Code.Length))
            .Append((Start: module.Globals[0].Init.CodeOffset, End: module.Globals[0].Init.CodeOffset + module.Globals[0].Init.Code.Length))
            .Append((Start: module.Elements[0].Offset!.CodeOffset, End: module.Elements[0].Offset!.CodeOffset + module.Elements[0].Offset!.Code.Length))
            .OrderBy(r => r.Start)
            .ToArray();
        Assert.True(ranges[0].Start > 0);
        for (var i = 1; i < ranges.Length; i++) Assert.True(ranges[i].Start >= ranges[i - 1].End, $"code ranges {ranges[i - 1]} and {ranges[i]} overlap");
        foreach (var f in module.Functions) Assert.True(f.Span.Start < f.CodeOffset && f.CodeOffset + f.Code.Length == f.Span.End);

        // The encoding itself is unchanged: the virtual offsets are not in the bytes.
        var written = ModuleReader.Read(ModuleWriter.Write(module)).Module!;
        Assert.Null(ModuleComparer.FindDifference(module, written));
    }

    [Fact]
    public void LocationsOutsideTheLayoutAreLeftAlone()
    {
        var parsed = TextModuleParser.Parse("(module (func))", "test.wat");
        var none = Diagnostic.Create(DiagnosticCatalog.DataCountMismatch, new BinaryLocation(default, "test.wat"), 1, 0);
        Assert.Same(none, parsed.SourceMap.Remap(none));
        var far = Diagnostic.Create(DiagnosticCatalog.UnknownTable, new BinaryLocation(new ByteSpan(100000, 1)), 0);
        Assert.Same(far, parsed.SourceMap.Remap(far));
        Assert.Null(parsed.SourceMap.Map(Location.None));

        var malformed = TextModuleParser.Parse("(module (func i32.bogus))");
        Assert.Same(TextSourceMap.Empty, malformed.SourceMap);
        Assert.Equal(0, malformed.SourceMap.Count);
    }

    [Fact]
    public void BinaryModulesGiveTheStartSectionsSpan()
    {
        var text = TextModuleParser.Parse("(module (func $f (param i32)) (start $f))").Module!;
        var read = ModuleReader.Read(ModuleWriter.Write(text));
        var start = read.Module!.StartSpan;
        Assert.False(start.IsEmpty);
        Assert.Equal(read.Sections.Single(s => s.Id == SectionId.Start).ContentSpan, start);
        var d = Assert.Single(ModuleValidator.Validate(read.Module).Diagnostics);
        Assert.Equal(start, Assert.IsType<BinaryLocation>(d.Location).Span);
    }

    [Fact]
    public void ValidateCommandPrintsLineAndColumnForText()
    {
        var path = Path.Combine(Path.GetTempPath(), "srcmap-" + Guid.NewGuid().ToString("N") + ".wat");
        File.WriteAllText(path, "(module\n  (func (result i32)\n    i64.const 0\n    i32.eqz))\n");
        try
        {
            var stdout = new StringWriter();
            var exit = CliApplication.Run(new[] { "validate", path }, stdout, new StringWriter());
            Assert.Equal(1, exit);
            Assert.StartsWith(path + "(4,5): error WASM2001: type mismatch", stdout.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void WastRunnerNotesGiveTheScriptLine()
    {
        var result = new WastRunner().RunText(
            "(module (func))\n" +
            "(assert_invalid\n" +
            "  (module (func (result i32)\n" +
            "    i64.const 0))\n" +
            "  \"wrong message\")\n",
            "test.wast");
        var outcome = result.Outcomes.Single(o => o.Kind == WastCommandKind.AssertInvalid);
        Assert.Contains("test.wast(4,16): error WASM2001", outcome.Reason, StringComparison.Ordinal);
    }
}
