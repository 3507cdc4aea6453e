using WasmToolkit.Compiler.Arm64.Internal;

namespace WasmToolkit.Compiler.Arm64;

// The Advanced SIMD encoding classes (Arm ARM C4.1.99, "Data Processing -- Scalar Floating-Point and Advanced SIMD").
// Vector operands carry their arrangement in the register kind (Arm64RegisterKind.V8B … V2D), which gives the Q bit
// (bit 30) and the element size (bits 23:22); lane operands use the 128-bit arrangement of their element size and
// take the lane index from Immediate (Immediate2 for the source lane of ins).
public static partial class Arm64Encoder
{
    private static bool EncodeSimd(Arm64Form form, Arm64Code code, uint b, in Arm64Instruction i, out uint word, out string? error)
    {
        word = 0;
        error = null;
        switch (form)
        {
            // Advanced SIMD three same: 0 Q U 01110 size 1 Rm opcode 1 Rn Rd.
            case Arm64Form.SimdSame:
            {
                if (!SameVectors(code, i, three: true, out error)) return false;
                var size = i.Rd.ElementSizeLog2;
                if (size == 3 && code is Arm64Code.VMul or Arm64Code.Smax or Arm64Code.Smin or Arm64Code.Umax or Arm64Code.Umin or Arm64Code.Urhadd)
                    return Fail(code, $"has no 2d form, not {i.Rd}", out error);
                if (code == Arm64Code.Sqrdmulh && size is not (1 or 2)) return Fail(code, $"takes h or s lanes, not {i.Rd}", out error);
                word = b | QSize(i.Rd) | Rm(i.Rm) | Rn(i.Rn) | Rd(i.Rd);
                return true;
            }

            // Three same, logical (opcode 00011, the size field selects the operation): 8b or 16b only.
            case Arm64Form.SimdSameBytes:
                if (!SameVectors(code, i, three: true, out error) || !Bytes(code, i.Rd, out error)) return false;
                word = b | Q(i.Rd) | Rm(i.Rm) | Rn(i.Rn) | Rd(i.Rd);
                return true;

            // Three same, floating point: size<1> is part of the opcode (in the base), size<0> = sz.
            case Arm64Form.SimdSameFloat:
                if (!SameVectors(code, i, three: true, out error) || !FloatLanes(code, i.Rd, out error)) return false;
                word = b | Q(i.Rd) | Sz(i.Rd) | Rm(i.Rm) | Rn(i.Rn) | Rd(i.Rd);
                return true;

            // Advanced SIMD two-register miscellaneous: 0 Q U 01110 size 10000 opcode 10 Rn Rd.
            case Arm64Form.SimdMisc:
                if (!SameVectors(code, i, three: false, out error)) return false;
                word = b | QSize(i.Rd) | Rn(i.Rn) | Rd(i.Rd);
                return true;

            case Arm64Form.SimdMiscBytes:
            {
                // Two d registers are the 8-byte view (how the scalar popcnt writes cnt).
                var d = i.Rd.Kind == Arm64RegisterKind.D && i.Rn.Kind == Arm64RegisterKind.D;
                if (!d && (!SameVectors(code, i, three: false, out error) || !Bytes(code, i.Rd, out error))) return false;
                word = b | (d ? 0 : Q(i.Rd)) | Rn(i.Rn) | Rd(i.Rd);
                return true;
            }

            case Arm64Form.SimdMiscFloat:
                if (!SameVectors(code, i, three: false, out error) || !FloatLanes(code, i.Rd, out error)) return false;
                word = b | Q(i.Rd) | Sz(i.Rd) | Rn(i.Rn) | Rd(i.Rd);
                return true;

            // saddlp/uaddlp: rd has lanes of twice rn's size in the same register half.
            case Arm64Form.SimdPairwiseLong:
                if (!Vector(code, i.Rd, "rd", out error) || !Vector(code, i.Rn, "rn", out error)) return false;
                if (i.Rn.ElementSizeLog2 == 3 || i.Rd.ElementSizeLog2 != i.Rn.ElementSizeLog2 + 1 || i.Rd.IsFullVector != i.Rn.IsFullVector)
                    return Fail(code, $"widens adjacent pairs of b, h or s lanes within one half, not {i.Rn} to {i.Rd}", out error);
                word = b | QSize(i.Rn) | Rn(i.Rn) | Rd(i.Rd);
                return true;

            // Narrowing two-register misc: size is rd's lane size, Q selects the half written (the "2" forms write the high half).
            case Arm64Form.SimdNarrow:
            {
                if (!Vector(code, i.Rd, "rd", out error) || !Vector(code, i.Rn, "rn", out error)) return false;
                var size = i.Rd.ElementSizeLog2;
                if (code == Arm64Code.Fcvtn)
                {
                    if (i.Rd.ElementSizeLog2 != 2 || i.Rn.Kind != Arm64RegisterKind.V2D) return Fail(code, $"narrows 2d to 2s or 4s, not {i.Rn} to {i.Rd}", out error);
                    word = b | Q(i.Rd) | (1u << 22) | Rn(i.Rn) | Rd(i.Rd);
                    return true;
                }

                if (size == 3 || !i.Rn.IsFullVector || i.Rn.ElementSizeLog2 != size + 1)
                    return Fail(code, $"narrows 8h, 4s or 2d to half-width lanes, not {i.Rn} to {i.Rd}", out error);
                word = b | QSize(i.Rd) | Rn(i.Rn) | Rd(i.Rd);
                return true;
            }

            // fcvtl: the low (2s, Q = 0) or high (4s, fcvtl2) singles of rn to 2d; sz = 1.
            case Arm64Form.SimdWiden:
                if (i.Rd.Kind != Arm64RegisterKind.V2D || i.Rn.Kind is not (Arm64RegisterKind.V2S or Arm64RegisterKind.V4S))
                    return Fail(code, $"widens 2s or 4s to 2d, not {i.Rn} to {i.Rd}", out error);
                word = b | Q(i.Rn) | (1u << 22) | Rn(i.Rn) | Rd(i.Rd);
                return true;

            // Advanced SIMD across lanes: 0 Q U 01110 size 11000 opcode 10 Rn Rd, rd the scalar of the lane size.
            case Arm64Form.SimdAcross:
            {
                var rd = i.Rd;
                var rn = i.Rn;
                if (rd.Kind == Arm64RegisterKind.D && rn.Kind == Arm64RegisterKind.D)
                {
                    // Two d registers: bd, vn.8b (the scalar popcnt's form).
                    rd = Arm64Register.B(rd.Number);
                    rn = Arm64Register.V(rn.Number, Arm64RegisterKind.V8B);
                }

                if (!Vector(code, rn, "rn", out error)) return false;
                if (rn.ElementSizeLog2 == 3 || rn.Kind == Arm64RegisterKind.V2S)
                    return Fail(code, $"takes 8b, 16b, 4h, 8h or 4s, not {rn}", out error);
                if (rd.IsVector || rd.IsGeneral || rd.ElementSizeLog2 != rn.ElementSizeLog2)
                    return Fail(code, $"writes the scalar of {rn}'s lane size, not {rd}", out error);
                word = b | QSize(rn) | Rn(rn) | Rd(rd);
                return true;
            }

            // Advanced SIMD copy: 0 Q op 01110000 imm5 0 imm4 1 Rn Rd; imm5 = index:1:0… by lane size.
            case Arm64Form.SimdDupElement:
            {
                if (!Vector(code, i.Rd, "rd", out error) || !Lane(code, i.Rn, i.Immediate, "rn", out var imm5, out error)) return false;
                if (i.Rd.ElementSizeLog2 != i.Rn.ElementSizeLog2 || (i.Rd.ElementSizeLog2 == 3 && !i.Rd.IsFullVector))
                    return Fail(code, $"copies a lane of {i.Rn} into lanes of another size ({i.Rd})", out error);
                word = b | Q(i.Rd) | (imm5 << 16) | Rn(i.Rn) | Rd(i.Rd);
                return true;
            }

            case Arm64Form.SimdDupGeneral:
            {
                if (!Vector(code, i.Rd, "rd", out error)) return false;
                var size = i.Rd.ElementSizeLog2;
                if (!General(code, i.Rn, "rn", allowSp: false, allowZr: true, out error)) return false;
                if (i.Rn.Is64Bit != (size == 3)) return Fail(code, $"takes {(size == 3 ? "an x" : "a w")} register for {i.Rd}, not {i.Rn}", out error);
                word = b | Q(i.Rd) | ((1u << size) << 16) | Rn(i.Rn) | Rd(i.Rd);
                return true;
            }

            case Arm64Form.SimdMoveToGeneral:
            {
                if (!General(code, i.Rd, "rd", allowSp: false, allowZr: true, out error)) return false;
                if (!Lane(code, i.Rn, i.Immediate, "rn", out var imm5, out error)) return false;
                var size = i.Rn.ElementSizeLog2;
                var ok = code == Arm64Code.Umov ? i.Rd.Is64Bit == (size == 3) : size < (i.Rd.Is64Bit ? 3 : 2);
                if (!ok) return Fail(code, $"cannot move a lane of {i.Rn} into {i.Rd}", out error);
                word = b | (i.Rd.Is64Bit ? 1u << 30 : 0) | (imm5 << 16) | Rn(i.Rn) | Rd(i.Rd);
                return true;
            }

            case Arm64Form.SimdInsGeneral:
            {
                if (!Lane(code, i.Rd, i.Immediate, "rd", out var imm5, out error)) return false;
                if (!General(code, i.Rn, "rn", allowSp: false, allowZr: true, out error)) return false;
                if (i.Rn.Is64Bit != (i.Rd.ElementSizeLog2 == 3)) return Fail(code, $"takes {(i.Rd.ElementSizeLog2 == 3 ? "an x" : "a w")} register for a lane of {i.Rd}, not {i.Rn}", out error);
                word = b | (imm5 << 16) | Rn(i.Rn) | Rd(i.Rd);
                return true;
            }

            case Arm64Form.SimdInsElement:
            {
                if (!Lane(code, i.Rd, i.Immediate, "rd", out var imm5, out error) || !Lane(code, i.Rn, i.Immediate2, "rn", out _, out error)) return false;
                if (i.Rd.Kind != i.Rn.Kind) return Fail(code, $"copies between lanes of one size, not {i.Rn} to {i.Rd}", out error);
                var imm4 = (uint)i.Immediate2 << i.Rd.ElementSizeLog2;
                word = b | (imm5 << 16) | (imm4 << 11) | Rn(i.Rn) | Rd(i.Rd);
                return true;
            }

            // Advanced SIMD shift by immediate: 0 Q U 011110 immh:immb opcode 1 Rn Rd.
            case Arm64Form.SimdShiftLeft:
            case Arm64Form.SimdShiftRight:
            {
                if (!SameVectors(code, i, three: false, out error)) return false;
                var bits = 8 << i.Rd.ElementSizeLog2;
                var left = form == Arm64Form.SimdShiftLeft;
                var (low, high) = left ? (0, bits - 1) : (1, bits);
                if (i.Immediate < low || i.Immediate > high) return Fail(code, $"shift {i.Immediate} is outside {low}..{high} for {i.Rd}", out error);
                var immhb = left ? (uint)(bits + i.Immediate) : (uint)((2 * bits) - i.Immediate);
                word = b | Q(i.Rd) | (immhb << 16) | Rn(i.Rn) | Rd(i.Rd);
                return true;
            }

            case Arm64Form.SimdShiftLong:
            {
                if (!Vector(code, i.Rd, "rd", out error) || !Vector(code, i.Rn, "rn", out error)) return false;
                var size = i.Rn.ElementSizeLog2;
                if (size == 3 || !i.Rd.IsFullVector || i.Rd.ElementSizeLog2 != size + 1) return Fail(code, $"widens b, h or s lanes to double width, not {i.Rn} to {i.Rd}", out error);
                var bits = 8 << size;
                if ((ulong)i.Immediate >= (ulong)bits) return Fail(code, $"shift {i.Immediate} is outside 0..{bits - 1} for {i.Rn}", out error);
                word = b | Q(i.Rn) | ((uint)(bits + i.Immediate) << 16) | Rn(i.Rn) | Rd(i.Rd);
                return true;
            }

            // Advanced SIMD three different: 0 Q U 01110 size 1 Rm opcode 00 Rn Rd; size and Q from the sources.
            case Arm64Form.SimdLongMultiply:
            {
                if (!Vector(code, i.Rd, "rd", out error) || !Vector(code, i.Rn, "rn", out error) || !Vector(code, i.Rm, "rm", out error)) return false;
                var size = i.Rn.ElementSizeLog2;
                if (i.Rn.Kind != i.Rm.Kind || size == 3 || !i.Rd.IsFullVector || i.Rd.ElementSizeLog2 != size + 1)
                    return Fail(code, $"multiplies two b, h or s arrangements into double-width lanes, not {i.Rn}, {i.Rm} to {i.Rd}", out error);
                word = b | QSize(i.Rn) | Rm(i.Rm) | Rn(i.Rn) | Rd(i.Rd);
                return true;
            }

            // Advanced SIMD table lookup: 0 Q 001110 000 Rm 0 len op 00 Rn Rd (16b only here).
            case Arm64Form.SimdTable:
                if (i.Rd.Kind != Arm64RegisterKind.V16B || i.Rn.Kind != Arm64RegisterKind.V16B || i.Rm.Kind != Arm64RegisterKind.V16B)
                    return Fail(code, $"takes 16b registers, not {i.Rd}, {i.Rn}, {i.Rm}", out error);
                word = b | Rm(i.Rm) | Rn(i.Rn) | Rd(i.Rd);
                return true;

            default:
                return Fail(code, "has no encoder case", out error);
        }
    }

