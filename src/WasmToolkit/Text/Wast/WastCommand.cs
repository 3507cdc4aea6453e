using WasmToolkit.Diagnostics;

namespace WasmToolkit.Text;

/// <summary>One command of a WAST script, with where it is.</summary>
public abstract class WastCommand
{
    private protected WastCommand(WastCommandKind kind, int line, TextSpan span)
    {
        Kind = kind;
        Line = line;
        Span = span;
    }

    public WastCommandKind Kind { get; }

    /// <summary>1-based line of the command's opening parenthesis.</summary>
    public int Line { get; }

    /// <summary>The command's characters, parentheses included.</summary>
    public TextSpan Span { get; }

    public override string ToString() => Kind + " at line " + Line;
}
