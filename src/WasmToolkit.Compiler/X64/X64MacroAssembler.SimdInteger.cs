using Iced.Intel;
using WasmToolkit.Compiler.Baseline;
using WasmToolkit.Instructions;

namespace WasmToolkit.Compiler.X64;

// SIMD integer lanes: bitwise operations, arithmetic, comparisons, shifts, narrowing, widening and the other unary forms.
internal sealed partial class X64MacroAssembler
{
    /// <summary>The binary integer operations that are one SSE instruction; <see cref="Code.INVALID"/> for the others.</summary>
    private static (Code Code, bool Commutative) IntegerBinaryForm(Opcode op) => op switch
    {
        Opcode.V128And => (Code.Pand_xmm_xmmm128, true),
        Opcode.V128Or => (Code.Por_xmm_xmmm128, true),
        Opcode.V128Xor => (Code.Pxor_xmm_xmmm128, true),

        Opcode.I8x16Add => (Code.Paddb_xmm_xmmm128, true),
        Opcode.I8x16AddSatS => (Code.Paddsb_xmm_xmmm128, true),
        Opcode.I8x16AddSatU => (Code.Paddusb_xmm_xmmm128, true),
        Opcode.I8x16Sub => (Code.Psubb_xmm_xmmm128, false),
        Opcode.I8x16SubSatS => (Code.Psubsb_xmm_xmmm128, false),
        Opcode.I8x16SubSatU => (Code.Psubusb_xmm_xmmm128, false),
        Opcode.I8x16MinS => (Code.Pminsb_xmm_xmmm128, true),
        Opcode.I8x16MinU => (Code.Pminub_xmm_xmmm128, true),
        Opcode.I8x16MaxS => (Code.Pmaxsb_xmm_xmmm128, true),
        Opcode.I8x16MaxU => (Code.Pmaxub_xmm_xmmm128, true),
        Opcode.I8x16AvgrU => (Code.Pavgb_xmm_xmmm128, true),
        Opcode.I8x16Eq => (Code.Pcmpeqb_xmm_xmmm128, true),
        Opcode.I8x16GtS => (Code.Pcmpgtb_xmm_xmmm128, false),
        Opcode.I8x16NarrowI16x8S => (Code.Packsswb_xmm_xmmm128, false),
        Opcode.I8x16NarrowI16x8U => (Code.Packuswb_xmm_xmmm128, false),

        Opcode.I16x8Add => (Code.Paddw_xmm_xmmm128, true),
        Opcode.I16x8AddSatS => (Code.Paddsw_xmm_xmmm128, true),
        Opcode.I16x8AddSatU => (Code.Paddusw_xmm_xmmm128, true),
        Opcode.I16x8Sub => (Code.Psubw_xmm_xmmm128, false),
        Opcode.I16x8SubSatS => (Code.Psubsw_xmm_xmmm128, false),
        Opcode.I16x8SubSatU => (Code.Psubusw_xmm_xmmm128, false),
        Opcode.I16x8Mul => (Code.Pmullw_xmm_xmmm128, true),
        Opcode.I16x8MinS => (Code.Pminsw_xmm_xmmm128, true),
        Opcode.I16x8MinU => (Code.Pminuw_xmm_xmmm128, true),
        Opcode.I16x8MaxS => (Code.Pmaxsw_xmm_xmmm128, true),
        Opcode.I16x8MaxU => (Code.Pmaxuw_xmm_xmmm128, true),
        Opcode.I16x8AvgrU => (Code.Pavgw_xmm_xmmm128, true),
        Opcode.I16x8Eq => (Code.Pcmpeqw_xmm_xmmm128, true),
        Opcode.I16x8GtS => (Code.Pcmpgtw_xmm_xmmm128, false),
        Opcode.I16x8NarrowI32x4S => (Code.Packssdw_xmm_xmmm128, false),
        Opcode.I16x8NarrowI32x4U => (Code.Packusdw_xmm_xmmm128, false),

        Opcode.I32x4Add => (Code.Paddd_xmm_xmmm128, true),
        Opcode.I32x4Sub => (Code.Psubd_xmm_xmmm128, false),
        Opcode.I32x4Mul => (Code.Pmulld_xmm_xmmm128, true),
        Opcode.I32x4MinS => (Code.Pminsd_xmm_xmmm128, true),
        Opcode.I32x4MinU => (Code.Pminud_xmm_xmmm128, true),
        Opcode.I32x4MaxS => (Code.Pmaxsd_xmm_xmmm128, true),
        Opcode.I32x4MaxU => (Code.Pmaxud_xmm_xmmm128, true),
        Opcode.I32x4Eq => (Code.Pcmpeqd_xmm_xmmm128, true),
        Opcode.I32x4GtS => (Code.Pcmpgtd_xmm_xmmm128, false),
        Opcode.I32x4DotI16x8S => (Code.Pmaddwd_xmm_xmmm128, true),

        Opcode.I64x2Add => (Code.Paddq_xmm_xmmm128, true),
        Opcode.I64x2Sub => (Code.Psubq_xmm_xmmm128, false),
        Opcode.I64x2Eq => (Code.Pcmpeqq_xmm_xmmm128, true),
        _ => (Code.INVALID, false),
    };

