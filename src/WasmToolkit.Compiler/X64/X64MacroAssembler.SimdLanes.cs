using Iced.Intel;
using WasmToolkit.Compiler.Baseline;
using WasmToolkit.Instructions;

namespace WasmToolkit.Compiler.X64;

// SIMD lanes: splat, extract_lane, replace_lane, shuffle and swizzle.
internal sealed partial class X64MacroAssembler
{
    private bool SimdLaneBinary(Opcode op, Reg dst, Reg lhs, Reg rhs)
    {
        if (op != Opcode.I8x16Swizzle) return false;

        // pshufb zeroes a byte whose index has bit 7 set and otherwise uses the low four bits: adding 0x70 with unsigned
        // saturation keeps 0-15 in 0x70-0x7f and pushes 16 and up to 0x80 or more.
        var a = s_scratchA;
        Splat64(a, 0x7070707070707070);
        Sse(Code.Paddusb_xmm_xmmm128, a, X(rhs));
        MoveXmm(X(dst), X(lhs));
        Sse(Code.Pshufb_xmm_xmmm128, X(dst), a);
        return true;
    }

    public void SimdSplat(Opcode op, Reg dst, Reg src)
    {
        var d = X(dst);
        switch (op)
        {
            case Opcode.I8x16Splat:
                _code.MovXmmGeneral(Xmm(d), General(src), false);
                Sse(Code.Pxor_xmm_xmmm128, s_scratchA, s_scratchA);
                Sse(Code.Pshufb_xmm_xmmm128, d, s_scratchA);
                return;
            case Opcode.I16x8Splat:
                _code.MovXmmGeneral(Xmm(d), General(src), false);
                Sse(Code.Pshuflw_xmm_xmmm128_imm8, d, d, 0);
                Sse(Code.Pshufd_xmm_xmmm128_imm8, d, d, 0);
                return;
            case Opcode.I32x4Splat:
                _code.MovXmmGeneral(Xmm(d), General(src), false);
                Sse(Code.Pshufd_xmm_xmmm128_imm8, d, d, 0);
                return;
            case Opcode.I64x2Splat:
                _code.MovXmmGeneral(Xmm(d), General(src), true);
                Sse(Code.Punpcklqdq_xmm_xmmm128, d, d);
                return;
            case Opcode.F32x4Splat:
                Sse(Code.Pshufd_xmm_xmmm128_imm8, d, X(src), 0);
                return;
            case Opcode.F64x2Splat:
                Sse(Code.Pshufd_xmm_xmmm128_imm8, d, X(src), 0x44);
                return;
            default:
                throw NotSimdShape(op, nameof(SimdSplat));
        }
    }

    public void SimdExtractLane(Opcode op, Reg dst, Reg src, int lane)
    {
        var s = X(src);
        switch (op)
        {
            case Opcode.I8x16ExtractLaneS:
                _asm.pextrb(D(dst), s, (byte)lane);
                _asm.movsx(D(dst), B(dst));
                return;
            case Opcode.I8x16ExtractLaneU:
                _asm.pextrb(D(dst), s, (byte)lane);
                return;
            case Opcode.I16x8ExtractLaneS:
                _asm.pextrw(D(dst), s, (byte)lane);
                _asm.movsx(D(dst), W(dst));
                return;
            case Opcode.I16x8ExtractLaneU:
                _asm.pextrw(D(dst), s, (byte)lane);
                return;
            case Opcode.I32x4ExtractLane:
                if (lane == 0) _asm.movd(D(dst), s); else _asm.pextrd(D(dst), s, (byte)lane);
                return;
            case Opcode.I64x2ExtractLane:
                if (lane == 0) _asm.movq(Q(dst), s); else _asm.pextrq(Q(dst), s, (byte)lane);
                return;

            // A scalar float is the low lane of its register; the other lanes are left as they fall.
            case Opcode.F32x4ExtractLane:
                if (lane == 0) MoveXmm(X(dst), s); else Sse(Code.Pshufd_xmm_xmmm128_imm8, X(dst), s, lane);
                return;
            case Opcode.F64x2ExtractLane:
                if (lane == 0) MoveXmm(X(dst), s); else Sse(Code.Pshufd_xmm_xmmm128_imm8, X(dst), s, 0xEE);
                return;
            default:
                throw NotSimdShape(op, nameof(SimdExtractLane));
        }
    }

