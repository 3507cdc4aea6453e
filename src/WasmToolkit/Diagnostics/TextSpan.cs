using System;

namespace WasmToolkit.Diagnostics;

/// <summary>A range of characters in a text (0-based, after Roslyn's <c>TextSpan</c>).</summary>
public readonly struct TextSpan : IEquatable<TextSpan>
{
    public TextSpan(int start, int length)
    {
        Start = start;
        Length = length;
    }

    public int Start { get; }

    public int Length { get; }

    public int End => Start + Length;

    public static TextSpan FromBounds(int start, int end) => new(start, end - start);

    public bool Equals(TextSpan other) => Start == other.Start && Length == other.Length;

    public override bool Equals(object? obj) => obj is TextSpan other && Equals(other);

    public override int GetHashCode() => (Start * 31) ^ Length;

    public override string ToString() => $"[{Start}..{End})";
}
