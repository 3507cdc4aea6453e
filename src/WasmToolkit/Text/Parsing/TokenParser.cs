using System.Collections.Generic;
using System.Collections.Immutable;
using System.Text;
using WasmToolkit.Diagnostics;
using WasmToolkit.Instructions;

namespace WasmToolkit.Text;

/// <summary>
/// Token navigation, literal decoding and error reporting shared by the module and script parsers.
/// </summary>
/// <remarks>
/// Tokens come pre-lexed with matching parentheses resolved (<see cref="Token.Match"/>), so a field
/// can be skipped in constant time after an error. <c>Fail</c> reports and returns
/// <see cref="ParseAbort"/> for the caller to throw; <c>Report</c> only reports.
/// </remarks>
internal class TokenParser
{
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public TokenParser(SourceText source, Token[] tokens, List<Diagnostic> diagnostics)
    {
        Source = source;
        Text = source.Text;
        Tokens = tokens;
        Diagnostics = diagnostics;
    }

    public SourceText Source { get; }

    public string Text { get; }

    public Token[] Tokens { get; }

    public List<Diagnostic> Diagnostics { get; }

    private int _pos;

    /// <summary>Index of the current token; never moves past the end-of-file token.</summary>
    public int Pos
    {
        get => _pos;
        set => _pos = value < 0 ? 0 : value < Tokens.Length ? value : Tokens.Length - 1;
    }

    public Token Current => Tokens[Pos];

    public TokenKind Kind => Tokens[Pos].Kind;

    public Token PeekToken(int offset) => Tokens[System.Math.Min(Pos + offset, Tokens.Length - 1)];

    public string TokenText(in Token token) => Text.Substring(token.Start, token.Length);

    public string CurrentText => TokenText(Current);

    public bool IsKeyword(in Token token, string keyword)
        => token.Kind == TokenKind.Keyword && token.Length == keyword.Length && string.CompareOrdinal(Text, token.Start, keyword, 0, keyword.Length) == 0;

    public bool IsKeyword(string keyword) => IsKeyword(Current, keyword);

    /// <summary>True when the current token is <c>(</c> followed by <paramref name="keyword"/>.</summary>
    public bool IsOpen(string keyword) => Kind == TokenKind.LeftParen && IsKeyword(PeekToken(1), keyword);

    public bool IsOpen() => Kind == TokenKind.LeftParen;

    public bool IsClose => Kind == TokenKind.RightParen;

    public Location LocationOf(in Token token) => new TextLocation(Source, token.Span);

    public Location LocationOf(TextSpan span) => new TextLocation(Source, span);

    public void Report(DiagnosticDescriptor descriptor, in Token at, params object?[] args)
        => Diagnostics.Add(Diagnostic.Create(descriptor, LocationOf(at), args));

    public void Report(DiagnosticDescriptor descriptor, TextSpan at, params object?[] args)
        => Diagnostics.Add(Diagnostic.Create(descriptor, LocationOf(at), args));

    public ParseAbort Fail(DiagnosticDescriptor descriptor, in Token at, params object?[] args)
    {
        Report(descriptor, at, args);
        return ParseAbort.Instance;
    }

