using System.Globalization;

namespace WasmToolkit.Diagnostics;

/// <summary>Where a diagnostic points: a byte range of a binary or a character range of a text.</summary>
public abstract class Location
{
    private protected Location()
    {
    }

    /// <summary>A location that points nowhere in particular.</summary>
    public static Location None { get; } = new NoLocation();

    /// <summary>The file the location is in, if known.</summary>
    public abstract string? Path { get; }

    /// <summary>The part after the path in compiler-style output: <c>(0x1a)</c> or <c>(3,5)</c>.</summary>
    public abstract string Describe();

    public override string ToString() => (Path ?? "") + Describe();

    private sealed class NoLocation : Location
    {
        public override string? Path => null;

        public override string Describe() => "";
    }
}

/// <summary>A byte range in a binary module, with the function and instruction it concerns where that applies.</summary>
public sealed class BinaryLocation : Location
{
    public BinaryLocation(ByteSpan span, string? path = null, uint? functionIndex = null, int? instructionOffset = null)
    {
        Span = span;
        Path = path;
        FunctionIndex = functionIndex;
        InstructionOffset = instructionOffset;
    }

    public ByteSpan Span { get; }

    public override string? Path { get; }

    /// <summary>For code diagnostics: the function index.</summary>
    public uint? FunctionIndex { get; }

    /// <summary>For code diagnostics: the offset of the instruction in the module's bytes.</summary>
    public int? InstructionOffset { get; }

    public BinaryLocation WithPath(string? path) => new(Span, path, FunctionIndex, InstructionOffset);

    public override string Describe()
    {
        var s = string.Format(CultureInfo.InvariantCulture, "(0x{0:x})", Span.Start);
        return FunctionIndex is { } f ? s + string.Format(CultureInfo.InvariantCulture, " [func {0}]", f) : s;
    }
}

/// <summary>A character range in a text file; line and column computed on demand.</summary>
public sealed class TextLocation : Location
{
    public TextLocation(SourceText source, TextSpan span)
    {
        Source = source;
        Span = span;
    }

    public SourceText Source { get; }

    public TextSpan Span { get; }

    public override string? Path => Source.Path;

    /// <summary>0-based start line and column.</summary>
    public LinePosition Start => Source.GetLinePosition(Span.Start);

    public override string Describe() => "(" + Start + ")";
}
