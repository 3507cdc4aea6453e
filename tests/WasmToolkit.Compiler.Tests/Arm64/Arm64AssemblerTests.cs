using System;
using System.Linq;
using WasmToolkit.Compiler.Arm64;
using Xunit;
using static WasmToolkit.Compiler.Arm64.Arm64Register;

namespace WasmToolkit.Compiler.Tests.Arm64;

/// <summary>Labels, fix-ups and their range checks, alias helpers and buffer behaviour of <see cref="Arm64Assembler"/>.</summary>
public class Arm64AssemblerTests
{
    private static string Text(Arm64Assembler asm, int index) => Arm64Disassembler.Format(asm.Words[index], (ulong)index * 4);

    [Fact]
    public void ForwardAndBackwardReferences_ArePatched()
    {
        var asm = new Arm64Assembler();
        var back = asm.CreateLabel();
        var forward = asm.CreateLabel();
        asm.Bind(back);
        asm.Nop();
        asm.B(forward);
        asm.Bl(back);
        asm.B(Arm64Condition.Ne, forward);
        asm.Cbz(W(3), back);
        asm.Cbnz(X(4), forward);
        asm.Tbz(X(5), 33, forward);
        asm.Tbnz(W(6), 2, back);
        asm.Adr(X(7), forward);
        asm.LdrLiteral(X(8), forward);
        Assert.Equal(6, asm.UnresolvedReferences);
        asm.Bind(forward);
        Assert.Equal(0, asm.UnresolvedReferences);
        var listing = Enumerable.Range(0, asm.Words.Length).Select(i => Text(asm, i)).ToArray();
        Assert.Equal(
            new[] { "nop", "b 0x28", "bl 0x0", "b.ne 0x28", "cbz w3, 0x0", "cbnz x4, 0x28", "tbz x5, #33, 0x28", "tbnz w6, #2, 0x0", "adr x7, 0x28", "ldr x8, 0x28" },
            listing);
        Assert.True(asm.TryGetLabelOffset(forward, out var offset));
        Assert.Equal(0x28, offset);
    }

    [Fact]
    public void TbzBeyond32KiB_FailsAtBind_WithTheDistance()
    {
        var asm = new Arm64Assembler();
        var far = asm.CreateLabel();
        var near = asm.CreateLabel();
        asm.Tbz(W(0), 1, near);
        asm.Tbz(W(0), 1, far);
        for (var i = 0; i < 8189; i++) asm.Nop();
        asm.Bind(near); // 0x7ffc from the first tbz: the largest forward distance
        asm.Nop();
        asm.Nop();
        var error = Assert.Throws<Arm64EncodingException>(() => asm.Bind(far)); // 0x8000 from the second tbz, at 4
        Assert.Equal("tbz: target offset 32768 is out of range (±32 KiB) (instruction at offset 0x4, label L1)", error.Message);
        Assert.Equal("tbz w0, #1, 0x7ffc", Text(asm, 0));
    }

    [Fact]
    public void BackwardBCondBeyond1MiB_FailsAtEmit()
    {
        var asm = new Arm64Assembler();
        var top = asm.CreateLabel();
        asm.Bind(top);
        for (var i = 0; i < (1 << 18); i++) asm.Nop(); // 1 MiB
        asm.B(Arm64Condition.Eq, top); // exactly -1 MiB: allowed
        var error = Assert.Throws<Arm64EncodingException>(() => asm.Cbz(X(0), top)); // -1 MiB - 4
        Assert.Equal("cbz: target offset -1048580 is out of range (±1 MiB)", error.Message);
        Assert.Equal(1 << 18, asm.Words.Length - 1);
    }

    [Fact]
    public void TryBind_ReportsInsteadOfThrowing_AndPatchesTheRest()
    {
        var asm = new Arm64Assembler();
        var label = asm.CreateLabel();
        asm.Tbnz(X(0), 0, label);
        for (var i = 0; i < 9000; i++) asm.Nop();
        asm.B(label);
        Assert.False(asm.TryBind(label, out var error));
        Assert.StartsWith("tbnz: target offset", error);
        Assert.Equal("b 0x8ca8", Text(asm, 9001));
    }

    [Fact]
    public void Misuse_Throws()
    {
        var asm = new Arm64Assembler();
        var label = asm.CreateLabel();
        asm.B(label);
        Assert.Throws<InvalidOperationException>(() => asm.ToArray()); // unresolved reference
        asm.Bind(label);
        Assert.Throws<InvalidOperationException>(() => asm.Bind(label)); // bound twice
        Assert.Throws<ArgumentException>(() => asm.B(default(Arm64Label)));
        Assert.Throws<ArgumentException>(() => new Arm64Assembler().B(label)); // another assembler's label
        Assert.Throws<Arm64EncodingException>(() => asm.Emit(Arm64Instruction.Create(Arm64Code.Add, X(0), X(1), X(2)), label));
        Assert.Throws<Arm64EncodingException>(() => asm.Lsl(W(0), W(1), 32));
        var before = asm.Position;
        Assert.False(asm.TryEmit(Arm64Instruction.Create(Arm64Code.Add, X(0), W(1), X(2)), out var message));
        Assert.Equal("add: mixes register widths (x0, w1)", message);
        Assert.Equal(before, asm.Position);
        Assert.Throws<ArgumentOutOfRangeException>(() => X(32));
    }

