using System;
using WasmToolkit.Compiler.Baseline;
using WasmToolkit.Instructions;
using static WasmToolkit.Compiler.Arm64.Arm64Register;

namespace WasmToolkit.Compiler.Arm64;

/// <summary>Integer lanes: arithmetic, comparisons, extension, narrowing, shifts and the tests (any_true, all_true, bitmask).</summary>
internal sealed partial class Arm64MacroAssembler
{
    private const Arm64RegisterKind B16 = Arm64RegisterKind.V16B;
    private const Arm64RegisterKind H8 = Arm64RegisterKind.V8H;
    private const Arm64RegisterKind S4 = Arm64RegisterKind.V4S;
    private const Arm64RegisterKind D2 = Arm64RegisterKind.V2D;

    /// <summary>The 128-bit arrangement of an integer opcode's lanes by its shape prefix, e.g. i16x8 → 8h.</summary>
    private static Arm64RegisterKind IntegerShape(Opcode op)
    {
        var index = (uint)op - IntegerShapes.SimdOpcodeBase;
        var shape = index < (uint)IntegerShapes.Table.Length ? IntegerShapes.Table[index] : Arm64RegisterKind.None;
        return shape != Arm64RegisterKind.None ? shape : throw SimdNotLowered(op);
    }

    /// <summary>Per SIMD opcode (value - 0xFD0000) the arrangement its name's shape prefix gives, read from the names on first use (a nested class, so compiling without SIMD never builds it).</summary>
    private static class IntegerShapes
    {
        public const uint SimdOpcodeBase = 0xFD0000;

        public static readonly Arm64RegisterKind[] Table = Build();

        private static Arm64RegisterKind[] Build()
        {
            var shapes = new Arm64RegisterKind[0x200];
            foreach (var op in Enum.GetValues<Opcode>())
            {
                var index = (uint)op - SimdOpcodeBase;
                if (index >= (uint)shapes.Length) continue;
                var name = op.ToString();
                shapes[index] = name.StartsWith("I8x16", StringComparison.Ordinal) ? B16
                    : name.StartsWith("I16x8", StringComparison.Ordinal) ? H8
                    : name.StartsWith("I32x4", StringComparison.Ordinal) ? S4
                    : name.StartsWith("I64x2", StringComparison.Ordinal) ? D2
                    : Arm64RegisterKind.None;
            }

            return shapes;
        }
    }

