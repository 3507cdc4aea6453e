using System;
using System.Runtime.CompilerServices;
using WasmToolkit.Binary.Internal;
using WasmToolkit.Diagnostics;

namespace WasmToolkit.Instructions;

/// <summary>
/// Decodes instructions one at a time from a body's bytes without allocating (spec 5.4).
/// After <see cref="Read"/> returns true, <see cref="Opcode"/> and the immediate properties that its
/// <see cref="ImmediateKind"/> defines describe the instruction; other immediate properties keep stale values.
/// </summary>
/// <remarks>
/// <see cref="Read"/> returns false at the end of the bytes or on malformed input; then
/// <see cref="ErrorDescriptor"/> says which (null at a clean end). Offsets are absolute (module bytes).
/// </remarks>
public ref struct InstructionReader
{
    private SpanReader _reader;
    private int _brTableStart;

    public InstructionReader(ReadOnlySpan<byte> code, int baseOffset = 0, WasmFeatures features = WasmFeatures.V2)
    {
        _reader = new SpanReader(code, baseOffset);
        _brTableStart = 0;
        Features = features;
        Opcode = default;
        Info = null;
        InstructionOffset = baseOffset;
        BlockType = default;
        Index = 0;
        Index2 = 0;
        MemArg = default;
        Value = 0;
        V128 = default;
        Lane = 0;
        HeapType = default;
        SelectType = default;
        SelectTypeCount = 0;
        BrTableCount = 0;
        BrTableDefault = 0;
    }

    public WasmFeatures Features { get; }

    /// <summary>True when every byte has been read.</summary>
    public readonly bool IsAtEnd => _reader.IsAtEnd;

    /// <summary>Absolute offset of the next instruction.</summary>
    public readonly int Offset => _reader.Offset;

    /// <summary>
    /// The byte <paramref name="ahead"/> bytes past the start of the next instruction (0: its opcode byte), or -1 past the
    /// end; for a cheap look at what follows before decoding it (a compiler fusing a compare with the branch after it).
    /// </summary>
    public readonly int PeekByte(int ahead = 0)
    {
        var i = _reader.Position + ahead;
        var data = _reader.Data;
        return (uint)i < (uint)data.Length ? data[i] : -1;
    }

    /// <summary>The error that stopped reading, or null.</summary>
    public readonly DiagnosticDescriptor? ErrorDescriptor => _reader.ErrorDescriptor;

    /// <summary>Absolute offset of the error.</summary>
    public readonly int ErrorOffset => _reader.ErrorOffset;

    /// <summary>The error message's first argument, if any.</summary>
    public readonly object? ErrorArgument => _reader.ErrorArgument;

    /// <summary>The error message's arguments.</summary>
    public readonly object?[] ErrorArguments => _reader.ErrorArguments ?? System.Array.Empty<object?>();

    /// <summary>The error as a diagnostic at a binary location, or null.</summary>
    public readonly Diagnostic? GetError(uint? functionIndex = null)
        => _reader.ErrorDescriptor is { } d
            ? Diagnostic.Create(d, new BinaryLocation(new ByteSpan(_reader.ErrorOffset, 1), null, functionIndex, InstructionOffset), ErrorArguments)
            : null;

    public Opcode Opcode { get; private set; }

    /// <summary>The table entry of the current instruction.</summary>
    public OpcodeInfo? Info { get; private set; }

    /// <summary>Absolute offset of the current instruction's first byte.</summary>
    public int InstructionOffset { get; private set; }

    public BlockType BlockType { get; private set; }

    /// <summary>First index immediate: label, function, local, global, table, memory, type (call_indirect), data, element.</summary>
    public uint Index { get; private set; }

    /// <summary>Second index immediate: table of <c>call_indirect</c>/<c>table.init</c>, memory of <c>memory.init</c>, source of copies.</summary>
    public uint Index2 { get; private set; }

    public MemArg MemArg { get; private set; }

    /// <summary>Constant bits: i32 as a zero-extended u32, i64 as is, f32/f64 as their bit patterns.</summary>
    public ulong Value { get; private set; }

    /// <summary><c>v128.const</c> bytes or <c>i8x16.shuffle</c> lanes.</summary>
    public V128 V128 { get; private set; }

    /// <summary>Lane index of lane instructions.</summary>
    public byte Lane { get; private set; }

    /// <summary>Heap type of <c>ref.null</c>.</summary>
    public HeapType HeapType { get; private set; }

    /// <summary>First type of a typed <c>select</c>.</summary>
    public ValType SelectType { get; private set; }

    /// <summary>Number of types of a typed <c>select</c> (must be 1 in 2.0; validated, not decoded away).</summary>
    public uint SelectTypeCount { get; private set; }

    /// <summary>Number of non-default targets of <c>br_table</c>.</summary>
    public uint BrTableCount { get; private set; }

    /// <summary>Default target of <c>br_table</c>.</summary>
    public uint BrTableDefault { get; private set; }

    /// <summary>The non-default targets of the current <c>br_table</c>.</summary>
    public readonly BrTableTargets GetBrTableTargets()
        => new(_reader.Data.Slice(_brTableStart), _reader.BaseOffset + _brTableStart, BrTableCount);

    /// <summary>Decodes the next instruction. False at the end or on error (see <see cref="ErrorDescriptor"/>).</summary>
    public bool Read()
    {
        var pos = _reader.Position;
        var data = _reader.Data;
        if (_reader.HasError || (uint)pos >= (uint)data.Length) return false;
        InstructionOffset = _reader.BaseOffset + pos;
        var b = data[pos];
        _reader.Position = pos + 1;
        var info = OpcodeTable.GetSingle(b);
        if (info is null || b >= 0xFC) return ReadPrefixed(b);

        Info = info;
        Opcode = info.Opcode;
        var kind = info.Immediate;
        if (kind == ImmediateKind.None) return true;

        // The commonest immediates, one LEB128 byte each, without leaving this method.
        pos++;
        if (kind <= ImmediateKind.Global && kind != ImmediateKind.BrTable && kind != ImmediateKind.Block && kind != ImmediateKind.CallIndirect)
        {
            // Label, Func, Local, Global: one u32 index.
            if ((uint)pos < (uint)data.Length && data[pos] < 0x80)
            {
                Index = data[pos];
                _reader.Position = pos + 1;
                return true;
            }
        }
        else if (kind == ImmediateKind.I32)
        {
            if ((uint)pos < (uint)data.Length && data[pos] < 0x80)
            {
                Value = (uint)(((int)data[pos] << 25) >> 25);
                _reader.Position = pos + 1;
                return true;
            }
        }

        return ReadImmediates(kind);
    }

    /// <summary>Prefixed opcodes (0xFC, 0xFD) and unknown one-byte opcodes.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool ReadPrefixed(byte b)
    {
        OpcodeInfo? info;
        if (b == 0xFC || b == 0xFD)
        {
            if (!_reader.TryReadVarUInt32(out var sub)) return false;
            info = OpcodeTable.GetPrefixed(b, sub);
            if (info is null) return _reader.Fail(DiagnosticCatalog.IllegalOpcode, InstructionOffset, $"0x{b:x2} {sub}");
            if (b == 0xFD && (Features & WasmFeatures.Simd) == 0) return _reader.Fail(DiagnosticCatalog.IllegalOpcode, InstructionOffset, $"0x{b:x2} {sub}");
        }
        else
        {
            info = OpcodeTable.GetSingle(b);
            if (info is null) return _reader.Fail(DiagnosticCatalog.IllegalOpcode, InstructionOffset, $"0x{b:x2}");
        }

        Info = info;
        Opcode = info.Opcode;
        return ReadImmediates(info.Immediate);
    }

    private bool ReadImmediates(ImmediateKind kind)
    {
        switch (kind)
        {
            case ImmediateKind.None:
                return true;
            case ImmediateKind.Block:
                return ReadBlockType();
            case ImmediateKind.Label:
            case ImmediateKind.Func:
            case ImmediateKind.Local:
            case ImmediateKind.Global:
            case ImmediateKind.Table:
            case ImmediateKind.Data:
            case ImmediateKind.Elem:
                return ReadIndex(out var index) && SetIndex(index);
            case ImmediateKind.CallIndirect:
            case ImmediateKind.TableInit:
            case ImmediateKind.TableCopy:
                return ReadIndex(out var first) && ReadIndex(out var second) && SetIndex(first) && Set2(second);
            case ImmediateKind.Memory:
                return ReadMemoryIndex(out var memory) && SetIndex(memory);
            case ImmediateKind.MemoryInit:
                return ReadIndex(out var data) && ReadMemoryIndex(out var mem) && SetIndex(data) && Set2(mem);
            case ImmediateKind.MemoryCopy:
                return ReadMemoryIndex(out var dst) && ReadMemoryIndex(out var src) && SetIndex(dst) && Set2(src);
            case ImmediateKind.BrTable:
                return ReadBrTable();
            case ImmediateKind.Memarg:
                return ReadMemArg();
            case ImmediateKind.MemargLane:
                return ReadMemArg() && ReadLane();
            case ImmediateKind.Lane:
                return ReadLane();
            case ImmediateKind.I32:
            {
                if (!_reader.TryReadVarInt32(out var v)) return false;
                Value = (uint)v;
                return true;
            }

            case ImmediateKind.I64:
            {
                if (!_reader.TryReadVarInt64(out var v)) return false;
                Value = (ulong)v;
                return true;
            }

            case ImmediateKind.F32:
            {
                if (!_reader.TryReadUInt32Fixed(out var v)) return false;
                Value = v;
                return true;
            }

            case ImmediateKind.F64:
            {
                if (!_reader.TryReadUInt64Fixed(out var v)) return false;
                Value = v;
                return true;
            }

            case ImmediateKind.V128:
            case ImmediateKind.Shuffle:
            {
                if (!_reader.TryReadBytes(16, out var bytes)) return false;
                V128 = new V128(bytes);
                return true;
            }

            case ImmediateKind.HeapType:
                return ReadHeapType();
            case ImmediateKind.SelectTypes:
                return ReadSelectTypes();
            default:
                return FailUnknownImmediate();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool FailUnknownImmediate() => _reader.Fail(DiagnosticCatalog.IllegalOpcode, InstructionOffset, Info!.Name);

    private bool SetIndex(uint value)
    {
        Index = value;
        return true;
    }

    private bool Set2(uint value)
    {
        Index2 = value;
        return true;
    }

    private bool ReadIndex(out uint value) => _reader.TryReadVarUInt32(out value);

    private bool ReadMemoryIndex(out uint value)
    {
        if ((Features & WasmFeatures.MultiMemory) != 0) return _reader.TryReadVarUInt32(out value);

        // 2.0: a single reserved byte that must be zero (spec 5.4.6).
        var at = _reader.Offset;
        if (!_reader.TryReadByte(out var b))
        {
            value = 0;
            return false;
        }

        value = b;
        return b == 0 || _reader.Fail(DiagnosticCatalog.ZeroByteExpected, at);
    }

    private bool ReadBlockType()
    {
        if (!_reader.TryPeekByte(out var b)) return _reader.TryReadByte(out _);
        if (b == 0x40)
        {
            _reader.Position++;
            BlockType = BlockType.Empty;
            return true;
        }

        if (ValType.TryFromBinaryCode(b, out var type))
        {
            _reader.Position++;
            BlockType = BlockType.FromValue(type);
            return true;
        }

        var at = _reader.Offset;
        if (!_reader.TryReadVarInt33(out var index)) return false;
        if (index < 0) return _reader.Fail(DiagnosticCatalog.MalformedValueType, at, b);
        BlockType = BlockType.FromTypeIndex((uint)index);
        return true;
    }

    private bool ReadBrTable()
    {
        if (!_reader.TryReadVarUInt32(out var count)) return false;
        _brTableStart = _reader.Position;
        for (var i = 0u; i < count; i++)
        {
            if (!_reader.TryReadVarUInt32(out _)) return false;
        }

        if (!_reader.TryReadVarUInt32(out var def)) return false;
        BrTableCount = count;
        BrTableDefault = def;
        return true;
    }

    private bool ReadMemArg()
    {
        // Fast path: alignment and offset of one byte each (alignment below 32 needs no flag checks).
        var pos = _reader.Position;
        var data = _reader.Data;
        if ((uint)(pos + 1) < (uint)data.Length)
        {
            uint alignByte = data[pos];
            uint offsetByte = data[pos + 1];
            if (alignByte < 32 && offsetByte < 0x80)
            {
                MemArg = new MemArg(alignByte, offsetByte, 0);
                _reader.Position = pos + 2;
                return true;
            }
        }

        var at = _reader.Offset;
        if (!_reader.TryReadVarUInt32(out var align)) return false;
        uint memory = 0;

        // 2.0 alignment exponents are below 32 (spec binary.wast/align.wast: "malformed memop flags");
        // bit 6 is multi-memory's explicit-index flag, higher bits are never valid.
        if ((align & ~0x40u) >= 32 || align >= 0x80) return _reader.Fail(DiagnosticCatalog.MalformedMemopFlags, at);
        if ((align & 0x40) != 0)
        {
            // Bit 6 announces an explicit memory index (multi-memory).
            if ((Features & WasmFeatures.MultiMemory) == 0) return _reader.Fail(DiagnosticCatalog.MalformedMemopFlags, at);
            align &= ~0x40u;
            if (!_reader.TryReadVarUInt32(out memory)) return false;
        }

        ulong offset;
        if ((Features & WasmFeatures.Memory64) != 0)
        {
            if (!_reader.TryReadVarUInt64(out offset)) return false;
        }
        else
        {
            if (!_reader.TryReadVarUInt32(out var offset32)) return false;
            offset = offset32;
        }

        MemArg = new MemArg(align, offset, memory);
        return true;
    }

    private bool ReadLane()
    {
        if (!_reader.TryReadByte(out var lane)) return false;
        Lane = lane;
        return true;
    }

    private bool ReadHeapType()
    {
        var at = _reader.Offset;
        if (!_reader.TryReadByte(out var b)) return false;
        switch (b)
        {
            case 0x70: HeapType = HeapType.Func; return true;
            case 0x6F: HeapType = HeapType.Extern; return true;
            default: return _reader.Fail(DiagnosticCatalog.MalformedReferenceType, at, b);
        }
    }

    private bool ReadSelectTypes()
    {
        if (!_reader.TryReadVarUInt32(out var count)) return false;
        SelectTypeCount = count;
        SelectType = default;
        for (var i = 0u; i < count; i++)
        {
            var at = _reader.Offset;
            if (!_reader.TryReadByte(out var b)) return false;
            if (!ValType.TryFromBinaryCode(b, out var type)) return _reader.Fail(DiagnosticCatalog.MalformedValueType, at, b);
            if (i == 0) SelectType = type;
        }

        return true;
    }
}

/// <summary>The non-default targets of a <c>br_table</c>, decoded on demand without allocating.</summary>
public ref struct BrTableTargets
{
    private SpanReader _reader;
    private uint _remaining;

    internal BrTableTargets(ReadOnlySpan<byte> bytes, int baseOffset, uint count)
    {
        _reader = new SpanReader(bytes, baseOffset);
        _remaining = count;
        Current = 0;
    }

    public uint Current { get; private set; }

    public bool MoveNext()
    {
        if (_remaining == 0) return false;
        _remaining--;
        _reader.TryReadVarUInt32(out var value);
        Current = value;
        return true;
    }

    public readonly BrTableTargets GetEnumerator() => this;
}
