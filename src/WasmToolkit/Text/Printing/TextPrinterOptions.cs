namespace WasmToolkit.Text;

/// <summary>Settings of <see cref="ModulePrinter"/>.</summary>
/// <remarks>Immutable once built; <see cref="Default"/> is shared.</remarks>
public sealed class TextPrinterOptions
{
    /// <summary>The defaults: names from the name section, no offset comments, two-space indentation.</summary>
    public static TextPrinterOptions Default { get; } = new();

    /// <summary>
    /// Print <c>$name</c> identifiers from the <c>name</c> section where they are valid WAT identifiers and
    /// unique within their index space (default true). When false, every reference is a plain index.
    /// </summary>
    public bool UseNames { get; init; } = true;

    /// <summary>Append a <c>;; @0x…</c> comment with the instruction's byte offset to every instruction (default false).</summary>
    public bool IncludeOffsets { get; init; }

    /// <summary>Spaces per nesting level (default 2).</summary>
    public int IndentSize { get; init; } = 2;

    /// <summary>
    /// Proposals to decode function bodies with (default <see cref="WasmFeatures.V2"/>); pass the features the
    /// module was read with so that, e.g., multi-memory memory immediates decode.
    /// </summary>
    public WasmFeatures Features { get; init; } = WasmFeatures.V2;

    /// <summary>Mention custom sections (other than <c>name</c>) in <c>;;</c> comments (default true).</summary>
    public bool IncludeCustomSectionComments { get; init; } = true;
}
