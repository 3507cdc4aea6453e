using System;
using System.Globalization;
using System.Text;
using WasmToolkit.Text;

namespace WasmToolkit.Cli;

/// <summary>
/// Command-line values for <c>wasmtk run</c>: arguments parsed with the text format's literal syntax for
/// the parameter's type, results printed the way <c>wasmtime run --invoke</c> prints them.
/// </summary>
internal static class ValueText
{
    /// <summary>
    /// Parses <paramref name="text"/> as a constant of type <paramref name="type"/>: what <c>i32.const</c> etc.
    /// accept in a <c>.wat</c> file (decimal or <c>0x</c> hex, a sign, <c>_</c> separators, for floats also
    /// hex floats, <c>nan</c>, <c>nan:0x…</c>, <c>inf</c>), plus <c>NaN</c>/<c>Infinity</c> in any case; a v128 is
    /// what <c>v128.const</c> takes, its shape then its lanes in one argument (<c>"i32x4 1 2 3 0xffffffff"</c>), as
    /// <see cref="Format"/> prints one. The boxed value is what <see cref="Runtime.Instance.Invoke(string, object?[])"/> takes.
    /// </summary>
    public static bool TryParse(string text, ValType type, out object? value)
    {
        value = null;
        var keyword = type.Kind switch
        {
            ValTypeKind.I32 => "i32.const",
            ValTypeKind.I64 => "i64.const",
            ValTypeKind.F32 => "f32.const",
            ValTypeKind.F64 => "f64.const",
            ValTypeKind.V128 => "v128.const",
            _ => null,
        };
        if (keyword is null || text.Length == 0) return false;

        // Only literal characters, so the script below cannot be anything but one constant.
        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or ':' or '+' or '-' || (c == ' ' && type.Kind == ValTypeKind.V128))) return false;
        }

        if (type.Kind is ValTypeKind.F32 or ValTypeKind.F64) text = NormalizeFloatWords(text);

        // One parser for every literal form: the WAST parser's, the same that reads .wat and .wast files.
        var parsed = WastParser.Parse($"(invoke \"f\" ({keyword} {text}))");
        if (!parsed.Diagnostics.IsEmpty || parsed.Script.Commands.Length != 1 || parsed.Script.Commands[0] is not WastActionCommand { Action.Arguments: [var argument] })
        {
            return false;
        }

        value = type.Kind switch
        {
            ValTypeKind.I32 => argument.I32,
            ValTypeKind.I64 => argument.I64,
            ValTypeKind.F32 => BitConverter.UInt32BitsToSingle((uint)argument.Bits),
            ValTypeKind.V128 => argument.Vector,
            _ => (object)BitConverter.UInt64BitsToDouble(argument.Bits),
        };
        return true;
    }

    private static string NormalizeFloatWords(string text)
    {
        var sign = text.StartsWith('-') || text.StartsWith('+') ? text.Substring(0, 1) : "";
        var word = text.Substring(sign.Length);
        if (word.Equals("nan", StringComparison.OrdinalIgnoreCase)) return sign + "nan";
        if (word.Equals("inf", StringComparison.OrdinalIgnoreCase) || word.Equals("infinity", StringComparison.OrdinalIgnoreCase)) return sign + "inf";
        return text;
    }

    /// <summary>
    /// A result as wasmtime prints it (Rust's <c>Display</c>): integers signed in decimal, floats in the
    /// shortest decimal form that reads back to the same value, never in exponent form, <c>NaN</c>,
    /// <c>inf</c>, <c>-inf</c>, <c>-0</c>.
    /// </summary>
    public static string Format(object? value) => value switch
    {
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        float f => FormatFloat(f, f.ToString("R", CultureInfo.InvariantCulture)),
        double d => FormatFloat(d, d.ToString("R", CultureInfo.InvariantCulture)),
        _ => value?.ToString() ?? "",
    };

    private static string FormatFloat(double value, string shortest)
    {
        if (double.IsNaN(value)) return "NaN";
        if (double.IsPositiveInfinity(value)) return "inf";
        if (double.IsNegativeInfinity(value)) return "-inf";
        if (value == 0) return double.IsNegative(value) ? "-0" : "0";
        var e = shortest.IndexOfAny(new[] { 'E', 'e' });
        if (e < 0) return shortest;

        // d.dddE±x → positional digits.
        var mantissa = shortest.Substring(0, e);
        var exponent = int.Parse(shortest.Substring(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var negative = mantissa.StartsWith('-');
        if (negative) mantissa = mantissa.Substring(1);
        var point = mantissa.IndexOf('.');
        var digits = point < 0 ? mantissa : mantissa.Remove(point, 1);
        var pointAt = (point < 0 ? mantissa.Length : point) + exponent;
        var text = new StringBuilder(negative ? "-" : "");
        if (pointAt <= 0) text.Append("0.").Append('0', -pointAt).Append(digits);
        else if (pointAt >= digits.Length) text.Append(digits).Append('0', pointAt - digits.Length);
        else text.Append(digits, 0, pointAt).Append('.').Append(digits, pointAt, digits.Length - pointAt);
        return text.ToString();
    }
}
