using System;
using System.Globalization;

namespace WasmToolkit;

/// <summary>
/// A range of bytes in a binary module: where a node was read from.
/// Nodes built in code have the default (empty) span.
/// </summary>
public readonly struct ByteSpan : IEquatable<ByteSpan>
{
    public ByteSpan(int start, int length)
    {
        if (start < 0) throw new ArgumentOutOfRangeException(nameof(start));
        if (length < 0) throw new ArgumentOutOfRangeException(nameof(length));
        Start = start;
        Length = length;
    }

    /// <summary>Offset of the first byte.</summary>
    public int Start { get; }

    /// <summary>Number of bytes.</summary>
    public int Length { get; }

    /// <summary>Offset just past the last byte.</summary>
    public int End => Start + Length;

    /// <summary>True for the span of nodes that were not read from bytes.</summary>
    public bool IsEmpty => Length == 0;

    public static ByteSpan FromBounds(int start, int end) => new(start, end - start);

    public bool Equals(ByteSpan other) => Start == other.Start && Length == other.Length;

    public override bool Equals(object? obj) => obj is ByteSpan other && Equals(other);

    public override int GetHashCode() => (Start * 31) ^ Length;

    public static bool operator ==(ByteSpan left, ByteSpan right) => left.Equals(right);

    public static bool operator !=(ByteSpan left, ByteSpan right) => !left.Equals(right);

    public override string ToString() => string.Format(CultureInfo.InvariantCulture, "[0x{0:x}..0x{1:x})", Start, End);
}
