using System;

namespace WasmToolkit;

/// <summary>A data segment (spec 2.5.8, binary 5.5.14): bytes for a memory.</summary>
/// <remarks><see cref="Encoding"/> keeps the binary flag (0–2) read, for byte-identical rewriting.</remarks>
public sealed class DataSegment
{
    public DataSegment(SegmentMode mode, ReadOnlyMemory<byte> data, MemoryIndex memory = default, ConstantExpression? offset = null, int? encoding = null, ByteSpan span = default)
    {
        if (mode == SegmentMode.Declarative) throw new ArgumentException("Data segments are active or passive.", nameof(mode));
        if (mode == SegmentMode.Active && offset is null) throw new ArgumentException("Active segments need an offset.", nameof(offset));
        Mode = mode;
        Data = data;
        Memory = memory;
        Offset = offset;
        Encoding = encoding;
        Span = span;
    }

    public static DataSegment Active(MemoryIndex memory, ConstantExpression offset, ReadOnlyMemory<byte> data) => new(SegmentMode.Active, data, memory, offset);

    public static DataSegment Passive(ReadOnlyMemory<byte> data) => new(SegmentMode.Passive, data);

    public SegmentMode Mode { get; }

    public ReadOnlyMemory<byte> Data { get; }

    public MemoryIndex Memory { get; }

    public ConstantExpression? Offset { get; }

    public int? Encoding { get; }

    public ByteSpan Span { get; }

    public DataSegment WithData(ReadOnlyMemory<byte> data) => new(Mode, data, Memory, Offset, Encoding, Span);
}
