using System;
using System.Collections.Immutable;
using System.Linq;
using WasmToolkit.Diagnostics;
using WasmToolkit.Instructions;
using WasmToolkit.Validation;
using Xunit;
using static WasmToolkit.Tests.Validation.V;

namespace WasmToolkit.Tests.Validation;

/// <summary>Typing rules of function bodies (spec 3.3 and the appendix's validation algorithm), one module per case.</summary>
public class FunctionBodyValidationTests
{
    private static readonly FuncType VoidType = FuncType.Empty;

    /// <summary><paramref name="module"/> plus one function.</summary>
    private static Module WithBody(Module module, FuncType type, params Instruction[] body)
    {
        var builder = module.ToBuilder();
        builder.AddFunction(type, ImmutableArray<LocalGroup>.Empty, body);
        return builder.ToModule();
    }

    [Fact]
    public void EmptyBodyIsValid() => Valid(Func(VoidType));

    [Fact]
    public void NumericSignatures()
    {
        Valid(Func(Type(I32), I32Const(1), I32Const(2), Op(Opcode.I32Add)));
        Invalid(Func(Type(I32), I32Const(1), I64Const(2), Op(Opcode.I32Add)), "type mismatch");
        Invalid(Func(Type(I32), I32Const(1), Op(Opcode.I32Add)), "type mismatch");
        Valid(Func(Type(I64), F64Const(), Op(Opcode.I64TruncSatF64S)));
        Valid(Func(Type(I32), I32Const(1), Op(Opcode.I32Extend8S)));
    }

    [Fact]
    public void ResultsMustMatchFunctionType()
    {
        Invalid(Func(Type(I32)), "type mismatch");
        Invalid(Func(VoidType, I32Const(1)), "type mismatch");
        Invalid(Func(Type(I64), I32Const(1)), "type mismatch");
        Valid(Func(Type(I32, I64), I32Const(1), I64Const(2)));
        Invalid(Func(Type(I32, I64), I64Const(2), I32Const(1)), "type mismatch");
    }

    [Fact]
    public void UnreachableMakesTheStackPolymorphic()
    {
        Valid(Func(Type(I32), Op(Opcode.Unreachable), Op(Opcode.I32Add)));
        Invalid(Func(Type(I32), Op(Opcode.Unreachable), I64Const(0), Op(Opcode.I32Add)), "type mismatch");
        Valid(Func(Type(I32, F64), Op(Opcode.Unreachable)));
        Valid(Func(VoidType, Op(Opcode.Unreachable), Op(Opcode.Drop), Op(Opcode.Drop)));
        Valid(Func(Type(I32), I32Const(0), Op(Opcode.Return), I32Const(1)));
        Invalid(Func(Type(I32), I32Const(0), Op(Opcode.Return), I64Const(1)), "type mismatch");
        Invalid(Func(Type(I32), Op(Opcode.Return)), "type mismatch");

        // Values pushed after unreachable still count: two i32 left over for one result.
        Invalid(Func(Type(I32), Op(Opcode.Unreachable), I32Const(1), I32Const(2)), "type mismatch");

        // Unreachable is local to its block: the enclosing block still needs its operands.
        Invalid(Func(Type(I32), Block(Opcode.Block), Op(Opcode.Unreachable), Op(Opcode.End), Op(Opcode.I32Eqz)), "type mismatch");
    }

    [Fact]
    public void BlocksWithValues()
    {
        Valid(Func(Type(I32), Block(Opcode.Block, I32), I32Const(1), Op(Opcode.End)));
        Invalid(Func(Type(I32), Block(Opcode.Block, I32), Op(Opcode.End)), "type mismatch");
        Invalid(Func(Type(I32), Block(Opcode.Block, I32), I64Const(1), Op(Opcode.End)), "type mismatch");

        // A block cannot see values outside it.
        Invalid(Func(Type(I32), I32Const(1), Block(Opcode.Block, I32), Op(Opcode.End)), "type mismatch");
        Invalid(Func(VoidType, I32Const(1), Block(Opcode.Block), Op(Opcode.Drop), Op(Opcode.End), Op(Opcode.Drop)), "type mismatch");

        Valid(Func(Type(I32), Block(Opcode.Loop, I32), I32Const(1), Op(Opcode.End)));
    }

