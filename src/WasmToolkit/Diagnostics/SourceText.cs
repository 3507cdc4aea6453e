using System;
using System.Collections.Generic;
using System.Threading;

namespace WasmToolkit.Diagnostics;

/// <summary>
/// A text with an optional path, and line starts computed on first use, so line/column of a text
/// location are found on demand.
/// </summary>
public sealed class SourceText
{
    private int[]? _lineStarts;

    public SourceText(string text, string? path = null)
    {
        Text = text ?? throw new ArgumentNullException(nameof(text));
        Path = path;
    }

    public string Text { get; }

    public string? Path { get; }

    /// <summary>The 0-based line and column of character <paramref name="position"/>.</summary>
    public LinePosition GetLinePosition(int position)
    {
        var starts = LineStarts;
        var index = Array.BinarySearch(starts, position);
        if (index < 0) index = ~index - 1;
        return new LinePosition(index, position - starts[index]);
    }

    private int[] LineStarts
    {
        get
        {
            if (_lineStarts is null)
            {
                var list = new List<int> { 0 };
                for (var i = 0; i < Text.Length; i++)
                {
                    if (Text[i] == '\n') list.Add(i + 1);
                }

                Interlocked.CompareExchange(ref _lineStarts, list.ToArray(), null);
            }

            return _lineStarts!;
        }
    }
}
