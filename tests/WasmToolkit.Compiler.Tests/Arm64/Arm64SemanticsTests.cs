using System;
using System.Collections.Generic;
using WasmToolkit.Compiler.Arm64;
using Xunit;
using static WasmToolkit.Compiler.Arm64.Arm64Register;

namespace WasmToolkit.Compiler.Tests.Arm64;

/// <summary>
/// Executes encoder output on Unicorn (<see cref="Arm64Emulator"/>) to pin down the A64 behaviour the wasm backend
/// relies on, and to check encodings by their effect rather than by text: division never traps (the backend must
/// test for zero and overflow), register shifts take the count modulo the width, <c>fcvtzs</c>/<c>fcvtzu</c> saturate
/// and map NaN to 0 (wasm's trapping conversions need explicit checks), <c>fmin</c>/<c>fmax</c> propagate NaN and order
/// -0 below +0 like wasm (unlike <c>fminnm</c>), <c>frintn</c> ties to even, 32-bit operations zero the upper half.
/// Skipped with the reason when libunicorn.so.2 is missing (fails under <c>CI=true</c>).
/// </summary>
public class Arm64SemanticsTests
{
    private static ulong Run(Action<Arm64Assembler> body, params ulong[] xs)
    {
        Arm64Emulator.Require();
        var asm = new Arm64Assembler();
        body(asm);
        using var emulator = new Arm64Emulator();
        for (var i = 0; i < xs.Length; i++) emulator.SetX(i, xs[i]);
        emulator.Run(asm);
        return emulator.GetX(0);
    }

    private static ulong RunFloat(Action<Arm64Assembler> body, out ulong x0, params ulong[] ds)
    {
        Arm64Emulator.Require();
        var asm = new Arm64Assembler();
        body(asm);
        using var emulator = new Arm64Emulator();
        for (var i = 0; i < ds.Length; i++) emulator.SetD(i, ds[i]);
        emulator.Run(asm);
        x0 = emulator.GetX(0);
        return emulator.GetD(0);
    }

    private static Arm64Instruction I(Arm64Code code, Arm64Register rd, Arm64Register rn = default, Arm64Register rm = default, Arm64Register ra = default)
        => Arm64Instruction.Create(code, rd, rn, rm, ra);

    private static ulong Bits(double d) => (ulong)BitConverter.DoubleToInt64Bits(d);

    private static ulong Bits(float f) => (uint)BitConverter.SingleToInt32Bits(f);

    [SkippableTheory]
    [InlineData(7, 2, 3)]
    [InlineData(-7, 2, -3)]
    [InlineData(7, 0, 0)]
    [InlineData(int.MinValue, -1, int.MinValue)]
    [InlineData(int.MinValue, 0, 0)]
    public void SdivW_NeverTraps(int a, int b, int expected)
    {
        var result = Run(asm => asm.Emit(I(Arm64Code.Sdiv, W(0), W(0), W(1))), (uint)a, (uint)b);
        Assert.Equal((ulong)(uint)expected, result);
    }

    [SkippableTheory]
    [InlineData(long.MinValue, -1L, long.MinValue)]
    [InlineData(-9L, 0L, 0L)]
    [InlineData(-9L, 4L, -2L)]
    public void SdivX_NeverTraps(long a, long b, long expected)
        => Assert.Equal((ulong)expected, Run(asm => asm.Emit(I(Arm64Code.Sdiv, X(0), X(0), X(1))), (ulong)a, (ulong)b));

    [SkippableTheory]
    [InlineData(0xFFFF_FFFFUL, 0UL, 0UL)]
    [InlineData(0xFFFF_FFFFUL, 2UL, 0x7FFF_FFFFUL)]
    public void UdivW_ByZeroIsZero(ulong a, ulong b, ulong expected)
        => Assert.Equal(expected, Run(asm => asm.Emit(I(Arm64Code.Udiv, W(0), W(0), W(1))), a, b));

