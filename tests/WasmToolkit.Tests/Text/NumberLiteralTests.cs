using System;
using System.Globalization;
using WasmToolkit.Text;
using Xunit;

namespace WasmToolkit.Tests.Text;

/// <summary>
/// Integer and float literals (spec 6.3.1, 6.3.2). Floats must be correctly rounded (nearest, ties
/// to even) straight from the literal: .NET's own parsers, correctly rounded since .NET Core 3.0,
/// serve as the reference for random decimal inputs.
/// </summary>
public class NumberLiteralTests
{
    private static uint F32(string s)
    {
        Assert.True(FloatLiterals.TryParseF32(s, 0, s.Length, out var bits), s + " should parse as f32");
        return bits;
    }

    private static ulong F64(string s)
    {
        Assert.True(FloatLiterals.TryParseF64(s, 0, s.Length, out var bits), s + " should parse as f64");
        return bits;
    }

    [Theory]
    [InlineData("0", 32, 0UL)]
    [InlineData("-1", 32, 0xFFFF_FFFFUL)]
    [InlineData("4294967295", 32, 0xFFFF_FFFFUL)]
    [InlineData("-2147483648", 32, 0x8000_0000UL)]
    [InlineData("0x7fff_ffff", 32, 0x7FFF_FFFFUL)]
    [InlineData("+2147483647", 32, 0x7FFF_FFFFUL)]
    [InlineData("18446744073709551615", 64, ulong.MaxValue)]
    [InlineData("-9223372036854775808", 64, 0x8000_0000_0000_0000UL)]
    [InlineData("-128", 8, 0x80UL)]
    [InlineData("255", 8, 0xFFUL)]
    public void ParsesIntegers(string text, int bits, ulong expected)
    {
        Assert.True(NumberLiterals.TryParseInt(text, 0, text.Length, bits, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("4294967296", 32)]
    [InlineData("-2147483649", 32)]
    [InlineData("0x1_0000_0000", 32)]
    [InlineData("+2147483648", 32)]
    [InlineData("18446744073709551616", 64)]
    [InlineData("-9223372036854775809", 64)]
    [InlineData("256", 8)]
    [InlineData("-129", 8)]
    public void RejectsIntegersOutOfRange(string text, int bits) => Assert.False(NumberLiterals.TryParseInt(text, 0, text.Length, bits, out _));

    [Theory]
    [InlineData("0x1p-149", 0x0000_0001u)]
    [InlineData("-0x0p+0", 0x8000_0000u)]
    [InlineData("0x0p0", 0u)]
    [InlineData("-0.0", 0x8000_0000u)]
    [InlineData("nan:0x200000", 0x7FA0_0000u)]
    [InlineData("-nan:0x7fffff", 0xFFFF_FFFFu)]
    [InlineData("nan", 0x7FC0_0000u)]
    [InlineData("-nan", 0xFFC0_0000u)]
    [InlineData("inf", 0x7F80_0000u)]
    [InlineData("-inf", 0xFF80_0000u)]
    [InlineData("0x1.fffffep127", 0x7F7F_FFFFu)]
    [InlineData("0x1.fffffefffffffffffp127", 0x7F7F_FFFFu)]
    [InlineData("3.4028234663852886e+38", 0x7F7F_FFFFu)]
    [InlineData("0x1p-126", 0x0080_0000u)]
    [InlineData("0x0.fffffep-126", 0x007F_FFFFu)]
    [InlineData("1.4e-45", 0x0000_0001u)]
    [InlineData("0x1p-150", 0u)]
    [InlineData("0x1.000001p-149", 0x0000_0001u)]
    [InlineData("0x1.8p-149", 0x0000_0002u)]
    [InlineData("0x1.8p3", 0x4140_0000u)]
    [InlineData("1_000.000_1", 0x447A_0002u)]
    [InlineData("+0x1.00000100000000000p-50", 0x2680_0000u)]
    [InlineData("+0x1.00000100000000001p-50", 0x2680_0001u)]
    [InlineData("+0x1.000001fffffffffffp-50", 0x2680_0001u)]
    [InlineData("+0x1.00000300000000000p-50", 0x2680_0002u)]
    public void ParsesF32(string text, uint expected) => Assert.Equal(expected, F32(text));

    [Theory]
    [InlineData("0x1p-1074", 0x0000_0000_0000_0001UL)]
    [InlineData("-0x0p+0", 0x8000_0000_0000_0000UL)]
    [InlineData("nan:0x8000000000000", 0x7FF8_0000_0000_0000UL)]
    [InlineData("nan:0x1", 0x7FF0_0000_0000_0001UL)]
    [InlineData("0x1.fffffffffffffp1023", 0x7FEF_FFFF_FFFF_FFFFUL)]
    [InlineData("1.7976931348623157e308", 0x7FEF_FFFF_FFFF_FFFFUL)]
    [InlineData("4.9e-324", 0x0000_0000_0000_0001UL)]
    [InlineData("2.2250738585072012e-308", 0x0010_0000_0000_0000UL)]
    [InlineData("0x1.000000000000080000000000p-600", 0x1A70_0000_0000_0000UL)]
    [InlineData("0x1.000000000000080000000001p-600", 0x1A70_0000_0000_0001UL)]
    public void ParsesF64(string text, ulong expected) => Assert.Equal(expected, F64(text));

    [Theory]
    [InlineData("0x1p128")]
    [InlineData("0x1.ffffffp127")]
    [InlineData("1e39")]
    [InlineData("3.4028236e+38")]
    [InlineData("nan:0x0")]
    [InlineData("nan:0x800000")]
    [InlineData("-nan:0x1_0000_0000")]
    public void RejectsF32OutOfRange(string text) => Assert.False(FloatLiterals.TryParseF32(text, 0, text.Length, out _));

    [Theory]
    [InlineData("0x1p1024")]
    [InlineData("1e309")]
    [InlineData("0x1.fffffffffffff8p1023")]
    [InlineData("nan:0x10000000000000")]
    public void RejectsF64OutOfRange(string text) => Assert.False(FloatLiterals.TryParseF64(text, 0, text.Length, out _));

    [Fact]
    public void F32DoesNotRoundTwice()
    {
        // Just above the midpoint between 1 and the next float; through double it lands exactly on
        // the midpoint and then rounds to even (down): the wrong answer.
        const string text = "1.0000000596046447753906250001";
        Assert.Equal(0x3F80_0000u, BitConverter.SingleToUInt32Bits((float)double.Parse(text, CultureInfo.InvariantCulture)));
        Assert.Equal(0x3F80_0001u, F32(text));
        Assert.Equal(0x3F80_0000u, F32("1.000000059604644775390625"));
        Assert.Equal(0x3F80_0002u, F32("1.000000178813934326171875"));
    }

    [Fact]
    public void HugeAndTinyExponentsDoNotHang()
    {
        Assert.False(FloatLiterals.TryParseF64("1e1000000000", 0, 12, out _));
        Assert.Equal(0UL, F64("1e-1000000000"));
        Assert.Equal(0UL, F64("0e1000000000"));
        Assert.Equal(0UL, F64("0x1p-99999999"));
    }

    [Fact]
    public void RandomDecimalsMatchCorrectlyRoundedReference()
    {
        var random = new Random(1234);
        for (var i = 0; i < 20000; i++)
        {
            var digits = random.Next(1, 30);
            var mantissa = new char[digits];
            for (var d = 0; d < digits; d++) mantissa[d] = (char)('0' + random.Next(10));
            var point = random.Next(digits + 1);
            var exponent = random.Next(-60, 60) + (random.Next(4) == 0 ? random.Next(-330, 310) : 0);
            var text = new string(mantissa, 0, point) + "." + new string(mantissa, point, digits - point) + "e" + exponent.ToString(CultureInfo.InvariantCulture);
            if (text.StartsWith('.')) text = "0" + text;

            var f64 = double.Parse(text, CultureInfo.InvariantCulture);
            if (!double.IsInfinity(f64)) Assert.Equal(BitConverter.DoubleToUInt64Bits(f64), F64(text));
            var f32 = float.Parse(text, CultureInfo.InvariantCulture);
            if (!float.IsInfinity(f32)) Assert.Equal(BitConverter.SingleToUInt32Bits(f32), F32(text));
            else Assert.False(FloatLiterals.TryParseF32(text, 0, text.Length, out _), text);
        }
    }

    [Fact]
    public void RandomHexFloatsMatchReference()
    {
        // A hex float with at most 13 fraction digits is exact in double: the double's value,
        // rounded once to float by the hardware, is the reference for f32.
        var random = new Random(99);
        for (var i = 0; i < 20000; i++)
        {
            var mantissa = (ulong)random.NextInt64(1, 1L << 52);
            var exponent = random.Next(-160, 140);
            var text = "0x1." + mantissa.ToString("x13", CultureInfo.InvariantCulture) + "p" + exponent.ToString(CultureInfo.InvariantCulture);
            var value = Math.ScaleB(1.0 + (mantissa / (double)(1L << 52)), exponent);
            Assert.Equal(BitConverter.DoubleToUInt64Bits(value), F64(text));
            var single = (float)value;
            if (float.IsInfinity(single)) Assert.False(FloatLiterals.TryParseF32(text, 0, text.Length, out _), text);
            else Assert.Equal(BitConverter.SingleToUInt32Bits(single), F32(text));
        }
    }
}
