using WasmToolkit.Diagnostics;

namespace WasmToolkit.Text;

/// <summary>One token: its class, where it is, and for strings the decoded bytes.</summary>
internal readonly struct Token
{
    public Token(TokenKind kind, int start, int length, byte[]? bytes = null)
    {
        Kind = kind;
        Start = start;
        Length = length;
        Bytes = bytes;
        Match = -1;
    }

    private Token(Token token, int match)
    {
        this = token;
        Match = match;
    }

    public TokenKind Kind { get; }

    public int Start { get; }

    public int Length { get; }

    public int End => Start + Length;

    public TextSpan Span => new(Start, Length);

    /// <summary>For strings: the decoded bytes (escapes resolved, characters as UTF-8).</summary>
    public byte[]? Bytes { get; }

    /// <summary>For <c>(</c>: the index of the matching <c>)</c> token, or of the end-of-file token when unbalanced.</summary>
    public int Match { get; }

    public Token WithMatch(int match) => new(this, match);
}
