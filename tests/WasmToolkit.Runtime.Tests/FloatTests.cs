using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using WasmToolkit.Compiler;
using WasmToolkit.Instructions;
using Xunit;
using static WasmToolkit.Runtime.Tests.Asm;

namespace WasmToolkit.Runtime.Tests;

/// <summary>
/// f32/f64 operators against C# oracles written to wasm semantics (not <c>Math.Min</c>/<c>MathF.Round</c> defaults):
/// NaN payloads, signed zeros, infinities, min/max with NaN and zeros, nearest ties-to-even, conversions and
/// truncations at their boundaries; and float values through locals, globals, blocks, select and spills.
/// </summary>
public class FloatTests
{
    private static readonly ValType F32T = ValType.F32;
    private static readonly ValType F64T = ValType.F64;

    private static readonly float[] F32Values =
    {
        0f, -0f, 1f, -1f, 0.5f, -0.5f, 1.5f, 2.5f, -2.5f, 3.4028235e38f, -3.4028235e38f, float.Epsilon, -float.Epsilon,
        1.17549435e-38f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, BitConverter.UInt32BitsToSingle(0x7FA00001),
        BitConverter.UInt32BitsToSingle(0xFFC12345), 8388609f, 2147483648f, -2147483648f, 4294967296f, 123.456f,
    };

    private static readonly double[] F64Values =
    {
        0d, -0d, 1d, -1d, 0.5d, -0.5d, 1.5d, 2.5d, -2.5d, double.MaxValue, double.MinValue, double.Epsilon, -double.Epsilon,
        2.2250738585072014e-308, double.PositiveInfinity, double.NegativeInfinity, double.NaN, BitConverter.UInt64BitsToDouble(0x7FF4000000000001),
        BitConverter.UInt64BitsToDouble(0xFFF8123456789ABC), 4503599627370497d, 2147483647.9, -2147483648.9, 9223372036854775808d,
        18446744073709551616d, -9223372036854775808d, 123.456d,
    };

    private static Instance Single(ValType[] parameters, ValType result, params Instruction[] body)
        => new TestModule().Func("f", Type(parameters, result), body).Instantiate();

    private static Instruction F32(float v) => new(Opcode.F32Const) { Value = BitConverter.SingleToUInt32Bits(v) };

    private static Instruction F64(double v) => new(Opcode.F64Const) { Value = BitConverter.DoubleToUInt64Bits(v) };

    private static bool IsArithmeticNaN(float f) => (BitConverter.SingleToUInt32Bits(f) & 0x7FC00000) == 0x7FC00000;

    private static bool IsArithmeticNaN(double d) => (BitConverter.DoubleToUInt64Bits(d) & 0x7FF8000000000000) == 0x7FF8000000000000;

    /// <summary>Exact bits, except that an expected NaN accepts any arithmetic (quiet) NaN, as the spec allows.</summary>
    private static void Same(float expected, float actual, string what)
    {
        if (float.IsNaN(expected)) Assert.True(IsArithmeticNaN(actual), $"{what}: expected a quiet NaN, got 0x{BitConverter.SingleToUInt32Bits(actual):x8}");
        else Assert.True(BitConverter.SingleToUInt32Bits(expected) == BitConverter.SingleToUInt32Bits(actual), $"{what}: expected {expected:R} got {actual:R}");
    }

    private static void Same(double expected, double actual, string what)
    {
        if (double.IsNaN(expected)) Assert.True(IsArithmeticNaN(actual), $"{what}: expected a quiet NaN, got 0x{BitConverter.DoubleToUInt64Bits(actual):x16}");
        else Assert.True(BitConverter.DoubleToUInt64Bits(expected) == BitConverter.DoubleToUInt64Bits(actual), $"{what}: expected {expected:R} got {actual:R}");
    }

    private static double WasmMin(double a, double b)
        => double.IsNaN(a) || double.IsNaN(b) ? double.NaN : a == b ? (double.IsNegative(a) ? a : b) : a < b ? a : b;

    private static double WasmMax(double a, double b)
        => double.IsNaN(a) || double.IsNaN(b) ? double.NaN : a == b ? (double.IsNegative(a) ? b : a) : a > b ? a : b;

    private static float WasmMin(float a, float b)
        => float.IsNaN(a) || float.IsNaN(b) ? float.NaN : a == b ? (float.IsNegative(a) ? a : b) : a < b ? a : b;