    private bool SimdIntegerBinary(Opcode op, Reg dst, Reg lhs, Reg rhs)
    {
        var (code, commutative) = IntegerBinaryForm(op);
        if (code != Code.INVALID)
        {
            SseBinary(code, dst, lhs, rhs, commutative);
            return true;
        }

        switch (op)
        {
            case Opcode.V128Andnot:
                // lhs & ~rhs; pandn computes ~first & second.
                SseBinary(Code.Pandn_xmm_xmmm128, dst, rhs, lhs, commutative: false);
                return true;

            case Opcode.I8x16Ne:
            case Opcode.I16x8Ne:
            case Opcode.I32x4Ne:
            case Opcode.I64x2Ne:
                SseBinary(op switch
                {
                    Opcode.I8x16Ne => Code.Pcmpeqb_xmm_xmmm128,
                    Opcode.I16x8Ne => Code.Pcmpeqw_xmm_xmmm128,
                    Opcode.I32x4Ne => Code.Pcmpeqd_xmm_xmmm128,
                    _ => Code.Pcmpeqq_xmm_xmmm128,
                }, dst, lhs, rhs, commutative: true);
                Not(X(dst));
                return true;

            // a < b is b > a.
            case Opcode.I8x16LtS: SseBinary(Code.Pcmpgtb_xmm_xmmm128, dst, rhs, lhs, commutative: false); return true;
            case Opcode.I16x8LtS: SseBinary(Code.Pcmpgtw_xmm_xmmm128, dst, rhs, lhs, commutative: false); return true;
            case Opcode.I32x4LtS: SseBinary(Code.Pcmpgtd_xmm_xmmm128, dst, rhs, lhs, commutative: false); return true;

            // a ≥ b is max(a, b) == a; a ≤ b is min(a, b) == a; the strict unsigned forms are their negations.
            case Opcode.I8x16GeS: CompareByMinMax(Code.Pmaxsb_xmm_xmmm128, Code.Pcmpeqb_xmm_xmmm128, dst, lhs, rhs, negate: false); return true;
            case Opcode.I8x16LeS: CompareByMinMax(Code.Pminsb_xmm_xmmm128, Code.Pcmpeqb_xmm_xmmm128, dst, lhs, rhs, negate: false); return true;
            case Opcode.I8x16GeU: CompareByMinMax(Code.Pmaxub_xmm_xmmm128, Code.Pcmpeqb_xmm_xmmm128, dst, lhs, rhs, negate: false); return true;
            case Opcode.I8x16LeU: CompareByMinMax(Code.Pminub_xmm_xmmm128, Code.Pcmpeqb_xmm_xmmm128, dst, lhs, rhs, negate: false); return true;
            case Opcode.I8x16GtU: CompareByMinMax(Code.Pminub_xmm_xmmm128, Code.Pcmpeqb_xmm_xmmm128, dst, lhs, rhs, negate: true); return true;
            case Opcode.I8x16LtU: CompareByMinMax(Code.Pmaxub_xmm_xmmm128, Code.Pcmpeqb_xmm_xmmm128, dst, lhs, rhs, negate: true); return true;
            case Opcode.I16x8GeS: CompareByMinMax(Code.Pmaxsw_xmm_xmmm128, Code.Pcmpeqw_xmm_xmmm128, dst, lhs, rhs, negate: false); return true;
            case Opcode.I16x8LeS: CompareByMinMax(Code.Pminsw_xmm_xmmm128, Code.Pcmpeqw_xmm_xmmm128, dst, lhs, rhs, negate: false); return true;
            case Opcode.I16x8GeU: CompareByMinMax(Code.Pmaxuw_xmm_xmmm128, Code.Pcmpeqw_xmm_xmmm128, dst, lhs, rhs, negate: false); return true;
            case Opcode.I16x8LeU: CompareByMinMax(Code.Pminuw_xmm_xmmm128, Code.Pcmpeqw_xmm_xmmm128, dst, lhs, rhs, negate: false); return true;
            case Opcode.I16x8GtU: CompareByMinMax(Code.Pminuw_xmm_xmmm128, Code.Pcmpeqw_xmm_xmmm128, dst, lhs, rhs, negate: true); return true;
            case Opcode.I16x8LtU: CompareByMinMax(Code.Pmaxuw_xmm_xmmm128, Code.Pcmpeqw_xmm_xmmm128, dst, lhs, rhs, negate: true); return true;
            case Opcode.I32x4GeS: CompareByMinMax(Code.Pmaxsd_xmm_xmmm128, Code.Pcmpeqd_xmm_xmmm128, dst, lhs, rhs, negate: false); return true;
            case Opcode.I32x4LeS: CompareByMinMax(Code.Pminsd_xmm_xmmm128, Code.Pcmpeqd_xmm_xmmm128, dst, lhs, rhs, negate: false); return true;
            case Opcode.I32x4GeU: CompareByMinMax(Code.Pmaxud_xmm_xmmm128, Code.Pcmpeqd_xmm_xmmm128, dst, lhs, rhs, negate: false); return true;
            case Opcode.I32x4LeU: CompareByMinMax(Code.Pminud_xmm_xmmm128, Code.Pcmpeqd_xmm_xmmm128, dst, lhs, rhs, negate: false); return true;
            case Opcode.I32x4GtU: CompareByMinMax(Code.Pminud_xmm_xmmm128, Code.Pcmpeqd_xmm_xmmm128, dst, lhs, rhs, negate: true); return true;
            case Opcode.I32x4LtU: CompareByMinMax(Code.Pmaxud_xmm_xmmm128, Code.Pcmpeqd_xmm_xmmm128, dst, lhs, rhs, negate: true); return true;

            case Opcode.I64x2GtS: I64x2GreaterThan(dst, lhs, rhs, negate: false); return true;
            case Opcode.I64x2LtS: I64x2GreaterThan(dst, rhs, lhs, negate: false); return true;
            case Opcode.I64x2LeS: I64x2GreaterThan(dst, lhs, rhs, negate: true); return true;
            case Opcode.I64x2GeS: I64x2GreaterThan(dst, rhs, lhs, negate: true); return true;

            case Opcode.I64x2Mul: I64x2Mul(dst, lhs, rhs); return true;

            case Opcode.I16x8Q15mulrSatS:
            {
                // pmulhrsw rounds as wasm does but gives 0x8000 for 0x8000 × 0x8000, where wasm saturates to 0x7fff:
                // flip the lanes that came out 0x8000 (no other product gives it).
                SseBinary(Code.Pmulhrsw_xmm_xmmm128, dst, lhs, rhs, commutative: true);
                var a = s_scratchA;
                AllOnes(a);
                SseImm(Code.Psllw_xmm_imm8, a, 15);
                Sse(Code.Pcmpeqw_xmm_xmmm128, a, X(dst));
                Sse(Code.Pxor_xmm_xmmm128, X(dst), a);
                return true;
            }

            case Opcode.I16x8ExtmulLowI8x16S: ExtendedMultiply16(dst, lhs, rhs, Code.Pmovsxbw_xmm_xmmm64, high: false); return true;
            case Opcode.I16x8ExtmulHighI8x16S: ExtendedMultiply16(dst, lhs, rhs, Code.Pmovsxbw_xmm_xmmm64, high: true); return true;
            case Opcode.I16x8ExtmulLowI8x16U: ExtendedMultiply16(dst, lhs, rhs, Code.Pmovzxbw_xmm_xmmm64, high: false); return true;
            case Opcode.I16x8ExtmulHighI8x16U: ExtendedMultiply16(dst, lhs, rhs, Code.Pmovzxbw_xmm_xmmm64, high: true); return true;
            case Opcode.I32x4ExtmulLowI16x8S: ExtendedMultiply32(dst, lhs, rhs, Code.Pmulhw_xmm_xmmm128, high: false); return true;
            case Opcode.I32x4ExtmulHighI16x8S: ExtendedMultiply32(dst, lhs, rhs, Code.Pmulhw_xmm_xmmm128, high: true); return true;
            case Opcode.I32x4ExtmulLowI16x8U: ExtendedMultiply32(dst, lhs, rhs, Code.Pmulhuw_xmm_xmmm128, high: false); return true;
            case Opcode.I32x4ExtmulHighI16x8U: ExtendedMultiply32(dst, lhs, rhs, Code.Pmulhuw_xmm_xmmm128, high: true); return true;
            case Opcode.I64x2ExtmulLowI32x4S: ExtendedMultiply64(dst, lhs, rhs, Code.Pmuldq_xmm_xmmm128, high: false); return true;
            case Opcode.I64x2ExtmulHighI32x4S: ExtendedMultiply64(dst, lhs, rhs, Code.Pmuldq_xmm_xmmm128, high: true); return true;
            case Opcode.I64x2ExtmulLowI32x4U: ExtendedMultiply64(dst, lhs, rhs, Code.Pmuludq_xmm_xmmm128, high: false); return true;
            case Opcode.I64x2ExtmulHighI32x4U: ExtendedMultiply64(dst, lhs, rhs, Code.Pmuludq_xmm_xmmm128, high: true); return true;
            default:
                return false;
        }
    }