    [Fact]
    public void MultiValueBlocksTakeParameters()
    {
        var builder = new ModuleBuilder();
        var pair = builder.AddType(Type(new[] { I32, I64 }, new[] { I64, I32 }));
        builder.AddFunction(Type(I64, I32), ImmutableArray<LocalGroup>.Empty,
            I32Const(1), I64Const(2), Block(Opcode.Block, pair.Value),
            Op(Opcode.Drop), Op(Opcode.Drop), I64Const(3), I32Const(4),
            Op(Opcode.End));
        Valid(builder.ToModule());

        builder = new ModuleBuilder();
        pair = builder.AddType(Type(new[] { I32, I64 }, new[] { I64, I32 }));
        builder.AddFunction(Type(I64, I32), ImmutableArray<LocalGroup>.Empty, I64Const(2), I32Const(1), Block(Opcode.Block, pair.Value), Op(Opcode.End));
        Invalid(builder.ToModule(), "type mismatch");

        // Loop labels carry the parameters: br 0 in a loop needs [i32].
        builder = new ModuleBuilder();
        var loop = builder.AddType(Type(new[] { I32 }, Array.Empty<ValType>()));
        builder.AddFunction(VoidType, ImmutableArray<LocalGroup>.Empty,
            I32Const(1), Block(Opcode.Loop, loop.Value), Op(Opcode.Br, 0), Op(Opcode.End));
        Valid(builder.ToModule());

        Invalid(Func(VoidType, Block(Opcode.Block, 7)), "unknown type");
    }

    [Fact]
    public void IfElse()
    {
        Valid(Func(Type(I32), I32Const(1), Block(Opcode.If, I32), I32Const(2), Op(Opcode.Else), I32Const(3), Op(Opcode.End)));
        Invalid(Func(Type(I32), Block(Opcode.If, I32), I32Const(2), Op(Opcode.Else), I32Const(3), Op(Opcode.End)), "type mismatch");
        Invalid(Func(Type(I32), I32Const(1), Block(Opcode.If, I32), I32Const(2), Op(Opcode.Else), Op(Opcode.End)), "type mismatch");

        // Without else the (implicit empty) else branch must produce the results: [] -> [i32] is invalid.
        Invalid(Func(Type(I32), I32Const(1), Block(Opcode.If, I32), I32Const(2), Op(Opcode.End)), "type mismatch");

        // ...but [i32] -> [i32] without else is fine.
        var builder = new ModuleBuilder();
        var t = builder.AddType(Type(new[] { I32 }, new[] { I32 }));
        builder.AddFunction(Type(I32), ImmutableArray<LocalGroup>.Empty, I32Const(5), I32Const(1), Block(Opcode.If, t.Value), Op(Opcode.I32Eqz), Op(Opcode.End));
        Valid(builder.ToModule());

        Invalid(Func(VoidType, Op(Opcode.Else)), "else found outside of an if block");
        Invalid(Func(VoidType, Block(Opcode.Block), Op(Opcode.Else), Op(Opcode.End)), "else found outside of an if block");
        Invalid(Func(VoidType, I32Const(1), Block(Opcode.If), Op(Opcode.Else), Op(Opcode.Else), Op(Opcode.End)), "else found outside of an if block");
    }

