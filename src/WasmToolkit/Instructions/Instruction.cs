using System;
using System.Collections.Immutable;
using WasmToolkit.Binary.Internal;

namespace WasmToolkit.Instructions;

/// <summary>
/// One decoded instruction with its immediates: the materialised form for inspection, printing and
/// building code. The hot paths use <see cref="InstructionReader"/> instead.
/// </summary>
public sealed class Instruction : IEquatable<Instruction>
{
    public Instruction(Opcode opcode)
    {
        Opcode = opcode;
    }

    public Opcode Opcode { get; }

    /// <summary>Absolute offset in the module's bytes (0 when built in code).</summary>
    public int Offset { get; init; }

    public BlockType BlockType { get; init; }

    /// <summary>First index immediate (see <see cref="InstructionReader.Index"/>); the default target of <c>br_table</c>.</summary>
    public uint Index { get; init; }

    /// <summary>Second index immediate.</summary>
    public uint Index2 { get; init; }

    public MemArg MemArg { get; init; }

    /// <summary>Constant bits (i32 zero-extended, f32/f64 as bit patterns).</summary>
    public ulong Value { get; init; }

    public V128 V128 { get; init; }

    public byte Lane { get; init; }

    public HeapType HeapType { get; init; }

    /// <summary>Types of a typed <c>select</c>.</summary>
    public ImmutableArray<ValType> SelectTypes { get; init; } = ImmutableArray<ValType>.Empty;

    /// <summary>Non-default targets of <c>br_table</c>.</summary>
    public ImmutableArray<uint> BrTableTargets { get; init; } = ImmutableArray<uint>.Empty;

    public OpcodeInfo Info => OpcodeTable.Get(Opcode) ?? throw new InvalidOperationException("Unknown opcode " + Opcode);

    /// <summary>The i32 constant.</summary>
    public int I32Value => (int)(uint)Value;

    /// <summary>The i64 constant.</summary>
    public long I64Value => (long)Value;

    /// <summary>Captures the reader's current instruction.</summary>
    public static Instruction FromReader(ref InstructionReader reader)
    {
        var targets = ImmutableArray<uint>.Empty;
        var selectTypes = ImmutableArray<ValType>.Empty;
        if (reader.Opcode == Opcode.BrTable)
        {
            var builder = ImmutableArray.CreateBuilder<uint>((int)Math.Min(reader.BrTableCount, 1 << 16));
            foreach (var t in reader.GetBrTableTargets()) builder.Add(t);
            targets = builder.ToImmutable();
        }
        else if (reader.Opcode == Opcode.SelectTyped && reader.SelectTypeCount > 0)
        {
            selectTypes = ImmutableArray.Create(reader.SelectType);
        }

        // Only the immediates of the instruction's kind are meaningful on the reader; copy just those.
        var kind = reader.Info!.Immediate;
        return new Instruction(reader.Opcode)
        {
            Offset = reader.InstructionOffset,
            BlockType = kind == ImmediateKind.Block ? reader.BlockType : default,
            Index = kind == ImmediateKind.BrTable ? reader.BrTableDefault : HasIndex(kind) ? reader.Index : 0,
            Index2 = HasIndex2(kind) ? reader.Index2 : 0,
            MemArg = kind is ImmediateKind.Memarg or ImmediateKind.MemargLane ? reader.MemArg : default,
            Value = kind is ImmediateKind.I32 or ImmediateKind.I64 or ImmediateKind.F32 or ImmediateKind.F64 ? reader.Value : 0,
            V128 = kind is ImmediateKind.V128 or ImmediateKind.Shuffle ? reader.V128 : default,
            Lane = kind is ImmediateKind.Lane or ImmediateKind.MemargLane ? reader.Lane : (byte)0,
            HeapType = kind == ImmediateKind.HeapType ? reader.HeapType : default,
            SelectTypes = selectTypes,
            BrTableTargets = targets,
        };
    }

    private static bool HasIndex(ImmediateKind kind) => kind is ImmediateKind.Label or ImmediateKind.Func or ImmediateKind.Local
        or ImmediateKind.Global or ImmediateKind.Table or ImmediateKind.Data or ImmediateKind.Elem or ImmediateKind.Memory
        or ImmediateKind.CallIndirect or ImmediateKind.TableInit or ImmediateKind.TableCopy or ImmediateKind.MemoryInit
        or ImmediateKind.MemoryCopy;

    private static bool HasIndex2(ImmediateKind kind) => kind is ImmediateKind.CallIndirect or ImmediateKind.TableInit
        or ImmediateKind.TableCopy or ImmediateKind.MemoryInit or ImmediateKind.MemoryCopy;

    /// <summary>Decodes every instruction of <paramref name="code"/>; stops at the first malformed one.</summary>
    public static ImmutableArray<Instruction> DecodeAll(ReadOnlySpan<byte> code, int baseOffset = 0, WasmFeatures features = WasmFeatures.V2)
    {
        var reader = new InstructionReader(code, baseOffset, features);
        var builder = ImmutableArray.CreateBuilder<Instruction>();
        while (reader.Read()) builder.Add(FromReader(ref reader));
        return builder.ToImmutable();
    }