    /// <summary>x = ~x (xmm15 holds the ones).</summary>
    private void Not(AssemblerRegisterXMM x)
    {
        AllOnes(s_scratchA);
        Sse(Code.Pxor_xmm_xmmm128, x, s_scratchA);
    }

    /// <summary>dst = (minMax(lhs, rhs) == lhs), negated when <paramref name="negate"/>.</summary>
    private void CompareByMinMax(Code minMax, Code equal, Reg dst, Reg lhs, Reg rhs, bool negate)
    {
        var a = WorkRegister(dst, s_scratchA, lhs, rhs);
        MoveXmm(a, X(lhs));
        Sse(minMax, a, X(rhs));
        Sse(equal, a, X(lhs));
        if (negate)
        {
            AllOnes(s_scratchB);
            Sse(Code.Pxor_xmm_xmmm128, a, s_scratchB);
        }

        MoveXmm(X(dst), a);
    }

    /// <summary>
    /// dst = lhs &gt; rhs in signed 64-bit lanes (negated when <paramref name="negate"/>) without SSE4.2's pcmpgtq: the high
    /// halves decide unless they are equal, when the borrow of rhs - lhs does (V8's I64x2GtS for SSE2).
    /// </summary>
    private void I64x2GreaterThan(Reg dst, Reg lhs, Reg rhs, bool negate)
    {
        AssemblerRegisterXMM a = s_scratchA, b = WorkRegister(dst, s_scratchB, lhs, rhs), l = X(lhs), r = X(rhs);
        MoveXmm(a, l);
        Sse(Code.Pcmpeqd_xmm_xmmm128, a, r);
        MoveXmm(b, r);
        Sse(Code.Psubq_xmm_xmmm128, b, l);
        Sse(Code.Pand_xmm_xmmm128, b, a);
        MoveXmm(a, l);
        Sse(Code.Pcmpgtd_xmm_xmmm128, a, r);
        Sse(Code.Por_xmm_xmmm128, b, a);

        // The answer is in the high dword of each lane; copy it to both dwords.
        Sse(Code.Pshufd_xmm_xmmm128_imm8, X(dst), b, 0xF5);
        if (negate) Not(X(dst));
    }