    [Fact]
    public void Branches()
    {
        Valid(Func(Type(I32), Block(Opcode.Block, I32), I32Const(1), Op(Opcode.Br, 0), Op(Opcode.End)));
        Valid(Func(Type(I32), I32Const(1), Op(Opcode.Br, 0)));
        Invalid(Func(Type(I32), Op(Opcode.Br, 0)), "type mismatch");
        Invalid(Func(VoidType, Op(Opcode.Br, 1)), "unknown label");
        Invalid(Func(VoidType, Block(Opcode.Block), Op(Opcode.Br, 2), Op(Opcode.End)), "unknown label 2");

        // br_if leaves the label's values on the stack.
        Valid(Func(Type(I32), Block(Opcode.Block, I32), I32Const(1), I32Const(0), Op(Opcode.BrIf, 0), Op(Opcode.End)));
        Invalid(Func(Type(I32), Block(Opcode.Block, I32), I32Const(1), Op(Opcode.BrIf, 0), Op(Opcode.End)), "type mismatch");
        Invalid(Func(Type(I32), Block(Opcode.Block, I32), I64Const(1), I32Const(0), Op(Opcode.BrIf, 0), Op(Opcode.End)), "type mismatch");
    }

    [Fact]
    public void BrTableRules()
    {
        Valid(Func(VoidType, Block(Opcode.Block), I32Const(0), BrTable(0, 0, 1), Op(Opcode.End)));
        Invalid(Func(VoidType, Block(Opcode.Block), I32Const(0), BrTable(0, 0, 2), Op(Opcode.End)), "unknown label");
        Invalid(Func(VoidType, Block(Opcode.Block), I32Const(0), BrTable(5), Op(Opcode.End)), "unknown label");

        // Arity must agree across targets: block [] -> [i32] and the function's [] -> [].
        Invalid(Func(VoidType, Block(Opcode.Block, I32), I32Const(1), I32Const(0), BrTable(0, 1), Op(Opcode.End), Op(Opcode.Drop)), "type mismatch");

        // Same arity, different types.
        Invalid(Func(Type(I64), Block(Opcode.Block, I32), I32Const(1), I32Const(0), BrTable(0, 1), Op(Opcode.End), Op(Opcode.Drop), I64Const(0)), "type mismatch");

        // Unknown operands match every label: in unreachable code br_table to [i32] and [f64] labels is fine.
        Valid(Func(VoidType,
            Block(Opcode.Block, F64), Block(Opcode.Block, I32),
            Op(Opcode.Unreachable), BrTable(0, 1, 0),
            Op(Opcode.End), Op(Opcode.Drop), F64Const(), Op(Opcode.End), Op(Opcode.Drop)));

        // ...but one known operand must still fit all of them.
        Invalid(Func(VoidType,
            Block(Opcode.Block, F64), Block(Opcode.Block, I32),
            Op(Opcode.Unreachable), I32Const(1), I32Const(0), BrTable(0, 1, 0),
            Op(Opcode.End), Op(Opcode.Drop), F64Const(), Op(Opcode.End), Op(Opcode.Drop)), "type mismatch");

        // Arity mismatch is an error even in unreachable code.
        Invalid(Func(VoidType,
            Block(Opcode.Block, I32), Op(Opcode.Unreachable), BrTable(0, 1), Op(Opcode.End), Op(Opcode.Drop)), "type mismatch");
    }

    [Fact]
    public void SelectRules()
    {
        Valid(Func(Type(I32), I32Const(1), I32Const(2), I32Const(0), Op(Opcode.Select)));
        Valid(Func(Type(ValType.V128), V128Const(), V128Const(), I32Const(0), Op(Opcode.Select)));
        Invalid(Func(Type(I32), I32Const(1), I64Const(2), I32Const(0), Op(Opcode.Select)), "type mismatch");
        Invalid(Func(Type(I32), I32Const(1), I32Const(2), I64Const(0), Op(Opcode.Select)), "type mismatch");

        // Untyped select is only for numbers and vectors.
        Invalid(Func(Type(FuncRef), RefNull(HeapType.Func), RefNull(HeapType.Func), I32Const(0), Op(Opcode.Select)), "type mismatch");
        Invalid(Func(VoidType, Op(Opcode.Unreachable), RefNull(HeapType.Func), I32Const(0), Op(Opcode.Select), Op(Opcode.Drop)), "type mismatch");
        Valid(Func(VoidType, Op(Opcode.Unreachable), Op(Opcode.Select), Op(Opcode.Drop)));
        Valid(Func(Type(I32), Op(Opcode.Unreachable), I32Const(1), Op(Opcode.Select)));

        // Typed select takes exactly one type.
        Valid(Func(Type(FuncRef), RefNull(HeapType.Func), RefNull(HeapType.Func), I32Const(0), SelectT(FuncRef)));
        Valid(Func(Type(I32), I32Const(1), I32Const(2), I32Const(0), SelectT(I32)));
        Invalid(Func(Type(I32), I32Const(1), I32Const(2), I32Const(0), SelectT()), "invalid result arity");
        Invalid(Func(Type(I32), I32Const(1), I32Const(2), I32Const(0), SelectT(I32, I32)), "invalid result arity");
        Invalid(Func(Type(FuncRef), RefNull(HeapType.Extern), RefNull(HeapType.Func), I32Const(0), SelectT(FuncRef)), "type mismatch");
    }