    /// <summary>Encodes the instruction (spec 5.4).</summary>
    internal void WriteTo(ByteWriter writer)
    {
        var info = Info;
        if (info.Prefix != 0)
        {
            writer.WriteByte(info.Prefix);
            writer.WriteVarUInt32(info.Code);
        }
        else
        {
            writer.WriteByte((byte)info.Code);
        }

        switch (info.Immediate)
        {
            case ImmediateKind.None:
                break;
            case ImmediateKind.Block:
                switch (BlockType.Kind)
                {
                    case BlockTypeKind.Empty: writer.WriteByte(0x40); break;
                    case BlockTypeKind.Value: writer.WriteValType(BlockType.ValueType); break;
                    default: writer.WriteVarInt64(BlockType.TypeIndex); break;
                }

                break;
            case ImmediateKind.Label:
            case ImmediateKind.Func:
            case ImmediateKind.Local:
            case ImmediateKind.Global:
            case ImmediateKind.Table:
            case ImmediateKind.Data:
            case ImmediateKind.Elem:
                writer.WriteVarUInt32(Index);
                break;
            case ImmediateKind.CallIndirect:
            case ImmediateKind.TableInit:
            case ImmediateKind.TableCopy:
                writer.WriteVarUInt32(Index);
                writer.WriteVarUInt32(Index2);
                break;
            case ImmediateKind.Memory:
                writer.WriteVarUInt32(Index);
                break;
            case ImmediateKind.MemoryInit:
                writer.WriteVarUInt32(Index);
                writer.WriteVarUInt32(Index2);
                break;
            case ImmediateKind.MemoryCopy:
                writer.WriteVarUInt32(Index);
                writer.WriteVarUInt32(Index2);
                break;
            case ImmediateKind.BrTable:
                writer.WriteVarUInt32((uint)BrTableTargets.Length);
                foreach (var t in BrTableTargets) writer.WriteVarUInt32(t);
                writer.WriteVarUInt32(Index);
                break;
            case ImmediateKind.Memarg:
            case ImmediateKind.MemargLane:
                WriteMemArg(writer, MemArg);
                if (info.Immediate == ImmediateKind.MemargLane) writer.WriteByte(Lane);
                break;
            case ImmediateKind.Lane:
                writer.WriteByte(Lane);
                break;
            case ImmediateKind.I32:
                writer.WriteVarInt32((int)(uint)Value);
                break;
            case ImmediateKind.I64:
                writer.WriteVarInt64((long)Value);
                break;
            case ImmediateKind.F32:
                writer.WriteUInt32Fixed((uint)Value);
                break;
            case ImmediateKind.F64:
                writer.WriteUInt64Fixed(Value);
                break;
            case ImmediateKind.V128:
            case ImmediateKind.Shuffle:
                Span<byte> bytes = stackalloc byte[16];
                V128.CopyTo(bytes);
                writer.WriteBytes(bytes);
                break;
            case ImmediateKind.HeapType:
                writer.WriteHeapType(HeapType);
                break;
            case ImmediateKind.SelectTypes:
                writer.WriteVarUInt32((uint)SelectTypes.Length);
                foreach (var t in SelectTypes) writer.WriteValType(t);
                break;
        }
    }

    private static void WriteMemArg(ByteWriter writer, MemArg memArg)
    {
        if (memArg.Memory != 0)
        {
            writer.WriteVarUInt32(memArg.AlignExponent | 0x40);
            writer.WriteVarUInt32(memArg.Memory);
        }
        else
        {
            writer.WriteVarUInt32(memArg.AlignExponent);
        }

        writer.WriteVarUInt64(memArg.Offset);
    }

    /// <summary>Encodes a sequence of instructions to bytes.</summary>
    public static byte[] Encode(params Instruction[] instructions)
    {
        var writer = new ByteWriter();
        foreach (var i in instructions) i.WriteTo(writer);
        return writer.ToArray();
    }

    public bool Equals(Instruction? other)
        => other is not null && Opcode == other.Opcode && BlockType.Equals(other.BlockType) && Index == other.Index
           && Index2 == other.Index2 && MemArg.Equals(other.MemArg) && Value == other.Value && V128.Equals(other.V128)
           && Lane == other.Lane && HeapType == other.HeapType && SelectTypes.AsSpan().SequenceEqual(other.SelectTypes.AsSpan())
           && BrTableTargets.AsSpan().SequenceEqual(other.BrTableTargets.AsSpan());

    public override bool Equals(object? obj) => Equals(obj as Instruction);

    public override int GetHashCode() => ((int)Opcode * 31) ^ (int)Index ^ Value.GetHashCode();

    public override string ToString() => OpcodeTable.GetName(Opcode);
}