    /// <summary>
    /// Reports the current token as not fitting: unknown keywords and reserved tokens are
    /// "unknown operator", anything else "unexpected token".
    /// </summary>
    public ParseAbort Unexpected(string expected)
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.EndOfFile:
                return Fail(DiagnosticCatalog.UnexpectedEndOfInput, token, expected);
            case TokenKind.Reserved:
                return Fail(DiagnosticCatalog.UnknownOperator, token, TokenText(token));
            case TokenKind.Keyword when !KnownKeywords.IsKnown(TokenText(token)):
                return Fail(DiagnosticCatalog.UnknownOperator, token, TokenText(token));
            default:
                return Fail(DiagnosticCatalog.UnexpectedToken, token, Describe(token), expected);
        }
    }

    private string Describe(in Token token) => token.Kind switch
    {
        TokenKind.LeftParen => "(",
        TokenKind.RightParen => ")",
        TokenKind.EndOfFile => "end of input",
        _ => token.Length > 40 ? TokenText(token).Substring(0, 40) + "…" : TokenText(token),
    };

    public Token Advance() => Tokens[Pos < Tokens.Length - 1 ? Pos++ : Pos];

    public void ExpectOpen()
    {
        if (Kind != TokenKind.LeftParen) throw Unexpected("(");
        Pos++;
    }

    public void ExpectClose()
    {
        if (Kind != TokenKind.RightParen) throw Unexpected(")");
        Pos++;
    }

    public Token ExpectKeyword(string keyword)
    {
        if (!IsKeyword(keyword)) throw Unexpected(keyword);
        return Advance();
    }

    /// <summary>Consumes <c>( keyword</c>.</summary>
    public void ExpectOpen(string keyword)
    {
        ExpectOpen();
        ExpectKeyword(keyword);
    }

    public bool TryKeyword(string keyword)
    {
        if (!IsKeyword(keyword)) return false;
        Pos++;
        return true;
    }

    /// <summary>Consumes an identifier if there is one; returns it with its <c>$</c>.</summary>
    public string? TryIdentifier()
    {
        if (Kind != TokenKind.Identifier) return null;
        return TokenText(Advance());
    }

    public byte[] ExpectString()
    {
        if (Kind != TokenKind.String) throw Unexpected("a string");
        return Advance().Bytes ?? System.Array.Empty<byte>();
    }

    /// <summary>A name (spec 6.3.4): a string whose bytes are valid UTF-8.</summary>
    public string ExpectName()
    {
        var token = Current;
        var bytes = ExpectString();
        try
        {
            return s_strictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Fail(DiagnosticCatalog.TextMalformedUtf8, token);
        }
    }

    /// <summary>Moves past the parenthesised group that starts at the current <c>(</c>.</summary>
    public void SkipGroup()
    {
        if (Kind == TokenKind.LeftParen) Pos = System.Math.Min(Current.Match + 1, Tokens.Length - 1);
        else Advance();
    }

    /// <summary>A <c>uN</c> literal (indices, limits, lane indices).</summary>
    public ulong ExpectUnsigned(int bits, string what)
    {
        if (Kind != TokenKind.Integer) throw Unexpected(what);
        var token = Advance();
        if (!NumberLiterals.TryParseUnsigned(Text, token.Start, token.Length, bits, out var value))
        {
            if (Text[token.Start] is '-' or '+') throw Fail(DiagnosticCatalog.UnexpectedToken, token, TokenText(token), what);
            throw Fail(DiagnosticCatalog.ConstantOutOfRange, token, "i" + bits.ToString(System.Globalization.CultureInfo.InvariantCulture), TokenText(token));
        }

        return value;
    }

    public uint ExpectU32(string what) => (uint)ExpectUnsigned(32, what);

    /// <summary>An <c>iN</c> literal as its bit pattern.</summary>
    public ulong ExpectInt(int bits)
    {
        var name = "i" + bits.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (Kind != TokenKind.Integer) throw Unexpected(name + " literal");
        var token = Advance();
        if (!NumberLiterals.TryParseInt(Text, token.Start, token.Length, bits, out var value))
        {
            throw Fail(DiagnosticCatalog.ConstantOutOfRange, token, name, TokenText(token));
        }

        return value;
    }

    public uint ExpectF32()
    {
        if (Kind is not (TokenKind.Float or TokenKind.Integer)) throw Unexpected("f32 literal");
        var token = Advance();
        if (!FloatLiterals.TryParseF32(Text, token.Start, token.Length, out var bits)) throw Fail(DiagnosticCatalog.ConstantOutOfRange, token, "f32", TokenText(token));
        return bits;
    }

    public ulong ExpectF64()
    {
        if (Kind is not (TokenKind.Float or TokenKind.Integer)) throw Unexpected("f64 literal");
        var token = Advance();
        if (!FloatLiterals.TryParseF64(Text, token.Start, token.Length, out var bits)) throw Fail(DiagnosticCatalog.ConstantOutOfRange, token, "f64", TokenText(token));
        return bits;
    }

    /// <summary>A value type (spec 6.4.1/6.4.2): a number type, <c>v128</c> or a reference type.</summary>
    public bool TryValType(out ValType type)
    {
        type = default;
        if (Kind != TokenKind.Keyword) return false;
        switch (CurrentText)
        {
            case "i32": type = ValType.I32; break;
            case "i64": type = ValType.I64; break;
            case "f32": type = ValType.F32; break;
            case "f64": type = ValType.F64; break;
            case "v128": type = ValType.V128; break;
            case "funcref": type = ValType.FuncRef; break;
            case "externref": type = ValType.ExternRef; break;
            default: return false;
        }

        Pos++;
        return true;
    }

    public ValType ExpectValType()
    {
        if (!TryValType(out var type)) throw Unexpected("a value type");
        return type;
    }

    public ValType ExpectRefType()
    {
        if (IsKeyword("funcref") || IsKeyword("externref")) return ExpectValType();
        throw Unexpected("funcref or externref");
    }

    /// <summary>The heap type of <c>ref.null</c>: <c>func</c> or <c>extern</c>.</summary>
    public HeapType ExpectHeapType()
    {
        if (TryKeyword("func")) return HeapType.Func;
        if (TryKeyword("extern")) return HeapType.Extern;
        throw Unexpected("func or extern");
    }

    /// <summary>Whether a token may be a lane of <c>v128.const</c> (anything but a parenthesis or an instruction name).</summary>
    private bool IsLaneLiteralCandidate(Token token) => token.Kind switch
    {
        TokenKind.LeftParen or TokenKind.RightParen or TokenKind.EndOfFile => false,
        TokenKind.Keyword => !OpcodeTable.TryGetByName(TokenText(token), out _),
        _ => true,
    };

    /// <summary>
    /// The lanes of a <c>v128.const</c> after its shape keyword (spec 6.5.7); each lane is read
    /// by <paramref name="lane"/>, which may accept more than literals (WAST NaN patterns).
    /// </summary>
    public V128 ExpectV128Lanes(out string shape, System.Func<int, int, ulong>? lane = null)
    {
        var shapeToken = Current;
        if (Kind != TokenKind.Keyword) throw Unexpected("a vector shape");
        shape = CurrentText;
        var (count, width) = shape switch
        {
            "i8x16" => (16, 8),
            "i16x8" => (8, 16),
            "i32x4" => (4, 32),
            "i64x2" => (2, 64),
            "f32x4" => (4, 32),
            "f64x2" => (2, 64),
            _ => (0, 0),
        };
        if (count == 0) throw Unexpected("i8x16, i16x8, i32x4, i64x2, f32x4 or f64x2");
        Pos++;

        // The number of literals is checked before their values (as the reference interpreter does).
        var given = 0;
        // Count up to a parenthesis, but in flat code stop at the next instruction's name: it follows the
        // last lane directly. Malformed literals such as "0x" count, so they are reported for what they are.
        while (IsLaneLiteralCandidate(PeekToken(given))) given++;
        if (given != count) throw Fail(DiagnosticCatalog.WrongNumberOfLaneLiterals, shapeToken, shape, count);
        var isFloat = shape[0] == 'f';
        var bytes = new byte[16];
        for (var i = 0; i < count; i++)
        {
            if (Kind is not (TokenKind.Integer or TokenKind.Float) && (lane is null || Kind != TokenKind.Keyword))
            {
                if (Kind is TokenKind.RightParen or TokenKind.LeftParen or TokenKind.EndOfFile)
                {
                    throw Fail(DiagnosticCatalog.WrongNumberOfLaneLiterals, shapeToken, shape, count);
                }

                throw Unexpected(shape + " lane literal");
            }

            ulong value;
            if (lane is not null) value = lane(i, width);
            else if (!isFloat) value = ExpectInt(width);
            else value = width == 32 ? ExpectF32() : ExpectF64();
            for (var b = 0; b < width / 8; b++) bytes[(i * (width / 8)) + b] = (byte)(value >> (8 * b));
        }

        return new V128(bytes);
    }

    /// <summary>Concatenated string literals as bytes (data strings, binary and quote modules).</summary>
    public byte[] ReadStrings()
    {
        var result = new List<byte>();
        while (Kind == TokenKind.String) result.AddRange(Advance().Bytes ?? System.Array.Empty<byte>());
        return result.ToArray();
    }

    public static ImmutableArray<T> Freeze<T>(List<T> list) => list.ToImmutableArray();
}