    private bool TrySimdIntegerUnary(Opcode op, int d, int n)
    {
        switch (op)
        {
            case Opcode.V128Not: Vector2(Arm64Code.Not, B16, d, n); return true;
            case Opcode.I8x16Popcnt: Vector2(Arm64Code.Cnt, B16, d, n); return true;
            case Opcode.I8x16Abs: Vector2(Arm64Code.VAbs, B16, d, n); return true;
            case Opcode.I16x8Abs: Vector2(Arm64Code.VAbs, H8, d, n); return true;
            case Opcode.I32x4Abs: Vector2(Arm64Code.VAbs, S4, d, n); return true;
            case Opcode.I64x2Abs: Vector2(Arm64Code.VAbs, D2, d, n); return true;
            case Opcode.I8x16Neg: Vector2(Arm64Code.VNeg, B16, d, n); return true;
            case Opcode.I16x8Neg: Vector2(Arm64Code.VNeg, H8, d, n); return true;
            case Opcode.I32x4Neg: Vector2(Arm64Code.VNeg, S4, d, n); return true;
            case Opcode.I64x2Neg: Vector2(Arm64Code.VNeg, D2, d, n); return true;

            // extend_low/high: sshll/ushll by 0 (sxtl/uxtl) of the low half, the "2" form (a full arrangement) of the high half.
            case Opcode.I16x8ExtendLowI8x16S: ExtendLanes(Arm64Code.Sshll, 0, high: false, d, n); return true;
            case Opcode.I16x8ExtendHighI8x16S: ExtendLanes(Arm64Code.Sshll, 0, high: true, d, n); return true;
            case Opcode.I16x8ExtendLowI8x16U: ExtendLanes(Arm64Code.Ushll, 0, high: false, d, n); return true;
            case Opcode.I16x8ExtendHighI8x16U: ExtendLanes(Arm64Code.Ushll, 0, high: true, d, n); return true;
            case Opcode.I32x4ExtendLowI16x8S: ExtendLanes(Arm64Code.Sshll, 1, high: false, d, n); return true;
            case Opcode.I32x4ExtendHighI16x8S: ExtendLanes(Arm64Code.Sshll, 1, high: true, d, n); return true;
            case Opcode.I32x4ExtendLowI16x8U: ExtendLanes(Arm64Code.Ushll, 1, high: false, d, n); return true;
            case Opcode.I32x4ExtendHighI16x8U: ExtendLanes(Arm64Code.Ushll, 1, high: true, d, n); return true;
            case Opcode.I64x2ExtendLowI32x4S: ExtendLanes(Arm64Code.Sshll, 2, high: false, d, n); return true;
            case Opcode.I64x2ExtendHighI32x4S: ExtendLanes(Arm64Code.Sshll, 2, high: true, d, n); return true;
            case Opcode.I64x2ExtendLowI32x4U: ExtendLanes(Arm64Code.Ushll, 2, high: false, d, n); return true;
            case Opcode.I64x2ExtendHighI32x4U: ExtendLanes(Arm64Code.Ushll, 2, high: true, d, n); return true;

            case Opcode.I16x8ExtaddPairwiseI8x16S: Emit(Arm64Instruction.Create(Arm64Code.Saddlp, V8H(d), V16B(n))); return true;
            case Opcode.I16x8ExtaddPairwiseI8x16U: Emit(Arm64Instruction.Create(Arm64Code.Uaddlp, V8H(d), V16B(n))); return true;
            case Opcode.I32x4ExtaddPairwiseI16x8S: Emit(Arm64Instruction.Create(Arm64Code.Saddlp, V4S(d), V8H(n))); return true;
            case Opcode.I32x4ExtaddPairwiseI16x8U: Emit(Arm64Instruction.Create(Arm64Code.Uaddlp, V4S(d), V8H(n))); return true;
            default: return false;
        }
    }

    /// <summary>dst (lanes of 2^(size+1) bytes) = the low or high half of n's 2^size-byte lanes, sign- or zero-extended.</summary>
    private void ExtendLanes(Arm64Code code, int size, bool high, int d, int n)
        => Emit(new Arm64Instruction { Code = code, Rd = VFull(d, size + 1), Rn = high ? VFull(n, size) : VHalf(n, size), Immediate = 0 });