    /// <summary>64-bit lane products from 32-bit halves: lo·lo + ((hi·lo + lo·hi) &lt;&lt; 32), all mod 2^64.</summary>
    private void I64x2Mul(Reg dst, Reg lhs, Reg rhs)
    {
        AssemblerRegisterXMM a = s_scratchA, b = s_scratchB, d = X(dst), l = X(lhs), r = X(rhs);
        MoveXmm(a, l);
        SseImm(Code.Psrlq_xmm_imm8, a, 32);
        Sse(Code.Pmuludq_xmm_xmmm128, a, r);
        MoveXmm(b, r);
        SseImm(Code.Psrlq_xmm_imm8, b, 32);
        Sse(Code.Pmuludq_xmm_xmmm128, b, l);
        Sse(Code.Paddq_xmm_xmmm128, a, b);
        SseImm(Code.Psllq_xmm_imm8, a, 32);
        SseBinary(Code.Pmuludq_xmm_xmmm128, dst, lhs, rhs, commutative: true);
        Sse(Code.Paddq_xmm_xmmm128, d, a);
    }

    /// <summary>i16x8 products of the low or high eight bytes, widened first (<paramref name="extend"/>: pmovsxbw or pmovzxbw).</summary>
    private void ExtendedMultiply16(Reg dst, Reg lhs, Reg rhs, Code extend, bool high)
    {
        AssemblerRegisterXMM a = WorkRegister(dst, s_scratchA, lhs, rhs), b = s_scratchB;
        if (high)
        {
            Sse(Code.Pshufd_xmm_xmmm128_imm8, a, X(lhs), 0xEE);
            Sse(extend, a, a);
            Sse(Code.Pshufd_xmm_xmmm128_imm8, b, X(rhs), 0xEE);
            Sse(extend, b, b);
        }
        else
        {
            Sse(extend, a, X(lhs));
            Sse(extend, b, X(rhs));
        }

        Sse(Code.Pmullw_xmm_xmmm128, a, b);
        MoveXmm(X(dst), a);
    }

