using System;
using System.Buffers.Binary;
using System.Globalization;

namespace WasmToolkit.Instructions;

/// <summary>A 128-bit vector value (constant or shuffle lanes), little-endian as in memory.</summary>
public readonly struct V128 : IEquatable<V128>
{
    public V128(ulong low, ulong high)
    {
        Low = low;
        High = high;
    }

    /// <summary>Reads 16 bytes.</summary>
    public V128(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 16) throw new ArgumentException("Need 16 bytes.", nameof(bytes));
        Low = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        High = BinaryPrimitives.ReadUInt64LittleEndian(bytes.Slice(8));
    }

    /// <summary>Bytes 0–7.</summary>
    public ulong Low { get; }

    /// <summary>Bytes 8–15.</summary>
    public ulong High { get; }

    /// <summary>Byte <paramref name="index"/> (0–15).</summary>
    public byte this[int index] => (byte)((index < 8 ? Low >> (index * 8) : High >> ((index - 8) * 8)) & 0xFF);

    public void CopyTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(destination, Low);
        BinaryPrimitives.WriteUInt64LittleEndian(destination.Slice(8), High);
    }

    public byte[] ToArray()
    {
        var bytes = new byte[16];
        CopyTo(bytes);
        return bytes;
    }

    public bool Equals(V128 other) => Low == other.Low && High == other.High;

    public override bool Equals(object? obj) => obj is V128 other && Equals(other);

    public override int GetHashCode() => Low.GetHashCode() ^ (High.GetHashCode() * 31);

    /// <summary>As <c>i32x4 0x… 0x… 0x… 0x…</c>.</summary>
    public override string ToString()
        => string.Format(CultureInfo.InvariantCulture, "i32x4 0x{0:x8} 0x{1:x8} 0x{2:x8} 0x{3:x8}", (uint)Low, (uint)(Low >> 32), (uint)High, (uint)(High >> 32));
}