    private static float WasmMax(float a, float b)
        => float.IsNaN(a) || float.IsNaN(b) ? float.NaN : a == b ? (float.IsNegative(a) ? b : a) : a > b ? a : b;

    [Theory]
    [InlineData(Opcode.F32Add)]
    [InlineData(Opcode.F32Sub)]
    [InlineData(Opcode.F32Mul)]
    [InlineData(Opcode.F32Div)]
    [InlineData(Opcode.F32Min)]
    [InlineData(Opcode.F32Max)]
    [InlineData(Opcode.F32Copysign)]
    public void F32BinaryOperatorsMatchTheOracle(Opcode op)
    {
        using var instance = Single(P(F32T, F32T), F32T, LocalGet(0), LocalGet(1), Op(op));
        var f = instance.GetFunction<float, float, float>("f");
        foreach (var a in F32Values)
        {
            foreach (var b in F32Values)
            {
                var actual = f.Invoke(a, b);
                if (op == Opcode.F32Copysign)
                {
                    // A bit operation: NaN payloads are kept exactly.
                    var bits = (BitConverter.SingleToUInt32Bits(a) & 0x7FFFFFFF) | (BitConverter.SingleToUInt32Bits(b) & 0x80000000);
                    Assert.Equal(bits, BitConverter.SingleToUInt32Bits(actual));
                    continue;
                }

                var expected = op switch
                {
                    Opcode.F32Add => a + b,
                    Opcode.F32Sub => a - b,
                    Opcode.F32Mul => a * b,
                    Opcode.F32Div => a / b,
                    Opcode.F32Min => WasmMin(a, b),
                    _ => WasmMax(a, b),
                };
                Same(expected, actual, $"{op}({a:R}, {b:R})");
            }
        }
    }

    [Theory]
    [InlineData(Opcode.F64Add)]
    [InlineData(Opcode.F64Sub)]
    [InlineData(Opcode.F64Mul)]
    [InlineData(Opcode.F64Div)]
    [InlineData(Opcode.F64Min)]
    [InlineData(Opcode.F64Max)]
    [InlineData(Opcode.F64Copysign)]
    public void F64BinaryOperatorsMatchTheOracle(Opcode op)
    {
        using var instance = Single(P(F64T, F64T), F64T, LocalGet(0), LocalGet(1), Op(op));
        var f = instance.GetFunction<double, double, double>("f");
        foreach (var a in F64Values)
        {
            foreach (var b in F64Values)
            {
                var actual = f.Invoke(a, b);
                if (op == Opcode.F64Copysign)
                {
                    var bits = (BitConverter.DoubleToUInt64Bits(a) & 0x7FFFFFFFFFFFFFFF) | (BitConverter.DoubleToUInt64Bits(b) & 0x8000000000000000);
                    Assert.Equal(bits, BitConverter.DoubleToUInt64Bits(actual));
                    continue;
                }

                var expected = op switch
                {
                    Opcode.F64Add => a + b,
                    Opcode.F64Sub => a - b,
                    Opcode.F64Mul => a * b,
                    Opcode.F64Div => a / b,
                    Opcode.F64Min => WasmMin(a, b),
                    _ => WasmMax(a, b),
                };
                Same(expected, actual, $"{op}({a:R}, {b:R})");
            }
        }
    }

    [Fact]
    public void MinAndMaxOrderZerosAndPropagateNaN()
    {
        using var min = Single(P(F64T, F64T), F64T, LocalGet(0), LocalGet(1), Op(Opcode.F64Min));
        using var max = Single(P(F32T, F32T), F32T, LocalGet(0), LocalGet(1), Op(Opcode.F32Max));
        Assert.True(double.IsNegative(min.GetFunction<double, double, double>("f").Invoke(0d, -0d)));
        Assert.True(double.IsNegative(min.GetFunction<double, double, double>("f").Invoke(-0d, 0d)));
        Assert.False(float.IsNegative(max.GetFunction<float, float, float>("f").Invoke(-0f, 0f)));
        Assert.False(float.IsNegative(max.GetFunction<float, float, float>("f").Invoke(0f, -0f)));
        Assert.True(double.IsNaN(min.GetFunction<double, double, double>("f").Invoke(1d, double.NaN)));
        Assert.True(double.IsNaN(min.GetFunction<double, double, double>("f").Invoke(double.NaN, 1d)));
        Assert.True(float.IsNaN(max.GetFunction<float, float, float>("f").Invoke(float.NaN, float.PositiveInfinity)));
    }

