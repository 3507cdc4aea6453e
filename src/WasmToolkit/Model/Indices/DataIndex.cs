using System;
using System.Globalization;

namespace WasmToolkit;

/// <summary>An index into the module's data segment index space (spec 2.5.1 "Indices").</summary>
public readonly struct DataIndex : IEquatable<DataIndex>, IComparable<DataIndex>
{
    /// <summary>Wraps a raw index.</summary>
    public DataIndex(uint value) => Value = value;

    /// <summary>The raw index.</summary>
    public uint Value { get; }

    public static implicit operator DataIndex(uint value) => new(value);

    public static explicit operator uint(DataIndex index) => index.Value;

    public bool Equals(DataIndex other) => Value == other.Value;

    public override bool Equals(object? obj) => obj is DataIndex other && Equals(other);

    public override int GetHashCode() => (int)Value;

    public int CompareTo(DataIndex other) => Value.CompareTo(other.Value);

    public static bool operator ==(DataIndex left, DataIndex right) => left.Value == right.Value;

    public static bool operator !=(DataIndex left, DataIndex right) => left.Value != right.Value;

    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