    [Fact]
    public void Locals()
    {
        var locals = ImmutableArray.Create(new LocalGroup(2, I64), new LocalGroup(1, F32));
        var type = Type(new[] { I32 }, new[] { F32 });
        Valid(Func(type, locals, Op(Opcode.LocalGet, 0), Op(Opcode.LocalSet, 0), I64Const(1), Op(Opcode.LocalSet, 2), Op(Opcode.LocalGet, 3)));
        Invalid(Func(type, locals, Op(Opcode.LocalGet, 4)), "unknown local 4");
        Invalid(Func(type, locals, Op(Opcode.LocalGet, 1)), "type mismatch");
        Invalid(Func(type, locals, I32Const(1), Op(Opcode.LocalSet, 1), Op(Opcode.LocalGet, 3)), "type mismatch");
        var toI64 = Type(new[] { I32 }, new[] { I64 });
        Valid(Func(toI64, locals, I64Const(1), Op(Opcode.LocalTee, 2)));
        Invalid(Func(toI64, locals, I32Const(1), Op(Opcode.LocalTee, 2)), "type mismatch");
    }

    [Fact]
    public void ManyLocalsAreCheapAndTyped()
    {
        var locals = ImmutableArray.Create(new LocalGroup(1_000_000_000, I64), new LocalGroup(5, F64));
        var result = Valid(Func(Type(F64), locals, Op(Opcode.LocalGet, 1_000_000_004)));
        Assert.Equal(1_000_000_005u, result.Functions[0].LocalCount);
        Assert.Equal(F64, result.Functions[0].GetLocalType(1_000_000_000));
        Assert.Equal(I64, result.Functions[0].GetLocalType(999_999_999));
        Invalid(Func(VoidType, ImmutableArray.Create(new LocalGroup(uint.MaxValue, I64), new LocalGroup(5, F64))), "too many locals");
    }

    [Fact]
    public void Globals()
    {
        var builder = new ModuleBuilder();
        builder.AddGlobal(new GlobalType(I32, false), ConstantExpression.I32Const(0));
        builder.AddGlobal(new GlobalType(I64, true), ConstantExpression.I64Const(0));
        var module = builder.ToModule();
        Valid(WithBody(module, Type(I32), Op(Opcode.GlobalGet, 0)));
        Valid(WithBody(module, VoidType, I64Const(1), Op(Opcode.GlobalSet, 1)));
        Invalid(WithBody(module, VoidType, I32Const(1), Op(Opcode.GlobalSet, 0)), "global is immutable");
        Invalid(WithBody(module, VoidType, I32Const(1), Op(Opcode.GlobalSet, 1)), "type mismatch");
        Invalid(WithBody(module, Type(I32), Op(Opcode.GlobalGet, 2)), "unknown global 2");
    }