    /// <summary>i32x4 products of the low or high four words: the low and high product halves interleaved.</summary>
    private void ExtendedMultiply32(Reg dst, Reg lhs, Reg rhs, Code multiplyHigh, bool high)
    {
        AssemblerRegisterXMM a = WorkRegister(dst, s_scratchA, lhs, rhs), b = s_scratchB;
        MoveXmm(a, X(lhs));
        Sse(Code.Pmullw_xmm_xmmm128, a, X(rhs));
        MoveXmm(b, X(lhs));
        Sse(multiplyHigh, b, X(rhs));
        Sse(high ? Code.Punpckhwd_xmm_xmmm128 : Code.Punpcklwd_xmm_xmmm128, a, b);
        MoveXmm(X(dst), a);
    }

    /// <summary>i64x2 products of the low or high two dwords: spread to the even dwords, then pmuldq/pmuludq.</summary>
    private void ExtendedMultiply64(Reg dst, Reg lhs, Reg rhs, Code multiply, bool high)
    {
        AssemblerRegisterXMM a = WorkRegister(dst, s_scratchA, lhs, rhs), b = s_scratchB;
        var spread = high ? 0xFA : 0x50;
        Sse(Code.Pshufd_xmm_xmmm128_imm8, a, X(lhs), spread);
        Sse(Code.Pshufd_xmm_xmmm128_imm8, b, X(rhs), spread);
        Sse(multiply, a, b);
        MoveXmm(X(dst), a);
    }