    private bool TrySimdIntegerBinary(Opcode op, int d, int n, int m)
    {
        // One instruction, the operands swapped for lt/le (cmgt/cmge/cmhi/cmhs only test "greater").
        (Arm64Code Code, bool Swap, bool Invert) lowering = op switch
        {
            Opcode.I8x16Add or Opcode.I16x8Add or Opcode.I32x4Add or Opcode.I64x2Add => (Arm64Code.VAdd, false, false),
            Opcode.I8x16Sub or Opcode.I16x8Sub or Opcode.I32x4Sub or Opcode.I64x2Sub => (Arm64Code.VSub, false, false),
            Opcode.I16x8Mul or Opcode.I32x4Mul => (Arm64Code.VMul, false, false),
            Opcode.I8x16AddSatS or Opcode.I16x8AddSatS => (Arm64Code.Sqadd, false, false),
            Opcode.I8x16AddSatU or Opcode.I16x8AddSatU => (Arm64Code.Uqadd, false, false),
            Opcode.I8x16SubSatS or Opcode.I16x8SubSatS => (Arm64Code.Sqsub, false, false),
            Opcode.I8x16SubSatU or Opcode.I16x8SubSatU => (Arm64Code.Uqsub, false, false),
            Opcode.I8x16MinS or Opcode.I16x8MinS or Opcode.I32x4MinS => (Arm64Code.Smin, false, false),
            Opcode.I8x16MinU or Opcode.I16x8MinU or Opcode.I32x4MinU => (Arm64Code.Umin, false, false),
            Opcode.I8x16MaxS or Opcode.I16x8MaxS or Opcode.I32x4MaxS => (Arm64Code.Smax, false, false),
            Opcode.I8x16MaxU or Opcode.I16x8MaxU or Opcode.I32x4MaxU => (Arm64Code.Umax, false, false),
            Opcode.I8x16AvgrU or Opcode.I16x8AvgrU => (Arm64Code.Urhadd, false, false),

            // sqrdmulh is (2ab + 2^15) >> 16 saturated, which is q15mulr_sat_s's (ab + 2^14) >> 15.
            Opcode.I16x8Q15mulrSatS => (Arm64Code.Sqrdmulh, false, false),
            Opcode.I8x16Eq or Opcode.I16x8Eq or Opcode.I32x4Eq or Opcode.I64x2Eq => (Arm64Code.Cmeq, false, false),
            Opcode.I8x16Ne or Opcode.I16x8Ne or Opcode.I32x4Ne or Opcode.I64x2Ne => (Arm64Code.Cmeq, false, true),
            Opcode.I8x16GtS or Opcode.I16x8GtS or Opcode.I32x4GtS or Opcode.I64x2GtS => (Arm64Code.Cmgt, false, false),
            Opcode.I8x16LtS or Opcode.I16x8LtS or Opcode.I32x4LtS or Opcode.I64x2LtS => (Arm64Code.Cmgt, true, false),
            Opcode.I8x16GeS or Opcode.I16x8GeS or Opcode.I32x4GeS or Opcode.I64x2GeS => (Arm64Code.Cmge, false, false),
            Opcode.I8x16LeS or Opcode.I16x8LeS or Opcode.I32x4LeS or Opcode.I64x2LeS => (Arm64Code.Cmge, true, false),
            Opcode.I8x16GtU or Opcode.I16x8GtU or Opcode.I32x4GtU => (Arm64Code.Cmhi, false, false),
            Opcode.I8x16LtU or Opcode.I16x8LtU or Opcode.I32x4LtU => (Arm64Code.Cmhi, true, false),
            Opcode.I8x16GeU or Opcode.I16x8GeU or Opcode.I32x4GeU => (Arm64Code.Cmhs, false, false),
            Opcode.I8x16LeU or Opcode.I16x8LeU or Opcode.I32x4LeU => (Arm64Code.Cmhs, true, false),
            _ => (Arm64Code.Invalid, false, false),
        };
        if (lowering.Code != Arm64Code.Invalid)
        {
            var shape = IntegerShape(op);
            if (lowering.Swap) Vector3(lowering.Code, shape, d, m, n);
            else Vector3(lowering.Code, shape, d, n, m);
            if (lowering.Invert) Vector2(Arm64Code.Not, B16, d, d);
            return true;
        }

        switch (op)
        {
            case Opcode.I64x2Mul:
                MultiplyDoublewords(d, n, m);
                return true;

            case Opcode.I8x16NarrowI16x8S: Narrow(Arm64Code.Sqxtn, 0, d, n, m); return true;
            case Opcode.I8x16NarrowI16x8U: Narrow(Arm64Code.Sqxtun, 0, d, n, m); return true;
            case Opcode.I16x8NarrowI32x4S: Narrow(Arm64Code.Sqxtn, 1, d, n, m); return true;
            case Opcode.I16x8NarrowI32x4U: Narrow(Arm64Code.Sqxtun, 1, d, n, m); return true;

            case Opcode.I16x8ExtmulLowI8x16S: MultiplyLong(Arm64Code.Smull, 0, high: false, d, n, m); return true;
            case Opcode.I16x8ExtmulHighI8x16S: MultiplyLong(Arm64Code.Smull, 0, high: true, d, n, m); return true;
            case Opcode.I16x8ExtmulLowI8x16U: MultiplyLong(Arm64Code.Umull, 0, high: false, d, n, m); return true;
            case Opcode.I16x8ExtmulHighI8x16U: MultiplyLong(Arm64Code.Umull, 0, high: true, d, n, m); return true;
            case Opcode.I32x4ExtmulLowI16x8S: MultiplyLong(Arm64Code.Smull, 1, high: false, d, n, m); return true;
            case Opcode.I32x4ExtmulHighI16x8S: MultiplyLong(Arm64Code.Smull, 1, high: true, d, n, m); return true;
            case Opcode.I32x4ExtmulLowI16x8U: MultiplyLong(Arm64Code.Umull, 1, high: false, d, n, m); return true;
            case Opcode.I32x4ExtmulHighI16x8U: MultiplyLong(Arm64Code.Umull, 1, high: true, d, n, m); return true;
            case Opcode.I64x2ExtmulLowI32x4S: MultiplyLong(Arm64Code.Smull, 2, high: false, d, n, m); return true;
            case Opcode.I64x2ExtmulHighI32x4S: MultiplyLong(Arm64Code.Smull, 2, high: true, d, n, m); return true;
            case Opcode.I64x2ExtmulLowI32x4U: MultiplyLong(Arm64Code.Umull, 2, high: false, d, n, m); return true;
            case Opcode.I64x2ExtmulHighI32x4U: MultiplyLong(Arm64Code.Umull, 2, high: true, d, n, m); return true;

            case Opcode.I32x4DotI16x8S:
                // The 32-bit products of the low and high halves, then adjacent pairs added (wrapping, as dot's sum does).
                MultiplyLong(Arm64Code.Smull, 1, high: false, FloatScratchA, n, m);
                MultiplyLong(Arm64Code.Smull, 1, high: true, FloatScratchB, n, m);
                Vector3(Arm64Code.Addp, S4, d, FloatScratchA, FloatScratchB);
                return true;

            default:
                return false;
        }
    }

