namespace WasmToolkit.Binary;

/// <summary>Where a section sat in a binary module, for inspection tools (<c>wasmtk inspect</c>).</summary>
public readonly struct SectionInfo
{
    public SectionInfo(SectionId id, ByteSpan span, ByteSpan contentSpan, string? customName)
    {
        Id = id;
        Span = span;
        ContentSpan = contentSpan;
        CustomName = customName;
    }

    public SectionId Id { get; }

    /// <summary>The whole section: id byte, size and contents.</summary>
    public ByteSpan Span { get; }

    /// <summary>The contents after the size field.</summary>
    public ByteSpan ContentSpan { get; }

    /// <summary>For custom sections, the name.</summary>
    public string? CustomName { get; }

    public override string ToString() => CustomName is null ? $"{Id} {Span}" : $"Custom \"{CustomName}\" {Span}";
}
