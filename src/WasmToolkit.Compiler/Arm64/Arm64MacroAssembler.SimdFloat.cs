using WasmToolkit.Instructions;
using static WasmToolkit.Compiler.Arm64.Arm64Register;

namespace WasmToolkit.Compiler.Arm64;

/// <summary>
/// Float lanes: NEON's vector floating point has the scalar instructions' semantics, so wasm's min/max (fmin/fmax:
/// NaN-propagating, -0 below +0), nearest (frintn, ties to even), trunc_sat (fcvtzs/fcvtzu: saturating, NaN to 0)
/// are one instruction each; pmin/pmax are a compare and a select.
/// </summary>
internal sealed partial class Arm64MacroAssembler
{
    private bool TrySimdFloatUnary(Opcode op, int d, int n)
    {
        (Arm64Code Code, Arm64RegisterKind Shape) lowering = op switch
        {
            Opcode.F32x4Abs => (Arm64Code.VFabs, S4),
            Opcode.F64x2Abs => (Arm64Code.VFabs, D2),
            Opcode.F32x4Neg => (Arm64Code.VFneg, S4),
            Opcode.F64x2Neg => (Arm64Code.VFneg, D2),
            Opcode.F32x4Sqrt => (Arm64Code.VFsqrt, S4),
            Opcode.F64x2Sqrt => (Arm64Code.VFsqrt, D2),
            Opcode.F32x4Ceil => (Arm64Code.VFrintp, S4),
            Opcode.F64x2Ceil => (Arm64Code.VFrintp, D2),
            Opcode.F32x4Floor => (Arm64Code.VFrintm, S4),
            Opcode.F64x2Floor => (Arm64Code.VFrintm, D2),
            Opcode.F32x4Trunc => (Arm64Code.VFrintz, S4),
            Opcode.F64x2Trunc => (Arm64Code.VFrintz, D2),
            Opcode.F32x4Nearest => (Arm64Code.VFrintn, S4),
            Opcode.F64x2Nearest => (Arm64Code.VFrintn, D2),
            Opcode.I32x4TruncSatF32x4S => (Arm64Code.VFcvtzs, S4),
            Opcode.I32x4TruncSatF32x4U => (Arm64Code.VFcvtzu, S4),

            // scvtf/ucvtf round to nearest, ties to even (FPCR's default mode), as convert requires.
            Opcode.F32x4ConvertI32x4S => (Arm64Code.VScvtf, S4),
            Opcode.F32x4ConvertI32x4U => (Arm64Code.VUcvtf, S4),
            _ => (Arm64Code.Invalid, default),
        };
        if (lowering.Code != Arm64Code.Invalid)
        {
            Vector2(lowering.Code, lowering.Shape, d, n);
            return true;
        }

        var low = Arm64RegisterKind.V2S;
        switch (op)
        {
            // Saturated to i64 lanes, then saturating-narrowed to i32 into the low half; the 64-bit form of the narrow zeroes the high half.
            case Opcode.I32x4TruncSatF64x2SZero:
                Vector2(Arm64Code.VFcvtzs, D2, d, n);
                Emit(Arm64Instruction.Create(Arm64Code.Sqxtn, V(d, low), V2D(d)));
                return true;
            case Opcode.I32x4TruncSatF64x2UZero:
                Vector2(Arm64Code.VFcvtzu, D2, d, n);
                Emit(Arm64Instruction.Create(Arm64Code.Uqxtn, V(d, low), V2D(d)));
                return true;

            // The low two i32 lanes widened to i64 (exact in f64), then converted.
            case Opcode.F64x2ConvertLowI32x4S:
                ExtendLanes(Arm64Code.Sshll, 2, high: false, d, n);
                Vector2(Arm64Code.VScvtf, D2, d, d);
                return true;
            case Opcode.F64x2ConvertLowI32x4U:
                ExtendLanes(Arm64Code.Ushll, 2, high: false, d, n);
                Vector2(Arm64Code.VUcvtf, D2, d, d);
                return true;

            // fcvtn into the 2s view writes the low half and zeroes the high half, as demote's "zero" wants.
            case Opcode.F32x4DemoteF64x2Zero:
                Emit(Arm64Instruction.Create(Arm64Code.Fcvtn, V(d, low), V2D(n)));
                return true;
            case Opcode.F64x2PromoteLowF32x4:
                Emit(Arm64Instruction.Create(Arm64Code.Fcvtl, V2D(d), V(n, low)));
                return true;
            default:
                return false;
        }
    }

