using System;
using System.Collections.Generic;
using System.Linq;
using Iced.Intel;
using WasmToolkit.Compiler.X64;
using Xunit;
using static Iced.Intel.AssemblerRegisters;
using Alu = WasmToolkit.Compiler.X64.X64CodeBuffer.Alu;
using Shift = WasmToolkit.Compiler.X64.X64CodeBuffer.Shift;
using Sse = WasmToolkit.Compiler.X64.X64CodeBuffer.Sse;

namespace WasmToolkit.Compiler.Tests;

/// <summary>
/// The code buffer writes its most common forms itself; each must give exactly the bytes Iced's assembler and encoder
/// give for the same instruction (so the compiler's output is the same either way), for every register, every base and
/// index register and displacements and immediates at the edges of their short forms.
/// </summary>
public class X64DirectEncodingTests
{
    private static readonly int[] s_displacements = [0, 1, -1, 127, 128, -128, -129, 0x1000, int.MaxValue, int.MinValue];
    private static readonly int[] s_immediates = [0, 1, -1, 127, 128, -128, -129, 0xFFFF, int.MaxValue, int.MinValue];

    private readonly Assembler _assembler = new(64);
    private readonly X64CodeBuffer _buffer;
    private readonly Encoder _encoder;
    private readonly BytesWriter _writer = new();
    private int _checked;

    public X64DirectEncodingTests()
    {
        _buffer = new X64CodeBuffer(_assembler);
        _encoder = Encoder.Create(64, _writer);
    }

    private static AssemblerRegister64 Q(int r) => new(Register.RAX + r);

    private static AssemblerRegister32 D(int r) => new(Register.EAX + r);

    /// <summary>Memory operands: every base, no index or a few (rbp, r12 and r13 as bases and r11 as index are the tricky ones), edge displacements.</summary>
    private static IEnumerable<AssemblerMemoryOperand> Operands()
    {
        for (var b = 0; b < 16; b++)
        {
            foreach (var d in s_displacements) yield return __[Q(b) + d];
            foreach (var x in new[] { 0, 5, 11, 13, 15 })
            {
                foreach (var scale in new[] { 1, 2, 4, 8 })
                {
                    foreach (var d in new[] { 0, -128, 128 }) yield return __[Q(b) + (Q(x) * scale) + d];
                }
            }
        }
    }

    private void Check(Action<Assembler> iced, Action<X64CodeBuffer> direct, string what)
    {
        _assembler.Reset();
        iced(_assembler);
        _writer.Bytes.Clear();
        foreach (var ins in _assembler.Instructions) _encoder.Encode(ins, 0);
        var expected = _writer.Bytes.ToArray();

        _assembler.Reset();
        _buffer.Reset();
        direct(_buffer);
        var actual = _buffer.Finish(out var chunk).ToArray();
        chunk.Release();
        Assert.True(expected.SequenceEqual(actual), $"{what}: Iced {Convert.ToHexString(expected)}, direct {Convert.ToHexString(actual)}");
        _checked++;
    }

    [Fact]
    public void RegisterToRegisterFormsMatchIced()
    {
        for (var d = 0; d < 16; d++)
        {
            for (var s = 0; s < 16; s++)
            {
                int dst = d, src = s;
                Check(a => a.mov(Q(dst), Q(src)), b => b.MovRegReg(dst, src, true), $"mov r{dst}, r{src}");
                Check(a => a.mov(D(dst), D(src)), b => b.MovRegReg(dst, src, false), $"mov r{dst}d, r{src}d");
                Check(a => a.test(Q(dst), Q(src)), b => b.TestRegReg(dst, src, true), $"test r{dst}, r{src}");
                Check(a => a.test(D(dst), D(src)), b => b.TestRegReg(dst, src, false), $"test r{dst}d, r{src}d");
                foreach (var op in Enum.GetValues<Alu>())
                {
                    Check(a => Alu64(a, op, dst, src), b => b.AluRegReg(op, dst, src, true), $"{op} r{dst}, r{src}");
                    Check(a => Alu32(a, op, dst, src), b => b.AluRegReg(op, dst, src, false), $"{op} r{dst}d, r{src}d");
                }
            }
        }

        Assert.Equal(16 * 16 * (4 + (2 * Enum.GetValues<Alu>().Length)), _checked);
    }

