using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using WasmToolkit.Instructions;
using WasmToolkit.Text;
using WasmToolkit.Tests.Infrastructure;
using Xunit;

namespace WasmToolkit.Tests.Printing;

/// <summary>
/// One case per immediate kind (spec 6.5): the printed line, and — when wabt is installed — that
/// wat2wasm assembles the printed body back to the same bytes.
/// </summary>
public class InstructionPrintingTests
{
    private static Instruction I(Opcode opcode) => new(opcode);

    public static IEnumerable<object[]> Cases()
    {
        // Each case: a body (without the final end) and its expected lines, trimmed.
        yield return Case(new[] { I(Opcode.Unreachable), I(Opcode.Nop) }, "unreachable", "nop");
        yield return Case(new[] { new Instruction(Opcode.Block) { BlockType = BlockType.FromValue(ValType.I32) }, new Instruction(Opcode.I32Const) { Value = 1 }, I(Opcode.End), I(Opcode.Drop) },
            "block (result i32)", "i32.const 1", "end", "drop");
        yield return Case(new[] { new Instruction(Opcode.I32Const), new Instruction(Opcode.Loop) { BlockType = BlockType.FromTypeIndex(0) }, new Instruction(Opcode.Br) { Index = 0 }, I(Opcode.End) },
            "i32.const 0", "loop (type 0) (param i32)", "br 0", "end");
        yield return Case(new[] { new Instruction(Opcode.I32Const), I(Opcode.If), new Instruction(Opcode.BrIf) { Index = 1 }, I(Opcode.Else), I(Opcode.Nop), I(Opcode.End) },
            "i32.const 0", "if", "br_if 1", "else", "nop", "end");
        yield return Case(new[] { I(Opcode.Block), new Instruction(Opcode.I32Const), new Instruction(Opcode.BrTable) { BrTableTargets = ImmutableArray.Create(0u, 1u, 0u), Index = 1 }, I(Opcode.End) },
            "block", "i32.const 0", "br_table 0 1 0 1", "end");
        yield return Case(new[] { new Instruction(Opcode.Call) { Index = 1 }, I(Opcode.Return) }, "call 1", "return");
        yield return Case(new[] { new Instruction(Opcode.CallIndirect) { Index = 1, Index2 = 1 }, new Instruction(Opcode.CallIndirect) { Index = 0, Index2 = 0 } },
            "call_indirect 1 (type 1)", "call_indirect (type 0)");
        yield return Case(new[] { new Instruction(Opcode.LocalGet) { Index = 0 }, new Instruction(Opcode.LocalTee) { Index = 1 }, new Instruction(Opcode.GlobalSet) { Index = 1 } },
            "local.get 0", "local.tee 1", "global.set 1");
        yield return Case(new[] { new Instruction(Opcode.TableGet) { Index = 1 }, new Instruction(Opcode.TableSize) { Index = 0 }, new Instruction(Opcode.TableGrow) { Index = 1 }, new Instruction(Opcode.TableFill) { Index = 0 }, new Instruction(Opcode.TableSet) { Index = 1 } },
            "table.get 1", "table.size 0", "table.grow 1", "table.fill 0", "table.set 1");
        yield return Case(new[]
            {
                new Instruction(Opcode.I32Load) { MemArg = new MemArg(2, 0) },
                new Instruction(Opcode.I32Load) { MemArg = new MemArg(0, 16) },
                new Instruction(Opcode.I64Store8) { MemArg = new MemArg(0, 4294967295) },
                new Instruction(Opcode.V128Load) { MemArg = new MemArg(4, 0) },
                new Instruction(Opcode.V128Load) { MemArg = new MemArg(3, 1) },
            },
            "i32.load", "i32.load offset=16 align=1", "i64.store8 offset=4294967295", "v128.load", "v128.load offset=1 align=8");
        yield return Case(new[] { new Instruction(Opcode.MemorySize), new Instruction(Opcode.MemoryGrow), new Instruction(Opcode.MemoryCopy), new Instruction(Opcode.MemoryFill) },
            "memory.size", "memory.grow", "memory.copy", "memory.fill");
        yield return Case(new[] { new Instruction(Opcode.MemoryInit) { Index = 1 }, new Instruction(Opcode.DataDrop) { Index = 1 } }, "memory.init 1", "data.drop 1");
        yield return Case(new[] { new Instruction(Opcode.TableInit) { Index = 0, Index2 = 1 }, new Instruction(Opcode.TableInit) { Index = 1, Index2 = 0 }, new Instruction(Opcode.ElemDrop) { Index = 1 } },
            "table.init 1 0", "table.init 0 1", "elem.drop 1");
        yield return Case(new[] { new Instruction(Opcode.TableCopy) { Index = 1, Index2 = 0 }, new Instruction(Opcode.TableCopy) }, "table.copy 1 0", "table.copy 0 0");
        yield return Case(new[]
            {
                new Instruction(Opcode.I32Const) { Value = 0xFFFFFFFF },
                new Instruction(Opcode.I32Const) { Value = 0x80000000 },
                new Instruction(Opcode.I32Const) { Value = 0x7FFFFFFF },
                new Instruction(Opcode.I64Const) { Value = 0x8000000000000000 },
                new Instruction(Opcode.I64Const) { Value = 42 },
            },
            "i32.const -1", "i32.const -2147483648", "i32.const 2147483647", "i64.const -9223372036854775808", "i64.const 42");
        yield return Case(new[] { new Instruction(Opcode.F32Const) { Value = 0x3FC00000 }, new Instruction(Opcode.F64Const) { Value = 0x8000000000000000 }, new Instruction(Opcode.F32Const) { Value = 0x7FA00001 } },
            "f32.const 0x1.8p+0", "f64.const -0x0p+0", "f32.const nan:0x200001");
        yield return Case(new[] { I(Opcode.Select), new Instruction(Opcode.SelectTyped) { SelectTypes = ImmutableArray.Create(ValType.ExternRef) } },
            "select", "select (result externref)");
        yield return Case(new[] { new Instruction(Opcode.RefNull) { HeapType = HeapType.Func }, new Instruction(Opcode.RefNull) { HeapType = HeapType.Extern }, I(Opcode.RefIsNull), new Instruction(Opcode.RefFunc) { Index = 1 } },
            "ref.null func", "ref.null extern", "ref.is_null", "ref.func 1");
        yield return Case(new[] { new Instruction(Opcode.V128Const) { V128 = new V128(0x0706050403020100, 0xFFFEFDFC0B0A0908) } },
            "v128.const i32x4 0x03020100 0x07060504 0x0b0a0908 0xfffefdfc");
        yield return Case(new[] { new Instruction(Opcode.I8x16Shuffle) { V128 = new V128(0x08090A0B0C0D0E0F, 0x0001020304050607) } },
            "i8x16.shuffle 15 14 13 12 11 10 9 8 7 6 5 4 3 2 1 0");
        yield return Case(new[] { new Instruction(Opcode.I8x16ExtractLaneS) { Lane = 15 }, new Instruction(Opcode.V128Load8Lane) { MemArg = new MemArg(0, 4), Lane = 3 }, new Instruction(Opcode.V128Load8Lane) { MemArg = new MemArg(0, 0), Lane = 0 } },
            "i8x16.extract_lane_s 15", "v128.load8_lane offset=4 3", "v128.load8_lane 0");
    }

