using System.Collections.Generic;
using System.Globalization;
using WasmToolkit.Diagnostics;

namespace WasmToolkit.Text;

/// <summary>
/// Splits text into tokens (spec 6.2 "Lexical Format", 6.3 "Values"): parentheses, keywords,
/// identifiers, numbers, strings and reserved tokens; white space, comments and annotations are
/// dropped. Problems become diagnostics; lexing always completes.
/// </summary>
internal sealed class Lexer
{
    private readonly SourceText _source;
    private readonly string _text;
    private readonly int _end;
    private readonly List<Diagnostic> _diagnostics;
    private readonly List<Token> _tokens = new();
    private int _pos;

    private Lexer(SourceText source, int start, int end, List<Diagnostic> diagnostics)
    {
        _source = source;
        _text = source.Text;
        _pos = start;
        _end = end;
        _diagnostics = diagnostics;
    }

    /// <summary>Tokenises <c>[start, end)</c> of <paramref name="source"/>; the result ends with an end-of-file token.</summary>
    public static Token[] Tokenize(SourceText source, int start, int end, List<Diagnostic> diagnostics)
    {
        var lexer = new Lexer(source, start, end, diagnostics);
        lexer.Run();
        return lexer.Finish();
    }

    public static Token[] Tokenize(SourceText source, List<Diagnostic> diagnostics) => Tokenize(source, 0, source.Text.Length, diagnostics);

    /// <summary>Identifier characters (spec 6.3.5 "idchar").</summary>
    public static bool IsIdChar(char c)
        => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
           || c switch
           {
               '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '/' or ':' or '<' or '=' or '>' or '?'
                   or '@' or '\\' or '^' or '_' or '`' or '|' or '~' => true,
               _ => false,
           };

    private Token[] Finish()
    {
        _tokens.Add(new Token(TokenKind.EndOfFile, _end, 0));
        var tokens = _tokens.ToArray();
        var eof = tokens.Length - 1;
        var stack = new Stack<int>();
        for (var i = 0; i < tokens.Length - 1; i++)
        {
            if (tokens[i].Kind == TokenKind.LeftParen) stack.Push(i);
            else if (tokens[i].Kind == TokenKind.RightParen && stack.Count > 0) tokens[stack.Peek()] = tokens[stack.Pop()].WithMatch(i);
        }

        while (stack.Count > 0) tokens[stack.Peek()] = tokens[stack.Pop()].WithMatch(eof);
        return tokens;
    }

    private void Report(DiagnosticDescriptor descriptor, int start, int length, params object?[] args)
        => _diagnostics.Add(Diagnostic.Create(descriptor, new TextLocation(_source, new TextSpan(start, length)), args));

    private void Run()
    {
        // Annotations (the annotations proposal, "(@id ...)") are skipped with everything inside,
        // so nesting depth of the skipped region is tracked here.
        var annotationDepth = 0;
        while (_pos < _end)
        {
            var c = _text[_pos];
            switch (c)
            {
                case ' ':
                case '\t':
                case '\n':
                case '\r':
                    _pos++;
                    continue;
                case ';' when Peek(1) == ';':
                    SkipLineComment();
                    continue;
                case '(' when Peek(1) == ';':
                    SkipBlockComment();
                    continue;
                case '(' when Peek(1) == '@' && annotationDepth == 0:
                    annotationDepth = 1;
                    _pos += 2;
                    continue;
                case '(':
                    if (annotationDepth > 0) annotationDepth++;
                    else _tokens.Add(new Token(TokenKind.LeftParen, _pos, 1));
                    _pos++;
                    continue;
                case ')':
                    if (annotationDepth > 0) annotationDepth--;
                    else _tokens.Add(new Token(TokenKind.RightParen, _pos, 1));
                    _pos++;
                    continue;
            }

            if (c == '"' || IsIdChar(c) || c is ',' or ';' or '[' or ']' or '{' or '}')
            {
                var token = LexRun();
                if (annotationDepth == 0) _tokens.Add(token);
                continue;
            }

            var code = char.IsSurrogatePair(_text, _pos) ? char.ConvertToUtf32(_text[_pos], _text[_pos + 1]) : c;
            if (annotationDepth == 0) Report(DiagnosticCatalog.UnexpectedCharacter, _pos, 1, code);
            _pos += code > 0xFFFF ? 2 : 1;
        }
    }

    private char Peek(int offset) => _pos + offset < _end ? _text[_pos + offset] : '\0';

    /// <summary>A line comment ends at a line feed or a carriage return (comments.wast "Newline recognition").</summary>
    private void SkipLineComment()
    {
        while (_pos < _end && _text[_pos] != '\n' && _text[_pos] != '\r') _pos++;
    }

    /// <summary>Block comments nest (spec 6.2.3); anything may appear inside.</summary>
    private void SkipBlockComment()
    {
        var start = _pos;
        var depth = 0;
        while (_pos < _end)
        {
            if (_text[_pos] == '(' && Peek(1) == ';')
            {
                depth++;
                _pos += 2;
            }
            else if (_text[_pos] == ';' && Peek(1) == ')')
            {
                depth--;
                _pos += 2;
                if (depth == 0) return;
            }
            else
            {
                _pos++;
            }
        }

        Report(DiagnosticCatalog.UnclosedComment, start, 2);
    }