    [Theory]
    [InlineData(Opcode.F32Abs)]
    [InlineData(Opcode.F32Neg)]
    [InlineData(Opcode.F32Sqrt)]
    [InlineData(Opcode.F32Ceil)]
    [InlineData(Opcode.F32Floor)]
    [InlineData(Opcode.F32Trunc)]
    [InlineData(Opcode.F32Nearest)]
    public void F32UnaryOperatorsMatchTheOracle(Opcode op)
    {
        using var instance = Single(P(F32T), F32T, LocalGet(0), Op(op));
        var f = instance.GetFunction<float, float>("f");
        foreach (var a in F32Values)
        {
            var actual = f.Invoke(a);
            var bits = BitConverter.SingleToUInt32Bits(a);
            switch (op)
            {
                case Opcode.F32Abs: Assert.Equal(bits & 0x7FFFFFFF, BitConverter.SingleToUInt32Bits(actual)); break;
                case Opcode.F32Neg: Assert.Equal(bits ^ 0x80000000, BitConverter.SingleToUInt32Bits(actual)); break;
                case Opcode.F32Sqrt: Same(MathF.Sqrt(a), actual, "sqrt"); break;
                case Opcode.F32Ceil: Same(MathF.Ceiling(a), actual, $"ceil {a:R}"); break;
                case Opcode.F32Floor: Same(MathF.Floor(a), actual, $"floor {a:R}"); break;
                case Opcode.F32Trunc: Same(MathF.Truncate(a), actual, $"trunc {a:R}"); break;
                default: Same(MathF.Round(a, MidpointRounding.ToEven), actual, $"nearest {a:R}"); break;
            }
        }
    }

    [Theory]
    [InlineData(Opcode.F64Abs)]
    [InlineData(Opcode.F64Neg)]
    [InlineData(Opcode.F64Sqrt)]
    [InlineData(Opcode.F64Ceil)]
    [InlineData(Opcode.F64Floor)]
    [InlineData(Opcode.F64Trunc)]
    [InlineData(Opcode.F64Nearest)]
    public void F64UnaryOperatorsMatchTheOracle(Opcode op)
    {
        using var instance = Single(P(F64T), F64T, LocalGet(0), Op(op));
        var f = instance.GetFunction<double, double>("f");
        foreach (var a in F64Values)
        {
            var actual = f.Invoke(a);
            var bits = BitConverter.DoubleToUInt64Bits(a);
            switch (op)
            {
                case Opcode.F64Abs: Assert.Equal(bits & 0x7FFFFFFFFFFFFFFF, BitConverter.DoubleToUInt64Bits(actual)); break;
                case Opcode.F64Neg: Assert.Equal(bits ^ 0x8000000000000000, BitConverter.DoubleToUInt64Bits(actual)); break;
                case Opcode.F64Sqrt: Same(Math.Sqrt(a), actual, "sqrt"); break;
                case Opcode.F64Ceil: Same(Math.Ceiling(a), actual, $"ceil {a:R}"); break;
                case Opcode.F64Floor: Same(Math.Floor(a), actual, $"floor {a:R}"); break;
                case Opcode.F64Trunc: Same(Math.Truncate(a), actual, $"trunc {a:R}"); break;
                default: Same(Math.Round(a, MidpointRounding.ToEven), actual, $"nearest {a:R}"); break;
            }
        }
    }

    [Fact]
    public void NearestRoundsTiesToEvenAndKeepsTheSignOfZero()
    {
        using var instance = Single(P(F64T), F64T, LocalGet(0), Op(Opcode.F64Nearest));
        var f = instance.GetFunction<double, double>("f");
        Assert.Equal(0d, f.Invoke(0.5));
        Assert.Equal(2d, f.Invoke(1.5));
        Assert.Equal(2d, f.Invoke(2.5));
        Assert.Equal(-4d, f.Invoke(-3.5));
        Assert.True(double.IsNegative(f.Invoke(-0.5)));
        Assert.Equal(4503599627370497d, f.Invoke(4503599627370497d));
    }