    public void SimdReplaceLane(Opcode op, Reg dst, Reg vector, Reg value, int lane)
    {
        var d = X(dst);
        switch (op)
        {
            case Opcode.I8x16ReplaceLane:
                MoveXmm(d, X(vector));
                _asm.pinsrb(d, D(value), (byte)lane);
                return;
            case Opcode.I16x8ReplaceLane:
                MoveXmm(d, X(vector));
                _asm.pinsrw(d, D(value), (byte)lane);
                return;
            case Opcode.I32x4ReplaceLane:
                MoveXmm(d, X(vector));
                _asm.pinsrd(d, D(value), (byte)lane);
                return;
            case Opcode.I64x2ReplaceLane:
                MoveXmm(d, X(vector));
                _asm.pinsrq(d, Q(value), (byte)lane);
                return;
            case Opcode.F32x4ReplaceLane:
            case Opcode.F64x2ReplaceLane:
            {
                // The value is a float register, which dst may be: then the vector is copied into xmm15 instead.
                var v = X(value);
                var a = dst == value && dst != vector ? s_scratchA : d;
                MoveXmm(a, X(vector));
                if (op == Opcode.F32x4ReplaceLane) _asm.insertps(a, v, (byte)(lane << 4));
                else if (lane == 0) _asm.movsd(a, v);
                else _asm.movlhps(a, v);
                MoveXmm(d, a);
                return;
            }

            default:
                throw NotSimdShape(op, nameof(SimdReplaceLane));
        }
    }

    public void SimdShuffle(Reg dst, Reg lhs, Reg rhs, V128 lanes)
    {
        // pshufb masks: per source, the index of each byte taken from it, 0x80 (zero) for bytes taken from the other.
        ulong fromLhsLow = 0, fromLhsHigh = 0, fromRhsLow = 0, fromRhsHigh = 0;
        bool anyLhs = false, anyRhs = false;
        for (var i = 0; i < 16; i++)
        {
            int index = lanes[i];
            var sameRegister = lhs == rhs;
            ulong fromLhs = index < 16 || sameRegister ? (ulong)(index & 15) : 0x80;
            ulong fromRhs = index >= 16 && !sameRegister ? (ulong)(index & 15) : 0x80;
            anyLhs |= fromLhs != 0x80;
            anyRhs |= fromRhs != 0x80;
            var shift = (i & 7) * 8;
            if (i < 8)
            {
                fromLhsLow |= fromLhs << shift;
                fromRhsLow |= fromRhs << shift;
            }
            else
            {
                fromLhsHigh |= fromLhs << shift;
                fromRhsHigh |= fromRhs << shift;
            }
        }

        AssemblerRegisterXMM d = X(dst), l = X(lhs), r = X(rhs), a = s_scratchA, b = s_scratchB;
        if (!anyRhs || !anyLhs)
        {
            // One source: a single pshufb of it.
            var source = anyLhs ? l : r;
            if (anyLhs) Load128(a, fromLhsLow, fromLhsHigh); else Load128(a, fromRhsLow, fromRhsHigh);
            MoveXmm(d, source);
            Sse(Code.Pshufb_xmm_xmmm128, d, a);
            return;
        }

        if (dst != rhs)
        {
            Load128(a, fromLhsLow, fromLhsHigh);
            MoveXmm(d, l);
            Sse(Code.Pshufb_xmm_xmmm128, d, a);
            Load128(b, fromRhsLow, fromRhsHigh);
            MoveXmm(a, r);
            Sse(Code.Pshufb_xmm_xmmm128, a, b);
            Sse(Code.Por_xmm_xmmm128, d, a);
        }
        else
        {
            // dst is rhs (and not lhs): lhs's bytes gathered in xmm14 first, rhs's in place.
            Load128(a, fromLhsLow, fromLhsHigh);
            MoveXmm(b, l);
            Sse(Code.Pshufb_xmm_xmmm128, b, a);
            Load128(a, fromRhsLow, fromRhsHigh);
            Sse(Code.Pshufb_xmm_xmmm128, d, a);
            Sse(Code.Por_xmm_xmmm128, d, b);
        }
    }
}
