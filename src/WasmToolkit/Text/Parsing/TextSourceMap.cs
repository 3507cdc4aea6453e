using System;
using System.Collections.Immutable;
using WasmToolkit.Diagnostics;

namespace WasmToolkit.Text;

/// <summary>
/// Maps the byte offsets of a module parsed from text back to the text: turns the
/// <see cref="BinaryLocation"/>s the validator reports into <see cref="TextLocation"/>s (line:column).
/// </summary>
/// <remarks>
/// <para>
/// A text module has no bytes of its own, yet the validator speaks in offsets: the span of a model node
/// (<see cref="Export.Span"/>, <see cref="Import.Span"/>, <see cref="Module.StartSpan"/>…) or the offset
/// of an instruction in an encoded body. So the parser lays the module out in one virtual binary, in
/// text order, starting at offset 8 (where a binary's sections start): each item (type, import, function,
/// table, memory, global, export, start, element or data segment) gets a distinct span whose first byte
/// is a marker, and each encoded function body and constant expression a distinct
/// <see cref="FunctionDefinition.CodeOffset"/> / <see cref="ConstantExpression.CodeOffset"/> after it.
/// Model nodes carry those spans as nodes decoded from bytes do, and this map records, per marker and
/// per encoded instruction, the text it came from (the role of a PDB's sequence points).
/// </para>
/// <para>
/// The virtual offsets mean nothing outside this map: a module written to bytes has other offsets.
/// Lookups are a binary search over two arrays; the map holds no reference to the module.
/// </para>
/// </remarks>
public sealed class TextSourceMap
{
    /// <summary>The first virtual offset: offsets below it (the empty span of nodes built in code) map nowhere.</summary>
    internal const int FirstOffset = 8;

    private readonly int[] _offsets;
    private readonly TextSpan[] _spans;
    private readonly int _count;
    private readonly int _end;

    internal TextSourceMap(SourceText source, int[] offsets, TextSpan[] spans, int count, int end)
    {
        Source = source;
        _offsets = offsets;
        _spans = spans;
        _count = count;
        _end = end;
    }

    /// <summary>A map that maps nothing (for text that did not parse).</summary>
    public static TextSourceMap Empty { get; } = new(new SourceText(""), Array.Empty<int>(), Array.Empty<TextSpan>(), 0, 0);

    /// <summary>The text the module was parsed from; mapped locations point into it (and carry its path).</summary>
    public SourceText Source { get; }

    /// <summary>Number of recorded points (module items and encoded instructions).</summary>
    public int Count => _count;

    /// <summary>
    /// The text of the item or instruction at virtual offset <paramref name="offset"/>: the last point at
    /// or before it (an offset inside an instruction's bytes gives the instruction).
    /// </summary>
    public bool TryGetTextSpan(int offset, out TextSpan span)
    {
        span = default;
        if (_count == 0 || offset < _offsets[0] || offset >= _end) return false;
        var index = Array.BinarySearch(_offsets, 0, _count, offset);
        if (index < 0) index = ~index - 1;
        span = _spans[index];
        return true;
    }

    /// <summary>
    /// The text location of a validator location: the instruction of a code diagnostic (its
    /// <see cref="BinaryLocation.InstructionOffset"/>), otherwise the item whose span starts the location's
    /// span. Null when the location is not a <see cref="BinaryLocation"/> of this module's layout (empty
    /// spans, nodes built in code, another module).
    /// </summary>
    public TextLocation? Map(Location location)
    {
        if (location is not BinaryLocation binary) return null;
        int offset;
        if (binary.InstructionOffset is { } instruction) offset = instruction;
        else if (!binary.Span.IsEmpty) offset = binary.Span.Start;
        else return null;
        return TryGetTextSpan(offset, out var span) ? new TextLocation(Source, span) : null;
    }

    /// <summary>The diagnostic at its text location, or the diagnostic itself when <see cref="Map"/> finds none.</summary>
    public Diagnostic Remap(Diagnostic diagnostic)
    {
        if (diagnostic is null) throw new ArgumentNullException(nameof(diagnostic));
        return Map(diagnostic.Location) is { } location ? diagnostic.WithLocation(location) : diagnostic;
    }

    /// <summary>Each diagnostic at its text location where one is found (see <see cref="Remap(Diagnostic)"/>).</summary>
    public ImmutableArray<Diagnostic> Remap(ImmutableArray<Diagnostic> diagnostics)
    {
        if (diagnostics.IsDefaultOrEmpty) return diagnostics.IsDefault ? ImmutableArray<Diagnostic>.Empty : diagnostics;
        var builder = ImmutableArray.CreateBuilder<Diagnostic>(diagnostics.Length);
        foreach (var d in diagnostics) builder.Add(Remap(d));
        return builder.MoveToImmutable();
    }
}

/// <summary>
/// Records a <see cref="TextSourceMap"/> while the parser encodes: hands out the virtual offsets of items
/// and code, and keeps the points in increasing offset order.
/// </summary>
internal sealed class TextSourceMapBuilder
{
    private int[] _offsets = new int[32];
    private TextSpan[] _spans = new TextSpan[32];
    private int _count;

    /// <summary>The next free virtual offset: where the next item marker or encoded body goes.</summary>
    public int Next { get; private set; } = TextSourceMap.FirstOffset;

    /// <summary>Reserves a marker byte for an item whose text is <paramref name="text"/>; returns its offset.</summary>
    public int BeginItem(TextSpan text)
    {
        var at = Next;
        Add(at, text);
        return at;
    }

    /// <summary>The span of an item begun at <paramref name="marker"/>: the marker and any code encoded since.</summary>
    public ByteSpan EndItem(int marker) => ByteSpan.FromBounds(marker, Next);

    /// <summary>An item that holds no code: its marker alone.</summary>
    public ByteSpan AddItem(TextSpan text) => new(BeginItem(text), 1);

    /// <summary>Records that the bytes at <paramref name="offset"/> come from <paramref name="text"/>.</summary>
    public void Add(int offset, TextSpan text)
    {
        // Points arrive in increasing order (each is followed by at least one byte); after a parse error
        // an abandoned body may leave a gap, never an overlap, but stay defensive: the map must stay sorted.
        if (_count > 0 && offset <= _offsets[_count - 1]) return;
        if (_count == _offsets.Length)
        {
            Array.Resize(ref _offsets, _count * 2);
            Array.Resize(ref _spans, _count * 2);
        }

        _offsets[_count] = offset;
        _spans[_count] = text;
        _count++;
        if (offset >= Next) Next = offset + 1;
    }

    /// <summary>Marks the bytes up to <paramref name="end"/> (exclusive) as used by encoded code.</summary>
    public void EndCode(int end)
    {
        if (end > Next) Next = end;
    }

    public TextSourceMap ToMap(SourceText source) => new(source, _offsets, _spans, _count, Next);
}