    [SkippableTheory]
    [InlineData(Arm64Code.Lslv, false, 0x8000_0001UL, 33UL, 0x2UL)]
    [InlineData(Arm64Code.Lsrv, false, 0x8000_0000UL, 63UL, 0x1UL)]
    [InlineData(Arm64Code.Asrv, false, 0x8000_0000UL, 36UL, 0xF800_0000UL)]
    [InlineData(Arm64Code.Rorv, false, 0x1UL, 33UL, 0x8000_0000UL)]
    [InlineData(Arm64Code.Lslv, true, 0x1UL, 65UL, 0x2UL)]
    [InlineData(Arm64Code.Lsrv, true, 0x8000_0000_0000_0000UL, 127UL, 0x1UL)]
    [InlineData(Arm64Code.Asrv, true, 0x8000_0000_0000_0000UL, 66UL, 0xE000_0000_0000_0000UL)]
    [InlineData(Arm64Code.Rorv, true, 0x1UL, 0xFFFF_FFFF_FFFF_FFC1UL, 0x8000_0000_0000_0000UL)]
    public void RegisterShifts_TakeTheCountModuloTheWidth(Arm64Code code, bool is64, ulong value, ulong count, ulong expected)
    {
        Func<int, Arm64Register> r = is64 ? X : W;
        Assert.Equal(expected, Run(asm => asm.Emit(I(code, r(0), r(0), r(1))), value, count));
    }

    [SkippableFact]
    public void ThirtyTwoBitOperations_ZeroTheUpperHalf()
    {
        const ulong dirty = 0xDEAD_BEEF_0000_0001;
        Assert.Equal(3UL, Run(asm => asm.Emit(I(Arm64Code.Add, W(0), W(1), W(2))), ulong.MaxValue, dirty, 2));
        Assert.Equal(1UL, Run(asm => asm.Mov(W(0), W(1)), ulong.MaxValue, dirty));
        Assert.Equal(0xFFFF_FFFFUL, Run(asm => asm.Emit(new Arm64Instruction { Code = Arm64Code.Movn, Rd = W(0) }), ulong.MaxValue));
        Assert.Equal(0xFFFF_FFFEUL, Run(asm => asm.Emit(I(Arm64Code.Sub, W(0), W(1), W(2))), 0, dirty, 3));
    }

    [SkippableTheory]
    [InlineData(0UL, false, 32UL)]
    [InlineData(1UL, false, 31UL)]
    [InlineData(0xFFFF_FFFF_0000_0000UL, false, 32UL)]
    [InlineData(0UL, true, 64UL)]
    [InlineData(0x0000_0001_0000_0000UL, true, 31UL)]
    public void Clz(ulong value, bool is64, ulong expected)
        => Assert.Equal(expected, Run(asm => asm.Emit(I(Arm64Code.Clz, is64 ? X(0) : W(0), is64 ? X(0) : W(0))), value));

    [SkippableFact]
    public void RbitAndRev()
    {
        Assert.Equal(0x8000_0000UL, Run(asm => asm.Emit(I(Arm64Code.Rbit, W(0), W(0))), 1));
        Assert.Equal(0x8000_0000_0000_0000UL, Run(asm => asm.Emit(I(Arm64Code.Rbit, X(0), X(0))), 1));
        Assert.Equal(0x0807_0605_0403_0201UL, Run(asm => asm.Emit(I(Arm64Code.Rev, X(0), X(0))), 0x0102_0304_0506_0708));
        Assert.Equal(0x0403_0201UL, Run(asm => asm.Emit(I(Arm64Code.Rev, W(0), W(0))), 0xFFFF_FFFF_0102_0304));
        // ctz as the backend will do it: rbit then clz.
        Assert.Equal(4UL, Run(asm => { asm.Emit(I(Arm64Code.Rbit, W(0), W(0))); asm.Emit(I(Arm64Code.Clz, W(0), W(0))); }, 0x30));
    }

