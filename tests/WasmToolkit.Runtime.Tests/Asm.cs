using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using WasmToolkit.Instructions;

namespace WasmToolkit.Runtime.Tests;


/// <summary>
/// Builds test modules in code (no wabt needed): instruction factories named after the text format,
/// and a tiny module builder that exports each function under a name.
/// </summary>
internal static class Asm
{
    public static Instruction Op(Opcode opcode) => new(opcode);

    public static Instruction I32(int value) => new(Opcode.I32Const) { Value = (uint)value };

    public static Instruction I64(long value) => new(Opcode.I64Const) { Value = (ulong)value };

    public static Instruction LocalGet(uint index) => new(Opcode.LocalGet) { Index = index };

    public static Instruction LocalSet(uint index) => new(Opcode.LocalSet) { Index = index };

    public static Instruction LocalTee(uint index) => new(Opcode.LocalTee) { Index = index };

    public static Instruction GlobalGet(uint index) => new(Opcode.GlobalGet) { Index = index };

    public static Instruction GlobalSet(uint index) => new(Opcode.GlobalSet) { Index = index };

    public static Instruction Call(uint index) => new(Opcode.Call) { Index = index };

    public static Instruction Br(uint depth) => new(Opcode.Br) { Index = depth };

    public static Instruction BrIf(uint depth) => new(Opcode.BrIf) { Index = depth };

    public static Instruction BrTable(uint defaultDepth, params uint[] targets)
        => new(Opcode.BrTable) { Index = defaultDepth, BrTableTargets = ImmutableArray.Create(targets) };

    public static Instruction Block(ValType? result = null) => new(Opcode.Block) { BlockType = result is { } t ? BlockType.FromValue(t) : BlockType.Empty };

    public static Instruction BlockOfType(Opcode opcode, uint typeIndex) => new(opcode) { BlockType = BlockType.FromTypeIndex(typeIndex) };

    public static Instruction Loop(ValType? result = null) => new(Opcode.Loop) { BlockType = result is { } t ? BlockType.FromValue(t) : BlockType.Empty };

    public static Instruction If(ValType? result = null) => new(Opcode.If) { BlockType = result is { } t ? BlockType.FromValue(t) : BlockType.Empty };

    public static Instruction Else => new(Opcode.Else);

    public static Instruction End => new(Opcode.End);

    public static Instruction Mem(Opcode opcode, ulong offset = 0, uint align = 0) => new(opcode) { MemArg = new MemArg(align, offset) };

    public static Instruction MemorySize => new(Opcode.MemorySize);

    public static Instruction MemoryGrow => new(Opcode.MemoryGrow);

    public static FuncType Type(ValType[] parameters, params ValType[] results) => FuncType.Create(parameters, results);

    public static ValType[] P(params ValType[] types) => types;

    public static readonly ValType I32T = ValType.I32;
    public static readonly ValType I64T = ValType.I64;
}

/// <summary>Collects exported functions, then freezes a module.</summary>
internal sealed class TestModule
{
    private readonly ModuleBuilder _builder = new();

    public TestModule WithMemory(ulong min, ulong? max = null)
    {
        _builder.AddMemory(new MemoryType(new Limits(min, max)));
        return this;
    }

    public TestModule Global(ValType type, long init, bool mutable = true)
    {
        _builder.AddGlobal(new GlobalType(type, mutable), type == ValType.I32 ? ConstantExpression.I32Const((int)init) : ConstantExpression.I64Const(init));
        return this;
    }

    public TestModule GlobalF64(double init, bool mutable = true)
    {
        _builder.AddGlobal(new GlobalType(ValType.F64, mutable), ConstantExpression.FromInstructions(new Instruction(Opcode.F64Const) { Value = BitConverter.DoubleToUInt64Bits(init) }));
        return this;
    }

    public TestModule Data(int offset, params byte[] bytes)
    {
        _builder.Data.Add(DataSegment.Active(0, ConstantExpression.I32Const(offset), bytes));
        return this;
    }

    public uint AddType(FuncType type) => _builder.AddType(type).Value;

    public TestModule Func(string? export, FuncType type, params Instruction[] body) => Func(export, type, ImmutableArray<LocalGroup>.Empty, body);

    public TestModule Func(string? export, FuncType type, ImmutableArray<LocalGroup> locals, params Instruction[] body)
    {
        var index = _builder.AddFunction(type, locals, body);
        if (export is not null) _builder.AddExport(export, ExternalKind.Function, index.Value);
        return this;
    }

    public static ImmutableArray<LocalGroup> Locals(params (uint Count, ValType Type)[] groups)
    {
        var list = new List<LocalGroup>();
        foreach (var (count, type) in groups) list.Add(new LocalGroup(count, type));
        return list.ToImmutableArray();
    }

    public Module Build() => _builder.ToModule();
#if !NO_RUNTIME

    public Instance Instantiate() => Instance.Create(Build());
#endif
}
