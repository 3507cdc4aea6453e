using System.Collections.Generic;
using System.Linq;
using System.Text;
using WasmToolkit.Diagnostics;
using WasmToolkit.Text;
using Xunit;

namespace WasmToolkit.Tests.Text;

/// <summary>Tokens of the text format (spec 6.2, 6.3): classes, strings and escapes, comments, errors.</summary>
public class LexerTests
{
    private static (Token[] Tokens, List<Diagnostic> Diagnostics, string Text) Lex(string text)
    {
        var diagnostics = new List<Diagnostic>();
        var tokens = Lexer.Tokenize(new SourceText(text), diagnostics);
        return (tokens, diagnostics, text);
    }

    private static TokenKind[] Kinds(string text) => Lex(text).Tokens.Select(t => t.Kind).ToArray();

    [Theory]
    [InlineData("0", nameof(TokenKind.Integer))]
    [InlineData("-0", nameof(TokenKind.Integer))]
    [InlineData("+42", nameof(TokenKind.Integer))]
    [InlineData("1_000_000", nameof(TokenKind.Integer))]
    [InlineData("0xFF_ff", nameof(TokenKind.Integer))]
    [InlineData("-0x8000_0000", nameof(TokenKind.Integer))]
    [InlineData("1.5", nameof(TokenKind.Float))]
    [InlineData("1.", nameof(TokenKind.Float))]
    [InlineData("1e10", nameof(TokenKind.Float))]
    [InlineData("1E-10", nameof(TokenKind.Float))]
    [InlineData("1.5e+3", nameof(TokenKind.Float))]
    [InlineData("0x1.8p3", nameof(TokenKind.Float))]
    [InlineData("0x1p-149", nameof(TokenKind.Float))]
    [InlineData("-0x0p+0", nameof(TokenKind.Float))]
    [InlineData("0x1.", nameof(TokenKind.Float))]
    [InlineData("0xAp1", nameof(TokenKind.Float))]
    [InlineData("inf", nameof(TokenKind.Float))]
    [InlineData("-inf", nameof(TokenKind.Float))]
    [InlineData("nan", nameof(TokenKind.Float))]
    [InlineData("+nan", nameof(TokenKind.Float))]
    [InlineData("nan:0x200000", nameof(TokenKind.Float))]
    [InlineData("-nan:0x1_0000", nameof(TokenKind.Float))]
    [InlineData("nan:canonical", nameof(TokenKind.Keyword))]
    [InlineData("i32.add", nameof(TokenKind.Keyword))]
    [InlineData("offset=0x10", nameof(TokenKind.Keyword))]
    [InlineData("$x", nameof(TokenKind.Identifier))]
    [InlineData("$a.b!c", nameof(TokenKind.Identifier))]
    [InlineData("$", nameof(TokenKind.Reserved))]
    [InlineData("1__0", nameof(TokenKind.Reserved))]
    [InlineData("_1", nameof(TokenKind.Reserved))]
    [InlineData("1_", nameof(TokenKind.Reserved))]
    [InlineData("0x", nameof(TokenKind.Reserved))]
    [InlineData("1x", nameof(TokenKind.Reserved))]
    [InlineData("0x1p", nameof(TokenKind.Reserved))]
    [InlineData("1e", nameof(TokenKind.Reserved))]
    [InlineData(".5", nameof(TokenKind.Reserved))]
    [InlineData("nan:1", nameof(TokenKind.Keyword))]
    [InlineData("A", nameof(TokenKind.Reserved))]
    [InlineData("0$l", nameof(TokenKind.Reserved))]
    public void ClassifiesTokens(string text, string kindName)
    {
        var kind = System.Enum.Parse<TokenKind>(kindName);
        var (tokens, diagnostics, _) = Lex(text);
        Assert.Empty(diagnostics);
        Assert.Equal(new[] { kind, TokenKind.EndOfFile }, tokens.Select(t => t.Kind));
    }