    [SkippableTheory]
    [InlineData(0UL, 0UL)]
    [InlineData(ulong.MaxValue, 64UL)]
    [InlineData(0x8000_0000_0000_0001UL, 2UL)]
    [InlineData(0xF0F0_0000_0000_F0F0UL, 16UL)]
    public void Popcnt_ByCntAndAddv(ulong value, ulong expected)
    {
        // i64.popcnt as the backend will emit it: move to a vector register, count bits per byte, sum the bytes.
        var result = Run(asm =>
        {
            asm.Emit(I(Arm64Code.Fmov, D(0), X(0)));
            asm.Emit(I(Arm64Code.Cnt, D(0), D(0)));
            asm.Emit(I(Arm64Code.Addv, D(0), D(0)));
            asm.Emit(I(Arm64Code.Fmov, W(0), S(0)));
        }, value);
        Assert.Equal(expected, result);
    }

    public static TheoryData<double, long, long> Fcvtzs64Cases => new()
    {
        { 1e300, int.MaxValue, long.MaxValue },
        { -1e300, int.MinValue, long.MinValue },
        { double.NaN, 0, 0 },
        { double.PositiveInfinity, int.MaxValue, long.MaxValue },
        { -1.9, -1, -1 },
        { 2147483647.9, int.MaxValue, 2147483647 },
        { -2147483648.9, int.MinValue, -2147483648 },
        { -0.0, 0, 0 },
    };

    [SkippableTheory]
    [MemberData(nameof(Fcvtzs64Cases))]
    public void Fcvtzs_SaturatesAndMapsNaNToZero(double input, long expectedW, long expectedX)
    {
        RunFloat(asm => asm.Emit(I(Arm64Code.Fcvtzs, W(0), D(0))), out var w, Bits(input));
        Assert.Equal((ulong)(uint)(int)expectedW, w);
        RunFloat(asm => asm.Emit(I(Arm64Code.Fcvtzs, X(0), D(0))), out var x, Bits(input));
        Assert.Equal((ulong)expectedX, x);
    }

    [SkippableFact]
    public void Fcvtzu_Saturates()
    {
        RunFloat(asm => asm.Emit(I(Arm64Code.Fcvtzu, W(0), D(0))), out var negative, Bits(-1.0));
        Assert.Equal(0UL, negative);
        RunFloat(asm => asm.Emit(I(Arm64Code.Fcvtzu, X(0), D(0))), out var huge, Bits(1e20));
        Assert.Equal(ulong.MaxValue, huge);
        RunFloat(asm => asm.Emit(I(Arm64Code.Fcvtzu, W(0), S(0))), out var single, Bits(4294967040f));
        Assert.Equal(4294967040UL, single);
    }

    [SkippableFact]
    public void FminFmax_PropagateNaN_AndOrderSignedZeros_LikeWasm()
    {
        var nan = Bits(double.NaN);
        Assert.True(double.IsNaN(BitConverter.Int64BitsToDouble((long)RunFloat(asm => asm.Emit(I(Arm64Code.Fmin, D(0), D(0), D(1))), out _, nan, Bits(1.0)))));
        Assert.True(double.IsNaN(BitConverter.Int64BitsToDouble((long)RunFloat(asm => asm.Emit(I(Arm64Code.Fmax, D(0), D(0), D(1))), out _, Bits(1.0), nan))));
        Assert.Equal(Bits(-0.0), RunFloat(asm => asm.Emit(I(Arm64Code.Fmin, D(0), D(0), D(1))), out _, Bits(0.0), Bits(-0.0)));
        Assert.Equal(Bits(-0.0), RunFloat(asm => asm.Emit(I(Arm64Code.Fmin, D(0), D(0), D(1))), out _, Bits(-0.0), Bits(0.0)));
        Assert.Equal(Bits(0.0), RunFloat(asm => asm.Emit(I(Arm64Code.Fmax, D(0), D(0), D(1))), out _, Bits(-0.0), Bits(0.0)));
        Assert.Equal(Bits(0.0), RunFloat(asm => asm.Emit(I(Arm64Code.Fmax, D(0), D(0), D(1))), out _, Bits(0.0), Bits(-0.0)));
        Assert.Equal(Bits(-1.5f), RunFloat(asm => asm.Emit(I(Arm64Code.Fmin, S(0), S(0), S(1))), out _, Bits(2f), Bits(-1.5f)));

        // fminnm is not wasm's min: it returns the number when the other operand is a quiet NaN.
        Assert.Equal(Bits(1.0), RunFloat(asm => asm.Emit(I(Arm64Code.Fminnm, D(0), D(0), D(1))), out _, nan, Bits(1.0)));
    }