    private void MultiplyLong(Arm64Code code, int size, bool high, int d, int n, int m)
    {
        var source = high ? VFull(0, size).Kind : VHalf(0, size).Kind;
        Emit(Arm64Instruction.Create(code, VFull(d, size + 1), V(n, source), V(m, source)));
    }

    /// <summary>
    /// Saturating narrow of n (low half of the result) and m (high half), lanes of 2^(size+1) bytes to 2^size. The
    /// first instruction writes all of its destination, so it goes to v31 when dst is m, which the second still reads.
    /// </summary>
    private void Narrow(Arm64Code code, int size, int d, int n, int m)
    {
        var t = d == m ? FloatScratchA : d;
        Emit(Arm64Instruction.Create(code, VHalf(t, size), VFull(n, size + 1)));
        Emit(Arm64Instruction.Create(code, VFull(t, size), VFull(m, size + 1)));
        MoveVector(d, t);
    }

    /// <summary>i64x2.mul: NEON has no 64-bit lane multiply; each lane through x16/x17. Lane 0 of dst is written after both lane-0 reads, lane 1 after both lane-1 reads, and the lane-0 write leaves lane 1 of an aliased source intact.</summary>
    private void MultiplyDoublewords(int d, int n, int m)
    {
        for (var lane = 0; lane < 2; lane++)
        {
            Emit(new Arm64Instruction { Code = Arm64Code.Umov, Rd = Ip0, Rn = V2D(n), Immediate = lane });
            Emit(new Arm64Instruction { Code = Arm64Code.Umov, Rd = Ip1, Rn = V2D(m), Immediate = lane });
            _asm.Mul(Ip0, Ip0, Ip1);
            Emit(new Arm64Instruction { Code = Arm64Code.InsGeneral, Rd = V2D(d), Rn = Ip0, Immediate = lane });
        }
    }