    [Fact]
    public void Calls()
    {
        var builder = new ModuleBuilder();
        builder.ImportFunction("env", "f", Type(new[] { I32, I64 }, new[] { F32 }));
        builder.AddFunction(Type(F32), ImmutableArray<LocalGroup>.Empty, I32Const(1), I64Const(2), Op(Opcode.Call, 0));
        Valid(builder.ToModule());

        builder.Functions[0] = builder.Functions[0].WithCode(Instruction.Encode(I64Const(2), I32Const(1), Op(Opcode.Call, 0), Op(Opcode.End)));
        Invalid(builder.ToModule(), "type mismatch");
        Invalid(Func(VoidType, Op(Opcode.Call, 3)), "unknown function 3");
    }

    [Fact]
    public void CallIndirect()
    {
        var builder = new ModuleBuilder();
        var t = builder.AddType(Type(new[] { I32 }, new[] { I32 }));
        builder.AddTable(new TableType(FuncRef, new Limits(1)));
        builder.AddTable(new TableType(ExternRef, new Limits(1)));
        var module = builder.ToModule();
        Valid(WithBody(module, Type(I32), I32Const(5), I32Const(0), Op(Opcode.CallIndirect, t.Value, 0)));
        Invalid(WithBody(module, Type(I32), I32Const(0), Op(Opcode.CallIndirect, t.Value, 0)), "type mismatch");
        Invalid(WithBody(module, Type(I32), I32Const(5), I32Const(0), Op(Opcode.CallIndirect, t.Value, 1)), "type mismatch");
        Invalid(WithBody(module, Type(I32), I32Const(5), I32Const(0), Op(Opcode.CallIndirect, t.Value, 2)), "unknown table");
        Invalid(WithBody(module, Type(I32), I32Const(5), I32Const(0), Op(Opcode.CallIndirect, 9, 0)), "unknown type");
        Invalid(Func(VoidType, I32Const(0), Op(Opcode.CallIndirect, 0, 0)), "unknown table");
    }

    [Fact]
    public void MemoryInstructions()
    {
        Module WithMem(params Instruction[] body)
        {
            var b = WithMemory();
            b.AddFunction(FuncType.Empty, ImmutableArray<LocalGroup>.Empty, body);
            return b.ToModule();
        }

        Valid(WithMem(I32Const(0), Mem(Opcode.I32Load, 2), Op(Opcode.Drop)));
        Valid(WithMem(I32Const(0), I64Const(0), Mem(Opcode.I64Store, 3)));
        Valid(WithMem(I32Const(0), Mem(Opcode.I32Load8U, 0), Op(Opcode.Drop)));
        Invalid(WithMem(I32Const(0), Mem(Opcode.I32Load, 3), Op(Opcode.Drop)), "alignment must not be larger than natural");
        Invalid(WithMem(I32Const(0), Mem(Opcode.I32Load8S, 1), Op(Opcode.Drop)), "alignment must not be larger than natural");
        Invalid(WithMem(I32Const(0), Mem(Opcode.V128Load, 5), Op(Opcode.Drop)), "alignment must not be larger than natural");
        Valid(WithMem(I32Const(0), Mem(Opcode.V128Load, 4), Op(Opcode.Drop)));
        Invalid(WithMem(I64Const(0), Mem(Opcode.I32Load, 2), Op(Opcode.Drop)), "type mismatch");

        Invalid(Func(VoidType, I32Const(0), Mem(Opcode.I32Load, 2), Op(Opcode.Drop)), "unknown memory 0");
        Invalid(Func(Type(I32), Op(Opcode.MemorySize)), "unknown memory");
        Invalid(Func(Type(I32), I32Const(1), Op(Opcode.MemoryGrow)), "unknown memory");
        Valid(WithMem(Op(Opcode.MemorySize), Op(Opcode.MemoryGrow), Op(Opcode.Drop)));
        Valid(WithMem(I32Const(0), I32Const(0), I32Const(0), Op(Opcode.MemoryFill)));
        Valid(WithMem(I32Const(0), I32Const(0), I32Const(0), Op(Opcode.MemoryCopy)));
        Invalid(Func(VoidType, I32Const(0), I32Const(0), I32Const(0), Op(Opcode.MemoryCopy)), "unknown memory");
    }

