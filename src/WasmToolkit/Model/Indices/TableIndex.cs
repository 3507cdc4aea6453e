using System;
using System.Globalization;

namespace WasmToolkit;

/// <summary>An index into the module's table index space (spec 2.5.1 "Indices").</summary>
public readonly struct TableIndex : IEquatable<TableIndex>, IComparable<TableIndex>
{
    /// <summary>Wraps a raw index.</summary>
    public TableIndex(uint value) => Value = value;

    /// <summary>The raw index.</summary>
    public uint Value { get; }

    public static implicit operator TableIndex(uint value) => new(value);

    public static explicit operator uint(TableIndex index) => index.Value;

    public bool Equals(TableIndex other) => Value == other.Value;

    public override bool Equals(object? obj) => obj is TableIndex other && Equals(other);

    public override int GetHashCode() => (int)Value;

    public int CompareTo(TableIndex other) => Value.CompareTo(other.Value);

    public static bool operator ==(TableIndex left, TableIndex right) => left.Value == right.Value;

    public static bool operator !=(TableIndex left, TableIndex right) => left.Value != right.Value;

    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