    /// <summary>
    /// Lexes a maximal run of identifier characters and strings. A run that is one string or one
    /// idchar sequence is a normal token; anything longer (<c>"a"x</c>, <c>$l"a"</c>) is reserved,
    /// so tokens must be separated by space or parentheses (spec 6.2.1).
    /// </summary>
    private Token LexRun()
    {
        var start = _pos;
        var pieces = 0;
        byte[]? bytes = null;
        var onlyIdChars = true;
        while (_pos < _end)
        {
            var c = _text[_pos];
            if (c == '"')
            {
                bytes = LexString();
                onlyIdChars = false;
                pieces++;
            }
            else if (IsIdChar(c))
            {
                while (_pos < _end && IsIdChar(_text[_pos])) _pos++;
                pieces++;
            }
            else if (c is ',' or '[' or ']' or '{' or '}' || (c == ';' && Peek(1) != ';'))
            {
                _pos++;
                pieces += 2;
            }
            else
            {
                break;
            }
        }

        var length = _pos - start;
        if (pieces != 1) return new Token(TokenKind.Reserved, start, length);
        if (!onlyIdChars) return new Token(TokenKind.String, start, length, bytes);
        return new Token(Classify(_text, start, length), start, length);
    }

    /// <summary>The class of an idchar run: identifier, keyword, integer, float or reserved.</summary>
    internal static TokenKind Classify(string text, int start, int length)
    {
        var first = text[start];
        if (first == '$') return length > 1 ? TokenKind.Identifier : TokenKind.Reserved;
        var kind = NumberLiterals.ClassifyNumber(text, start, length);
        if (kind != TokenKind.Reserved) return kind;
        if (first >= 'a' && first <= 'z') return TokenKind.Keyword;
        return TokenKind.Reserved;
    }

    /// <summary>A string literal (spec 6.3.3): its bytes, escapes resolved, other characters as UTF-8.</summary>
    private byte[] LexString()
    {
        var start = _pos;
        _pos++;
        var bytes = new List<byte>();
        while (true)
        {
            if (_pos >= _end || _text[_pos] == '\n')
            {
                Report(DiagnosticCatalog.UnclosedString, start, 1);
                return bytes.ToArray();
            }

            var c = _text[_pos];
            if (c == '"')
            {
                _pos++;
                return bytes.ToArray();
            }

            if (c == '\\')
            {
                LexEscape(bytes);
                continue;
            }

            if (c < 0x20 || c == 0x7F)
            {
                Report(DiagnosticCatalog.IllegalCharacterInString, _pos, 1, (int)c);
                _pos++;
                continue;
            }

            if (c < 0x80)
            {
                bytes.Add((byte)c);
                _pos++;
                continue;
            }

            int scalar;
            if (char.IsHighSurrogate(c) && _pos + 1 < _end && char.IsLowSurrogate(_text[_pos + 1]))
            {
                scalar = char.ConvertToUtf32(c, _text[_pos + 1]);
                _pos += 2;
            }
            else if (char.IsSurrogate(c))
            {
                Report(DiagnosticCatalog.TextMalformedUtf8, _pos, 1);
                _pos++;
                continue;
            }
            else
            {
                scalar = c;
                _pos++;
            }

            AppendUtf8(bytes, scalar);
        }
    }

    private void LexEscape(List<byte> bytes)
    {
        var start = _pos;
        _pos++;
        var e = _pos < _end ? _text[_pos] : '\0';
        switch (e)
        {
            case 't': bytes.Add(0x09); _pos++; return;
            case 'n': bytes.Add(0x0A); _pos++; return;
            case 'r': bytes.Add(0x0D); _pos++; return;
            case '"': bytes.Add(0x22); _pos++; return;
            case '\'': bytes.Add(0x27); _pos++; return;
            case '\\': bytes.Add(0x5C); _pos++; return;
            case 'u' when Peek(1) == '{':
            {
                // \u{hexnum}: a Unicode scalar value, encoded as UTF-8.
                var p = _pos + 2;
                var digitsStart = p;
                while (p < _end && (IsHex(_text[p]) || _text[p] == '_')) p++;
                if (p < _end && _text[p] == '}' && p > digitsStart
                    && NumberLiterals.TryParseUnsigned(_text, digitsStart, p - digitsStart, hex: true, out var value)
                    && value <= 0x10FFFF && (value < 0xD800 || value > 0xDFFF))
                {
                    AppendUtf8(bytes, (int)value);
                    _pos = p + 1;
                    return;
                }

                var stop = p < _end && _text[p] == '}' ? p + 1 : p;
                Report(DiagnosticCatalog.IllegalEscape, start, stop - start, _text.Substring(start, stop - start));
                _pos = stop;
                return;
            }

            default:
                if (IsHex(e) && IsHex(Peek(1)))
                {
                    bytes.Add((byte)int.Parse(_text.Substring(_pos, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    _pos += 2;
                    return;
                }

                Report(DiagnosticCatalog.IllegalEscape, start, 2, _pos < _end ? _text.Substring(start, 2) : "\\");
                if (_pos < _end && e != '"') _pos++;
                return;
        }
    }

    internal static bool IsHex(char c) => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');

    private static void AppendUtf8(List<byte> bytes, int scalar)
    {
        if (scalar < 0x80)
        {
            bytes.Add((byte)scalar);
        }
        else if (scalar < 0x800)
        {
            bytes.Add((byte)(0xC0 | (scalar >> 6)));
            bytes.Add((byte)(0x80 | (scalar & 0x3F)));
        }
        else if (scalar < 0x10000)
        {
            bytes.Add((byte)(0xE0 | (scalar >> 12)));
            bytes.Add((byte)(0x80 | ((scalar >> 6) & 0x3F)));
            bytes.Add((byte)(0x80 | (scalar & 0x3F)));
        }
        else
        {
            bytes.Add((byte)(0xF0 | (scalar >> 18)));
            bytes.Add((byte)(0x80 | ((scalar >> 12) & 0x3F)));
            bytes.Add((byte)(0x80 | ((scalar >> 6) & 0x3F)));
            bytes.Add((byte)(0x80 | (scalar & 0x3F)));
        }
    }
}