    [SkippableTheory]
    [InlineData(Arm64Code.Frintn, 2.5, 2.0)]
    [InlineData(Arm64Code.Frintn, 3.5, 4.0)]
    [InlineData(Arm64Code.Frintn, -2.5, -2.0)]
    [InlineData(Arm64Code.Frintn, 0.5, 0.0)]
    [InlineData(Arm64Code.Frintn, -0.5, -0.0)]
    [InlineData(Arm64Code.Frintm, -1.5, -2.0)]
    [InlineData(Arm64Code.Frintp, -1.5, -1.0)]
    [InlineData(Arm64Code.Frintp, -0.5, -0.0)]
    [InlineData(Arm64Code.Frintz, -1.7, -1.0)]
    [InlineData(Arm64Code.Fsqrt, 2.25, 1.5)]
    [InlineData(Arm64Code.Fneg, 0.0, -0.0)]
    [InlineData(Arm64Code.Fabs, -3.0, 3.0)]
    public void FloatUnary(Arm64Code code, double input, double expected)
        => Assert.Equal(Bits(expected), RunFloat(asm => asm.Emit(I(code, D(0), D(0))), out _, Bits(input)));

    [SkippableFact]
    public void FloatConversionsAndMoves()
    {
        Assert.Equal(Bits(-3.0), RunInt64ToDouble(Arm64Code.Scvtf, unchecked((ulong)-3L)));
        Assert.Equal(Bits(18446744073709551615.0), RunInt64ToDouble(Arm64Code.Ucvtf, ulong.MaxValue));
        Assert.Equal(Bits(1.5), RunFloat(asm => asm.Emit(I(Arm64Code.Fcvt, D(0), S(0))), out _, Bits(1.5f)));
        Assert.Equal(Bits(2.5), RunFloat(asm => asm.Emit(new Arm64Instruction { Code = Arm64Code.FmovImm, Rd = D(0), FloatImmediate = 2.5 }), out _));
        RunFloat(asm => asm.Emit(I(Arm64Code.Fmov, X(0), D(0))), out var raw, Bits(-0.0));
        Assert.Equal(Bits(-0.0), raw);
    }

    private static ulong RunInt64ToDouble(Arm64Code code, ulong value)
    {
        Arm64Emulator.Require();
        var asm = new Arm64Assembler();
        asm.Emit(I(code, D(0), X(0)));
        using var emulator = new Arm64Emulator();
        emulator.SetX(0, value);
        emulator.Run(asm);
        return emulator.GetD(0);
    }

    [SkippableFact]
    public void FcmpAndFcsel_UnorderedIsNotLessThan()
    {
        // wasm f64.lt must be false for NaN: after fcmp, "mi" (N set) is false when unordered, "lt" would be true.
        void Body(Arm64Assembler asm, Arm64Condition c)
        {
            asm.Emit(I(Arm64Code.Fcmp, default, D(0), D(1)));
            asm.Cset(W(0), c);
        }

        RunFloat(asm => Body(asm, Arm64Condition.Mi), out var mi, Bits(double.NaN), Bits(1.0));
        RunFloat(asm => Body(asm, Arm64Condition.Lt), out var lt, Bits(double.NaN), Bits(1.0));
        RunFloat(asm => Body(asm, Arm64Condition.Mi), out var less, Bits(0.5), Bits(1.0));
        Assert.Equal((0UL, 1UL, 1UL), (mi, lt, less));
    }

