using System;
using System.Globalization;

namespace WasmToolkit;

/// <summary>An index into the module's memory index space (spec 2.5.1 "Indices").</summary>
public readonly struct MemoryIndex : IEquatable<MemoryIndex>, IComparable<MemoryIndex>
{
    /// <summary>Wraps a raw index.</summary>
    public MemoryIndex(uint value) => Value = value;

    /// <summary>The raw index.</summary>
    public uint Value { get; }

    public static implicit operator MemoryIndex(uint value) => new(value);

    public static explicit operator uint(MemoryIndex index) => index.Value;

    public bool Equals(MemoryIndex other) => Value == other.Value;

    public override bool Equals(object? obj) => obj is MemoryIndex other && Equals(other);

    public override int GetHashCode() => (int)Value;

    public int CompareTo(MemoryIndex other) => Value.CompareTo(other.Value);

    public static bool operator ==(MemoryIndex left, MemoryIndex right) => left.Value == right.Value;

    public static bool operator !=(MemoryIndex left, MemoryIndex right) => left.Value != right.Value;

    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