    [Fact]
    public void DataSegmentInstructionsNeedTheDataCountSection()
    {
        var b = WithMemory();
        b.Data.Add(DataSegment.Passive(new byte[] { 1, 2 }));
        b.AddFunction(FuncType.Empty, ImmutableArray<LocalGroup>.Empty, I32Const(0), I32Const(0), I32Const(1), Op(Opcode.MemoryInit, 0), Op(Opcode.DataDrop, 0));
        Invalid(b.ToModule(), "data count section required");

        b.DataCount = 1;
        Valid(b.ToModule());

        b.Functions[0] = b.Functions[0].WithCode(Instruction.Encode(Op(Opcode.DataDrop, 1), Op(Opcode.End)));
        Invalid(b.ToModule(), "unknown data segment 1");

        b.Functions[0] = b.Functions[0].WithCode(Instruction.Encode(I32Const(0), I32Const(0), I32Const(1), Op(Opcode.MemoryInit, 1), Op(Opcode.End)));
        Invalid(b.ToModule(), "unknown data segment 1");

        // memory.init also needs a memory.
        var noMemory = new ModuleBuilder { DataCount = 1 };
        noMemory.Data.Add(DataSegment.Passive(new byte[] { 1 }));
        noMemory.AddFunction(FuncType.Empty, ImmutableArray<LocalGroup>.Empty, I32Const(0), I32Const(0), I32Const(1), Op(Opcode.MemoryInit, 0));
        Invalid(noMemory.ToModule(), "unknown memory 0");
    }

    [Fact]
    public void TableInstructions()
    {
        var b = new ModuleBuilder();
        b.AddTable(new TableType(FuncRef, new Limits(1)));
        b.AddTable(new TableType(ExternRef, new Limits(1)));
        b.Elements.Add(new ElementSegment(SegmentMode.Passive, FuncRef, default, ImmutableArray.Create(ConstantExpression.RefNull(HeapType.Func))));
        var module = b.ToModule();
        Module With(params Instruction[] body) => WithBody(module, FuncType.Empty, body);

        Valid(With(I32Const(0), Op(Opcode.TableGet, 0), Op(Opcode.Drop)));
        Valid(With(I32Const(0), RefNull(HeapType.Extern), Op(Opcode.TableSet, 1)));
        Invalid(With(I32Const(0), RefNull(HeapType.Func), Op(Opcode.TableSet, 1)), "type mismatch");
        Invalid(With(I32Const(0), Op(Opcode.TableGet, 2), Op(Opcode.Drop)), "unknown table 2");
        Valid(With(Op(Opcode.TableSize, 1), Op(Opcode.Drop)));
        Valid(With(RefNull(HeapType.Func), I32Const(1), Op(Opcode.TableGrow, 0), Op(Opcode.Drop)));
        Invalid(With(I32Const(1), RefNull(HeapType.Func), Op(Opcode.TableGrow, 0), Op(Opcode.Drop)), "type mismatch");
        Valid(With(I32Const(0), RefNull(HeapType.Extern), I32Const(1), Op(Opcode.TableFill, 1)));
        Valid(With(I32Const(0), I32Const(0), I32Const(1), Op(Opcode.TableCopy, 0, 0)));
        Invalid(With(I32Const(0), I32Const(0), I32Const(1), Op(Opcode.TableCopy, 0, 1)), "type mismatch");
        Valid(With(I32Const(0), I32Const(0), I32Const(1), Op(Opcode.TableInit, 0, 0)));
        Invalid(With(I32Const(0), I32Const(0), I32Const(1), Op(Opcode.TableInit, 0, 1)), "type mismatch");
        Invalid(With(I32Const(0), I32Const(0), I32Const(1), Op(Opcode.TableInit, 1, 0)), "unknown elem segment 1");
        Valid(With(Op(Opcode.ElemDrop, 0)));
        Invalid(With(Op(Opcode.ElemDrop, 4)), "unknown elem segment 4");
    }