    public void SimdShift(Opcode op, Reg dst, Reg lhs, RegImm count)
    {
        var (left, signed) = op switch
        {
            Opcode.I8x16Shl or Opcode.I16x8Shl or Opcode.I32x4Shl or Opcode.I64x2Shl => (true, false),
            Opcode.I8x16ShrS or Opcode.I16x8ShrS or Opcode.I32x4ShrS or Opcode.I64x2ShrS => (false, true),
            Opcode.I8x16ShrU or Opcode.I16x8ShrU or Opcode.I32x4ShrU or Opcode.I64x2ShrU => (false, false),
            _ => throw SimdNotLowered(op),
        };
        var shape = IntegerShape(op);
        var size = V(0, shape).ElementSizeLog2;
        var bits = 8 << size;
        var (d, n) = (FloatNumber(dst), FloatNumber(lhs));

        // Spec 4.3.2 (ishl/ishr): the count is taken modulo the lane width.
        if (count.IsImm)
        {
            var c = (int)(count.Imm & (bits - 1));
            if (c == 0)
            {
                MoveVector(d, n);
                return;
            }

            var code = left ? Arm64Code.VShl : signed ? Arm64Code.Sshr : Arm64Code.Ushr;
            Emit(new Arm64Instruction { Code = code, Rd = V(d, shape), Rn = V(n, shape), Immediate = c });
            return;
        }

        // sshl/ushl shift by each lane's signed count byte: a masked count dup'ed into v31, negated for right shifts.
        Emit(new Arm64Instruction { Code = Arm64Code.AndImm, Rd = Ip0.AsW(), Rn = Wr(count.Reg), Immediate = bits - 1 });
        if (!left) _asm.Neg(Ip0, Ip0);
        Emit(Arm64Instruction.Create(Arm64Code.DupGeneral, V(FloatScratchA, shape), size == 3 ? Ip0 : Ip0.AsW()));
        Vector3(signed ? Arm64Code.Sshl : Arm64Code.Ushl, shape, d, n, FloatScratchA);
    }