    [Fact]
    public void ImmediateFormsMatchIced()
    {
        for (var d = 0; d < 16; d++)
        {
            var dst = d;
            foreach (var imm in s_immediates)
            {
                Check(a => a.mov(D(dst), imm), b => b.MovReg32Imm(dst, imm), $"mov r{dst}d, {imm}");
                foreach (var op in Enum.GetValues<Alu>())
                {
                    Check(a => AluImm64(a, op, dst, imm), b => b.AluRegImm(op, dst, imm, true), $"{op} r{dst}, {imm}");
                    Check(a => AluImm32(a, op, dst, imm), b => b.AluRegImm(op, dst, imm, false), $"{op} r{dst}d, {imm}");
                }
            }
        }

        Assert.Equal(16 * s_immediates.Length * (1 + (2 * Enum.GetValues<Alu>().Length)), _checked);
    }

    [Fact]
    public void MemoryFormsMatchIced()
    {
        var operands = Operands().ToArray();
        foreach (var m in operands)
        {
            for (var r = 0; r < 16; r++)
            {
                var reg = r;
                Check(a => a.mov(Q(reg), __qword_ptr[m]), b => b.MovRegMem(reg, m, true), $"mov r{reg}, {m}");
                Check(a => a.mov(D(reg), __dword_ptr[m]), b => b.MovRegMem(reg, m, false), $"mov r{reg}d, {m}");
                Check(a => a.mov(__qword_ptr[m], Q(reg)), b => b.MovMemReg(m, reg, true), $"mov {m}, r{reg}");
                Check(a => a.mov(__dword_ptr[m], D(reg)), b => b.MovMemReg(m, reg, false), $"mov {m}, r{reg}d");
                Check(a => a.lea(Q(reg), m), b => b.LeaRegMem(reg, m, true), $"lea r{reg}, {m}");
                Check(a => a.lea(D(reg), m), b => b.LeaRegMem(reg, m, false), $"lea r{reg}d, {m}");
                Check(a => a.cmp(Q(reg), __qword_ptr[m]), b => b.CmpRegMem(reg, m, true), $"cmp r{reg}, {m}");
                Check(a => a.cmp(D(reg), __dword_ptr[m]), b => b.CmpRegMem(reg, m, false), $"cmp r{reg}d, {m}");
                Check(a => a.movzx(D(reg), __byte_ptr[m]), b => b.MovzxReg32Mem8(reg, m), $"movzx r{reg}d, {m}");
                var x = new AssemblerRegisterXMM(Register.XMM0 + reg);
                Check(a => a.movsd(x, __qword_ptr[m]), b => b.LoadFloat(reg, m, true), $"movsd xmm{reg}, {m}");
                Check(a => a.movss(x, __dword_ptr[m]), b => b.LoadFloat(reg, m, false), $"movss xmm{reg}, {m}");
                Check(a => a.movsd(__qword_ptr[m], x), b => b.StoreFloat(m, reg, true), $"movsd {m}, xmm{reg}");
                Check(a => a.movss(__dword_ptr[m], x), b => b.StoreFloat(m, reg, false), $"movss {m}, xmm{reg}");
            }

            foreach (var imm in s_immediates)
            {
                Check(a => a.mov(__qword_ptr[m], imm), b => b.MovMemImm(m, imm, true), $"mov qword {m}, {imm}");
                Check(a => a.mov(__dword_ptr[m], imm), b => b.MovMemImm(m, imm, false), $"mov dword {m}, {imm}");
            }
        }

        Assert.Equal(operands.Length * ((16 * 13) + (2 * s_immediates.Length)), _checked);
    }