    [Fact]
    public void References()
    {
        Valid(Func(Type(I32), RefNull(HeapType.Extern), Op(Opcode.RefIsNull)));
        Invalid(Func(Type(I32), I32Const(0), Op(Opcode.RefIsNull)), "type mismatch");
        Valid(Func(Type(I32), Op(Opcode.Unreachable), Op(Opcode.RefIsNull)));
        Invalid(Func(Type(ExternRef), RefNull(HeapType.Func)), "type mismatch");
    }

    [Fact]
    public void RefFuncNeedsADeclaration()
    {
        var b = new ModuleBuilder();
        b.AddFunction(Type(FuncRef), ImmutableArray<LocalGroup>.Empty, Op(Opcode.RefFunc, 0));
        Invalid(b.ToModule(), "undeclared function reference");

        // Declared by an export...
        var exported = b.ToModule().WithExports(ImmutableArray.Create(new Export("f", ExternalKind.Function, 0)));
        Assert.True(Valid(exported).IsDeclaredFunctionReference(0));

        // ...by a declarative element segment...
        var declared = b.ToModule().WithElements(ImmutableArray.Create(
            new ElementSegment(SegmentMode.Declarative, FuncRef, ImmutableArray.Create<FuncIndex>(0), default)));
        Valid(declared);

        // ...or by a global initialiser.
        var global = b.ToModule().WithGlobals(ImmutableArray.Create(new GlobalDefinition(new GlobalType(FuncRef, false), ConstantExpression.RefFunc(0))));
        Valid(global);

        // A ref.func in another body does not declare.
        var b2 = new ModuleBuilder();
        b2.AddFunction(Type(FuncRef), ImmutableArray<LocalGroup>.Empty, Op(Opcode.RefFunc, 1));
        b2.AddFunction(Type(FuncRef), ImmutableArray<LocalGroup>.Empty, Op(Opcode.RefFunc, 1));
        Invalid(b2.ToModule(), "undeclared function reference");

        Invalid(Func(Type(FuncRef), Op(Opcode.RefFunc, 7)), "unknown function 7");
    }

    [Fact]
    public void SimdLanes()
    {
        Valid(Func(Type(I32), V128Const(), Lane(Opcode.I8x16ExtractLaneS, 15)));
        Invalid(Func(Type(I32), V128Const(), Lane(Opcode.I8x16ExtractLaneS, 16)), "invalid lane index");
        Valid(Func(Type(F64), V128Const(), Lane(Opcode.F64x2ExtractLane, 1)));
        Invalid(Func(Type(F64), V128Const(), Lane(Opcode.F64x2ExtractLane, 2)), "invalid lane index");
        Invalid(Func(Type(ValType.V128), V128Const(), I32Const(0), Lane(Opcode.I32x4ReplaceLane, 4)), "invalid lane index");

        var shuffle = new Instruction(Opcode.I8x16Shuffle) { V128 = new V128(0x1F1F1F1F1F1F1F1F, 0x0) };
        Valid(Func(Type(ValType.V128), V128Const(), V128Const(), shuffle));
        var badShuffle = new Instruction(Opcode.I8x16Shuffle) { V128 = new V128(0x20, 0x0) };
        Invalid(Func(Type(ValType.V128), V128Const(), V128Const(), badShuffle), "invalid lane index");

        var b = WithMemory();
        b.AddFunction(Type(ValType.V128), ImmutableArray<LocalGroup>.Empty, I32Const(0), V128Const(), MemLane(Opcode.V128Load32Lane, 2, 3));
        Valid(b.ToModule());
        b.Functions[0] = b.Functions[0].WithCode(Instruction.Encode(I32Const(0), V128Const(), MemLane(Opcode.V128Load32Lane, 2, 4), Op(Opcode.End)));
        Invalid(b.ToModule(), "invalid lane index");
        b.Functions[0] = b.Functions[0].WithCode(Instruction.Encode(I32Const(0), V128Const(), MemLane(Opcode.V128Load32Lane, 3, 0), Op(Opcode.End)));
        Invalid(b.ToModule(), "alignment must not be larger than natural");
    }