    public static IEnumerable<object[]> Constants()
    {
        ulong[] values =
        {
            0, 1, 0xFFFF, 0x1_0000, 0xFFFF_0000, 0xFFFF_FFFF, ulong.MaxValue, 0xFFFF_FFFF_FFFF_FFFE, 0x5555_5555_5555_5555,
            0x1234_5678_9ABC_DEF0, 0xFFFF_FFFF_1234_5678, 0x8000_0000_0000_0000, 0x0000_FFFF_0000_FFFF, 0xFFFF_1234_FFFF_FFFF, 0x0001_0000_0000_0001,
        };
        foreach (var v in values) yield return new object[] { v };
    }

    [SkippableTheory]
    [MemberData(nameof(Constants))]
    public void MovImmediate_Materialises64BitConstants(ulong value)
    {
        Assert.Equal(value, Run(asm => asm.MovImmediate(X(0), value), 0xBAD));
        Assert.Equal(value & 0xFFFF_FFFF, Run(asm => asm.MovImmediate(W(0), value), ulong.MaxValue));
    }

    [SkippableFact]
    public void BitmaskImmediates_MeanWhatTheEncoderWasAsked()
    {
        // Every encodable value of a pseudo-random sample, and all element sizes: orr x(i), xzr, #v must produce v.
        var random = new Random(6);
        var values = new List<(ulong Value, bool Is64)>();
        for (var size = 2; size <= 64; size *= 2)
        {
            for (var ones = 1; ones < size; ones++)
            {
                var element = (1UL << ones) - 1;
                var rotation = random.Next(size);
                var mask = size == 64 ? ulong.MaxValue : (1UL << size) - 1;
                var rotated = rotation == 0 ? element : ((element >> rotation) | (element << (size - rotation))) & mask;
                var value = 0UL;
                for (var i = 0; i < 64; i += size) value |= rotated << i;
                values.Add((value, true));
                if (size <= 32) values.Add((value & 0xFFFF_FFFF, false));
            }
        }

        var batches = new List<List<(ulong, bool)>>();
        for (var i = 0; i < values.Count; i += 250) batches.Add(values.GetRange(i, Math.Min(250, values.Count - i)));
        foreach (var batch in batches)
        {
            Arm64Emulator.Require();
            var asm = new Arm64Assembler();
            asm.MovImmediate(X(9), Arm64Emulator.DataAddress);
            foreach (var (value, is64) in batch)
            {
                Assert.True(Arm64Immediates.TryEncodeLogical(value, is64, out _), $"0x{value:x} should be encodable");
                asm.Emit(new Arm64Instruction { Code = Arm64Code.OrrImm, Rd = is64 ? X(0) : W(0), Rn = is64 ? Xzr : Wzr, Immediate = (long)value });
                asm.Emit(new Arm64Instruction { Code = Arm64Code.Str, Rd = X(0), Memory = Arm64Memory.PostIndex(X(9), 8) });
            }

            using var emulator = new Arm64Emulator();
            emulator.Run(asm);
            var memory = emulator.ReadData(0, batch.Count * 8);
            for (var i = 0; i < batch.Count; i++) Assert.Equal(batch[i].Item1, BitConverter.ToUInt64(memory, i * 8));
        }
    }

