using System;
using System.Globalization;

namespace WasmToolkit;

/// <summary>An index into the module's global index space (spec 2.5.1 "Indices").</summary>
public readonly struct GlobalIndex : IEquatable<GlobalIndex>, IComparable<GlobalIndex>
{
    /// <summary>Wraps a raw index.</summary>
    public GlobalIndex(uint value) => Value = value;

    /// <summary>The raw index.</summary>
    public uint Value { get; }

    public static implicit operator GlobalIndex(uint value) => new(value);

    public static explicit operator uint(GlobalIndex index) => index.Value;

    public bool Equals(GlobalIndex other) => Value == other.Value;

    public override bool Equals(object? obj) => obj is GlobalIndex other && Equals(other);

    public override int GetHashCode() => (int)Value;

    public int CompareTo(GlobalIndex other) => Value.CompareTo(other.Value);

    public static bool operator ==(GlobalIndex left, GlobalIndex right) => left.Value == right.Value;

    public static bool operator !=(GlobalIndex left, GlobalIndex right) => left.Value != right.Value;

    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
