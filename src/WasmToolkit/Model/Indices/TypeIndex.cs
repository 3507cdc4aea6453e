using System;
using System.Globalization;

namespace WasmToolkit;

/// <summary>An index into the module's type index space (spec 2.5.1 "Indices").</summary>
public readonly struct TypeIndex : IEquatable<TypeIndex>, IComparable<TypeIndex>
{
    /// <summary>Wraps a raw index.</summary>
    public TypeIndex(uint value) => Value = value;

    /// <summary>The raw index.</summary>
    public uint Value { get; }

    public static implicit operator TypeIndex(uint value) => new(value);

    public static explicit operator uint(TypeIndex index) => index.Value;

    public bool Equals(TypeIndex other) => Value == other.Value;

    public override bool Equals(object? obj) => obj is TypeIndex other && Equals(other);

    public override int GetHashCode() => (int)Value;

    public int CompareTo(TypeIndex other) => Value.CompareTo(other.Value);

    public static bool operator ==(TypeIndex left, TypeIndex right) => left.Value == right.Value;

    public static bool operator !=(TypeIndex left, TypeIndex right) => left.Value != right.Value;

    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