    [SkippableFact]
    public void LoadsAndStores_AllAddressingModes()
    {
        Arm64Emulator.Require();
        var asm = new Arm64Assembler();
        asm.MovImmediate(X(9), Arm64Emulator.DataAddress + 0x100);
        asm.Emit(new Arm64Instruction { Code = Arm64Code.Ldrsb, Rd = X(0), Memory = Arm64Memory.At(X(9), 0) }); // 0x80 -> -128
        asm.Emit(new Arm64Instruction { Code = Arm64Code.Ldrb, Rd = W(1), Memory = Arm64Memory.At(X(9), 0) }); // 0x80
        asm.Emit(new Arm64Instruction { Code = Arm64Code.Ldursh, Rd = W(2), Memory = Arm64Memory.At(X(9), -2) }); // 0xff7f -> 0xffffff7f
        asm.MovImmediate(X(3), unchecked((ulong)-2L));
        asm.Emit(new Arm64Instruction { Code = Arm64Code.Ldr, Rd = X(4), Memory = Arm64Memory.Indexed(X(9), W(3), Arm64Extend.Sxtw, 3) }); // [x9 - 16]
        asm.Emit(new Arm64Instruction { Code = Arm64Code.Ldr, Rd = X(5), Memory = Arm64Memory.PreIndex(X(9), 8) }); // x9 += 8, load
        asm.Emit(new Arm64Instruction { Code = Arm64Code.Str, Rd = X(4), Memory = Arm64Memory.PostIndex(X(9), -24) }); // store at x9, x9 -= 24
        asm.Emit(new Arm64Instruction { Code = Arm64Code.Stp, Rd = X(0), Rn = X(1), Memory = Arm64Memory.PreIndex(Sp, -16) });
        asm.Emit(new Arm64Instruction { Code = Arm64Code.Ldp, Rd = X(6), Rn = X(7), Memory = Arm64Memory.PostIndex(Sp, 16) });
        using var emulator = new Arm64Emulator();
        var data = new byte[0x200];
        data[0x100] = 0x80;
        data[0xFE] = 0x7F;
        data[0xFF] = 0xFF;
        BitConverter.TryWriteBytes(data.AsSpan(0xF0), 0x1122_3344_5566_7788UL);
        BitConverter.TryWriteBytes(data.AsSpan(0x108), 0x99UL);
        emulator.WriteData(0, data);
        var sp = emulator.GetX(31);
        emulator.Run(asm);
        Assert.Equal(unchecked((ulong)-128L), emulator.GetX(0));
        Assert.Equal(0x80UL, emulator.GetX(1));
        Assert.Equal(0xFFFF_FF7FUL, emulator.GetX(2));
        Assert.Equal(0x1122_3344_5566_7788UL, emulator.GetX(4));
        Assert.Equal(0x99UL, emulator.GetX(5));
        Assert.Equal(Arm64Emulator.DataAddress + 0x108 - 24, emulator.GetX(9));
        Assert.Equal(0x1122_3344_5566_7788UL, BitConverter.ToUInt64(emulator.ReadData(0x108, 8)));
        Assert.Equal((unchecked((ulong)-128L), 0x80UL), (emulator.GetX(6), emulator.GetX(7)));
        Assert.Equal(sp, emulator.GetX(31));
    }

    [SkippableFact]
    public void Labels_LoopsAndForwardBranches()
    {
        // x0 = sum of 1..x1, skipping multiples of 4 (tbz/tbnz forward), with a backward cbnz loop and a b.cond exit.
        var result = Run(asm =>
        {
            var loop = asm.CreateLabel();
            var skip = asm.CreateLabel();
            var done = asm.CreateLabel();
            asm.Mov(X(0), Xzr);
            asm.Bind(loop);
            asm.Cmp(X(1), 0);
            asm.B(Arm64Condition.Eq, done);
            asm.Emit(new Arm64Instruction { Code = Arm64Code.AndsImm, Rd = Xzr, Rn = X(1), Immediate = 3 });
            asm.B(Arm64Condition.Eq, skip);
            asm.Add(X(0), X(0), X(1));
            asm.Bind(skip);
            asm.Sub(X(1), X(1), 1);
            asm.Cbnz(X(1), loop);
            asm.Bind(done);
        }, 0, 10);
        Assert.Equal(1UL + 2 + 3 + 5 + 6 + 7 + 9 + 10, result);

        var tested = Run(asm =>
        {
            var set = asm.CreateLabel();
            var end = asm.CreateLabel();
            asm.Tbnz(X(1), 40, set);
            asm.MovImmediate(X(0), 7);
            asm.B(end);
            asm.Bind(set);
            asm.MovImmediate(X(0), 9);
            asm.Bind(end);
        }, 0, 1UL << 40);
        Assert.Equal(9UL, tested);
    }

