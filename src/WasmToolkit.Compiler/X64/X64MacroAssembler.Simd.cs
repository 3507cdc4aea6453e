using System;
using Iced.Intel;
using WasmToolkit.Compiler.Baseline;
using WasmToolkit.Instructions;
using static Iced.Intel.AssemblerRegisters;

namespace WasmToolkit.Compiler.X64;

// The SIMD lowering with SSE2, SSSE3 and SSE4.1 forms (no AVX), in families: this file holds the shared helpers, the
// constants, bitselect and the tests; .SimdInteger.cs, .SimdFloat.cs and .SimdLanes.cs the rest. Sequences follow V8's
// shared-macro-assembler-x64 and Cranelift's x64 lowering. Scratch: xmm15 (s_scratchA), xmm14 (s_scratchB), r10, r11.
internal sealed partial class X64MacroAssembler
{
    /// <summary>A v128 memory opcode X64MacroAssembler.SimdMemory.cs does not lower.</summary>
    private static CompileFailure SimdNotLowered(Opcode op) => CompileFailure.Unsupported("instruction " + OpcodeTable.GetName(op));

    /// <summary>An opcode routed to a method that does not lower its shape: a compiler bug, not unsupported input.</summary>
    private static CompileFailure NotSimdShape(Opcode op, string method)
        => new(CompileErrorKind.Internal, $"instruction {OpcodeTable.GetName(op)} is not a {method} operation");

    public void SimdUnary(Opcode op, Reg dst, Reg src)
    {
        if (!SimdIntegerUnary(op, dst, src) && !SimdFloatUnary(op, dst, src)) throw NotSimdShape(op, nameof(SimdUnary));
    }

    public void SimdBinary(Opcode op, Reg dst, Reg lhs, Reg rhs)
    {
        if (!SimdIntegerBinary(op, dst, lhs, rhs) && !SimdFloatBinary(op, dst, lhs, rhs) && !SimdLaneBinary(op, dst, lhs, rhs))
        {
            throw NotSimdShape(op, nameof(SimdBinary));
        }
    }

    /// <summary><c>code a, b</c>: the two-operand SSE form, computing into <paramref name="a"/>.</summary>
    private void Sse(Code code, AssemblerRegisterXMM a, AssemblerRegisterXMM b) => _asm.AddInstruction(Iced.Intel.Instruction.Create(code, a.Value, b.Value));

    /// <summary><c>code a, b, imm8</c>.</summary>
    private void Sse(Code code, AssemblerRegisterXMM a, AssemblerRegisterXMM b, int imm) => _asm.AddInstruction(Iced.Intel.Instruction.Create(code, a.Value, b.Value, imm));

    /// <summary><c>code a, imm8</c> (the shifts by an immediate).</summary>
    private void SseImm(Code code, AssemblerRegisterXMM a, int imm) => _asm.AddInstruction(Iced.Intel.Instruction.Create(code, a.Value, imm));

    /// <summary>
    /// dst = lhs op rhs with a two-operand form that computes into its first operand (<paramref name="imm"/> ≥ 0: its
    /// imm8). Into rhs's register a commutative operation takes the operands swapped, any other computes in xmm15.
    /// </summary>
    private void SseBinary(Code code, Reg dst, Reg lhs, Reg rhs, bool commutative, int imm = -1)
    {
        var d = X(dst);
        var l = X(lhs);
        var r = X(rhs);
        if (dst == lhs) SseMaybeImm(code, d, r, imm);
        else if (dst == rhs && commutative) SseMaybeImm(code, d, l, imm);
        else if (dst == rhs)
        {
            MoveXmm(s_scratchA, l);
            SseMaybeImm(code, s_scratchA, r, imm);
            MoveXmm(d, s_scratchA);
        }
        else
        {
            MoveXmm(d, l);
            SseMaybeImm(code, d, r, imm);
        }
    }

    private void SseMaybeImm(Code code, AssemblerRegisterXMM a, AssemblerRegisterXMM b, int imm)
    {
        if (imm < 0) Sse(code, a, b); else Sse(code, a, b, imm);
    }

    /// <summary>
    /// Where a sequence can build its result: dst's register when it is none of <paramref name="sources"/> (so writing it
    /// early loses nothing), else <paramref name="scratch"/>, copied to dst at the end.
    /// </summary>
    private static AssemblerRegisterXMM WorkRegister(Reg dst, AssemblerRegisterXMM scratch, params ReadOnlySpan<Reg> sources)
    {
        foreach (var source in sources)
        {
            if (source == dst) return scratch;
        }

        return X(dst);
    }

