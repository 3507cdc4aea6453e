using System;

namespace WasmToolkit;

/// <summary>A global type (spec 2.3.12): value type and mutability.</summary>
public readonly struct GlobalType : IEquatable<GlobalType>
{
    public GlobalType(ValType valueType, bool mutable)
    {
        ValueType = valueType;
        IsMutable = mutable;
    }

    public ValType ValueType { get; }

    public bool IsMutable { get; }

    public bool Equals(GlobalType other) => ValueType == other.ValueType && IsMutable == other.IsMutable;

    public override bool Equals(object? obj) => obj is GlobalType other && Equals(other);

    public override int GetHashCode() => ValueType.GetHashCode() ^ (IsMutable ? 0x100 : 0);

    public override string ToString() => IsMutable ? $"(mut {ValueType})" : ValueType.ToString();
}