    [SkippableTheory]
    [InlineData(5L, 3L, 1UL, 1UL)]
    [InlineData(3L, 5L, 0UL, 0UL)]
    [InlineData(-5L, 3L, 0UL, 1UL)]
    [InlineData(3L, 3L, 0UL, 0UL)]
    public void CmpCsetCsel(long a, long b, ulong greaterSigned, ulong greaterUnsigned)
    {
        Assert.Equal(greaterSigned, Run(asm => { asm.Cmp(X(0), X(1)); asm.Cset(X(0), Arm64Condition.Gt); }, (ulong)a, (ulong)b));
        Assert.Equal(greaterUnsigned, Run(asm => { asm.Cmp(X(0), X(1)); asm.Cset(W(0), Arm64Condition.Hi); }, (ulong)a, (ulong)b));
        Assert.Equal((ulong)Math.Max(a, b), Run(asm => { asm.Cmp(X(0), X(1)); asm.Emit(new Arm64Instruction { Code = Arm64Code.Csel, Rd = X(0), Rn = X(0), Rm = X(1), Condition = Arm64Condition.Ge }); }, (ulong)a, (ulong)b));
    }

    [SkippableFact]
    public void MultiplyHighAndExtendedAdd()
    {
        Assert.Equal(0x1UL, Run(asm => asm.Emit(I(Arm64Code.Umulh, X(0), X(0), X(1))), 1UL << 63, 2));
        Assert.Equal(ulong.MaxValue, Run(asm => asm.Emit(I(Arm64Code.Smulh, X(0), X(0), X(1))), unchecked((ulong)-1L), 5));
        Assert.Equal(100UL - 6 * 7, Run(asm => asm.Emit(I(Arm64Code.Msub, X(0), X(1), X(2), X(3))), 0, 6, 7, 100));
        Assert.Equal(unchecked((ulong)(1000L - 16)), Run(asm => asm.Emit(new Arm64Instruction { Code = Arm64Code.AddExt, Rd = X(0), Rn = X(1), Rm = W(2), Extend = Arm64Extend.Sxtw, ShiftAmount = 2 }), 0, 1000, 0xFFFF_FFFC));
        Assert.Equal(0xFFUL, Run(asm => asm.Emit(new Arm64Instruction { Code = Arm64Code.Ubfm, Rd = X(0), Rn = X(0), Immediate = 8, Immediate2 = 15 }), 0xFF00));
    }

    /// <summary>Runs <paramref name="body"/> with v0 = <paramref name="a"/> and v1 = <paramref name="b"/> (low, high halves); returns v0.</summary>
    private static (ulong, ulong) RunVector(Action<Arm64Assembler> body, (ulong, ulong) a, (ulong, ulong) b)
    {
        Arm64Emulator.Require();
        var asm = new Arm64Assembler();
        body(asm);
        using var emulator = new Arm64Emulator();
        emulator.SetQ(0, a.Item1, a.Item2);
        emulator.SetQ(1, b.Item1, b.Item2);
        emulator.Run(asm);
        return emulator.GetQ(0);
    }

    private static (ulong, ulong) Halfwords(params short[] lanes) => (Pack(lanes, 0), Pack(lanes, 4));