    private bool SimdIntegerUnary(Opcode op, Reg dst, Reg src)
    {
        AssemblerRegisterXMM d = X(dst), s = X(src);
        switch (op)
        {
            case Opcode.V128Not:
                // Ones first: dst may be src.
                AllOnes(s_scratchA);
                MoveXmm(d, s);
                Sse(Code.Pxor_xmm_xmmm128, d, s_scratchA);
                return true;

            case Opcode.I8x16Abs: Sse(Code.Pabsb_xmm_xmmm128, d, s); return true;
            case Opcode.I16x8Abs: Sse(Code.Pabsw_xmm_xmmm128, d, s); return true;
            case Opcode.I32x4Abs: Sse(Code.Pabsd_xmm_xmmm128, d, s); return true;
            case Opcode.I64x2Abs:
            {
                // (x ^ sign) - sign, the sign spread from each lane's high dword.
                var b = s_scratchB;
                Sse(Code.Pshufd_xmm_xmmm128_imm8, b, s, 0xF5);
                SseImm(Code.Psrad_xmm_imm8, b, 31);
                MoveXmm(d, s);
                Sse(Code.Pxor_xmm_xmmm128, d, b);
                Sse(Code.Psubq_xmm_xmmm128, d, b);
                return true;
            }

            case Opcode.I8x16Neg: Negate(Code.Psubb_xmm_xmmm128, d, s); return true;
            case Opcode.I16x8Neg: Negate(Code.Psubw_xmm_xmmm128, d, s); return true;
            case Opcode.I32x4Neg: Negate(Code.Psubd_xmm_xmmm128, d, s); return true;
            case Opcode.I64x2Neg: Negate(Code.Psubq_xmm_xmmm128, d, s); return true;

            case Opcode.I8x16Popcnt:
                Popcount(d, s);
                return true;

            case Opcode.I16x8ExtendLowI8x16S: Sse(Code.Pmovsxbw_xmm_xmmm64, d, s); return true;
            case Opcode.I16x8ExtendLowI8x16U: Sse(Code.Pmovzxbw_xmm_xmmm64, d, s); return true;
            case Opcode.I32x4ExtendLowI16x8S: Sse(Code.Pmovsxwd_xmm_xmmm64, d, s); return true;
            case Opcode.I32x4ExtendLowI16x8U: Sse(Code.Pmovzxwd_xmm_xmmm64, d, s); return true;
            case Opcode.I64x2ExtendLowI32x4S: Sse(Code.Pmovsxdq_xmm_xmmm64, d, s); return true;
            case Opcode.I64x2ExtendLowI32x4U: Sse(Code.Pmovzxdq_xmm_xmmm64, d, s); return true;

            // The high half moved down first.
            case Opcode.I16x8ExtendHighI8x16S: ExtendHigh(Code.Pmovsxbw_xmm_xmmm64, d, s); return true;
            case Opcode.I16x8ExtendHighI8x16U: ExtendHigh(Code.Pmovzxbw_xmm_xmmm64, d, s); return true;
            case Opcode.I32x4ExtendHighI16x8S: ExtendHigh(Code.Pmovsxwd_xmm_xmmm64, d, s); return true;
            case Opcode.I32x4ExtendHighI16x8U: ExtendHigh(Code.Pmovzxwd_xmm_xmmm64, d, s); return true;
            case Opcode.I64x2ExtendHighI32x4S: ExtendHigh(Code.Pmovsxdq_xmm_xmmm64, d, s); return true;
            case Opcode.I64x2ExtendHighI32x4U: ExtendHigh(Code.Pmovzxdq_xmm_xmmm64, d, s); return true;

            case Opcode.I16x8ExtaddPairwiseI8x16S:
                // pmaddubsw multiplies unsigned bytes of its first operand by signed bytes of its second: ones × src.
                ByteOnes(s_scratchA);
                Sse(Code.Pmaddubsw_xmm_xmmm128, s_scratchA, s);
                MoveXmm(d, s_scratchA);
                return true;
            case Opcode.I16x8ExtaddPairwiseI8x16U:
                // src's bytes unsigned, times signed ones (sums up to 510: no saturation).
                ByteOnes(s_scratchA);
                MoveXmm(d, s);
                Sse(Code.Pmaddubsw_xmm_xmmm128, d, s_scratchA);
                return true;
            case Opcode.I32x4ExtaddPairwiseI16x8S:
                AllOnes(s_scratchA);
                SseImm(Code.Psrlw_xmm_imm8, s_scratchA, 15);
                Sse(Code.Pmaddwd_xmm_xmmm128, s_scratchA, s);
                MoveXmm(d, s_scratchA);
                return true;
            case Opcode.I32x4ExtaddPairwiseI16x8U:
                // Odd words shifted down plus even words with the odd ones cleared.
                MoveXmm(s_scratchA, s);
                SseImm(Code.Psrld_xmm_imm8, s_scratchA, 16);
                Sse(Code.Pxor_xmm_xmmm128, s_scratchB, s_scratchB);
                MoveXmm(d, s);
                Sse(Code.Pblendw_xmm_xmmm128_imm8, d, s_scratchB, 0xAA);
                Sse(Code.Paddd_xmm_xmmm128, d, s_scratchA);
                return true;
            default:
                return false;
        }
    }

