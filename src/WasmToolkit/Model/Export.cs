using System;

namespace WasmToolkit;

/// <summary>An export (spec 2.5.10): a unique name, a kind and an index into that kind's space.</summary>
public sealed class Export
{
    public Export(string name, ExternalKind kind, uint index, ByteSpan span = default)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Kind = kind;
        Index = index;
        Span = span;
    }

    public string Name { get; }

    public ExternalKind Kind { get; }

    /// <summary>Index into the function, table, memory or global index space per <see cref="Kind"/>.</summary>
    public uint Index { get; }

    public ByteSpan Span { get; }

    public Export WithName(string name) => name == Name ? this : new(name, Kind, Index, Span);

    public Export WithIndex(uint index) => index == Index ? this : new(Name, Kind, index, Span);

    public override string ToString() => $"export \"{Name}\" {Kind} {Index}";
}