    [Fact]
    public void ParenthesesDelimitTokensAndMatch()
    {
        var (tokens, _, _) = Lex("(func(nop)nop)");
        Assert.Equal(new[] { TokenKind.LeftParen, TokenKind.Keyword, TokenKind.LeftParen, TokenKind.Keyword, TokenKind.RightParen, TokenKind.Keyword, TokenKind.RightParen, TokenKind.EndOfFile }, tokens.Select(t => t.Kind));
        Assert.Equal(6, tokens[0].Match);
        Assert.Equal(4, tokens[2].Match);
    }

    [Fact]
    public void UnbalancedParenthesisMatchesEndOfFile()
    {
        var (tokens, _, _) = Lex("(module (func");
        Assert.Equal(tokens.Length - 1, tokens[0].Match);
    }

    [Theory]
    [InlineData("\"a\"\"b\"")]
    [InlineData("$l\"a\"")]
    [InlineData("\"a\"x")]
    [InlineData("0\"a\"")]
    public void StringsNeedSeparationFromOtherTokens(string text) => Assert.Equal(new[] { TokenKind.Reserved, TokenKind.EndOfFile }, Kinds(text));

    [Theory]
    [InlineData(@"""hello""", "68656c6c6f")]
    [InlineData(@"""\t\n\r\""\'\\""", "090a0d22275c")]
    [InlineData(@"""\00\ff\7F""", "00ff7f")]
    [InlineData(@"""\u{41}\u{3b1}\u{10FFFF}""", "41ceb1f48fbfbf")]
    [InlineData("\"é😀\"", "c3a9f09f9880")]
    [InlineData(@"""""", "")]
    public void DecodesStrings(string text, string hex)
    {
        var (tokens, diagnostics, _) = Lex(text);
        Assert.Empty(diagnostics);
        Assert.Equal(TokenKind.String, tokens[0].Kind);
        Assert.Equal(hex, System.Convert.ToHexString(tokens[0].Bytes!).ToLowerInvariant());
    }

    [Theory]
    [InlineData(@"""\q""", "illegal escape")]
    [InlineData(@"""\u{D800}""", "illegal escape")]
    [InlineData(@"""\u{110000}""", "illegal escape")]
    [InlineData(@"""\0""", "illegal escape")]
    [InlineData("\"abc", "unclosed string")]
    [InlineData("\"a\u0001b\"", "illegal character in string")]
    [InlineData("\"a\u007fb\"", "illegal character in string")]
    [InlineData("(; never closed", "unclosed comment")]
    [InlineData("(func \u0001)", "unexpected character")]
    [InlineData("(func \u00e9)", "unexpected character")]
    public void ReportsLexicalErrors(string text, string message)
    {
        var (_, diagnostics, _) = Lex(text);
        var diagnostic = Assert.Single(diagnostics);
        Assert.Contains(message, diagnostic.Message);
        Assert.IsType<TextLocation>(diagnostic.Location);
    }

    [Fact]
    public void SkipsCommentsAndAnnotations()
    {
        var text = ";; line\n(; block (; nested ;) \u0001 ;)(@custom \"x\" (a b) c)(module)";
        Assert.Equal(new[] { TokenKind.LeftParen, TokenKind.Keyword, TokenKind.RightParen, TokenKind.EndOfFile }, Kinds(text));
        Assert.Empty(Lex(text).Diagnostics);
    }

    [Fact]
    public void ControlCharactersInCommentsAreFine()
    {
        var (_, diagnostics, _) = Lex(";; \u0000\u0007\u007f\n(; \u0001 ;) (module)");
        Assert.Empty(diagnostics);
    }

    [Fact]
    public void InvalidUtf8InputIsADiagnostic()
    {
        var bytes = Encoding.UTF8.GetBytes("(module)\n").Concat(new byte[] { 0xC0, 0x80 }).ToArray();
        var result = TextModuleParser.Parse(bytes);
        Assert.Null(result.Module);
        Assert.Contains(result.Diagnostics, d => d.Message.Contains("malformed UTF-8 encoding"));
    }
}
