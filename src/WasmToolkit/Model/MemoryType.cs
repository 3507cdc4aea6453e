using System;

namespace WasmToolkit;

/// <summary>A memory type (spec 2.3.11): limits in 64 KiB pages.</summary>
public readonly struct MemoryType : IEquatable<MemoryType>
{
    /// <summary>Bytes per page.</summary>
    public const int PageSize = 65536;

    public MemoryType(Limits limits) => Limits = limits;

    public Limits Limits { get; }

    public bool Equals(MemoryType other) => Limits == other.Limits;

    public override bool Equals(object? obj) => obj is MemoryType other && Equals(other);

    public override int GetHashCode() => Limits.GetHashCode();

    public override string ToString() => Limits.ToString();
}