    private static bool Vector(Arm64Code code, Arm64Register r, string field, out string? error)
    {
        error = null;
        if (!r.IsValid) return Fail(code, $"{field} is missing", out error);
        return r.IsVector || Fail(code, $"{field} must be a vector arrangement (v0.16b …), not {r}", out error);
    }

    private static bool SameVectors(Arm64Code code, in Arm64Instruction i, bool three, out string? error)
    {
        if (!Vector(code, i.Rd, "rd", out error) || !Vector(code, i.Rn, "rn", out error)) return false;
        if (three && !Vector(code, i.Rm, "rm", out error)) return false;
        if (i.Rn.Kind != i.Rd.Kind || (three && i.Rm.Kind != i.Rd.Kind))
            return Fail(code, three ? $"mixes arrangements ({i.Rd}, {i.Rn}, {i.Rm})" : $"mixes arrangements ({i.Rd}, {i.Rn})", out error);
        return true;
    }

    private static bool Bytes(Arm64Code code, Arm64Register r, out string? error)
    {
        error = null;
        return r.ElementSizeLog2 == 0 || Fail(code, $"takes 8b or 16b, not {r}", out error);
    }

    private static bool FloatLanes(Arm64Code code, Arm64Register r, out string? error)
    {
        error = null;
        return r.Kind is Arm64RegisterKind.V2S or Arm64RegisterKind.V4S or Arm64RegisterKind.V2D || Fail(code, $"takes 2s, 4s or 2d, not {r}", out error);
    }

    /// <summary>Checks a lane operand (a 128-bit arrangement and an index below its lane count) and returns the copy class's imm5.</summary>
    private static bool Lane(Arm64Code code, Arm64Register r, long index, string field, out uint imm5, out string? error)
    {
        imm5 = 0;
        if (!Vector(code, r, field, out error)) return false;
        if (!r.IsFullVector) return Fail(code, $"{field} names a lane as the 128-bit arrangement (16b, 8h, 4s, 2d), not {r}", out error);
        var size = r.ElementSizeLog2;
        if ((ulong)index >= (ulong)(16 >> size)) return Fail(code, $"lane {index} is outside 0..{(16 >> size) - 1} of {r}", out error);
        imm5 = ((uint)index << (size + 1)) | (1u << size);
        return true;
    }

    private static uint Q(Arm64Register r) => r.IsFullVector ? 1u << 30 : 0;

    private static uint QSize(Arm64Register r) => Q(r) | ((uint)r.ElementSizeLog2 << 22);

    private static uint Sz(Arm64Register r) => r.ElementSizeLog2 == 3 ? 1u << 22 : 0;
}
