using System.IO;

namespace WasmToolkit.Text;

/// <summary>
/// Writes f32/f64 bit patterns as WAT float literals that parse back to the same bits (spec 6.3.2):
/// hexadecimal floats (<c>0x1.8p+3</c>), <c>inf</c>, <c>nan</c>, <c>nan:0x…</c> with the exact payload,
/// and signed zeros (<c>-0x0p+0</c>).
/// </summary>
/// <remarks>
/// Hexadecimal notation is exact by construction, so it needs no shortest-round-trip search and does
/// not depend on the runtime's float formatting (which differs between .NET Framework and .NET).
/// Subnormals are normalised (<c>0x1p-149</c>) so every finite non-zero value reads <c>0x1.…p±e</c>.
/// </remarks>
internal static class FloatTextFormatter
{
    /// <summary>Writes the f32 with bit pattern <paramref name="bits"/>.</summary>
    public static void WriteF32(TextOutput output, uint bits)
        => Write(output, (bits >> 31) != 0, (bits >> 23) & 0xFF, bits & 0x7FFFFF, mantissaBits: 23, maxExponent: 0xFF, bias: 127);

    /// <summary>Writes the f64 with bit pattern <paramref name="bits"/>.</summary>
    public static void WriteF64(TextOutput output, ulong bits)
        => Write(output, (bits >> 63) != 0, (bits >> 52) & 0x7FF, bits & 0xFFFFFFFFFFFFFUL, mantissaBits: 52, maxExponent: 0x7FF, bias: 1023);

    /// <summary>The literal for an f32 bit pattern (allocates; for tests and diagnostics).</summary>
    public static string FormatF32(uint bits) => Format(o => WriteF32(o, bits));

    /// <summary>The literal for an f64 bit pattern (allocates; for tests and diagnostics).</summary>
    public static string FormatF64(ulong bits) => Format(o => WriteF64(o, bits));

    private static string Format(System.Action<TextOutput> write)
    {
        var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        var output = new TextOutput(writer, 0);
        write(output);
        output.Flush();
        return writer.ToString();
    }

    private static void Write(TextOutput output, bool negative, ulong exponentField, ulong mantissa, int mantissaBits, ulong maxExponent, int bias)
    {
        if (negative) output.Write('-');
        if (exponentField == maxExponent)
        {
            if (mantissa == 0)
            {
                output.Write("inf");
                return;
            }

            output.Write("nan");

            // The canonical NaN (only the top mantissa bit set) is plain "nan" (spec 4.3.3 "canonical NaN").
            if (mantissa != 1UL << (mantissaBits - 1))
            {
                output.Write(":0x");
                output.WriteHexDigits(mantissa);
            }

            return;
        }

        if (exponentField == 0 && mantissa == 0)
        {
            output.Write("0x0p+0");
            return;
        }

        long exponent;
        if (exponentField == 0)
        {
            // Subnormal: shift the leading one into the implicit-bit position.
            exponent = 1 - bias;
            while ((mantissa & (1UL << mantissaBits)) == 0)
            {
                mantissa <<= 1;
                exponent--;
            }

            mantissa &= (1UL << mantissaBits) - 1;
        }
        else
        {
            exponent = (long)exponentField - bias;
        }

        output.Write("0x1");
        if (mantissa != 0)
        {
            // Left-align the fraction on a nibble boundary (23 bits → 6 digits, 52 → 13), then drop trailing zeros.
            var digits = (mantissaBits + 3) / 4;
            var fraction = mantissa << ((digits * 4) - mantissaBits);
            while ((fraction & 0xF) == 0)
            {
                fraction >>= 4;
                digits--;
            }

            output.Write('.');
            output.WriteHexDigits(fraction, digits);
        }

        output.Write('p');
        output.Write(exponent < 0 ? '-' : '+');
        output.WriteDecimal((ulong)(exponent < 0 ? -exponent : exponent));
    }
}
