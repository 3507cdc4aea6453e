using Iced.Intel;
using WasmToolkit.Compiler.Baseline;
using WasmToolkit.Instructions;

namespace WasmToolkit.Compiler.X64;

// SIMD float lanes: arithmetic, comparisons, min/max, rounding and the conversions between float and integer lanes.
internal sealed partial class X64MacroAssembler
{
    /// <summary>cmpps/cmppd predicates.</summary>
    private const int CmpEq = 0, CmpLt = 1, CmpLe = 2, CmpUnord = 3, CmpNeq = 4;

    private bool SimdFloatBinary(Opcode op, Reg dst, Reg lhs, Reg rhs)
    {
        // Which NaN an arithmetic operation returns is left open by the spec (any arithmetic NaN), so add and mul may
        // take their operands in either order.
        switch (op)
        {
            case Opcode.F32x4Add: SseBinary(Code.Addps_xmm_xmmm128, dst, lhs, rhs, commutative: true); return true;
            case Opcode.F32x4Sub: SseBinary(Code.Subps_xmm_xmmm128, dst, lhs, rhs, commutative: false); return true;
            case Opcode.F32x4Mul: SseBinary(Code.Mulps_xmm_xmmm128, dst, lhs, rhs, commutative: true); return true;
            case Opcode.F32x4Div: SseBinary(Code.Divps_xmm_xmmm128, dst, lhs, rhs, commutative: false); return true;
            case Opcode.F64x2Add: SseBinary(Code.Addpd_xmm_xmmm128, dst, lhs, rhs, commutative: true); return true;
            case Opcode.F64x2Sub: SseBinary(Code.Subpd_xmm_xmmm128, dst, lhs, rhs, commutative: false); return true;
            case Opcode.F64x2Mul: SseBinary(Code.Mulpd_xmm_xmmm128, dst, lhs, rhs, commutative: true); return true;
            case Opcode.F64x2Div: SseBinary(Code.Divpd_xmm_xmmm128, dst, lhs, rhs, commutative: false); return true;

            // ne is unordered-or-unequal, as wasm's ne (true when either lane is NaN); gt and ge swap lt and le.
            case Opcode.F32x4Eq: SseBinary(Code.Cmpps_xmm_xmmm128_imm8, dst, lhs, rhs, commutative: true, CmpEq); return true;
            case Opcode.F32x4Ne: SseBinary(Code.Cmpps_xmm_xmmm128_imm8, dst, lhs, rhs, commutative: true, CmpNeq); return true;
            case Opcode.F32x4Lt: SseBinary(Code.Cmpps_xmm_xmmm128_imm8, dst, lhs, rhs, commutative: false, CmpLt); return true;
            case Opcode.F32x4Le: SseBinary(Code.Cmpps_xmm_xmmm128_imm8, dst, lhs, rhs, commutative: false, CmpLe); return true;
            case Opcode.F32x4Gt: SseBinary(Code.Cmpps_xmm_xmmm128_imm8, dst, rhs, lhs, commutative: false, CmpLt); return true;
            case Opcode.F32x4Ge: SseBinary(Code.Cmpps_xmm_xmmm128_imm8, dst, rhs, lhs, commutative: false, CmpLe); return true;
            case Opcode.F64x2Eq: SseBinary(Code.Cmppd_xmm_xmmm128_imm8, dst, lhs, rhs, commutative: true, CmpEq); return true;
            case Opcode.F64x2Ne: SseBinary(Code.Cmppd_xmm_xmmm128_imm8, dst, lhs, rhs, commutative: true, CmpNeq); return true;
            case Opcode.F64x2Lt: SseBinary(Code.Cmppd_xmm_xmmm128_imm8, dst, lhs, rhs, commutative: false, CmpLt); return true;
            case Opcode.F64x2Le: SseBinary(Code.Cmppd_xmm_xmmm128_imm8, dst, lhs, rhs, commutative: false, CmpLe); return true;
            case Opcode.F64x2Gt: SseBinary(Code.Cmppd_xmm_xmmm128_imm8, dst, rhs, lhs, commutative: false, CmpLt); return true;
            case Opcode.F64x2Ge: SseBinary(Code.Cmppd_xmm_xmmm128_imm8, dst, rhs, lhs, commutative: false, CmpLe); return true;

            // pmin is b < a ? b : a, which is minps(b, a) (minps returns its second operand unless the first is less);
            // pmax is a < b ? b : a, maxps(b, a).
            case Opcode.F32x4Pmin: SseBinary(Code.Minps_xmm_xmmm128, dst, rhs, lhs, commutative: false); return true;
            case Opcode.F32x4Pmax: SseBinary(Code.Maxps_xmm_xmmm128, dst, rhs, lhs, commutative: false); return true;
            case Opcode.F64x2Pmin: SseBinary(Code.Minpd_xmm_xmmm128, dst, rhs, lhs, commutative: false); return true;
            case Opcode.F64x2Pmax: SseBinary(Code.Maxpd_xmm_xmmm128, dst, rhs, lhs, commutative: false); return true;

            case Opcode.F32x4Min: FloatMin(dst, lhs, rhs, is64: false); return true;
            case Opcode.F64x2Min: FloatMin(dst, lhs, rhs, is64: true); return true;
            case Opcode.F32x4Max: FloatMax(dst, lhs, rhs, is64: false); return true;
            case Opcode.F64x2Max: FloatMax(dst, lhs, rhs, is64: true); return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// wasm min: minps in both operand orders (each returns its second operand for NaN and for ±0 pairs), or-ed so a
    /// NaN or -0 from either side wins, then NaN lanes made a quiet NaN with no payload (V8's F32x4Min/F64x2Min).
    /// </summary>
    private void FloatMin(Reg dst, Reg lhs, Reg rhs, bool is64)
    {
        AssemblerRegisterXMM a = s_scratchA, b = WorkRegister(dst, s_scratchB, lhs, rhs), l = X(lhs), r = X(rhs);
        var min = is64 ? Code.Minpd_xmm_xmmm128 : Code.Minps_xmm_xmmm128;
        MoveXmm(a, l);
        Sse(min, a, r);
        MoveXmm(b, r);
        Sse(min, b, l);
        Sse(Code.Orps_xmm_xmmm128, a, b);
        Sse(is64 ? Code.Cmppd_xmm_xmmm128_imm8 : Code.Cmpps_xmm_xmmm128_imm8, b, a, CmpUnord);
        Sse(Code.Orps_xmm_xmmm128, a, b);
        ClearNaNPayloads(a, b, is64);
        MoveXmm(X(dst), b);
    }

    /// <summary>
    /// wasm max: maxps in both orders; their difference (xor) marks the ±0 and NaN lanes, or-ed in and subtracted so a
    /// +0 wins over -0 and NaNs propagate, then NaN lanes lose their payload (V8's F32x4Max/F64x2Max).
    /// </summary>
    private void FloatMax(Reg dst, Reg lhs, Reg rhs, bool is64)
    {
        AssemblerRegisterXMM a = s_scratchA, b = WorkRegister(dst, s_scratchB, lhs, rhs), l = X(lhs), r = X(rhs);
        var max = is64 ? Code.Maxpd_xmm_xmmm128 : Code.Maxps_xmm_xmmm128;
        MoveXmm(a, l);
        Sse(max, a, r);
        MoveXmm(b, r);
        Sse(max, b, l);
        Sse(Code.Xorps_xmm_xmmm128, b, a);
        Sse(Code.Orps_xmm_xmmm128, a, b);
        Sse(is64 ? Code.Subpd_xmm_xmmm128 : Code.Subps_xmm_xmmm128, a, b);
        Sse(is64 ? Code.Cmppd_xmm_xmmm128_imm8 : Code.Cmpps_xmm_xmmm128_imm8, b, a, CmpUnord);
        ClearNaNPayloads(a, b, is64);
        MoveXmm(X(dst), b);
    }

    /// <summary>
    /// b = a with the lanes where b is all ones (NaN lanes) reduced to sign, exponent and the quiet bit: b shifted right
    /// by the exponent width plus one keeps only the payload bits set, and andn clears them from a.
    /// </summary>
    private void ClearNaNPayloads(AssemblerRegisterXMM a, AssemblerRegisterXMM b, bool is64)
    {
        if (is64) SseImm(Code.Psrlq_xmm_imm8, b, 13); else SseImm(Code.Psrld_xmm_imm8, b, 10);
        Sse(Code.Andnps_xmm_xmmm128, b, a);
    }

    private bool SimdFloatUnary(Opcode op, Reg dst, Reg src)
    {
        AssemblerRegisterXMM d = X(dst), s = X(src), a = s_scratchA, b = s_scratchB;
        switch (op)
        {
            // Bit operations with a mask: NaN payloads pass unchanged, as wasm's abs and neg require.
            case Opcode.F32x4Abs:
            case Opcode.F64x2Abs:
                SignMask(op == Opcode.F64x2Abs ? OperandSize.S64 : OperandSize.S32, invert: true);
                MoveXmm(d, s);
                Sse(Code.Andps_xmm_xmmm128, d, a);
                return true;
            case Opcode.F32x4Neg:
            case Opcode.F64x2Neg:
                SignMask(op == Opcode.F64x2Neg ? OperandSize.S64 : OperandSize.S32, invert: false);
                MoveXmm(d, s);
                Sse(Code.Xorps_xmm_xmmm128, d, a);
                return true;

            case Opcode.F32x4Sqrt: Sse(Code.Sqrtps_xmm_xmmm128, d, s); return true;
            case Opcode.F64x2Sqrt: Sse(Code.Sqrtpd_xmm_xmmm128, d, s); return true;

            // Rounding-control immediates: 0 nearest (ties to even), 1 down, 2 up, 3 toward zero; 8 suppresses the
            // inexact exception.
            case Opcode.F32x4Nearest: Sse(Code.Roundps_xmm_xmmm128_imm8, d, s, 8 | 0); return true;
            case Opcode.F32x4Floor: Sse(Code.Roundps_xmm_xmmm128_imm8, d, s, 8 | 1); return true;
            case Opcode.F32x4Ceil: Sse(Code.Roundps_xmm_xmmm128_imm8, d, s, 8 | 2); return true;
            case Opcode.F32x4Trunc: Sse(Code.Roundps_xmm_xmmm128_imm8, d, s, 8 | 3); return true;
            case Opcode.F64x2Nearest: Sse(Code.Roundpd_xmm_xmmm128_imm8, d, s, 8 | 0); return true;
            case Opcode.F64x2Floor: Sse(Code.Roundpd_xmm_xmmm128_imm8, d, s, 8 | 1); return true;
            case Opcode.F64x2Ceil: Sse(Code.Roundpd_xmm_xmmm128_imm8, d, s, 8 | 2); return true;
            case Opcode.F64x2Trunc: Sse(Code.Roundpd_xmm_xmmm128_imm8, d, s, 8 | 3); return true;

            case Opcode.F32x4DemoteF64x2Zero: Sse(Code.Cvtpd2ps_xmm_xmmm128, d, s); return true;
            case Opcode.F64x2PromoteLowF32x4: Sse(Code.Cvtps2pd_xmm_xmmm64, d, s); return true;
            case Opcode.F32x4ConvertI32x4S: Sse(Code.Cvtdq2ps_xmm_xmmm128, d, s); return true;
            case Opcode.F64x2ConvertLowI32x4S: Sse(Code.Cvtdq2pd_xmm_xmmm64, d, s); return true;

            case Opcode.F32x4ConvertI32x4U:
                // The low 16 bits convert exactly; the rest, halved to fit the signed conversion, converts exactly and
                // is doubled; the one rounding is in the final add.
                MoveXmm(d, s);
                Sse(Code.Pxor_xmm_xmmm128, a, a);
                Sse(Code.Pblendw_xmm_xmmm128_imm8, a, d, 0x55);
                Sse(Code.Psubd_xmm_xmmm128, d, a);
                Sse(Code.Cvtdq2ps_xmm_xmmm128, a, a);
                SseImm(Code.Psrld_xmm_imm8, d, 1);
                Sse(Code.Cvtdq2ps_xmm_xmmm128, d, d);
                Sse(Code.Addps_xmm_xmmm128, d, d);
                Sse(Code.Addps_xmm_xmmm128, d, a);
                return true;

            case Opcode.F64x2ConvertLowI32x4U:
                // Each u32 as the low significand bits of 2^52 (0x43300000 above it), then 2^52 subtracted: exact.
                Splat64(a, 0x4330000043300000);
                MoveXmm(d, s);
                Sse(Code.Unpcklps_xmm_xmmm128, d, a);
                Splat64(b, 0x4330000000000000);
                Sse(Code.Subpd_xmm_xmmm128, d, b);
                return true;

            case Opcode.I32x4TruncSatF32x4S:
                // NaN lanes zeroed; cvttps2dq gives 0x80000000 out of range, which is right for negative lanes and
                // flipped to 0x7fffffff where the input was positive.
                MoveXmm(d, s);
                MoveXmm(a, d);
                Sse(Code.Cmpps_xmm_xmmm128_imm8, a, d, CmpEq);
                Sse(Code.Andps_xmm_xmmm128, d, a);
                Sse(Code.Pxor_xmm_xmmm128, a, d);
                Sse(Code.Cvttps2dq_xmm_xmmm128, d, d);
                Sse(Code.Pand_xmm_xmmm128, a, d);
                SseImm(Code.Psrad_xmm_imm8, a, 31);
                Sse(Code.Pxor_xmm_xmmm128, d, a);
                return true;

            case Opcode.I32x4TruncSatF32x4U:
            {
                // NaN and negative lanes to 0 (maxps returns its second operand, 0, for NaN); lanes from 2^31 up convert
                // as 0x80000000 plus their excess over 2^31, converted separately and saturated at 2^32.
                MoveXmm(d, s);
                Sse(Code.Xorps_xmm_xmmm128, b, b);
                Sse(Code.Maxps_xmm_xmmm128, d, b);
                AllOnes(a);
                SseImm(Code.Psrld_xmm_imm8, a, 1);
                Sse(Code.Cvtdq2ps_xmm_xmmm128, a, a);
                MoveXmm(b, d);
                Sse(Code.Subps_xmm_xmmm128, b, a);
                Sse(Code.Cmpps_xmm_xmmm128_imm8, a, b, CmpLe);
                Sse(Code.Cvttps2dq_xmm_xmmm128, b, b);
                Sse(Code.Pxor_xmm_xmmm128, b, a);
                Sse(Code.Pxor_xmm_xmmm128, a, a);
                Sse(Code.Pmaxsd_xmm_xmmm128, b, a);
                Sse(Code.Cvttps2dq_xmm_xmmm128, d, d);
                Sse(Code.Paddd_xmm_xmmm128, d, b);
                return true;
            }

            case Opcode.I32x4TruncSatF64x2SZero:
                // NaN lanes become min(NaN, 0) = 0 (minpd returns its second operand), others are capped at
                // 2147483647.0; cvttpd2dq gives 0x80000000 below the range and zeroes the upper lanes.
                Splat64(b, 0x41DFFFFFFFC00000);
                MoveXmm(d, s);
                MoveXmm(a, d);
                Sse(Code.Cmppd_xmm_xmmm128_imm8, a, d, CmpEq);
                Sse(Code.Andps_xmm_xmmm128, a, b);
                Sse(Code.Minpd_xmm_xmmm128, d, a);
                Sse(Code.Cvttpd2dq_xmm_xmmm128, d, d);
                return true;

            case Opcode.I32x4TruncSatF64x2UZero:
                // Clamped to [0, 4294967295.0] (NaN to 0), truncated, added to 2^52 so the low dword of each lane is
                // the u32; shufps gathers the two low dwords and two zeros.
                MoveXmm(d, s);
                Sse(Code.Xorpd_xmm_xmmm128, a, a);
                Sse(Code.Maxpd_xmm_xmmm128, d, a);
                Splat64(b, 0x41EFFFFFFFE00000);
                Sse(Code.Minpd_xmm_xmmm128, d, b);
                Sse(Code.Roundpd_xmm_xmmm128_imm8, d, d, 8 | 3);
                Splat64(b, 0x4330000000000000);
                Sse(Code.Addpd_xmm_xmmm128, d, b);
                Sse(Code.Shufps_xmm_xmmm128_imm8, d, a, 0x88);
                return true;
            default:
                return false;
        }
    }
}