    /// <summary>d = 0 - s (in xmm15 when d is s).</summary>
    private void Negate(Code subtract, AssemblerRegisterXMM d, AssemblerRegisterXMM s)
    {
        var a = d == s ? s_scratchA : d;
        Sse(Code.Pxor_xmm_xmmm128, a, a);
        Sse(subtract, a, s);
        MoveXmm(d, a);
    }

    private void ExtendHigh(Code extend, AssemblerRegisterXMM d, AssemblerRegisterXMM s)
    {
        Sse(Code.Pshufd_xmm_xmmm128_imm8, d, s, 0xEE);
        Sse(extend, d, d);
    }

    /// <summary>x = 0x01 in every byte.</summary>
    private void ByteOnes(AssemblerRegisterXMM x)
    {
        AllOnes(x);
        SseImm(Code.Psrlw_xmm_imm8, x, 15);
        Sse(Code.Packuswb_xmm_xmmm128, x, x);
    }

    /// <summary>
    /// Per-byte population count: each nibble looked up in a 16-entry table with pshufb, the two counts added. The table
    /// lives in r10:r11 so it can be loaded twice.
    /// </summary>
    private void Popcount(AssemblerRegisterXMM d, AssemblerRegisterXMM s)
    {
        AssemblerRegisterXMM a = s_scratchA, b = s_scratchB;

        // a = 0x0f bytes; b = high nibbles; a = low nibbles (src is not read after this, so dst may be it).
        AllOnes(a);
        SseImm(Code.Psrlw_xmm_imm8, a, 12);
        Sse(Code.Packuswb_xmm_xmmm128, a, a);
        MoveXmm(b, s);
        SseImm(Code.Psrlw_xmm_imm8, b, 4);
        Sse(Code.Pand_xmm_xmmm128, b, a);
        Sse(Code.Pand_xmm_xmmm128, a, s);

        // Bit counts of 0..15, byte i = popcount(i).
        MoveImm(new Reg(R10), 0x0302020102010100, OperandSize.S64);
        MoveImm(new Reg(R11), 0x0403030203020201, OperandSize.S64);
        LoadPair(d);
        Sse(Code.Pshufb_xmm_xmmm128, d, a);
        LoadPair(a);
        Sse(Code.Pshufb_xmm_xmmm128, a, b);
        Sse(Code.Paddb_xmm_xmmm128, d, a);

        void LoadPair(AssemblerRegisterXMM x)
        {
            _code.MovXmmGeneral(Xmm(x), R10, true);
            _asm.pinsrq(x, Iced.Intel.AssemblerRegisters.r11, 1);
        }
    }