    [Fact]
    public void BodyMustEndAtItsFinalEnd()
    {
        var b = new ModuleBuilder();
        b.AddFunction(FuncType.Empty, ImmutableArray<LocalGroup>.Empty, (ReadOnlyMemory<byte>)Instruction.Encode(I32Const(1), Op(Opcode.Drop)));
        Invalid(b.ToModule(), "END opcode expected");

        b.Functions[0] = b.Functions[0].WithCode(Instruction.Encode(Block(Opcode.Block), Op(Opcode.End)));
        Invalid(b.ToModule(), "END opcode expected");

        b.Functions[0] = b.Functions[0].WithCode(Instruction.Encode(Op(Opcode.End), Op(Opcode.Nop)));
        Invalid(b.ToModule(), "operators remaining after end of function");

        b.Functions[0] = b.Functions[0].WithCode(ReadOnlyMemory<byte>.Empty);
        Invalid(b.ToModule(), "END opcode expected");
    }

    [Fact]
    public void MalformedBytesUseTheReadersDiagnostic()
    {
        var b = new ModuleBuilder();
        b.AddFunction(FuncType.Empty, ImmutableArray<LocalGroup>.Empty, (ReadOnlyMemory<byte>)new byte[] { 0xFF, 0x0B });
        var result = Invalid(b.ToModule(), "illegal opcode");
        Assert.Equal(DiagnosticCatalog.IllegalOpcode.Id, result.Diagnostics[0].Id);
    }

    [Fact]
    public void ErrorsCarryFunctionIndexAndInstructionOffset()
    {
        var b = new ModuleBuilder();
        b.ImportFunction("env", "f", FuncType.Empty);
        b.AddFunction(FuncType.Empty, ImmutableArray<LocalGroup>.Empty);
        b.AddFunction(FuncType.Empty, ImmutableArray<LocalGroup>.Empty, Op(Opcode.Nop), I32Const(1), I64Const(1), Op(Opcode.I32Add));
        b.AddFunction(FuncType.Empty, ImmutableArray<LocalGroup>.Empty, Op(Opcode.Br, 3));
        var result = ModuleValidator.Validate(b.ToModule(), WasmFeatures.V2, "m.wasm");
        Assert.Equal(2, result.Diagnostics.Length);
        var location = Assert.IsType<BinaryLocation>(result.Diagnostics[0].Location);
        Assert.Equal(2u, location.FunctionIndex);
        Assert.Equal(5, location.InstructionOffset); // nop (1) + i32.const 1 (2) + i64.const 1 (2)
        Assert.Equal("m.wasm", location.Path);
        Assert.Equal(3u, ((BinaryLocation)result.Diagnostics[1].Location).FunctionIndex);
        Assert.StartsWith("unknown label 3", result.Diagnostics[1].Message);
        Assert.True(result.Functions[0].IsValid);
        Assert.False(result.Functions[1].IsValid);
    }

    [Fact]
    public void FeaturesGateInstructions()
    {
        Invalid(Func(Type(I32), I32Const(1), Op(Opcode.I32Extend8S)), "i32.extend8_s requires", WasmFeatures.V1);
        Invalid(Func(Type(I32), F32Const(), Op(Opcode.I32TruncSatF32S)), "i32.trunc_sat_f32_s requires", WasmFeatures.V1);
        Invalid(Func(Type(I32), RefNull(HeapType.Func), Op(Opcode.RefIsNull)), "ref.null requires", WasmFeatures.V1);
        Invalid(Func(Type(I32, I32), I32Const(1), I32Const(1)), "invalid result arity", WasmFeatures.V1);
        Invalid(Func(Type(ValType.V128), V128Const()), "illegal opcode", WasmFeatures.V2 & ~WasmFeatures.Simd);
        Valid(Func(Type(I32), I32Const(1), I32Const(2), Op(Opcode.I32Add)), WasmFeatures.V1);
    }
}
