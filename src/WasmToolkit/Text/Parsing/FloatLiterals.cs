using System.Numerics;

namespace WasmToolkit.Text;

/// <summary>
/// Float literals (spec 6.3.2) to IEEE 754 bit patterns, correctly rounded (nearest, ties to even)
/// for both widths.
/// </summary>
/// <remarks>
/// The value of the literal is computed as an exact rational and rounded once. Parsing an f32
/// literal through <see cref="double"/> would round twice and give wrong results for literals
/// near a tie (the spec suite's float_literals.wast and const.wast test those).
/// </remarks>
internal static class FloatLiterals
{
    /// <summary>Parses a float token (or an integer token read as a float) for f32; false when it overflows or is malformed.</summary>
    public static bool TryParseF32(string text, int start, int length, out uint bits)
    {
        var ok = TryParse(text, start, length, mantissaBits: 23, exponentBits: 8, out var b);
        bits = (uint)b;
        return ok;
    }

    /// <summary>Parses a float token for f64; false when it overflows or is malformed.</summary>
    public static bool TryParseF64(string text, int start, int length, out ulong bits)
        => TryParse(text, start, length, mantissaBits: 52, exponentBits: 11, out bits);

    private static bool TryParse(string text, int start, int length, int mantissaBits, int exponentBits, out ulong bits)
    {
        bits = 0;
        var p = start;
        var end = start + length;
        var negative = false;
        if (p < end && (text[p] == '+' || text[p] == '-'))
        {
            negative = text[p] == '-';
            p++;
        }

        var signBit = negative ? 1UL << (mantissaBits + exponentBits) : 0;
        var expAll = ((1UL << exponentBits) - 1) << mantissaBits;
        var rest = end - p;
        if (rest == 3 && string.CompareOrdinal(text, p, "inf", 0, 3) == 0)
        {
            bits = signBit | expAll;
            return true;
        }

        if (rest == 3 && string.CompareOrdinal(text, p, "nan", 0, 3) == 0)
        {
            // Canonical NaN: only the top mantissa bit set.
            bits = signBit | expAll | (1UL << (mantissaBits - 1));
            return true;
        }

        if (rest > 6 && string.CompareOrdinal(text, p, "nan:0x", 0, 6) == 0)
        {
            // The payload must be non-zero and fit the mantissa.
            if (!NumberLiterals.TryParseUnsigned(text, p + 6, end - p - 6, hex: true, out var payload)) return false;
            if (payload == 0 || payload >= 1UL << mantissaBits) return false;
            bits = signBit | expAll | payload;
            return true;
        }

        var hex = rest > 2 && text[p] == '0' && text[p + 1] == 'x';
        if (hex) p += 2;

        // Mantissa digits (integer and fraction part) into one big integer; the fraction shifts
        // the exponent by 4 bits per hex digit or 1 decimal digit.
        var mantissa = BigInteger.Zero;
        var radix = hex ? 16 : 10;
        var fractionDigits = 0;
        var inFraction = false;
        var significantDigits = 0;
        ulong chunk = 0;
        var chunkDigits = 0;
        var chunkScale = 1UL;
        for (; p < end; p++)
        {
            var c = text[p];
            if (c == '_') continue;
            if (c == '.')
            {
                inFraction = true;
                continue;
            }

            if (!NumberLiterals.IsDigit(c, hex)) break;
            chunk = (chunk * (ulong)radix) + (ulong)NumberLiterals.DigitValue(c);
            chunkScale *= (ulong)radix;
            chunkDigits++;
            if (chunkDigits == (hex ? 15 : 18))
            {
                mantissa = (mantissa * chunkScale) + chunk;
                chunk = 0;
                chunkDigits = 0;
                chunkScale = 1;
            }

            if (inFraction) fractionDigits++;
            if (mantissa != 0 || chunk != 0) significantDigits++;
        }

        mantissa = (mantissa * chunkScale) + chunk;

        long exponent = 0;
        if (p < end)
        {
            // 'e'/'E' or 'p'/'P', then a signed decimal exponent; saturate absurd exponents.
            p++;
            var expNegative = false;
            if (p < end && (text[p] == '+' || text[p] == '-'))
            {
                expNegative = text[p] == '-';
                p++;
            }

            for (; p < end; p++)
            {
                if (text[p] == '_') continue;
                if (exponent < 100_000_000) exponent = (exponent * 10) + (text[p] - '0');
            }

            if (expNegative) exponent = -exponent;
        }

        if (mantissa.IsZero)
        {
            bits = signBit;
            return true;
        }

        BigInteger numerator;
        BigInteger denominator;
        if (hex)
        {
            var binaryExponent = exponent - (4L * fractionDigits);
            var magnitude = BitLength(mantissa) + binaryExponent;
            if (magnitude > 2000) return false;
            if (magnitude < -2000)
            {
                bits = signBit;
                return true;
            }

            numerator = binaryExponent >= 0 ? mantissa << (int)binaryExponent : mantissa;
            denominator = binaryExponent >= 0 ? BigInteger.One : BigInteger.One << (int)-binaryExponent;
        }
        else
        {
            var decimalExponent = exponent - fractionDigits;
            var magnitude = significantDigits + decimalExponent;
            if (magnitude > 400) return false;
            if (magnitude < -400)
            {
                bits = signBit;
                return true;
            }

            numerator = decimalExponent >= 0 ? mantissa * BigInteger.Pow(10, (int)decimalExponent) : mantissa;
            denominator = decimalExponent >= 0 ? BigInteger.One : BigInteger.Pow(10, (int)-decimalExponent);
        }

        if (!TryRound(numerator, denominator, mantissaBits, exponentBits, out var magnitudeBits)) return false;
        bits = signBit | magnitudeBits;
        return true;
    }