    [Fact]
    public void ShiftMultiplyByteAndFloatFormsMatchIced()
    {
        var counts = new byte[] { 0, 1, 2, 31, 32, 63, 64, 255 };
        var conditions = Enum.GetValues<ConditionCode>().Where(c => c != ConditionCode.None).ToArray();
        for (var d = 0; d < 16; d++)
        {
            var dst = d;
            foreach (var count in counts)
            {
                foreach (var op in Enum.GetValues<Shift>())
                {
                    Check(a => ShiftImm64(a, op, dst, count), b => b.ShiftRegImm(op, dst, count, true), $"{op} r{dst}, {count}");
                    Check(a => ShiftImm32(a, op, dst, count), b => b.ShiftRegImm(op, dst, count, false), $"{op} r{dst}d, {count}");
                }
            }

            foreach (var c in conditions) Check(a => a.AddInstruction(Instruction.Create(SetccCode(c), Byte(dst))), b => b.SetCc(c, dst), $"set{c} r{dst}b");
            for (var s = 0; s < 16; s++)
            {
                var src = s;
                Check(a => a.imul(Q(dst), Q(src)), b => b.ImulRegReg(dst, src, true), $"imul r{dst}, r{src}");
                Check(a => a.imul(D(dst), D(src)), b => b.ImulRegReg(dst, src, false), $"imul r{dst}d, r{src}d");
                foreach (var imm in s_immediates)
                {
                    Check(a => a.imul(Q(dst), Q(src), imm), b => b.ImulRegRegImm(dst, src, imm, true), $"imul r{dst}, r{src}, {imm}");
                    Check(a => a.imul(D(dst), D(src), imm), b => b.ImulRegRegImm(dst, src, imm, false), $"imul r{dst}d, r{src}d, {imm}");
                }

                Check(a => a.AddInstruction(Instruction.Create(Code.Movzx_r32_rm8, Register.EAX + dst, Byte(src))), b => b.MovzxReg32Reg8(dst, src), $"movzx r{dst}d, r{src}b");
                var x = new AssemblerRegisterXMM(Register.XMM0 + dst);
                var y = new AssemblerRegisterXMM(Register.XMM0 + src);
                Check(a => a.movd(x, D(src)), b => b.MovXmmGeneral(dst, src, false), $"movd xmm{dst}, r{src}d");
                Check(a => a.movq(x, Q(src)), b => b.MovXmmGeneral(dst, src, true), $"movq xmm{dst}, r{src}");
                foreach (var op in Enum.GetValues<Sse>()) Check(a => SseOp(a, op, x, y), b => b.SseRegReg(op, dst, src), $"{op} xmm{dst}, xmm{src}");
            }
        }

        Assert.Equal(16 * ((counts.Length * 2 * Enum.GetValues<Shift>().Length) + conditions.Length + (16 * (5 + Enum.GetValues<Sse>().Length + (2 * s_immediates.Length)))), _checked);
    }

    [Fact]
    public void DivisionConditionalMoveStackAndWideImmediateFormsMatchIced()
    {
        var conditions = Enum.GetValues<ConditionCode>().Where(c => c != ConditionCode.None).ToArray();
        var wideImmediates = new[] { 0L, 1L, -1L, int.MaxValue, int.MinValue, long.MaxValue, long.MinValue, 0x1234_5678_9ABC_DEF0L };
        Check(a => a.cdq(), b => b.SignExtendRaxIntoRdx(false), "cdq");
        Check(a => a.cqo(), b => b.SignExtendRaxIntoRdx(true), "cqo");
        Check(a => a.ret(), b => b.Ret(), "ret");
        for (var r = 0; r < 16; r++)
        {
            var reg = r;
            Check(a => a.idiv(Q(reg)), b => b.Divide(true, reg, true), $"idiv r{reg}");
            Check(a => a.idiv(D(reg)), b => b.Divide(true, reg, false), $"idiv r{reg}d");
            Check(a => a.div(Q(reg)), b => b.Divide(false, reg, true), $"div r{reg}");
            Check(a => a.div(D(reg)), b => b.Divide(false, reg, false), $"div r{reg}d");
            Check(a => a.push(Q(reg)), b => b.Push(reg), $"push r{reg}");
            Check(a => a.pop(Q(reg)), b => b.Pop(reg), $"pop r{reg}");
            foreach (var imm in wideImmediates) Check(a => a.mov(Q(reg), imm), b => b.MovReg64Imm(reg, imm), $"mov r{reg}, {imm}");
            foreach (var op in Enum.GetValues<Shift>())
            {
                Check(a => ShiftCl64(a, op, reg), b => b.ShiftRegCl(op, reg, true), $"{op} r{reg}, cl");
                Check(a => ShiftCl32(a, op, reg), b => b.ShiftRegCl(op, reg, false), $"{op} r{reg}d, cl");
            }

            for (var s = 0; s < 16; s++)
            {
                var src = s;
                foreach (var c in conditions)
                {
                    Check(a => a.AddInstruction(Instruction.Create(CmovCode(c, true), Register.RAX + reg, Register.RAX + src)), b => b.CMov(c, reg, src, true), $"cmov{c} r{reg}, r{src}");
                    Check(a => a.AddInstruction(Instruction.Create(CmovCode(c, false), Register.EAX + reg, Register.EAX + src)), b => b.CMov(c, reg, src, false), $"cmov{c} r{reg}d, r{src}d");
                }
            }
        }

        Assert.True(CmovTableMatchesIced(), "the cmov table's condition order is Iced's");
        Assert.Equal(3 + (16 * (6 + wideImmediates.Length + (2 * Enum.GetValues<Shift>().Length) + (16 * 2 * conditions.Length))), _checked);
    }