    private static object[] Case(Instruction[] body, params string[] lines) => new object[] { new InstructionCase(body, lines) };

    [Theory]
    [MemberData(nameof(Cases))]
    public void PrintsImmediates(InstructionCase c)
    {
        var module = PrinterTestModules.WithBody(c.Body);
        Assert.Equal(c.Lines, PrinterTestModules.BodyLines(module));
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void WabtAssemblesPrintedImmediatesToSameBytes(InstructionCase c)
    {
        WabtTools.RequireWat2Wasm();
        var module = PrinterTestModules.WithBody(c.Body);
        var back = PrinterTestModules.RoundTrip(module);
        Assert.Equal(module.Functions[1].Code.ToArray(), back.Functions[1].Code.ToArray());
        Assert.Empty(ModuleComparer.Compare(module, back).Differences);
    }

    [Fact]
    public void BlockTypesKeepTheirTypeIndex()
    {
        var module = PrinterTestModules.WithBody(
            new Instruction(Opcode.I32Const), new Instruction(Opcode.I64Const),
            new Instruction(Opcode.Block) { BlockType = BlockType.FromTypeIndex(1) }, I(Opcode.Unreachable), I(Opcode.End), I(Opcode.Drop), I(Opcode.Drop),
            new Instruction(Opcode.If) { BlockType = BlockType.FromTypeIndex(7) }, I(Opcode.End));
        Assert.Equal(
            new[] { "i32.const 0", "i64.const 0", "block (type 1) (param i32 i64) (result f32 f64)", "unreachable", "end", "drop", "drop", "if (type 7)", "end" },
            PrinterTestModules.BodyLines(module));
    }

    [SkippableFact]
    public void TrivialTypeIndexBlockMeansTheSameAfterWabt()
    {
        WabtTools.RequireWat2Wasm();
        // Type 2 is [] -> [i32]: wabt writes "block i32" for "block (type 2)"; the comparer accepts that.
        var b = PrinterTestModules.WithBody(new Instruction(Opcode.Block) { BlockType = BlockType.FromTypeIndex(2) }, new Instruction(Opcode.I32Const), I(Opcode.End), I(Opcode.Drop)).ToBuilder();
        b.Types.Add(new FuncType(ImmutableArray<ValType>.Empty, ImmutableArray.Create(ValType.I32)));
        var module = b.ToModule();
        Assert.Contains("block (type 2) (result i32)", PrinterTestModules.BodyLines(module));
        var comparison = ModuleComparer.Compare(module, PrinterTestModules.RoundTrip(module));
        Assert.Empty(comparison.Differences);
        Assert.Contains("func 1 (block types)", comparison.EncodingOnly);
    }

    [Fact]
    public void IndentsByBlockDepth()
    {
        var module = PrinterTestModules.WithBody(
            I(Opcode.Block), I(Opcode.Loop), new Instruction(Opcode.I32Const), I(Opcode.If), I(Opcode.Nop), I(Opcode.Else), I(Opcode.Nop), I(Opcode.End), I(Opcode.End), I(Opcode.End));
        var text = ModulePrinter.Print(module);
        Assert.Contains(
            "  (func (;1;) (type 0) (param i32)\n" +
            "    (local i64)\n" +
            "    block\n" +
            "      loop\n" +
            "        i32.const 0\n" +
            "        if\n" +
            "          nop\n" +
            "        else\n" +
            "          nop\n" +
            "        end\n" +
            "      end\n" +
            "    end)\n",
            text);
    }

    /// <summary>A body and its expected lines (a class so xunit shows the lines in the test name).</summary>
    public sealed class InstructionCase
    {
        public InstructionCase(Instruction[] body, string[] lines)
        {
            Body = body;
            Lines = lines;
        }

        public Instruction[] Body { get; }

        public string[] Lines { get; }

        public override string ToString() => string.Join(" | ", Lines);
    }
}