    private static ulong Pack(short[] lanes, int first) => (ushort)lanes[first] | ((ulong)(ushort)lanes[first + 1] << 16) | ((ulong)(ushort)lanes[first + 2] << 32) | ((ulong)(ushort)lanes[first + 3] << 48);

    [SkippableFact]
    public void Sqrdmulh_IsQ15MulrSat()
    {
        // wasm's i16x8.q15mulr_sat_s: (a * b + 0x4000) >> 15, saturated; only -32768 * -32768 saturates.
        var a = new short[] { short.MinValue, short.MinValue, 0x4000, 1, -1, 0x7FFF, 12345, -23456 };
        var b = new short[] { short.MinValue, 0x7FFF, 0x4000, 0x4000, 0x4000, 0x7FFF, -321, 30000 };
        var expected = new short[8];
        for (var i = 0; i < 8; i++) expected[i] = (short)Math.Clamp(((a[i] * b[i]) + 0x4000) >> 15, short.MinValue, short.MaxValue);
        var result = RunVector(asm => asm.Emit(I(Arm64Code.Sqrdmulh, V8H(0), V8H(0), V8H(1))), Halfwords(a), Halfwords(b));
        Assert.Equal(Halfwords(expected), result);
    }

    [SkippableFact]
    public void VectorFcvtzs_SaturatesAndMapsNaNToZero()
    {
        // i32x4.trunc_sat_f32x4_s: NaN -> 0, out of range -> the bound, in range truncated.
        var lanes = new[] { float.NaN, 3e9f, -3e9f, -2.9f };
        static ulong Two(float x, float y) => Bits(x) | (Bits(y) << 32);
        var result = RunVector(asm => asm.Emit(I(Arm64Code.VFcvtzs, V4S(0), V4S(0))), (Two(lanes[0], lanes[1]), Two(lanes[2], lanes[3])), default);
        Assert.Equal(((ulong)int.MaxValue << 32, 0xFFFF_FFFE_0000_0000UL | 0x8000_0000UL), result);
        var unsigned = RunVector(asm => asm.Emit(I(Arm64Code.VFcvtzu, V4S(0), V4S(0))), (Two(lanes[0], lanes[1]), Two(lanes[2], lanes[3])), default);
        Assert.Equal((3_000_000_000UL << 32, 0UL), unsigned);
    }

    [SkippableFact]
    public void VectorFminFmax_PropagateNaNAndOrderZeros()
    {
        var nan = BitConverter.DoubleToInt64Bits(double.NaN);
        var min = RunVector(asm => asm.Emit(I(Arm64Code.VFmin, V2D(0), V2D(0), V2D(1))), ((ulong)nan, Bits(0.0)), (Bits(1.0), Bits(-0.0)));
        Assert.True(double.IsNaN(BitConverter.UInt64BitsToDouble(min.Item1)));
        Assert.Equal(Bits(-0.0), min.Item2);
        var max = RunVector(asm => asm.Emit(I(Arm64Code.VFmax, V2D(0), V2D(0), V2D(1))), (Bits(1.0), Bits(-0.0)), ((ulong)nan, Bits(0.0)));
        Assert.True(double.IsNaN(BitConverter.UInt64BitsToDouble(max.Item1)));
        Assert.Equal(Bits(0.0), max.Item2);
    }

    [SkippableFact]
    public void Tbl_GivesZeroForIndicesOutOfTheTable()
    {
        // i8x16.swizzle: index i picks byte i of the table; 16 and above (and 0x80) give 0.
        var table = (0x0706_0504_0302_0100UL, 0x0F0E_0D0C_0B0A_0908UL);
        var indices = (0x10_FF_80_20_0F_00_01_02UL, 0x0000_0000_0000_0011UL);
        var result = RunVector(asm => asm.Emit(I(Arm64Code.Tbl, V16B(0), V16B(0), V16B(1))), table, indices);
        Assert.Equal((0x00_00_00_00_0F_00_01_02UL, 0UL), result);
    }
}