    public void SimdShift(Opcode op, Reg dst, Reg lhs, RegImm count)
    {
        var (laneBits, immForm, xmmForm) = op switch
        {
            Opcode.I16x8Shl => (16, Code.Psllw_xmm_imm8, Code.Psllw_xmm_xmmm128),
            Opcode.I16x8ShrS => (16, Code.Psraw_xmm_imm8, Code.Psraw_xmm_xmmm128),
            Opcode.I16x8ShrU => (16, Code.Psrlw_xmm_imm8, Code.Psrlw_xmm_xmmm128),
            Opcode.I32x4Shl => (32, Code.Pslld_xmm_imm8, Code.Pslld_xmm_xmmm128),
            Opcode.I32x4ShrS => (32, Code.Psrad_xmm_imm8, Code.Psrad_xmm_xmmm128),
            Opcode.I32x4ShrU => (32, Code.Psrld_xmm_imm8, Code.Psrld_xmm_xmmm128),
            Opcode.I64x2Shl => (64, Code.Psllq_xmm_imm8, Code.Psllq_xmm_xmmm128),
            Opcode.I64x2ShrU => (64, Code.Psrlq_xmm_imm8, Code.Psrlq_xmm_xmmm128),

            // No SSE instruction: sequences over the 16- and 64-bit shifts.
            Opcode.I64x2ShrS => (64, Code.INVALID, Code.INVALID),
            Opcode.I8x16Shl or Opcode.I8x16ShrS or Opcode.I8x16ShrU => (8, Code.INVALID, Code.INVALID),
            _ => throw NotSimdShape(op, nameof(SimdShift)),
        };

        AssemblerRegisterXMM d = X(dst), l = X(lhs), a = s_scratchA, b = s_scratchB;
        var mask = laneBits - 1;

        // The count modulo the lane width: an immediate, or in xmm14 (the i8x16 right shift by signed words adds 8).
        var isImm = count.IsImm;
        var n = (int)(count.Imm & mask);
        if (!isImm)
        {
            _code.MovRegReg(R11, General(count.Reg), false);
            _code.AluRegImm(X64CodeBuffer.Alu.And, R11, mask, false);
            if (op == Opcode.I8x16ShrS) _code.AluRegImm(X64CodeBuffer.Alu.Add, R11, 8, false);
            _code.MovXmmGeneral(Xmm(b), R11, false);
        }

        if (immForm != Code.INVALID)
        {
            MoveXmm(d, l);
            if (!isImm) Sse(xmmForm, d, b);
            else if (n != 0) SseImm(immForm, d, n);
            return;
        }

        switch (op)
        {
            case Opcode.I64x2ShrS:
            {
                // ((x >>> n) ^ m) - m with m = the sign bit >>> n: sign-extends the logical shift.
                AllOnes(a);
                SseImm(Code.Psllq_xmm_imm8, a, 63);
                MoveXmm(d, l);
                if (isImm)
                {
                    if (n == 0) return;
                    SseImm(Code.Psrlq_xmm_imm8, a, n);
                    SseImm(Code.Psrlq_xmm_imm8, d, n);
                }
                else
                {
                    Sse(Code.Psrlq_xmm_xmmm128, a, b);
                    Sse(Code.Psrlq_xmm_xmmm128, d, b);
                }

                Sse(Code.Pxor_xmm_xmmm128, d, a);
                Sse(Code.Psubq_xmm_xmmm128, d, a);
                return;
            }

            case Opcode.I8x16Shl:
            case Opcode.I8x16ShrU:
            {
                // A 16-bit shift moves bits across the bytes of a word; a per-byte mask clears them.
                var left = op == Opcode.I8x16Shl;
                if (isImm)
                {
                    if (n == 0)
                    {
                        MoveXmm(d, l);
                        return;
                    }

                    var m = (ulong)(byte)(left ? 0xFF << n : 0xFF >> n);
                    Splat64(a, m * 0x0101010101010101UL);
                    MoveXmm(d, l);
                    SseImm(left ? Code.Psllw_xmm_imm8 : Code.Psrlw_xmm_imm8, d, n);
                }
                else
                {
                    // The mask from ones shifted like a byte in a word's low (shl) or high (shr) half, moved to the
                    // low half and packed into every byte.
                    AllOnes(a);
                    Sse(left ? Code.Psllw_xmm_xmmm128 : Code.Psrlw_xmm_xmmm128, a, b);
                    if (left) SseImm(Code.Psllw_xmm_imm8, a, 8);
                    SseImm(Code.Psrlw_xmm_imm8, a, 8);
                    Sse(Code.Packuswb_xmm_xmmm128, a, a);
                    MoveXmm(d, l);
                    Sse(left ? Code.Psllw_xmm_xmmm128 : Code.Psrlw_xmm_xmmm128, d, b);
                }

                Sse(Code.Pand_xmm_xmmm128, d, a);
                return;
            }

            default:
            {
                // i8x16.shr_s: each byte into the high half of a word, an arithmetic shift by 8 + n, packed back
                // (the results fit a signed byte, so the saturation never applies).
                MoveXmm(a, l);
                Sse(Code.Punpckhbw_xmm_xmmm128, a, a);
                MoveXmm(d, l);
                Sse(Code.Punpcklbw_xmm_xmmm128, d, d);
                if (isImm)
                {
                    SseImm(Code.Psraw_xmm_imm8, a, n + 8);
                    SseImm(Code.Psraw_xmm_imm8, d, n + 8);
                }
                else
                {
                    Sse(Code.Psraw_xmm_xmmm128, a, b);
                    Sse(Code.Psraw_xmm_xmmm128, d, b);
                }

                Sse(Code.Packsswb_xmm_xmmm128, d, a);
                return;
            }
        }
    }
}
