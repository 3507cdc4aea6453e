using System;
using System.Globalization;

namespace WasmToolkit;

/// <summary>An index into the module's function index space (spec 2.5.1 "Indices").</summary>
public readonly struct FuncIndex : IEquatable<FuncIndex>, IComparable<FuncIndex>
{
    /// <summary>Wraps a raw index.</summary>
    public FuncIndex(uint value) => Value = value;

    /// <summary>The raw index.</summary>
    public uint Value { get; }

    public static implicit operator FuncIndex(uint value) => new(value);

    public static explicit operator uint(FuncIndex index) => index.Value;

    public bool Equals(FuncIndex other) => Value == other.Value;

    public override bool Equals(object? obj) => obj is FuncIndex other && Equals(other);

    public override int GetHashCode() => (int)Value;

    public int CompareTo(FuncIndex other) => Value.CompareTo(other.Value);

    public static bool operator ==(FuncIndex left, FuncIndex right) => left.Value == right.Value;

    public static bool operator !=(FuncIndex left, FuncIndex right) => left.Value != right.Value;

    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
