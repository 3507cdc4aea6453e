using System;

namespace WasmToolkit;

/// <summary>
/// What a reference points to: an abstract heap type (<c>func</c>, <c>extern</c>, and in 3.0 more)
/// or, for typed references, a type index.
/// </summary>
/// <remarks>Encoded in one int: negative values are abstract kinds, others are type indices, so the
/// 3.0 typed references fit without changing the layout.</remarks>
public readonly struct HeapType : IEquatable<HeapType>
{
    private readonly int _value;

    private HeapType(int value) => _value = value;

    /// <summary>Any function (<c>func</c>, binary 0x70).</summary>
    public static HeapType Func => new(-0x10);

    /// <summary>Any host reference (<c>extern</c>, binary 0x6F).</summary>
    public static HeapType Extern => new(-0x11);

    /// <summary>A concrete type, by index (function references, 3.0).</summary>
    public static HeapType FromTypeIndex(uint index) => new(checked((int)index));

    /// <summary>True when this names a type by index.</summary>
    public bool IsTypeIndex => _value >= 0;

    /// <summary>The type index; only valid when <see cref="IsTypeIndex"/>.</summary>
    public uint TypeIndex => IsTypeIndex ? (uint)_value : throw new InvalidOperationException("Abstract heap type has no index.");

    public bool Equals(HeapType other) => _value == other._value;

    public override bool Equals(object? obj) => obj is HeapType other && Equals(other);

    public override int GetHashCode() => _value;

    public static bool operator ==(HeapType left, HeapType right) => left.Equals(right);

    public static bool operator !=(HeapType left, HeapType right) => !left.Equals(right);

    public override string ToString() => _value switch
    {
        -0x10 => "func",
        -0x11 => "extern",
        >= 0 => _value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => "?",
    };
}
