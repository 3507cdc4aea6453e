using System;
using System.Collections.Immutable;
using System.Linq;
using WasmToolkit.Instructions;
using WasmToolkit.Validation;
using Xunit;

namespace WasmToolkit.Tests.Validation;

/// <summary>Small builders for instructions and one-function modules, and assertions on validation results.</summary>
internal static class V
{
    public static readonly ValType I32 = ValType.I32;
    public static readonly ValType I64 = ValType.I64;
    public static readonly ValType F32 = ValType.F32;
    public static readonly ValType F64 = ValType.F64;
    public static readonly ValType V128 = ValType.V128;
    public static readonly ValType FuncRef = ValType.FuncRef;
    public static readonly ValType ExternRef = ValType.ExternRef;

    public static FuncType Type(ValType[] parameters, ValType[] results) => FuncType.Create(parameters, results);

    public static FuncType Type(params ValType[] results) => FuncType.Create(Array.Empty<ValType>(), results);

    public static Instruction Op(Opcode opcode) => new(opcode);

    public static Instruction Op(Opcode opcode, uint index, uint index2 = 0) => new(opcode) { Index = index, Index2 = index2 };

    public static Instruction I32Const(int value) => new(Opcode.I32Const) { Value = (uint)value };

    public static Instruction I64Const(long value) => new(Opcode.I64Const) { Value = (ulong)value };

    public static Instruction F32Const() => new(Opcode.F32Const);

    public static Instruction F64Const() => new(Opcode.F64Const);

    public static Instruction V128Const() => new(Opcode.V128Const);

    public static Instruction Block(Opcode opcode) => new(opcode) { BlockType = BlockType.Empty };

    public static Instruction Block(Opcode opcode, ValType result) => new(opcode) { BlockType = BlockType.FromValue(result) };

    public static Instruction Block(Opcode opcode, uint typeIndex) => new(opcode) { BlockType = BlockType.FromTypeIndex(typeIndex) };

    public static Instruction BrTable(uint defaultTarget, params uint[] targets)
        => new(Opcode.BrTable) { Index = defaultTarget, BrTableTargets = targets.ToImmutableArray() };

    public static Instruction Mem(Opcode opcode, uint align, ulong offset = 0) => new(opcode) { MemArg = new MemArg(align, offset) };

    public static Instruction Lane(Opcode opcode, byte lane) => new(opcode) { Lane = lane };

    public static Instruction MemLane(Opcode opcode, uint align, byte lane) => new(opcode) { MemArg = new MemArg(align, 0), Lane = lane };

    public static Instruction RefNull(HeapType type) => new(Opcode.RefNull) { HeapType = type };

    public static Instruction SelectT(params ValType[] types) => new(Opcode.SelectTyped) { SelectTypes = types.ToImmutableArray() };

    /// <summary>A module with one function of <paramref name="type"/> and <paramref name="body"/> (the final end appended).</summary>
    public static Module Func(FuncType type, params Instruction[] body) => Func(type, ImmutableArray<LocalGroup>.Empty, body);

    public static Module Func(FuncType type, ImmutableArray<LocalGroup> locals, params Instruction[] body)
    {
        var builder = new ModuleBuilder();
        builder.AddFunction(type, locals, body);
        return builder.ToModule();
    }

    /// <summary>A builder with a one-page memory, for memory instruction tests.</summary>
    public static ModuleBuilder WithMemory()
    {
        var builder = new ModuleBuilder();
        builder.AddMemory(new MemoryType(new Limits(1)));
        return builder;
    }

    public static ValidatedModule Validate(Module module, WasmFeatures features = WasmFeatures.V2) => ModuleValidator.Validate(module, features);

    public static ValidatedModule Valid(Module module, WasmFeatures features = WasmFeatures.V2)
    {
        var result = ModuleValidator.Validate(module, features);
        Assert.True(result.IsValid, "expected valid, got: " + string.Join("; ", result.Diagnostics));
        Assert.Empty(result.Diagnostics);
        return result;
    }

    public static ValidatedModule Invalid(Module module, string phrase, WasmFeatures features = WasmFeatures.V2)
    {
        var result = ModuleValidator.Validate(module, features);
        Assert.False(result.IsValid, "expected invalid (\"" + phrase + "\") but the module validated");
        Assert.True(
            result.Diagnostics.Any(d => d.Message.StartsWith(phrase, StringComparison.Ordinal)),
            "expected a message starting with \"" + phrase + "\", got: " + string.Join("; ", result.Diagnostics));
        foreach (var d in result.Diagnostics) Assert.StartsWith("WASM", d.Id);
        return result;
    }
}