    [Theory]
    [InlineData(Opcode.F64Eq)]
    [InlineData(Opcode.F64Ne)]
    [InlineData(Opcode.F64Lt)]
    [InlineData(Opcode.F64Gt)]
    [InlineData(Opcode.F64Le)]
    [InlineData(Opcode.F64Ge)]
    [InlineData(Opcode.F32Eq)]
    [InlineData(Opcode.F32Ne)]
    [InlineData(Opcode.F32Lt)]
    [InlineData(Opcode.F32Gt)]
    [InlineData(Opcode.F32Le)]
    [InlineData(Opcode.F32Ge)]
    public void ComparisonsAreFalseOnNaNExceptNe(Opcode op)
    {
        var is64 = op.ToString().StartsWith("F64", StringComparison.Ordinal);
        var t = is64 ? F64T : F32T;
        using var instance = Single(P(t, t), I32T, LocalGet(0), LocalGet(1), Op(op));
        foreach (var a in F64Values)
        {
            foreach (var b in F64Values)
            {
                double x = a, y = b;
                if (!is64)
                {
                    x = (float)a;
                    y = (float)b;
                }

                var name = op.ToString().Substring(3);
                var expected = name switch
                {
                    "Eq" => x == y,
                    "Ne" => x != y,
                    "Lt" => x < y,
                    "Gt" => x > y,
                    "Le" => x <= y,
                    _ => x >= y,
                };
                var actual = is64 ? instance.Invoke("f", a, b) : instance.Invoke("f", (float)a, (float)b);
                Assert.True((expected ? 1 : 0) == (int)actual!, $"{op}({x:R}, {y:R})");
            }
        }
    }

    private static readonly long[] IntValues =
    {
        0, 1, -1, int.MaxValue, int.MinValue, uint.MaxValue, long.MaxValue, long.MinValue, (1L << 53) + 1, (1L << 24) + 1,
        unchecked((long)0x8000000000000001), unchecked((long)0xFFFFFFFFFFFFFFFF), unchecked((long)0x8000008000000001), 0x7FFFFF4000000001,
    };

    [Fact]
    public void IntegerToFloatConversionsRoundCorrectly()
    {
        var m = new TestModule()
            .Func("f32_s32", Type(P(I32T), F32T), LocalGet(0), Op(Opcode.F32ConvertI32S))
            .Func("f32_u32", Type(P(I32T), F32T), LocalGet(0), Op(Opcode.F32ConvertI32U))
            .Func("f32_s64", Type(P(I64T), F32T), LocalGet(0), Op(Opcode.F32ConvertI64S))
            .Func("f32_u64", Type(P(I64T), F32T), LocalGet(0), Op(Opcode.F32ConvertI64U))
            .Func("f64_s32", Type(P(I32T), F64T), LocalGet(0), Op(Opcode.F64ConvertI32S))
            .Func("f64_u32", Type(P(I32T), F64T), LocalGet(0), Op(Opcode.F64ConvertI32U))
            .Func("f64_s64", Type(P(I64T), F64T), LocalGet(0), Op(Opcode.F64ConvertI64S))
            .Func("f64_u64", Type(P(I64T), F64T), LocalGet(0), Op(Opcode.F64ConvertI64U));
        using var instance = m.Instantiate();
        foreach (var v in IntValues)
        {
            var i = (int)v;
            Assert.Equal((float)i, (float)instance.Invoke("f32_s32", i)!);
            Assert.Equal((float)(uint)i, (float)instance.Invoke("f32_u32", i)!);
            Assert.Equal((float)v, (float)instance.Invoke("f32_s64", v)!);
            Assert.Equal((float)(ulong)v, (float)instance.Invoke("f32_u64", v)!);
            Assert.Equal((double)i, (double)instance.Invoke("f64_s32", i)!);
            Assert.Equal((double)(uint)i, (double)instance.Invoke("f64_u32", i)!);
            Assert.Equal((double)v, (double)instance.Invoke("f64_s64", v)!);
            Assert.Equal((double)(ulong)v, (double)instance.Invoke("f64_u64", v)!);
        }

        // The halving trick must keep the sticky bit: 2^63 + 2^40 + 1 rounds up in f32 only because of the last bit.
        Assert.Equal(9.223373e18f, (float)instance.Invoke("f32_u64", unchecked((long)0x8000010000000001))!);
    }

