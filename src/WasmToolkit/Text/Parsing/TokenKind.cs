namespace WasmToolkit.Text;

/// <summary>The token classes of the text format (spec 6.3).</summary>
internal enum TokenKind : byte
{
    LeftParen,
    RightParen,

    /// <summary>Starts with a lower-case letter: <c>module</c>, <c>i32.add</c>, <c>offset=4</c>, <c>nan:canonical</c>.</summary>
    Keyword,

    /// <summary><c>$</c> followed by identifier characters.</summary>
    Identifier,

    /// <summary>An integer literal (optionally signed, decimal or hexadecimal).</summary>
    Integer,

    /// <summary>A float literal: decimal, hexadecimal, <c>inf</c>, <c>nan</c>, <c>nan:0x…</c>, optionally signed.</summary>
    Float,

    String,

    /// <summary>Any other run of identifier characters and strings (spec 6.3 "reserved").</summary>
    Reserved,

    EndOfFile,
}