    private bool TrySimdFloatBinary(Opcode op, int d, int n, int m)
    {
        (Arm64Code Code, Arm64RegisterKind Shape, bool Swap, bool Invert) lowering = op switch
        {
            Opcode.F32x4Add => (Arm64Code.VFadd, S4, false, false),
            Opcode.F64x2Add => (Arm64Code.VFadd, D2, false, false),
            Opcode.F32x4Sub => (Arm64Code.VFsub, S4, false, false),
            Opcode.F64x2Sub => (Arm64Code.VFsub, D2, false, false),
            Opcode.F32x4Mul => (Arm64Code.VFmul, S4, false, false),
            Opcode.F64x2Mul => (Arm64Code.VFmul, D2, false, false),
            Opcode.F32x4Div => (Arm64Code.VFdiv, S4, false, false),
            Opcode.F64x2Div => (Arm64Code.VFdiv, D2, false, false),
            Opcode.F32x4Min => (Arm64Code.VFmin, S4, false, false),
            Opcode.F64x2Min => (Arm64Code.VFmin, D2, false, false),
            Opcode.F32x4Max => (Arm64Code.VFmax, S4, false, false),
            Opcode.F64x2Max => (Arm64Code.VFmax, D2, false, false),

            // The compares are false for NaN; ne is the complement of eq (true for NaN), lt/le swap gt/ge's operands.
            Opcode.F32x4Eq => (Arm64Code.Fcmeq, S4, false, false),
            Opcode.F64x2Eq => (Arm64Code.Fcmeq, D2, false, false),
            Opcode.F32x4Ne => (Arm64Code.Fcmeq, S4, false, true),
            Opcode.F64x2Ne => (Arm64Code.Fcmeq, D2, false, true),
            Opcode.F32x4Gt => (Arm64Code.Fcmgt, S4, false, false),
            Opcode.F64x2Gt => (Arm64Code.Fcmgt, D2, false, false),
            Opcode.F32x4Lt => (Arm64Code.Fcmgt, S4, true, false),
            Opcode.F64x2Lt => (Arm64Code.Fcmgt, D2, true, false),
            Opcode.F32x4Ge => (Arm64Code.Fcmge, S4, false, false),
            Opcode.F64x2Ge => (Arm64Code.Fcmge, D2, false, false),
            Opcode.F32x4Le => (Arm64Code.Fcmge, S4, true, false),
            Opcode.F64x2Le => (Arm64Code.Fcmge, D2, true, false),
            _ => (Arm64Code.Invalid, default, false, false),
        };
        if (lowering.Code != Arm64Code.Invalid)
        {
            if (lowering.Swap) Vector3(lowering.Code, lowering.Shape, d, m, n);
            else Vector3(lowering.Code, lowering.Shape, d, n, m);
            if (lowering.Invert) Vector2(Arm64Code.Not, B16, d, d);
            return true;
        }

        // pmin(a, b) = b < a ? b : a and pmax(a, b) = a < b ? b : a, exactly (NaN compares false and selects a):
        // the mask in v31, then bsl picks b where it is set.
        var (shape, isMin) = op switch
        {
            Opcode.F32x4Pmin => (S4, true),
            Opcode.F64x2Pmin => (D2, true),
            Opcode.F32x4Pmax => (S4, false),
            Opcode.F64x2Pmax => (D2, false),
            _ => (Arm64RegisterKind.None, false),
        };
        if (shape == Arm64RegisterKind.None) return false;
        var t = FloatScratchA;
        if (isMin) Vector3(Arm64Code.Fcmgt, shape, t, n, m);
        else Vector3(Arm64Code.Fcmgt, shape, t, m, n);
        Vector3(Arm64Code.Bsl, B16, t, m, n);
        MoveVector(d, t);
        return true;
    }
}
