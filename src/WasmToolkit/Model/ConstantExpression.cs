using System;
using System.Collections.Immutable;
using WasmToolkit.Instructions;

namespace WasmToolkit;

/// <summary>
/// A constant expression (spec 3.3.10): initialisers of globals, offsets of active segments and
/// element items. Kept as its instruction bytes, ending with <c>end</c>.
/// </summary>
public sealed class ConstantExpression : IEquatable<ConstantExpression>
{
    public ConstantExpression(ReadOnlyMemory<byte> code, int codeOffset = 0)
    {
        Code = code;
        CodeOffset = codeOffset;
    }

    /// <summary>The instruction bytes, ending with <c>end</c> (0x0B).</summary>
    public ReadOnlyMemory<byte> Code { get; }

    /// <summary>Offset of <see cref="Code"/> in the module's bytes (0 when built in code).</summary>
    public int CodeOffset { get; }

    /// <summary>Where the expression was read from.</summary>
    public ByteSpan Span => new(CodeOffset, Code.Length);

    /// <summary><c>i32.const value</c>.</summary>
    public static ConstantExpression I32Const(int value) => FromInstructions(new Instruction(Opcode.I32Const) { Value = (ulong)(uint)value });

    /// <summary><c>i64.const value</c>.</summary>
    public static ConstantExpression I64Const(long value) => FromInstructions(new Instruction(Opcode.I64Const) { Value = (ulong)value });

    /// <summary><c>ref.func index</c>.</summary>
    public static ConstantExpression RefFunc(FuncIndex index) => FromInstructions(new Instruction(Opcode.RefFunc) { Index = index.Value });

    /// <summary><c>ref.null type</c>.</summary>
    public static ConstantExpression RefNull(HeapType type) => FromInstructions(new Instruction(Opcode.RefNull) { HeapType = type });

    /// <summary><c>global.get index</c>.</summary>
    public static ConstantExpression GlobalGet(GlobalIndex index) => FromInstructions(new Instruction(Opcode.GlobalGet) { Index = index.Value });

    /// <summary>Encodes instructions and appends the final <c>end</c>.</summary>
    public static ConstantExpression FromInstructions(params Instruction[] instructions)
    {
        var writer = new Binary.Internal.ByteWriter();
        foreach (var instruction in instructions) instruction.WriteTo(writer);
        writer.WriteByte(0x0B);
        return new ConstantExpression(writer.ToArray());
    }

    /// <summary>A reader over the expression's instructions.</summary>
    public InstructionReader GetInstructionReader() => new(Code.Span, CodeOffset);

    /// <summary>The decoded instructions, <c>end</c> included.</summary>
    public ImmutableArray<Instruction> Instructions => Instruction.DecodeAll(Code.Span, CodeOffset);

    /// <summary>Byte-wise equality of the code; offsets are ignored.</summary>
    public bool Equals(ConstantExpression? other) => other is not null && Code.Span.SequenceEqual(other.Code.Span);

    public override bool Equals(object? obj) => Equals(obj as ConstantExpression);

    public override int GetHashCode()
    {
        var hash = 17;
        foreach (var b in Code.Span) hash = (hash * 31) + b;
        return hash;
    }
}
