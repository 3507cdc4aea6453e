using System;

namespace WasmToolkit.Binary.Internal;

/// <summary>A growable byte buffer with the binary format's primitive encodings (spec 5.2).</summary>
internal sealed class ByteWriter
{
    private byte[] _buffer;
    private int _length;

    public ByteWriter(int capacity = 256) => _buffer = new byte[Math.Max(16, capacity)];

    public int Length => _length;

    public ReadOnlySpan<byte> WrittenSpan => new(_buffer, 0, _length);

    public byte[] ToArray() => WrittenSpan.ToArray();

    public void Clear() => _length = 0;

    private void Ensure(int extra)
    {
        if (_length + extra <= _buffer.Length) return;
        var size = Math.Max(_buffer.Length * 2, _length + extra);
        Array.Resize(ref _buffer, size);
    }

    public void WriteByte(byte value)
    {
        Ensure(1);
        _buffer[_length++] = value;
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    public void WriteVarUInt32(uint value) => WriteVarUInt64(value);

    public void WriteVarUInt64(ulong value)
    {
        Ensure(10);
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            if (value != 0) b |= 0x80;
            _buffer[_length++] = b;
        }
        while (value != 0);
    }

    public void WriteVarInt32(int value) => WriteVarInt64(value);

    public void WriteVarInt64(long value)
    {
        Ensure(10);
        while (true)
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            var done = (value == 0 && (b & 0x40) == 0) || (value == -1 && (b & 0x40) != 0);
            if (!done) b |= 0x80;
            _buffer[_length++] = b;
            if (done) return;
        }
    }

    public void WriteUInt32Fixed(uint value)
    {
        Ensure(4);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(_length), value);
        _length += 4;
    }

    public void WriteUInt64Fixed(ulong value)
    {
        Ensure(8);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(_length), value);
        _length += 8;
    }

    /// <summary>A length-prefixed UTF-8 name (spec 5.2.4).</summary>
    public void WriteName(string name)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(name);
        WriteVarUInt32((uint)bytes.Length);
        WriteBytes(bytes);
    }

    public void WriteValType(ValType type)
    {
        if (type.BinaryCode is { } code)
        {
            WriteByte(code);
            return;
        }

        // Typed references (3.0): 0x64 ref / 0x63 ref null, then the heap type as s33.
        WriteByte(type.IsNullable ? (byte)0x63 : (byte)0x64);
        WriteHeapType(type.Heap);
    }

    public void WriteHeapType(HeapType heap)
    {
        if (heap == HeapType.Func) WriteByte(0x70);
        else if (heap == HeapType.Extern) WriteByte(0x6F);
        else WriteVarInt64(heap.TypeIndex);
    }
}