    /// <summary>x = the 16 bytes <paramref name="low"/> ‖ <paramref name="high"/>, built through r11 (there is no constant pool).</summary>
    private void Load128(AssemblerRegisterXMM x, ulong low, ulong high)
    {
        if (low == 0 && high == 0)
        {
            Sse(Code.Pxor_xmm_xmmm128, x, x);
            return;
        }

        if (low == ulong.MaxValue && high == ulong.MaxValue)
        {
            Sse(Code.Pcmpeqd_xmm_xmmm128, x, x);
            return;
        }

        MoveImm(new Reg(R11), (long)low, OperandSize.S64);
        _code.MovXmmGeneral(Xmm(x), R11, true);

        // movq clears the upper half, so a zero high half needs nothing more.
        if (high == low) Sse(Code.Punpcklqdq_xmm_xmmm128, x, x);
        else if (high != 0)
        {
            MoveImm(new Reg(R11), (long)high, OperandSize.S64);
            _asm.pinsrq(x, r11, 1);
        }
    }

    /// <summary>x = <paramref name="lane"/> in both 64-bit lanes.</summary>
    private void Splat64(AssemblerRegisterXMM x, ulong lane) => Load128(x, lane, lane);

    /// <summary>x = all ones.</summary>
    private void AllOnes(AssemblerRegisterXMM x) => Sse(Code.Pcmpeqd_xmm_xmmm128, x, x);

    public void SimdConst(Reg dst, V128 value) => Load128(X(dst), value.Low, value.High);

    public void SimdBitselect(Reg dst, Reg v1, Reg v2, Reg mask)
    {
        // ((v1 ^ v2) & mask) ^ v2.
        var a = WorkRegister(dst, s_scratchA, v1, v2, mask);
        MoveXmm(a, X(v1));
        Sse(Code.Pxor_xmm_xmmm128, a, X(v2));
        Sse(Code.Pand_xmm_xmmm128, a, X(mask));
        Sse(Code.Pxor_xmm_xmmm128, a, X(v2));
        MoveXmm(X(dst), a);
    }

    public void SimdTest(Opcode op, Reg dst, Reg src)
    {
        var s = X(src);
        switch (op)
        {
            case Opcode.V128AnyTrue:
                // xor before ptest: it clears the flags ptest then sets.
                _code.AluRegReg(X64CodeBuffer.Alu.Xor, General(dst), General(dst), false);
                _asm.ptest(s, s);
                _code.SetCc(ConditionCode.ne, General(dst));
                return;
            case Opcode.I8x16AllTrue:
            case Opcode.I16x8AllTrue:
            case Opcode.I32x4AllTrue:
            case Opcode.I64x2AllTrue:
            {
                // All lanes are non-zero when comparing them with zero finds no equal lane.
                var a = s_scratchA;
                Sse(Code.Pxor_xmm_xmmm128, a, a);
                var compare = op switch
                {
                    Opcode.I8x16AllTrue => Code.Pcmpeqb_xmm_xmmm128,
                    Opcode.I16x8AllTrue => Code.Pcmpeqw_xmm_xmmm128,
                    Opcode.I32x4AllTrue => Code.Pcmpeqd_xmm_xmmm128,
                    _ => Code.Pcmpeqq_xmm_xmmm128,
                };
                Sse(compare, a, s);
                _code.AluRegReg(X64CodeBuffer.Alu.Xor, General(dst), General(dst), false);
                _asm.ptest(a, a);
                _code.SetCc(ConditionCode.e, General(dst));
                return;
            }

            case Opcode.I8x16Bitmask:
                _asm.pmovmskb(D(dst), s);
                return;
            case Opcode.I16x8Bitmask:
                // Signed saturation keeps each lane's sign in a byte; both halves of the packed vector are the same lanes.
                MoveXmm(s_scratchA, s);
                Sse(Code.Packsswb_xmm_xmmm128, s_scratchA, s_scratchA);
                _asm.pmovmskb(D(dst), s_scratchA);
                _code.ShiftRegImm(X64CodeBuffer.Shift.Shr, General(dst), 8, false);
                return;
            case Opcode.I32x4Bitmask:
                _asm.movmskps(D(dst), s);
                return;
            case Opcode.I64x2Bitmask:
                _asm.movmskpd(D(dst), s);
                return;
            default:
                throw NotSimdShape(op, nameof(SimdTest));
        }
    }
}
