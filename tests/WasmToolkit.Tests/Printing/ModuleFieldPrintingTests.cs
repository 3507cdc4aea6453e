using System.Collections.Immutable;
using System.Linq;
using WasmToolkit.Instructions;
using WasmToolkit.Text;
using WasmToolkit.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace WasmToolkit.Tests.Printing;

/// <summary>
/// Module fields (spec 6.6): imports, tables, memories, globals, exports, start, the eight element segment
/// forms, data segments with escapes; printed text and the wat2wasm round trip.
/// </summary>
public class ModuleFieldPrintingTests
{
    private readonly ITestOutputHelper _output;

    public ModuleFieldPrintingTests(ITestOutputHelper output) => _output = output;

    private static ConstantExpression Offset(int value) => ConstantExpression.I32Const(value);

    private static Module FieldsModule()
    {
        var b = new ModuleBuilder();
        var type = b.AddType(new FuncType(ImmutableArray.Create(ValType.I32), ImmutableArray.Create(ValType.I32)));
        b.AddType(FuncType.Empty);
        b.Imports.Add(Import.Function("env", "f", type));
        b.Imports.Add(Import.ForTable("env", "t", new TableType(ValType.FuncRef, new Limits(1, 10))));
        b.Imports.Add(Import.ForMemory("env", "m", new MemoryType(new Limits(1, 2))));
        b.Imports.Add(Import.ForGlobal("env", "g", new GlobalType(ValType.I32, mutable: true)));
        b.AddFunction(FuncType.Empty, ImmutableArray<LocalGroup>.Empty);
        b.AddTable(new TableType(ValType.ExternRef, new Limits(0)));
        b.AddGlobal(new GlobalType(ValType.F64, false), ConstantExpression.FromInstructions(new Instruction(Opcode.F64Const) { Value = 0x400921FB54442D18 }));
        b.AddGlobal(new GlobalType(ValType.FuncRef, false), ConstantExpression.RefFunc(1));
        b.AddExport("f", ExternalKind.Function, 0);
        b.AddExport("t", ExternalKind.Table, 1);
        b.AddExport("m", ExternalKind.Memory, 0);
        b.AddExport("g\n\"\\", ExternalKind.Global, 1);
        b.Start = 1;
        var funcs = ImmutableArray.Create<FuncIndex>(0, 1);
        var refs = ImmutableArray.Create(ConstantExpression.RefFunc(0), ConstantExpression.RefNull(HeapType.Func));
        var externs = ImmutableArray.Create(ConstantExpression.RefNull(HeapType.Extern));
        b.Elements.Add(new ElementSegment(SegmentMode.Active, ValType.FuncRef, funcs, default, 0, Offset(1), encoding: 0));
        b.Elements.Add(new ElementSegment(SegmentMode.Passive, ValType.FuncRef, funcs, default, encoding: 1));
        b.Elements.Add(new ElementSegment(SegmentMode.Active, ValType.FuncRef, funcs, default, 0, Offset(2), encoding: 2));
        b.Elements.Add(new ElementSegment(SegmentMode.Declarative, ValType.FuncRef, funcs, default, encoding: 3));
        b.Elements.Add(new ElementSegment(SegmentMode.Active, ValType.FuncRef, default, refs, 0, Offset(3), encoding: 4));
        b.Elements.Add(new ElementSegment(SegmentMode.Passive, ValType.ExternRef, default, externs, encoding: 5));
        b.Elements.Add(new ElementSegment(SegmentMode.Active, ValType.ExternRef, default, externs, 1, Offset(0), encoding: 6));
        b.Elements.Add(new ElementSegment(SegmentMode.Declarative, ValType.FuncRef, default, refs, encoding: 7));
        b.Data.Add(DataSegment.Active(0, Offset(8), new byte[] { (byte)'h', (byte)'i', 0, 0xFF, (byte)'"', (byte)'\\', (byte)'\t', (byte)'\n', 0x7F }));
        b.Data.Add(DataSegment.Passive(Enumerable.Range(0, 100).Select(i => (byte)i).ToArray()));
        b.Data.Add(new DataSegment(SegmentMode.Active, new byte[] { 1 }, 0, ConstantExpression.FromInstructions(
            new Instruction(Opcode.I32Const) { Value = 1 }, new Instruction(Opcode.I32Const) { Value = 2 }, new Instruction(Opcode.I32Add)), encoding: 2));
        b.CustomSections.Add(new CustomSection("producers", new byte[] { 1, 2, 3 }, SectionId.Data));
        return b.ToModule();
    }

