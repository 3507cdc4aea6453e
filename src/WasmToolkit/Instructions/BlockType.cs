using System;

namespace WasmToolkit.Instructions;

/// <summary>The type of a block, loop or if (spec 5.4.1): empty, one value type, or a type index.</summary>
public readonly struct BlockType : IEquatable<BlockType>
{
    private readonly ValType _value;
    private readonly uint _typeIndex;

    private BlockType(BlockTypeKind kind, ValType value, uint typeIndex)
    {
        Kind = kind;
        _value = value;
        _typeIndex = typeIndex;
    }

    /// <summary><c>[] → []</c>.</summary>
    public static BlockType Empty => default;

    /// <summary><c>[] → [t]</c>.</summary>
    public static BlockType FromValue(ValType type) => new(BlockTypeKind.Value, type, 0);

    /// <summary>The function type at <paramref name="index"/> (multi-value).</summary>
    public static BlockType FromTypeIndex(uint index) => new(BlockTypeKind.TypeIndex, default, index);

    public BlockTypeKind Kind { get; }

    /// <summary>The single result type when <see cref="Kind"/> is <see cref="BlockTypeKind.Value"/>.</summary>
    public ValType ValueType => _value;

    /// <summary>The type index when <see cref="Kind"/> is <see cref="BlockTypeKind.TypeIndex"/>.</summary>
    public uint TypeIndex => _typeIndex;

    public bool Equals(BlockType other) => Kind == other.Kind && _value == other._value && _typeIndex == other._typeIndex;

    public override bool Equals(object? obj) => obj is BlockType other && Equals(other);

    public override int GetHashCode() => ((int)Kind * 31) ^ _value.GetHashCode() ^ (int)_typeIndex;

    public override string ToString() => Kind switch
    {
        BlockTypeKind.Empty => "",
        BlockTypeKind.Value => "(result " + _value + ")",
        _ => "(type " + _typeIndex + ")",
    };
}

/// <summary>The forms of <see cref="BlockType"/>.</summary>
public enum BlockTypeKind : byte
{
    Empty,
    Value,
    TypeIndex,
}