    [Fact]
    public void DemoteAndPromote()
    {
        var m = new TestModule()
            .Func("demote", Type(P(F64T), F32T), LocalGet(0), Op(Opcode.F32DemoteF64))
            .Func("promote", Type(P(F32T), F64T), LocalGet(0), Op(Opcode.F64PromoteF32));
        using var instance = m.Instantiate();
        foreach (var d in F64Values) Same((float)d, (float)instance.Invoke("demote", d)!, $"demote {d:R}");
        foreach (var f in F32Values) Same((double)f, (double)instance.Invoke("promote", f)!, $"promote {f:R}");
    }

    [Fact]
    public void ReinterpretKeepsEveryBit()
    {
        var m = new TestModule()
            .Func("i32", Type(P(F32T), I32T), LocalGet(0), Op(Opcode.I32ReinterpretF32))
            .Func("f64", Type(P(I64T), F64T), LocalGet(0), Op(Opcode.F64ReinterpretI64));
        using var instance = m.Instantiate();
        // The bits come from an array so the JIT cannot constant-fold the conversion: folding a signalling NaN
        // constant in Release quiets it (0x7FA00001 becomes 0x7FE00001) before the runtime ever sees it.
        uint[] signalling = [0x7FA00001];
        var argument = BitConverter.UInt32BitsToSingle(signalling[0]);
        Assert.Equal(0x7FA00001u, BitConverter.SingleToUInt32Bits(argument));
        Assert.Equal(0x7FA00001, (int)instance.Invoke("i32", argument)!);
        Assert.Equal(0x7FF4000000000001UL, BitConverter.DoubleToUInt64Bits((double)instance.Invoke("f64", 0x7FF4000000000001L)!));
    }

    private static (Opcode Trapping, Opcode Saturating, bool F64, bool I64, bool Signed)[] Truncations =>
    new[]
    {
        (Opcode.I32TruncF32S, Opcode.I32TruncSatF32S, false, false, true),
        (Opcode.I32TruncF32U, Opcode.I32TruncSatF32U, false, false, false),
        (Opcode.I32TruncF64S, Opcode.I32TruncSatF64S, true, false, true),
        (Opcode.I32TruncF64U, Opcode.I32TruncSatF64U, true, false, false),
        (Opcode.I64TruncF32S, Opcode.I64TruncSatF32S, false, true, true),
        (Opcode.I64TruncF32U, Opcode.I64TruncSatF32U, false, true, false),
        (Opcode.I64TruncF64S, Opcode.I64TruncSatF64S, true, true, true),
        (Opcode.I64TruncF64U, Opcode.I64TruncSatF64U, true, true, false),
    };

    private static readonly double[] TruncationInputs =
    {
        0, -0d, 0.9, -0.9, -1, 1.5, 2147483647, 2147483647.9, 2147483648, -2147483648, -2147483648.9, -2147483649, 4294967295,
        4294967295.5, 4294967296, 9223372036854774784d, 9223372036854775808d, -9223372036854775808d, -9223373136366403584d,
        18446742974197923840d, 18446744073709551616d, double.PositiveInfinity, double.NegativeInfinity, double.NaN, 2147483520f, -2147483904f,
    };