    /// <summary>
    /// Rounds the positive rational <paramref name="num"/>/<paramref name="den"/> to the nearest
    /// float (ties to even), subnormals included; false when the result is infinite.
    /// </summary>
    internal static bool TryRound(BigInteger num, BigInteger den, int mantissaBits, int exponentBits, out ulong bits)
    {
        bits = 0;
        var bias = (1 << (exponentBits - 1)) - 1;
        var minLsbExponent = 1 - bias - mantissaBits;

        // floor(log2(num/den)): estimate from bit lengths, then correct by one.
        var e = BitLength(num) - BitLength(den);
        if (Compare(num, den, e) < 0) e--;

        var lsbExponent = System.Math.Max(e - mantissaBits, minLsbExponent);
        BigInteger scaledDen;
        BigInteger scaledNum;
        if (lsbExponent >= 0)
        {
            scaledNum = num;
            scaledDen = den << (int)lsbExponent;
        }
        else
        {
            scaledNum = num << (int)-lsbExponent;
            scaledDen = den;
        }

        var q = BigInteger.DivRem(scaledNum, scaledDen, out var r);
        var twice = r << 1;
        var cmp = twice.CompareTo(scaledDen);
        if (cmp > 0 || (cmp == 0 && !q.IsEven)) q += 1;

        var implicitBit = BigInteger.One << mantissaBits;
        if (q >= implicitBit << 1)
        {
            q >>= 1;
            lsbExponent++;
        }

        long biased;
        ulong fraction;
        if (q >= implicitBit)
        {
            biased = lsbExponent + mantissaBits + bias;
            fraction = (ulong)(q - implicitBit);
        }
        else
        {
            biased = 0;
            fraction = (ulong)q;
        }

        if (biased >= (1L << exponentBits) - 1) return false;
        bits = ((ulong)biased << mantissaBits) | fraction;
        return true;
    }

    /// <summary>Compares num/den with 2^e.</summary>
    private static int Compare(BigInteger num, BigInteger den, long e)
        => e >= 0 ? num.CompareTo(den << (int)e) : (num << (int)-e).CompareTo(den);

    private static long BitLength(BigInteger value)
    {
        // BigInteger.GetBitLength is missing on netstandard2.0.
        var bytes = value.ToByteArray();
        var top = bytes.Length - 1;
        while (top > 0 && bytes[top] == 0) top--;
        var b = bytes[top];
        var n = 0;
        while (b != 0)
        {
            n++;
            b >>= 1;
        }

        return (top * 8L) + n;
    }
}