    [Fact]
    public void AliasHelpers_EmitTheAliasedInstruction()
    {
        var asm = new Arm64Assembler();
        asm.Mov(X(0), X(1));
        asm.Mov(Sp, X(2));
        asm.Mov(W(3), Wsp);
        asm.Cmp(W(4), 7);
        asm.Cmp(X(5), X(6));
        asm.Lsl(W(0), W(1), 3);
        asm.Lsr(X(0), X(1), 63);
        asm.Asr(W(2), W(3), 0);
        asm.Cset(W(0), Arm64Condition.Eq);
        asm.Add(Sp, Sp, 0x10000);
        asm.Sub(X(1), X(2), 4095);
        asm.Ror(W(1), W(2), 7);
        asm.Ubfx(X(3), X(4), 8, 16);
        asm.SignExtend(X(5), W(6), 32);
        asm.SignExtend(W(5), W(6), 8);
        asm.ZeroExtend(W(7), X(8), 16);
        asm.ZeroExtend(X(7), X(8), 32);
        asm.Neg(X(9), X(10));
        asm.Mvn(W(11), W(12));
        asm.Mul(X(13), X(14), X(15));
        asm.Tst(W(16), W(17));
        asm.Tst(X(18), 0xFF00UL);
        asm.Cmn(W(19), 1);
        asm.Ret();
        var listing = Enumerable.Range(0, asm.Words.Length).Select(i => Text(asm, i)).ToArray();
        Assert.Equal(
            new[] { "mov x0, x1", "mov sp, x2", "mov w3, wsp", "cmp w4, #0x7", "cmp x5, x6", "lsl w0, w1, #3", "lsr x0, x1, #63", "asr w2, w3, #0", "cset w0, eq", "add sp, sp, #0x10, lsl #12", "sub x1, x2, #0xfff",
                "ror w1, w2, #7", "ubfx x3, x4, #8, #16", "sxtw x5, w6", "sxtb w5, w6", "uxth w7, w8", "mov w7, w8", "neg x9, x10", "mvn w11, w12",
                "mul x13, x14, x15", "tst w16, w17", "tst x18, #0xff00", "cmn w19, #0x1", "ret" },
            listing);
    }

    [Theory]
    [InlineData(0UL, 1)]
    [InlineData(0xFFFFUL, 1)]
    [InlineData(0xFFFF_0000_0000UL, 1)]
    [InlineData(ulong.MaxValue, 1)]
    [InlineData(0xFFFF_FFFF_FFFF_1234UL, 1)]
    [InlineData(0x5555_5555_5555_5555UL, 1)]
    [InlineData(0xFFFF_FFFF_1234_5678UL, 2)]
    [InlineData(0x1234_0000_5678_0000UL, 2)]
    [InlineData(0x1234_5678_9ABC_DEF0UL, 4)]
    public void MovImmediate_UsesFewInstructions(ulong value, int expected)
    {
        var asm = new Arm64Assembler();
        asm.MovImmediate(X(0), value);
        Assert.Equal(expected, asm.Words.Length);
    }

    [Fact]
    public void Emitting_AllocatesNothing_OnceTheBuffersHaveGrown()
    {
        var asm = new Arm64Assembler();
        void Body()
        {
            asm.Reset();
            var top = asm.CreateLabel();
            var end = asm.CreateLabel();
            asm.Bind(top);
            for (var i = 0; i < 2000; i++)
            {
                asm.Add(X(0), X(1), X(2));
                asm.Emit(new Arm64Instruction { Code = Arm64Code.Ldr, Rd = X(3), Memory = Arm64Memory.At(X(4), 8 * (i & 7)) });
                asm.B(Arm64Condition.Ne, end);
                asm.Cbnz(X(0), top);
            }

            asm.Bind(end);
        }

        Body(); // grow

        // The JIT's tier-up (on-stack replacement of Body's loop) may allocate on this thread once, during whichever run
        // it happens in (seen in a full, busy test run): a real allocation per emit shows in every run, so the least of three counts.
        var least = long.MaxValue;
        for (var run = 0; run < 3 && least != 0; run++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            Body();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, least);
    }

    [Fact]
    public void LogicalImmediates_RoundTrip()
    {
        var values = new System.Collections.Generic.HashSet<ulong>();
        for (uint n = 0; n < 2; n++)
        {
            for (uint immr = 0; immr < 64; immr++)
            {
                for (uint imms = 0; imms < 64; imms++)
                {
                    var field = (n << 12) | (immr << 6) | imms;
                    if (!Arm64Immediates.TryDecodeLogical(field, true, out var value)) continue;
                    values.Add(value);
                    Assert.True(Arm64Immediates.TryEncodeLogical(value, true, out var again), $"0x{value:x}");
                    Assert.True(Arm64Immediates.TryDecodeLogical(again, true, out var back));
                    Assert.Equal(value, back);
                }
            }
        }

        Assert.Equal(5334, values.Count); // the well-known number of distinct 64-bit bitmask immediates
    }

    [Theory]
    [InlineData(0L, true, 0, 0)]
    [InlineData(4095L, true, 4095, 0)]
    [InlineData(4096L, true, 1, 12)]
    [InlineData(0xFFF000L, true, 0xFFF, 12)]
    [InlineData(4097L, false, 0, 0)]
    [InlineData(0x1000000L, false, 0, 0)]
    [InlineData(-1L, false, 0, 0)]
    public void AddSubImmediates(long value, bool encodable, int imm12, int shift)
    {
        Assert.Equal(encodable, Arm64Immediates.TryEncodeAddSub(value, out var i, out var s));
        Assert.Equal((imm12, shift), (i, s));
    }

    [Fact]
    public void FloatImmediates_RoundTrip()
    {
        for (var i = 0; i < 256; i++)
        {
            var value = Arm64Immediates.DecodeFloat((byte)i);
            Assert.True(Arm64Immediates.TryEncodeFloat(value, out var imm8));
            Assert.Equal(i, imm8);
        }

        Assert.False(Arm64Immediates.TryEncodeFloat(0.0, out _));
        Assert.False(Arm64Immediates.TryEncodeFloat(double.NaN, out _));
    }
}
