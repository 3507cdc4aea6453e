using System.Collections.Immutable;
using WasmToolkit.Instructions;
using WasmToolkit.Text;
using WasmToolkit.Tests.Infrastructure;
using Xunit;

namespace WasmToolkit.Tests.Printing;

/// <summary>
/// Names from the <c>name</c> section print as <c>$identifiers</c> when they are valid (spec 6.3.5) and
/// unique in their index space; everything else prints as indices.
/// </summary>
public class NamePrintingTests
{
    private static NameAssociation N(uint index, string name) => new(index, name);

    /// <summary>The test module of <see cref="PrinterTestModules.WithBody"/>, a body touching every named space.</summary>
    private static Module NamedModule(NameSection names)
        => PrinterTestModules.WithBody(
            new Instruction(Opcode.LocalGet) { Index = 0 },
            new Instruction(Opcode.LocalGet) { Index = 1 },
            new Instruction(Opcode.Call) { Index = 0 },
            new Instruction(Opcode.GlobalGet) { Index = 1 },
            new Instruction(Opcode.TableGet) { Index = 1 },
            new Instruction(Opcode.CallIndirect) { Index = 1, Index2 = 1 },
            new Instruction(Opcode.TableInit) { Index = 1, Index2 = 0 },
            new Instruction(Opcode.DataDrop) { Index = 1 },
            new Instruction(Opcode.RefFunc) { Index = 1 })
        .WithNames(names);

    private static NameSection AllNames => new()
    {
        ModuleName = "mod",
        FunctionNames = ImmutableArray.Create(N(0, "callee"), N(1, "main")),
        LocalNames = ImmutableArray.Create(new IndirectNameMap(1, ImmutableArray.Create(N(0, "param"), N(1, "tmp")))),
        TypeNames = ImmutableArray.Create(N(1, "sig")),
        TableNames = ImmutableArray.Create(N(1, "ext")),
        MemoryNames = ImmutableArray.Create(N(0, "mem")),
        GlobalNames = ImmutableArray.Create(N(1, "counter")),
        ElementNames = ImmutableArray.Create(N(1, "elems")),
        DataNames = ImmutableArray.Create(N(1, "bytes")),
    };

    [Fact]
    public void ValidUniqueNamesPrintAsIdentifiers()
    {
        var text = ModulePrinter.Print(NamedModule(AllNames));
        Assert.StartsWith("(module $mod\n", text);
        Assert.Contains("(type $sig (func (param i32 i64) (result f32 f64)))", text);
        Assert.Contains("(func $callee (type 0) (param i32))", text);
        Assert.Contains("(func $main (type 0) (param $param i32)\n    (local $tmp i64)\n", text);
        Assert.Contains("(table $ext 1 3 externref)", text);
        Assert.Contains("(memory $mem 1)", text);
        Assert.Contains("(global $counter (mut i64) (i64.const 0))", text);
        Assert.Contains("(elem $elems func $main)", text);
        Assert.Contains("(data $bytes \"\\02\")", text);
        Assert.Equal(
            new[]
            {
                "local.get $param", "local.get $tmp", "call $callee", "global.get $counter", "table.get $ext",
                "call_indirect $ext (type $sig)", "table.init 0 $elems", "data.drop $bytes", "ref.func $main",
            },
            PrinterTestModules.BodyLines(NamedModule(AllNames)));
    }

    [Fact]
    public void UseNamesFalsePrintsIndicesOnly()
    {
        var text = ModulePrinter.Print(NamedModule(AllNames), new TextPrinterOptions { UseNames = false });
        Assert.DoesNotContain("$", text);
        Assert.StartsWith("(module\n", text);
        Assert.Contains("(func (;1;) (type 0) (param i32)", text);
        Assert.Contains("call_indirect 1 (type 1)", text);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("paren(")]
    [InlineData("quote\"")]
    [InlineData("semi;colon")]
    [InlineData("comma,")]
    [InlineData("caf\u00e9")]
    public void InvalidIdentifiersPrintAsIndices(string name)
    {
        var names = new NameSection { FunctionNames = ImmutableArray.Create(N(1, name)) };
        var text = ModulePrinter.Print(NamedModule(names));
        Assert.Contains("(func (;1;) (type 0)", text);
        Assert.Contains("ref.func 1", text);
    }

    [Fact]
    public void IdentifierCharactersAreAccepted()
    {
        const string name = "a!#$%&'*+-./:<=>?@\\^_`|~Z09";
        var names = new NameSection { FunctionNames = ImmutableArray.Create(N(1, name)) };
        var text = ModulePrinter.Print(NamedModule(names));
        Assert.Contains("(func $" + name + " (type 0)", text);
        Assert.Contains("ref.func $" + name, text);
    }

    [Fact]
    public void DuplicateNamesPrintAsIndicesInTheirSpaceOnly()
    {
        var names = new NameSection
        {
            FunctionNames = ImmutableArray.Create(N(0, "same"), N(1, "same")),
            GlobalNames = ImmutableArray.Create(N(0, "same")),
            LocalNames = ImmutableArray.Create(new IndirectNameMap(1, ImmutableArray.Create(N(0, "x"), N(1, "x")))),
        };
        var text = ModulePrinter.Print(NamedModule(names));
        Assert.Contains("(func (;0;) (type 0)", text);
        Assert.Contains("(func (;1;) (type 0) (param i32)", text);
        Assert.Contains("(global $same (mut i32)", text);
        Assert.Contains("local.get 0", text);
        Assert.Contains("local.get 1", text);
    }

    [Fact]
    public void NamesOutsideTheIndexSpaceAreIgnored()
    {
        var names = new NameSection
        {
            FunctionNames = ImmutableArray.Create(N(7, "ghost")),
            LocalNames = ImmutableArray.Create(new IndirectNameMap(1, ImmutableArray.Create(N(9, "ghost")))),
        };
        Assert.DoesNotContain("ghost", ModulePrinter.Print(NamedModule(names)));
    }

    [SkippableFact]
    public void NamedModuleRoundTripsThroughWat2Wasm()
    {
        WabtTools.RequireWat2Wasm();
        var module = NamedModule(AllNames);
        Assert.Empty(ModuleComparer.Compare(module, PrinterTestModules.RoundTrip(module)).Differences);
    }
}
