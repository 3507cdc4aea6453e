using System;

namespace WasmToolkit;

/// <summary>A custom section (spec 5.5.3): a name and opaque bytes, with where it sat in the module.</summary>
public sealed class CustomSection
{
    public CustomSection(string name, ReadOnlyMemory<byte> data, SectionId after = SectionId.Custom, ByteSpan span = default)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Data = data;
        After = after;
        Span = span;
    }

    public string Name { get; }

    /// <summary>The section's contents after its name.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>The last known section before this one (<see cref="SectionId.Custom"/> when it comes first).</summary>
    public SectionId After { get; }

    /// <summary>The whole section, id and size included.</summary>
    public ByteSpan Span { get; }

    public CustomSection WithData(ReadOnlyMemory<byte> data) => new(Name, data, After, Span);
}
