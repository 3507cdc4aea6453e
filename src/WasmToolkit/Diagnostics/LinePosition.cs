namespace WasmToolkit.Diagnostics;

/// <summary>A 0-based line and column; shown 1-based.</summary>
public readonly struct LinePosition
{
    public LinePosition(int line, int character)
    {
        Line = line;
        Character = character;
    }

    public int Line { get; }

    public int Character { get; }

    /// <summary>1-based <c>line,column</c>.</summary>
    public override string ToString() => $"{Line + 1},{Character + 1}";
}
