namespace WasmToolkit.Text;

/// <summary>
/// Integer literals (spec 6.3.1) and the shape check that tells numbers from other tokens.
/// Digits may be separated by single underscores: <c>num ::= digit ('_'? digit)*</c>.
/// </summary>
internal static class NumberLiterals
{
    /// <summary>Integer, Float, or Reserved when the run is not a number literal.</summary>
    public static TokenKind ClassifyNumber(string text, int start, int length)
    {
        var p = start;
        var end = start + length;
        if (p < end && (text[p] == '+' || text[p] == '-')) p++;
        if (p == end) return TokenKind.Reserved;
        if (Matches(text, p, end, "inf") || Matches(text, p, end, "nan")) return TokenKind.Float;
        if (end - p > 6 && string.CompareOrdinal(text, p, "nan:0x", 0, 6) == 0)
        {
            return SkipDigits(text, p + 6, end, hex: true) == end ? TokenKind.Float : TokenKind.Reserved;
        }

        var hex = end - p > 2 && text[p] == '0' && text[p + 1] == 'x';
        if (hex) p += 2;
        var q = SkipDigits(text, p, end, hex);
        if (q <= p) return TokenKind.Reserved;
        if (q == end) return TokenKind.Integer;
        p = q;
        if (text[p] == '.')
        {
            p++;
            if (p < end && IsDigit(text[p], hex))
            {
                p = SkipDigits(text, p, end, hex);
                if (p < 0) return TokenKind.Reserved;
            }

            if (p == end) return TokenKind.Float;
        }

        var e = text[p];
        if (hex ? (e == 'p' || e == 'P') : (e == 'e' || e == 'E'))
        {
            p++;
            if (p < end && (text[p] == '+' || text[p] == '-')) p++;
            return SkipDigits(text, p, end, hex: false) == end && p < end ? TokenKind.Float : TokenKind.Reserved;
        }

        return TokenKind.Reserved;
    }

    private static bool Matches(string text, int p, int end, string word)
        => end - p == word.Length && string.CompareOrdinal(text, p, word, 0, word.Length) == 0;

    public static bool IsDigit(char c, bool hex) => hex ? Lexer.IsHex(c) : c >= '0' && c <= '9';

    /// <summary>Skips <c>digit ('_'? digit)*</c>; returns the position after it, <paramref name="p"/> when there is no digit, -1 for a misplaced underscore.</summary>
    public static int SkipDigits(string text, int p, int end, bool hex)
    {
        if (p >= end || !IsDigit(text[p], hex)) return p;
        p++;
        while (p < end)
        {
            var c = text[p];
            if (IsDigit(c, hex))
            {
                p++;
            }
            else if (c == '_')
            {
                if (p + 1 >= end || !IsDigit(text[p + 1], hex)) return -1;
                p++;
            }
            else
            {
                break;
            }
        }

        return p;
    }

    public static int DigitValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    /// <summary>Parses digits (underscores allowed) as an unsigned 64-bit value; false on overflow or bad digits.</summary>
    public static bool TryParseUnsigned(string text, int start, int length, bool hex, out ulong value)
    {
        value = 0;
        if (length == 0) return false;
        var radix = hex ? 16UL : 10UL;
        for (var i = start; i < start + length; i++)
        {
            var c = text[i];
            if (c == '_') continue;
            if (!IsDigit(c, hex)) return false;
            var d = (ulong)DigitValue(c);
            if (value > (ulong.MaxValue - d) / radix) return false;
            value = (value * radix) + d;
        }

        return true;
    }

    /// <summary>
    /// Parses an integer token: optional sign, then decimal or <c>0x</c> digits. Returns the
    /// magnitude and sign; false when the magnitude does not fit 64 bits.
    /// </summary>
    public static bool TryParseMagnitude(string text, int start, int length, out ulong magnitude, out bool negative, out bool signed)
    {
        var p = start;
        var end = start + length;
        negative = false;
        signed = false;
        if (p < end && (text[p] == '+' || text[p] == '-'))
        {
            negative = text[p] == '-';
            signed = true;
            p++;
        }

        var hex = end - p > 2 && text[p] == '0' && text[p + 1] == 'x';
        if (hex) p += 2;
        return TryParseUnsigned(text, p, end - p, hex, out magnitude);
    }

    /// <summary>
    /// An <c>iN</c> literal (N = 8, 16, 32, 64): an unsigned <c>uN</c> or a signed <c>sN</c>
    /// (spec 6.3.1), returned as its N-bit two's complement pattern zero-extended.
    /// </summary>
    public static bool TryParseInt(string text, int start, int length, int bits, out ulong value)
    {
        value = 0;
        if (!TryParseMagnitude(text, start, length, out var magnitude, out var negative, out var signed)) return false;
        var mask = bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
        var half = 1UL << (bits - 1);
        if (negative)
        {
            if (magnitude > half) return false;
            value = (0UL - magnitude) & mask;
            return true;
        }

        // An explicit '+' makes it an sN, whose positive range ends below 2^(N-1).
        if (signed ? magnitude >= half : magnitude > mask) return false;
        value = magnitude;
        return true;
    }

    /// <summary>A <c>uN</c> literal: no sign, at most 2^N − 1.</summary>
    public static bool TryParseUnsigned(string text, int start, int length, int bits, out ulong value)
    {
        value = 0;
        if (!TryParseMagnitude(text, start, length, out var magnitude, out _, out var signed) || signed) return false;
        if (bits < 64 && magnitude >= 1UL << bits) return false;
        value = magnitude;
        return true;
    }
}
