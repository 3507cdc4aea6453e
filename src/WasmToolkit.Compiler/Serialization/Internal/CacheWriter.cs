using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace WasmToolkit.Compiler.Serialization.Internal;

/// <summary>Appends little-endian fields to a growing buffer (the writing half of <see cref="CacheReader"/>).</summary>
internal sealed class CacheWriter
{
    private readonly ArrayBufferWriter<byte> _buffer;

    public CacheWriter(int initialCapacity) => _buffer = new ArrayBufferWriter<byte>(Math.Max(256, initialCapacity));

    public int Length => _buffer.WrittenCount;

    public ReadOnlySpan<byte> Written => _buffer.WrittenSpan;

    public void Byte(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
    }

    public void U16(ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.GetSpan(2), value);
        _buffer.Advance(2);
    }

    public void U32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    public void I32(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    public void U64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    public void Bytes(ReadOnlySpan<byte> bytes) => _buffer.Write(bytes);

    /// <summary>A u32 length, then the bytes.</summary>
    public void Blob(ReadOnlySpan<byte> bytes)
    {
        U32((uint)bytes.Length);
        Bytes(bytes);
    }

    /// <summary>A u32 byte length, then UTF-8.</summary>
    public void String(string text) => Blob(Encoding.UTF8.GetBytes(text));
}