    /// <summary>Iced's cmovcc codes are in ConditionCode order, 64-bit three after 32-bit (cmovo r16, r32, r64, cmovno ...).</summary>
    private static Code CmovCode(ConditionCode c, bool wide) => Code.Cmovo_r16_rm16 + (((int)c - 1) * 3) + (wide ? 2 : 1);

    private static bool CmovTableMatchesIced()
    {
        var a = new Assembler(64);
        a.cmovz(rax, rbx);
        return a.Instructions[0].Code == CmovCode(ConditionCode.e, true);
    }

    private static void ShiftCl64(Assembler a, Shift op, int d)
    {
        switch (op)
        {
            case Shift.Rol: a.rol(Q(d), cl); break;
            case Shift.Ror: a.ror(Q(d), cl); break;
            case Shift.Shl: a.shl(Q(d), cl); break;
            case Shift.Shr: a.shr(Q(d), cl); break;
            case Shift.Sar: a.sar(Q(d), cl); break;
        }
    }

    private static void ShiftCl32(Assembler a, Shift op, int d)
    {
        switch (op)
        {
            case Shift.Rol: a.rol(D(d), cl); break;
            case Shift.Ror: a.ror(D(d), cl); break;
            case Shift.Shl: a.shl(D(d), cl); break;
            case Shift.Shr: a.shr(D(d), cl); break;
            case Shift.Sar: a.sar(D(d), cl); break;
        }
    }

    /// <summary>The 8-bit register Iced's assembler names for number <paramref name="r"/> (spl, bpl, sil, dil for 4-7).</summary>
    private static Register Byte(int r) => r < 4 ? Register.AL + r : r < 8 ? Register.SPL + (r - 4) : Register.R8L + (r - 8);

    private static Code SetccCode(ConditionCode c) => c switch
    {
        ConditionCode.o => Code.Seto_rm8,
        ConditionCode.no => Code.Setno_rm8,
        ConditionCode.b => Code.Setb_rm8,
        ConditionCode.ae => Code.Setae_rm8,
        ConditionCode.e => Code.Sete_rm8,
        ConditionCode.ne => Code.Setne_rm8,
        ConditionCode.be => Code.Setbe_rm8,
        ConditionCode.a => Code.Seta_rm8,
        ConditionCode.s => Code.Sets_rm8,
        ConditionCode.ns => Code.Setns_rm8,
        ConditionCode.p => Code.Setp_rm8,
        ConditionCode.np => Code.Setnp_rm8,
        ConditionCode.l => Code.Setl_rm8,
        ConditionCode.ge => Code.Setge_rm8,
        ConditionCode.le => Code.Setle_rm8,
        _ => Code.Setg_rm8,
    };

    private static void SseOp(Assembler a, Sse op, AssemblerRegisterXMM x, AssemblerRegisterXMM y)
    {
        switch (op)
        {
            case Sse.Addss: a.addss(x, y); break;
            case Sse.Addsd: a.addsd(x, y); break;
            case Sse.Subss: a.subss(x, y); break;
            case Sse.Subsd: a.subsd(x, y); break;
            case Sse.Mulss: a.mulss(x, y); break;
            case Sse.Mulsd: a.mulsd(x, y); break;
            case Sse.Divss: a.divss(x, y); break;
            case Sse.Divsd: a.divsd(x, y); break;
            case Sse.Ucomiss: a.ucomiss(x, y); break;
            case Sse.Ucomisd: a.ucomisd(x, y); break;
            case Sse.Movaps: a.movaps(x, y); break;
            case Sse.Xorps: a.xorps(x, y); break;
            default: throw new ArgumentOutOfRangeException(nameof(op));
        }
    }

