using System;

namespace WasmToolkit;

/// <summary>A table type (spec 2.3.10): element reference type and limits.</summary>
public readonly struct TableType : IEquatable<TableType>
{
    public TableType(ValType elementType, Limits limits)
    {
        ElementType = elementType;
        Limits = limits;
    }

    public ValType ElementType { get; }

    public Limits Limits { get; }

    public TableType WithLimits(Limits limits) => new(ElementType, limits);

    public bool Equals(TableType other) => ElementType == other.ElementType && Limits == other.Limits;

    public override bool Equals(object? obj) => obj is TableType other && Equals(other);

    public override int GetHashCode() => ElementType.GetHashCode() ^ Limits.GetHashCode();

    public override string ToString() => $"{Limits} {ElementType}";
}
