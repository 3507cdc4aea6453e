using System;
using System.Collections.Immutable;
using WasmToolkit.Instructions;

namespace WasmToolkit;

/// <summary>
/// A function defined in the module (spec 2.5.3): its type, local declarations and body.
/// </summary>
/// <remarks>
/// The body stays a byte range (instructions up to and including the final <c>end</c>) until
/// someone asks: <see cref="Instructions"/> materialises it, <see cref="InstructionReader"/> walks it
/// without allocating.
/// </remarks>
public sealed class FunctionDefinition
{
    public FunctionDefinition(TypeIndex type, ImmutableArray<LocalGroup> locals, ReadOnlyMemory<byte> code, ByteSpan span = default, int codeOffset = 0)
    {
        Type = type;
        Locals = locals.IsDefault ? ImmutableArray<LocalGroup>.Empty : locals;
        Code = code;
        Span = span;
        CodeOffset = codeOffset;
    }

    /// <summary>The function's type index.</summary>
    public TypeIndex Type { get; }

    /// <summary>Local declarations, grouped as in the binary format.</summary>
    public ImmutableArray<LocalGroup> Locals { get; }

    /// <summary>The body's instruction bytes, ending with <c>end</c>.</summary>
    public ReadOnlyMemory<byte> Code { get; }

    /// <summary>The span of the whole body entry in the code section (size prefix excluded).</summary>
    public ByteSpan Span { get; }

    /// <summary>Offset in the module's bytes of the first byte of <see cref="Code"/> (0 when built in code).</summary>
    public int CodeOffset { get; }

    /// <summary>Total number of declared locals (parameters not included).</summary>
    public ulong LocalCount
    {
        get
        {
            ulong n = 0;
            foreach (var g in Locals) n += g.Count;
            return n;
        }
    }

    /// <summary>A reader positioned on the first instruction of the body.</summary>
    public InstructionReader GetInstructionReader() => new(Code.Span, CodeOffset);

    /// <summary>The body decoded into a list (allocates; for inspection and transformation).</summary>
    public ImmutableArray<Instruction> Instructions => Instruction.DecodeAll(Code.Span, CodeOffset);

    public FunctionDefinition WithType(TypeIndex type) => type == Type ? this : new(type, Locals, Code, Span, CodeOffset);

    public FunctionDefinition WithLocals(ImmutableArray<LocalGroup> locals) => new(Type, locals, Code, Span, CodeOffset);

    public FunctionDefinition WithCode(ReadOnlyMemory<byte> code) => new(Type, Locals, code, default, 0);
}
