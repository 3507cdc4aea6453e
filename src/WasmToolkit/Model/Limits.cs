using System;

namespace WasmToolkit;

/// <summary>Size limits of a memory or table (spec 2.3.9 "Limits"), in pages or elements.</summary>
/// <remarks>64-bit values so memory64 (3.0) fits; <see cref="Is64"/> records the index type.</remarks>
public readonly struct Limits : IEquatable<Limits>
{
    public Limits(ulong minimum, ulong? maximum = null, bool shared = false, bool is64 = false)
    {
        Minimum = minimum;
        Maximum = maximum;
        IsShared = shared;
        Is64 = is64;
    }

    /// <summary>The initial size.</summary>
    public ulong Minimum { get; }

    /// <summary>The maximum size, if any.</summary>
    public ulong? Maximum { get; }

    /// <summary>The threads proposal's shared flag (read and kept; validated as a feature).</summary>
    public bool IsShared { get; }

    /// <summary>True for 64-bit indices (memory64, 3.0).</summary>
    public bool Is64 { get; }

    public Limits WithMinimum(ulong minimum) => new(minimum, Maximum, IsShared, Is64);

    public Limits WithMaximum(ulong? maximum) => new(Minimum, maximum, IsShared, Is64);

    public bool Equals(Limits other) => Minimum == other.Minimum && Maximum == other.Maximum && IsShared == other.IsShared && Is64 == other.Is64;

    public override bool Equals(object? obj) => obj is Limits other && Equals(other);

    public override int GetHashCode() => Minimum.GetHashCode() ^ (Maximum.GetHashCode() * 7) ^ (IsShared ? 1 : 0) ^ (Is64 ? 2 : 0);

    public static bool operator ==(Limits left, Limits right) => left.Equals(right);

    public static bool operator !=(Limits left, Limits right) => !left.Equals(right);

    /// <summary>Text form: <c>1 2</c>, <c>1</c>, with <c>i64</c> and <c>shared</c> where set.</summary>
    public override string ToString()
        => (Is64 ? "i64 " : "") + Minimum + (Maximum is { } max ? " " + max : "") + (IsShared ? " shared" : "");
}
