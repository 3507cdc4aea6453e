using System;
using System.Collections.Immutable;
using System.Threading;
using WasmToolkit.Instructions;
using WasmToolkit.Validation;
using Xunit;
using static WasmToolkit.Tests.Validation.V;

namespace WasmToolkit.Tests.Validation;

/// <summary>The semantic facts a <see cref="ValidatedModule"/> carries for later layers.</summary>
public class ValidatedModuleTests
{
    [Fact]
    public void FunctionFacts()
    {
        var builder = new ModuleBuilder();
        builder.ImportFunction("env", "f", FuncType.Empty);
        var type = Type(new[] { I32, I32, F64 }, new[] { I32 });
        builder.AddFunction(type, ImmutableArray.Create(new LocalGroup(2, F64), new LocalGroup(0, I64), new LocalGroup(1, I32)),
            Block(Opcode.Block, I32),                   // ctrl 2
            Block(Opcode.Block, I32),                   // ctrl 3
            I32Const(1), I32Const(2), I32Const(3),      // stack 3
            Op(Opcode.I32Add), Op(Opcode.I32Add),
            Op(Opcode.End), Op(Opcode.End));
        var result = Valid(builder.ToModule());
        var info = Assert.Single(result.Functions);
        Assert.Same(info, result.GetFunctionInfo(1));
        Assert.Null(result.GetFunctionInfo(0));
        Assert.Equal(1u, info.Index.Value);
        Assert.Equal(type, info.Type);
        Assert.Equal(3, info.ParameterCount);
        Assert.Equal(6u, info.LocalCount);
        Assert.Equal(new[] { I32, I32, F64, F64, F64, I32 }, info.ExpandLocals());
        Assert.Equal(new[] { new LocalGroup(2, I32), new LocalGroup(3, F64), new LocalGroup(1, I32) }, info.Locals);
        Assert.Equal(F64, info.GetLocalType(4));
        Assert.Equal(I32, info.GetLocalType(5));
        Assert.Throws<ArgumentOutOfRangeException>(() => info.GetLocalType(6));
        Assert.Equal(3, info.MaxOperandStackDepth);
        Assert.Equal(3, info.MaxControlStackDepth);
        Assert.Equal(10, info.InstructionCount);
        Assert.True(info.IsValid);
    }

    [Fact]
    public void CanonicalTypeIdsShareStructurallyEqualTypes()
    {
        var types = ImmutableArray.Create(
            Type(new[] { I32 }, new[] { I64 }),
            FuncType.Empty,
            Type(new[] { I32 }, new[] { I64 }),
            Type(new[] { I64 }, new[] { I32 }),
            FuncType.Empty);
        var result = Valid(new Module(types: types));
        Assert.Equal(new[] { 0, 1, 0, 3, 1 }, result.CanonicalTypeIds);
    }

    [Fact]
    public void IndexSpacesPutImportsFirst()
    {
        var builder = new ModuleBuilder();
        builder.Imports.Add(Import.ForGlobal("m", "g", new GlobalType(I64, true)));
        builder.Imports.Add(Import.ForTable("m", "t", new TableType(ExternRef, new Limits(1))));
        builder.Imports.Add(Import.ForMemory("m", "mem", new MemoryType(new Limits(1, 2))));
        builder.ImportFunction("m", "f", Type(I32));
        builder.AddGlobal(new GlobalType(F32, false), ConstantExpression.FromInstructions(F32Const()));
        builder.AddTable(new TableType(FuncRef, new Limits(3)));
        builder.AddFunction(FuncType.Empty, ImmutableArray<LocalGroup>.Empty);
        var result = Valid(builder.ToModule());

        Assert.Equal(new[] { new GlobalType(I64, true), new GlobalType(F32, false) }, result.Globals);
        Assert.Equal(new[] { new TableType(ExternRef, new Limits(1)), new TableType(FuncRef, new Limits(3)) }, result.Tables);
        Assert.Equal(new[] { new MemoryType(new Limits(1, 2)) }, result.Memories);
        Assert.Equal(2, result.FunctionTypeIndices.Length);
        Assert.Equal(Type(I32), result.GetFunctionType(0));
        Assert.Equal(FuncType.Empty, result.GetFunctionType(1));
        Assert.Null(result.GetFunctionType(2));
    }

    [Fact]
    public void DeclaredFunctionReferencesCollectExportsElementsAndGlobals()
    {
        var builder = new ModuleBuilder();
        for (var i = 0; i < 5; i++) builder.AddFunction(FuncType.Empty, ImmutableArray<LocalGroup>.Empty);
        builder.AddTable(new TableType(FuncRef, new Limits(1)));
        builder.AddExport("f4", ExternalKind.Function, 4);
        builder.Elements.Add(ElementSegment.ActiveFunctions(0, ConstantExpression.I32Const(0), 1));
        builder.Elements.Add(new ElementSegment(SegmentMode.Passive, FuncRef, default, ImmutableArray.Create(ConstantExpression.RefFunc(3))));
        builder.AddGlobal(new GlobalType(FuncRef, false), ConstantExpression.RefFunc(0));
        var result = Valid(builder.ToModule());
        Assert.Equal(new FuncIndex[] { 0, 1, 3, 4 }, result.DeclaredFunctionReferences);
        Assert.False(result.IsDeclaredFunctionReference(2));
        Assert.False(result.IsDeclaredFunctionReference(99));
    }

    [Fact]
    public void CancellationIsObservedBetweenBodies()
    {
        var module = Func(FuncType.Empty);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => ModuleValidator.Validate(module, WasmFeatures.V2, null, cts.Token));
    }

    [Fact]
    public void InvalidModulesStillProduceFacts()
    {
        var module = new Module(functions: ImmutableArray.Create(new FunctionDefinition(9, default, Instruction.Encode(I32Const(1), Op(Opcode.End)))));
        var result = ModuleValidator.Validate(module);
        Assert.False(result.IsValid);
        var info = Assert.Single(result.Functions);
        Assert.False(info.IsValid);
        Assert.Equal(FuncType.Empty, info.Type);
        Assert.Single(result.Diagnostics); // the unknown type, not a second error from the body
    }
}
