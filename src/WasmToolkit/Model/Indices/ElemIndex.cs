using System;
using System.Globalization;

namespace WasmToolkit;

/// <summary>An index into the module's element segment index space (spec 2.5.1 "Indices").</summary>
public readonly struct ElemIndex : IEquatable<ElemIndex>, IComparable<ElemIndex>
{
    /// <summary>Wraps a raw index.</summary>
    public ElemIndex(uint value) => Value = value;

    /// <summary>The raw index.</summary>
    public uint Value { get; }

    public static implicit operator ElemIndex(uint value) => new(value);

    public static explicit operator uint(ElemIndex index) => index.Value;

    public bool Equals(ElemIndex other) => Value == other.Value;

    public override bool Equals(object? obj) => obj is ElemIndex other && Equals(other);

    public override int GetHashCode() => (int)Value;

    public int CompareTo(ElemIndex other) => Value.CompareTo(other.Value);

    public static bool operator ==(ElemIndex left, ElemIndex right) => left.Value == right.Value;

    public static bool operator !=(ElemIndex left, ElemIndex right) => left.Value != right.Value;

    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
