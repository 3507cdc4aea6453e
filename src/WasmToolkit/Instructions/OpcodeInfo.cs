using System.Collections.Immutable;

namespace WasmToolkit.Instructions;

/// <summary>What the opcode table says about one instruction.</summary>
public sealed class OpcodeInfo
{
    internal OpcodeInfo(Opcode opcode, string name, ImmediateKind immediate, int accessSize, int laneCount, string? signature)
    {
        Opcode = opcode;
        Name = name;
        Immediate = immediate;
        AccessSize = accessSize;
        LaneCount = laneCount;
        HasFixedSignature = signature is not null;
        if (signature is not null)
        {
            var arrow = signature.IndexOf('>');
            Operands = ParseTypes(signature.Substring(0, arrow));
            Results = ParseTypes(signature.Substring(arrow + 1));
        }
        else
        {
            Operands = ImmutableArray<ValType>.Empty;
            Results = ImmutableArray<ValType>.Empty;
        }

        var code = (int)opcode;
        Prefix = code > 0xFFFF ? (byte)(code >> 16) : (byte)0;
        Code = Prefix != 0 ? (uint)(code & 0xFFFF) : (uint)code;
        var log2 = 0;
        while ((1 << log2) < accessSize) log2++;
        NaturalAlignment = log2;
    }

    public Opcode Opcode { get; }

    /// <summary>The text-format mnemonic, e.g. <c>i32.add</c>.</summary>
    public string Name { get; }

    public ImmediateKind Immediate { get; }

    /// <summary>For memory instructions: bytes accessed (alignment may not exceed it).</summary>
    public int AccessSize { get; }

    /// <summary>log2 of <see cref="AccessSize"/>: the largest valid alignment exponent.</summary>
    public int NaturalAlignment { get; }

    /// <summary>For lane instructions: the number of lanes (lane index must be below it).</summary>
    public int LaneCount { get; }

    /// <summary>True when <see cref="Operands"/> → <see cref="Results"/> is the whole typing rule.</summary>
    public bool HasFixedSignature { get; }

    /// <summary>Operand types, bottom of the stack first.</summary>
    public ImmutableArray<ValType> Operands { get; }

    public ImmutableArray<ValType> Results { get; }

    /// <summary>0, 0xFC or 0xFD.</summary>
    public byte Prefix { get; }

    /// <summary>The opcode byte, or the sub-opcode after <see cref="Prefix"/>.</summary>
    public uint Code { get; }

    public override string ToString() => Name;

    private static ImmutableArray<ValType> ParseTypes(string list)
    {
        if (list.Length == 0) return ImmutableArray<ValType>.Empty;
        var parts = list.Split(',');
        var builder = ImmutableArray.CreateBuilder<ValType>(parts.Length);
        foreach (var p in parts)
        {
            builder.Add(p switch
            {
                "i32" => ValType.I32,
                "i64" => ValType.I64,
                "f32" => ValType.F32,
                "f64" => ValType.F64,
                "v128" => ValType.V128,
                _ => throw new System.InvalidOperationException("Bad type in opcode table: " + p),
            });
        }

        return builder.MoveToImmutable();
    }
}