    [Fact]
    public void TruncationsTrapOrSaturateAtTheBoundaries()
    {
        foreach (var (trapping, saturating, f64, i64, signed) in Truncations)
        {
            var src = f64 ? F64T : F32T;
            var dst = i64 ? I64T : I32T;
            var m = new TestModule()
                .Func("trap", Type(P(src), dst), LocalGet(0), Op(trapping))
                .Func("sat", Type(P(src), dst), LocalGet(0), Op(saturating));
            using var instance = m.Instantiate();
            foreach (var input in TruncationInputs)
            {
                var x = f64 ? input : (float)input;
                var arg = f64 ? (object)x : (float)x;
                var t = Math.Truncate(x);
                BigInteger? exact = double.IsNaN(x) || double.IsInfinity(x) ? null : new BigInteger(t); // exact, unlike (decimal)double
                BigInteger min = signed ? (i64 ? long.MinValue : int.MinValue) : BigInteger.Zero;
                BigInteger max = signed ? (i64 ? long.MaxValue : int.MaxValue) : (i64 ? ulong.MaxValue : uint.MaxValue);
                var inRange = exact is { } e && e >= min && e <= max;
                BigInteger saturated = double.IsNaN(x) ? BigInteger.Zero : inRange ? exact!.Value : x < 0 ? min : max;

                object ExpectedBoxed(BigInteger v) => (i64, signed) switch
                {
                    (true, true) => (object)(long)v,
                    (true, false) => (object)unchecked((long)(ulong)v),
                    (false, true) => (object)(int)v,
                    _ => (object)unchecked((int)(uint)v),
                };

                Assert.True(ExpectedBoxed(saturated).Equals(instance.Invoke("sat", arg)), $"{saturating}({x:R})");
                if (inRange)
                {
                    Assert.True(ExpectedBoxed(exact!.Value).Equals(instance.Invoke("trap", arg)), $"{trapping}({x:R})");
                }
                else
                {
                    var trap = Assert.Throws<TrapException>(() => instance.Invoke("trap", arg));
                    Assert.Equal(double.IsNaN(x) ? TrapKind.InvalidConversionToInteger : TrapKind.IntegerOverflow, trap.Kind);
                }
            }
        }
    }

    [Fact]
    public void FloatValuesFlowThroughLocalsGlobalsBlocksSelectSpillsAndCalls()
    {
        // sum of 20 live f64 values (more than the allocatable registers), through a block result, select, a global and a call.
        var body = new List<Instruction>();
        for (var i = 1; i <= 20; i++) body.Add(F64(i + 0.25));
        for (var i = 1; i < 20; i++) body.Add(Op(Opcode.F64Add));
        body.Add(LocalSet(1));
        body.Add(Block(F64T));
        body.Add(LocalGet(1));
        body.Add(F64(-1));
        body.Add(LocalGet(0));
        body.Add(F32(0));
        body.Add(Op(Opcode.F32Gt));
        body.Add(Op(Opcode.Select));
        body.Add(End);
        body.Add(GlobalSet(0));
        body.Add(GlobalGet(0));
        body.Add(Call(1));
        var m = new TestModule().GlobalF64(0.5);
        m.Func("f", Type(P(F32T), F64T), TestModule.Locals((1, F64T)), body.ToArray());
        m.Func(null, Type(P(F64T), F64T), LocalGet(0), F64(2), Op(Opcode.F64Mul));
        using var instance = m.Instantiate();
        var expected = Enumerable.Range(1, 20).Sum(i => i + 0.25);
        Assert.Equal(expected * 2, (double)instance.Invoke("f", 1f)!);
        Assert.Equal(-2d, (double)instance.Invoke("f", -1f)!);
        Assert.Equal(-2d, (double)instance.Invoke("f", float.NaN)!);
        Assert.Equal(BitConverter.DoubleToInt64Bits(-1d), instance.GetGlobal(0));
    }

    [Fact]
    public void FloatLoadsAndStoresAreBoundsChecked()
    {
        var m = new TestModule().WithMemory(1)
            .Func("store", Type(P(I32T, F64T)), LocalGet(0), LocalGet(1), Mem(Opcode.F64Store))
            .Func("load", Type(P(I32T), F64T), LocalGet(0), Mem(Opcode.F64Load))
            .Func("load32", Type(P(I32T), F32T), LocalGet(0), Mem(Opcode.F32Load, 4));
        using var instance = m.Instantiate();
        var nan = BitConverter.UInt64BitsToDouble(0x7FF4000000000001);
        instance.Invoke("store", 65528, nan);
        Assert.Equal(0x7FF4000000000001UL, BitConverter.DoubleToUInt64Bits((double)instance.Invoke("load", 65528)!));
        Assert.Equal(0x7FF40000U, BitConverter.SingleToUInt32Bits((float)instance.Invoke("load32", 65528)!));
        Assert.Equal(TrapKind.MemoryOutOfBounds, Assert.Throws<TrapException>(() => instance.Invoke("load", 65529)).Kind);
        Assert.Equal(TrapKind.MemoryOutOfBounds, Assert.Throws<TrapException>(() => instance.Invoke("load32", 65529)).Kind);
        Assert.Equal(TrapKind.MemoryOutOfBounds, Assert.Throws<TrapException>(() => instance.Invoke("store", 65529, 1d)).Kind);
    }
}
