using System;
using System.Collections.Immutable;
using WasmToolkit.Binary;
using WasmToolkit.Instructions;
using Xunit;

namespace WasmToolkit.Tests.Binary;

/// <summary>Modules built in code survive write → read unchanged, and writing is stable.</summary>
public class BinaryRoundTripTests
{
    internal static Module BuildEverything()
    {
        var b = new ModuleBuilder();
        var binop = FuncType.Create([ValType.I32, ValType.I32], [ValType.I32]);
        var log = b.ImportFunction("env", "log", FuncType.Create([ValType.I32], []));
        b.Imports.Add(Import.ForMemory("env", "mem", new MemoryType(new Limits(1, 2))));
        b.Imports.Add(Import.ForTable("env", "tab", new TableType(ValType.ExternRef, new Limits(0))));
        b.Imports.Add(Import.ForGlobal("env", "g", new GlobalType(ValType.F64, mutable: false)));
        var add = b.AddFunction(binop, ImmutableArray<LocalGroup>.Empty,
            new Instruction(Opcode.LocalGet) { Index = 0 },
            new Instruction(Opcode.LocalGet) { Index = 1 },
            new Instruction(Opcode.I32Add));
        var loop = b.AddFunction(FuncType.Create([], [ValType.I64]), ImmutableArray.Create(new LocalGroup(2, ValType.I64), new LocalGroup(1, ValType.V128)),
            new Instruction(Opcode.Block) { BlockType = BlockType.FromValue(ValType.I64) },
            new Instruction(Opcode.I64Const) { Value = 42 },
            new Instruction(Opcode.End),
            new Instruction(Opcode.Call) { Index = log.Value });
        b.AddTable(new TableType(ValType.FuncRef, new Limits(4, 10)));
        b.AddGlobal(new GlobalType(ValType.I32, mutable: true), ConstantExpression.I32Const(-7));
        b.AddGlobal(new GlobalType(ValType.FuncRef, mutable: false), ConstantExpression.RefFunc(add));
        b.AddExport("add", ExternalKind.Function, add.Value);
        b.AddExport("mem", ExternalKind.Memory, 0);
        b.Start = loop;
        b.Elements.Add(ElementSegment.ActiveFunctions(1, ConstantExpression.I32Const(0), add, loop));
        b.Elements.Add(new ElementSegment(SegmentMode.Passive, ValType.FuncRef, default, ImmutableArray.Create(ConstantExpression.RefFunc(add), ConstantExpression.RefNull(HeapType.Func))));
        b.Elements.Add(new ElementSegment(SegmentMode.Declarative, ValType.FuncRef, ImmutableArray.Create<FuncIndex>(add), default));
        b.Elements.Add(new ElementSegment(SegmentMode.Active, ValType.ExternRef, default, ImmutableArray.Create(ConstantExpression.RefNull(HeapType.Extern)), 0, ConstantExpression.I32Const(1)));
        b.DataCount = 2;
        b.Data.Add(DataSegment.Active(0, ConstantExpression.I32Const(16), new byte[] { 1, 2, 3 }));
        b.Data.Add(DataSegment.Passive(new byte[] { 0xFF }));
        b.CustomSections.Add(new CustomSection("producers", new byte[] { 0 }, SectionId.Type));
        var module = b.ToModule();
        return module.WithNames(new NameSection
        {
            ModuleName = "everything",
            FunctionNames = ImmutableArray.Create(new NameAssociation(add.Value, "add"), new NameAssociation(loop.Value, "loop")),
            LocalNames = ImmutableArray.Create(new IndirectNameMap(add.Value, ImmutableArray.Create(new NameAssociation(0, "lhs"), new NameAssociation(1, "rhs")))),
        });
    }

    [Fact]
    public void ReadOfWriteEqualsTheModuleBuiltInCode()
    {
        var module = BuildEverything();
        var bytes = ModuleWriter.Write(module);
        var read = ModuleReader.Read(bytes);
        Assert.Empty(read.Diagnostics);
        Assert.Null(ModuleComparer.FindDifference(module, read.Module!));
        Assert.Equal(bytes, ModuleWriter.Write(read.Module!));
    }

    [Fact]
    public void NamesSurviveTheTrip()
    {
        var read = ModuleReader.Read(ModuleWriter.Write(BuildEverything())).Module!;
        Assert.Equal("everything", read.Names.ModuleName);
        Assert.Equal("add", read.Names.GetFunctionName(1));
        Assert.Equal("rhs", read.Names.GetLocalName(1, 1));
    }

    [Fact]
    public void SpansPointIntoTheBytes()
    {
        var bytes = ModuleWriter.Write(BuildEverything());
        var module = ModuleReader.Read(bytes).Module!;
        var f = module.Functions[0];
        Assert.Equal(bytes.AsSpan(f.CodeOffset, f.Code.Length).ToArray(), f.Code.ToArray());
        Assert.True(f.Span.Start < f.CodeOffset && f.CodeOffset + f.Code.Length == f.Span.End);
        Assert.Equal("add", module.Exports[0].Name);
        Assert.Equal((byte)3, bytes[module.Exports[0].Span.Start]); // name length
    }

    [Fact]
    public void EditingThroughWithMethodsKeepsOtherParts()
    {
        var module = BuildEverything();
        var renamed = module.WithExports(module.Exports.SetItem(0, module.Exports[0].WithName("plus")));
        Assert.True(module.Types == module.WithExports(module.Exports).Types);
        Assert.Same(module, module.WithStart(module.Start));
        var read = ModuleReader.Read(ModuleWriter.Write(renamed)).Module!;
        Assert.Equal("plus", read.Exports[0].Name);
        Assert.Null(ModuleComparer.FindDifference(renamed, read));
    }

    [Fact]
    public void InputBufferChangesDoNotReachTheModule()
    {
        var bytes = ModuleWriter.Write(BuildEverything());
        var module = ModuleReader.Read(bytes).Module!;
        var before = module.Functions[0].Code.ToArray();
        Array.Clear(bytes);
        Assert.Equal(before, module.Functions[0].Code.ToArray());
    }
}