    [Fact]
    public void PrintsEveryField()
    {
        var text = ModulePrinter.Print(FieldsModule());
        _output.WriteLine(text);
        string[] expected =
        {
            "(type (;0;) (func (param i32) (result i32)))",
            "(import \"env\" \"f\" (func (;0;) (type 0) (param i32) (result i32)))",
            "(import \"env\" \"t\" (table (;0;) 1 10 funcref))",
            "(import \"env\" \"m\" (memory (;0;) 1 2))",
            "(import \"env\" \"g\" (global (;0;) (mut i32)))",
            "(func (;1;) (type 1))",
            "(table (;1;) 0 externref)",
            "(global (;1;) f64 (f64.const 0x1.921fb54442d18p+1))",
            "(global (;2;) funcref (ref.func 1))",
            "(export \"f\" (func 0))",
            "(export \"t\" (table 1))",
            "(export \"m\" (memory 0))",
            "(export \"g\\n\\\"\\\\\" (global 1))",
            "(start 1)",
            "(elem (;0;) (i32.const 1) 0 1)",
            "(elem (;1;) func 0 1)",
            "(elem (;2;) (table 0) (i32.const 2) func 0 1)",
            "(elem (;3;) declare func 0 1)",
            "(elem (;4;) (i32.const 3) funcref (ref.func 0) (ref.null func))",
            "(elem (;5;) externref (ref.null extern))",
            "(elem (;6;) (table 1) (i32.const 0) externref (ref.null extern))",
            "(elem (;7;) declare funcref (ref.func 0) (ref.null func))",
            "(data (;0;) (i32.const 8) \"hi\\00\\ff\\\"\\\\\\t\\n\\7f\")",
            "(data (;1;)\n    \"\\00\\01\\02\\03",
            "(data (;2;) (memory 0) (offset i32.const 1 i32.const 2 i32.add) \"\\01\")",
            ";; custom section \"producers\", 3 bytes, after section 11\n)\n",
        };
        foreach (var line in expected) Assert.Contains(line, text);
    }

    [SkippableFact]
    public void FieldsRoundTripThroughWat2Wasm()
    {
        WabtTools.RequireWat2Wasm();
        var module = FieldsModule();
        var back = PrinterTestModules.RoundTrip(module);
        Assert.Empty(ModuleComparer.Compare(module, back).Differences);
    }

    [Fact]
    public void TextWriterOverloadWritesTheSameText()
    {
        var module = FieldsModule();
        var writer = new System.IO.StringWriter();
        ModulePrinter.Print(module, writer);
        Assert.Equal(ModulePrinter.Print(module), writer.ToString());
    }

    [Fact]
    public void MemoryLimitFlags()
    {
        var b = new ModuleBuilder();
        b.AddMemory(new MemoryType(new Limits(1, 2, shared: true)));
        b.AddMemory(new MemoryType(new Limits(3, is64: true)));
        var text = ModulePrinter.Print(b.ToModule());
        Assert.Contains("(memory (;0;) 1 2 shared)", text);
        Assert.Contains("(memory (;1;) i64 3)", text);
    }

    [Fact]
    public void EmptyModule() => Assert.Equal("(module)\n", ModulePrinter.Print(Module.Empty));

    [Fact]
    public void OffsetCommentsGiveInstructionOffsets()
    {
        var code = new byte[] { 0x41, 0x2A, 0x1A, 0x0B };
        var b = new ModuleBuilder();
        b.AddType(FuncType.Empty);
        b.Functions.Add(new FunctionDefinition(0, ImmutableArray<LocalGroup>.Empty, code, codeOffset: 0x30));
        var text = ModulePrinter.Print(b.ToModule(), new TextPrinterOptions { IncludeOffsets = true, IndentSize = 1 });
        Assert.Contains(" (func (;0;) (type 0) ;; @0x30\n  i32.const 42 ;; @0x30\n  drop ;; @0x32\n )", text);
    }
}