    public void SimdTest(Opcode op, Reg dst, Reg src)
    {
        var n = FloatNumber(src);
        var w = Wr(dst);
        var t = FloatScratchA;
        switch (op)
        {
            case Opcode.V128AnyTrue:
                // The largest byte is nonzero exactly when some bit is set.
                Emit(Arm64Instruction.Create(Arm64Code.Umaxv, B(t), V16B(n)));
                LaneIsNonZero(w, t, 0, Arm64Condition.Ne);
                return;
            case Opcode.I8x16AllTrue:
            case Opcode.I16x8AllTrue:
            case Opcode.I32x4AllTrue:
            {
                // The smallest lane is nonzero exactly when every lane is.
                var shape = IntegerShape(op);
                var size = V(0, shape).ElementSizeLog2;
                var scalar = size == 0 ? B(t) : size == 1 ? H(t) : S(t);
                Emit(Arm64Instruction.Create(Arm64Code.Uminv, scalar, V(n, shape)));
                LaneIsNonZero(w, t, size, Arm64Condition.Ne);
                return;
            }

            case Opcode.I64x2AllTrue:
                // No 64-bit uminv: lanes equal to zero become all ones, and none may be.
                Emit(Arm64Instruction.Create(Arm64Code.CmeqZero, V2D(t), V2D(n)));
                Emit(Arm64Instruction.Create(Arm64Code.Umaxv, B(t), V16B(t)));
                LaneIsNonZero(w, t, 0, Arm64Condition.Eq);
                return;

            case Opcode.I8x16Bitmask:
            {
                // Each lane's sign as all ones (sshr), kept as bit i of lane i mod 8 (and), summed per half (addv) and joined.
                Emit(new Arm64Instruction { Code = Arm64Code.Sshr, Rd = V16B(t), Rn = V16B(n), Immediate = 7 });
                VectorConstant(FloatScratchB, 0x8040_2010_0804_0201, 0x8040_2010_0804_0201);
                Vector3(Arm64Code.VAnd, B16, t, t, FloatScratchB);
                Emit(Arm64Instruction.Create(Arm64Code.Addv, B(FloatScratchB), V(t, Arm64RegisterKind.V8B)));
                Emit(new Arm64Instruction { Code = Arm64Code.InsElement, Rd = V2D(t), Rn = V2D(t), Immediate = 0, Immediate2 = 1 });
                Emit(Arm64Instruction.Create(Arm64Code.Addv, B(t), V(t, Arm64RegisterKind.V8B)));
                Emit(new Arm64Instruction { Code = Arm64Code.Umov, Rd = Ip0.AsW(), Rn = V16B(FloatScratchB), Immediate = 0 });
                Emit(new Arm64Instruction { Code = Arm64Code.Umov, Rd = w, Rn = V16B(t), Immediate = 0 });
                Emit(new Arm64Instruction { Code = Arm64Code.Orr, Rd = w, Rn = Ip0.AsW(), Rm = w, Shift = Arm64Shift.Lsl, ShiftAmount = 8 });
                return;
            }

            case Opcode.I16x8Bitmask:
                SignBitsSummed(w, n, 1, 0x0008_0004_0002_0001, 0x0080_0040_0020_0010);
                return;
            case Opcode.I32x4Bitmask:
                SignBitsSummed(w, n, 2, 0x0000_0002_0000_0001, 0x0000_0008_0000_0004);
                return;
            case Opcode.I64x2Bitmask:
                Emit(new Arm64Instruction { Code = Arm64Code.Umov, Rd = Ip0, Rn = V2D(n), Immediate = 0 });
                Emit(new Arm64Instruction { Code = Arm64Code.Umov, Rd = Ip1, Rn = V2D(n), Immediate = 1 });
                _asm.Lsr(Ip0, Ip0, 63);
                _asm.Lsr(Ip1, Ip1, 63);
                Emit(new Arm64Instruction { Code = Arm64Code.Orr, Rd = w, Rn = Ip0.AsW(), Rm = Ip1.AsW(), Shift = Arm64Shift.Lsl, ShiftAmount = 1 });
                return;
            default:
                throw SimdNotLowered(op);
        }
    }

    /// <summary>w = (lane 0 of v<paramref name="t"/>, 2^size bytes, zero-extended) compared with 0 under <paramref name="condition"/> (1 or 0).</summary>
    private void LaneIsNonZero(Arm64Register w, int t, int size, Arm64Condition condition)
    {
        Emit(new Arm64Instruction { Code = Arm64Code.Umov, Rd = w, Rn = VFull(t, size), Immediate = 0 });
        _asm.Cmp(w, 0);
        _asm.Cset(w, condition);
    }

    /// <summary>bitmask for h and s lanes: each lane's sign as all ones, kept as bit i of lane i, summed across lanes (the bits are distinct, so the sum is their or).</summary>
    private void SignBitsSummed(Arm64Register w, int n, int size, ulong low, ulong high)
    {
        var t = FloatScratchA;
        Emit(new Arm64Instruction { Code = Arm64Code.Sshr, Rd = VFull(t, size), Rn = VFull(n, size), Immediate = (8 << size) - 1 });
        VectorConstant(FloatScratchB, low, high);
        Vector3(Arm64Code.VAnd, B16, t, t, FloatScratchB);
        Emit(Arm64Instruction.Create(Arm64Code.Addv, size == 1 ? H(t) : S(t), VFull(t, size)));
        Emit(new Arm64Instruction { Code = Arm64Code.Umov, Rd = w, Rn = VFull(t, size), Immediate = 0 });
    }
}