    private static void ShiftImm64(Assembler a, Shift op, int d, byte count)
    {
        switch (op)
        {
            case Shift.Rol: a.rol(Q(d), count); break;
            case Shift.Ror: a.ror(Q(d), count); break;
            case Shift.Shl: a.shl(Q(d), count); break;
            case Shift.Shr: a.shr(Q(d), count); break;
            case Shift.Sar: a.sar(Q(d), count); break;
        }
    }

    private static void ShiftImm32(Assembler a, Shift op, int d, byte count)
    {
        switch (op)
        {
            case Shift.Rol: a.rol(D(d), count); break;
            case Shift.Ror: a.ror(D(d), count); break;
            case Shift.Shl: a.shl(D(d), count); break;
            case Shift.Shr: a.shr(D(d), count); break;
            case Shift.Sar: a.sar(D(d), count); break;
        }
    }

    [Fact]
    public void ZeroExtensionIsTrackedThroughDirectForms()
    {
        _buffer.Reset();
        _buffer.MovRegReg(3, 1, false);
        Assert.True(_buffer.JustWroteZeroExtended(3));
        _buffer.MovMemReg(__qword_ptr[rbp - 8], 3, true);
        _buffer.CmpRegMem(3, __qword_ptr[r15 + 8], true);
        Assert.True(_buffer.JustWroteZeroExtended(3));
        _buffer.AluRegImm(Alu.Add, 3, 4, true);
        Assert.False(_buffer.JustWroteZeroExtended(3));
        _buffer.MovRegMem(3, __dword_ptr[rbp - 8], false);
        Assert.True(_buffer.JustWroteZeroExtended(3));

        // Iced-built instructions in between are looked at as before: a 64-bit write ends it, a store does not.
        _assembler.mov(__qword_ptr[rbp - 16], rbx);
        Assert.True(_buffer.JustWroteZeroExtended(3));
        _assembler.shl(rbx, 1);
        Assert.False(_buffer.JustWroteZeroExtended(3));

        // A label ends what is known.
        _buffer.MovReg32Imm(3, 7);
        var label = _buffer.NewLabel();
        _buffer.Bind(label);
        _buffer.TestRegReg(0, 0, false);
        Assert.False(_buffer.JustWroteZeroExtended(3));
    }

    private static void Alu64(Assembler a, Alu op, int d, int s)
    {
        switch (op)
        {
            case Alu.Add: a.add(Q(d), Q(s)); break;
            case Alu.Or: a.or(Q(d), Q(s)); break;
            case Alu.And: a.and(Q(d), Q(s)); break;
            case Alu.Sub: a.sub(Q(d), Q(s)); break;
            case Alu.Xor: a.xor(Q(d), Q(s)); break;
            case Alu.Cmp: a.cmp(Q(d), Q(s)); break;
        }
    }

    private static void Alu32(Assembler a, Alu op, int d, int s)
    {
        switch (op)
        {
            case Alu.Add: a.add(D(d), D(s)); break;
            case Alu.Or: a.or(D(d), D(s)); break;
            case Alu.And: a.and(D(d), D(s)); break;
            case Alu.Sub: a.sub(D(d), D(s)); break;
            case Alu.Xor: a.xor(D(d), D(s)); break;
            case Alu.Cmp: a.cmp(D(d), D(s)); break;
        }
    }

    private static void AluImm64(Assembler a, Alu op, int d, int i)
    {
        switch (op)
        {
            case Alu.Add: a.add(Q(d), i); break;
            case Alu.Or: a.or(Q(d), i); break;
            case Alu.And: a.and(Q(d), i); break;
            case Alu.Sub: a.sub(Q(d), i); break;
            case Alu.Xor: a.xor(Q(d), i); break;
            case Alu.Cmp: a.cmp(Q(d), i); break;
        }
    }

    private static void AluImm32(Assembler a, Alu op, int d, int i)
    {
        switch (op)
        {
            case Alu.Add: a.add(D(d), i); break;
            case Alu.Or: a.or(D(d), i); break;
            case Alu.And: a.and(D(d), i); break;
            case Alu.Sub: a.sub(D(d), i); break;
            case Alu.Xor: a.xor(D(d), i); break;
            case Alu.Cmp: a.cmp(D(d), i); break;
        }
    }

    private sealed class BytesWriter : CodeWriter
    {
        public List<byte> Bytes { get; } = new();

        public override void WriteByte(byte value) => Bytes.Add(value);
    }
}
