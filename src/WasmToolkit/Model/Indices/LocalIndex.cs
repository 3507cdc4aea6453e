using System;
using System.Globalization;

namespace WasmToolkit;

/// <summary>An index into the module's local index space (spec 2.5.1 "Indices").</summary>
public readonly struct LocalIndex : IEquatable<LocalIndex>, IComparable<LocalIndex>
{
    /// <summary>Wraps a raw index.</summary>
    public LocalIndex(uint value) => Value = value;

    /// <summary>The raw index.</summary>
    public uint Value { get; }

    public static implicit operator LocalIndex(uint value) => new(value);

    public static explicit operator uint(LocalIndex index) => index.Value;

    public bool Equals(LocalIndex other) => Value == other.Value;

    public override bool Equals(object? obj) => obj is LocalIndex other && Equals(other);

    public override int GetHashCode() => (int)Value;

    public int CompareTo(LocalIndex other) => Value.CompareTo(other.Value);

    public static bool operator ==(LocalIndex left, LocalIndex right) => left.Value == right.Value;

    public static bool operator !=(LocalIndex left, LocalIndex right) => left.Value != right.Value;

    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
