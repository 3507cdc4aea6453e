using System;
using WasmToolkit.Compiler.Baseline;
using static WasmToolkit.Compiler.Arm64.Arm64Register;

namespace WasmToolkit.Compiler.Arm64;

/// <summary>f32/f64 operations: A64's scalar floating point already has wasm's semantics for most of them.</summary>
internal sealed partial class Arm64MacroAssembler
{
    public void FloatBinary(FloatBinaryOp op, Reg dst, Reg lhs, Reg rhs, OperandSize size)
    {
        var d = F(dst, size);
        var n = F(lhs, size);
        var m = F(rhs, size);
        if (op == FloatBinaryOp.Copysign)
        {
            // A bit operation, so NaN payloads pass unchanged: rhs's sign bit with lhs's other bits (bfxil).
            var is64 = size == OperandSize.S64;
            var a = is64 ? Ip0 : Ip0.AsW();
            var b = is64 ? Ip1 : Ip1.AsW();
            Emit(Arm64Instruction.Create(Arm64Code.Fmov, a, n));
            Emit(Arm64Instruction.Create(Arm64Code.Fmov, b, m));
            Emit(new Arm64Instruction { Code = Arm64Code.Bfm, Rd = b, Rn = a, Immediate = 0, Immediate2 = is64 ? 62 : 30 });
            Emit(Arm64Instruction.Create(Arm64Code.Fmov, d, b));
            return;
        }

        // fmin/fmax propagate NaN and order -0 below +0, exactly wasm's min/max (fminnm/fmaxnm would not).
        var code = op switch
        {
            FloatBinaryOp.Add => Arm64Code.Fadd,
            FloatBinaryOp.Sub => Arm64Code.Fsub,
            FloatBinaryOp.Mul => Arm64Code.Fmul,
            FloatBinaryOp.Div => Arm64Code.Fdiv,
            FloatBinaryOp.Min => Arm64Code.Fmin,
            _ => Arm64Code.Fmax,
        };
        Emit(Arm64Instruction.Create(code, d, n, m));
    }

    public void FloatUnary(FloatUnaryOp op, Reg dst, Reg src, OperandSize size)
    {
        // fabs and fneg only touch the sign bit (no NaN processing); frintn rounds to nearest, ties to even.
        var code = op switch
        {
            FloatUnaryOp.Abs => Arm64Code.Fabs,
            FloatUnaryOp.Neg => Arm64Code.Fneg,
            FloatUnaryOp.Sqrt => Arm64Code.Fsqrt,
            FloatUnaryOp.Ceil => Arm64Code.Frintp,
            FloatUnaryOp.Floor => Arm64Code.Frintm,
            FloatUnaryOp.Trunc => Arm64Code.Frintz,
            _ => Arm64Code.Frintn,
        };
        Emit(Arm64Instruction.Create(code, F(dst, size), F(src, size)));
    }

    /// <summary>
    /// The condition that holds after <c>fcmp lhs, rhs</c> exactly when wasm's comparison does: unordered sets C and V
    /// (N = Z = 0), so mi, gt, ls and ge are false for NaN and ne is true; each inverted condition is the exact complement.
    /// </summary>
    private static Arm64Condition FloatCc(FloatCondition cond) => cond switch
    {
        FloatCondition.Eq => Arm64Condition.Eq,
        FloatCondition.Ne => Arm64Condition.Ne,
        FloatCondition.Lt => Arm64Condition.Mi,
        FloatCondition.Gt => Arm64Condition.Gt,
        FloatCondition.Le => Arm64Condition.Ls,
        _ => Arm64Condition.Ge,
    };

    private void Fcmp(Reg lhs, Reg rhs, OperandSize size) => Emit(new Arm64Instruction { Code = Arm64Code.Fcmp, Rn = F(lhs, size), Rm = F(rhs, size) });

    public void FloatCompare(FloatCondition cond, Reg dst, Reg lhs, Reg rhs, OperandSize size)
    {
        Fcmp(lhs, rhs, size);
        _asm.Cset(Wr(dst), FloatCc(cond));
    }

    public void FloatBranchIf(FloatCondition cond, bool negate, Reg lhs, Reg rhs, OperandSize size, AsmLabel label)
    {
        Fcmp(lhs, rhs, size);
        var cc = FloatCc(cond);
        BranchTo(negate ? cc.Invert() : cc, L(label));
    }

    public void FloatConvert(FloatConvertOp op, Reg dst, Reg src)
    {
        // scvtf/ucvtf round to nearest (FPCR's default mode), u64 included, so no halving trick is needed.
        var (code, dstSize, srcSize) = op switch
        {
            FloatConvertOp.F32ConvertI32S => (Arm64Code.Scvtf, OperandSize.S32, OperandSize.S32),
            FloatConvertOp.F32ConvertI32U => (Arm64Code.Ucvtf, OperandSize.S32, OperandSize.S32),
            FloatConvertOp.F32ConvertI64S => (Arm64Code.Scvtf, OperandSize.S32, OperandSize.S64),
            FloatConvertOp.F32ConvertI64U => (Arm64Code.Ucvtf, OperandSize.S32, OperandSize.S64),
            FloatConvertOp.F64ConvertI32S => (Arm64Code.Scvtf, OperandSize.S64, OperandSize.S32),
            FloatConvertOp.F64ConvertI32U => (Arm64Code.Ucvtf, OperandSize.S64, OperandSize.S32),
            FloatConvertOp.F64ConvertI64S => (Arm64Code.Scvtf, OperandSize.S64, OperandSize.S64),
            FloatConvertOp.F64ConvertI64U => (Arm64Code.Ucvtf, OperandSize.S64, OperandSize.S64),
            FloatConvertOp.F32DemoteF64 => (Arm64Code.Fcvt, OperandSize.S32, OperandSize.S64),
            _ => (Arm64Code.Fcvt, OperandSize.S64, OperandSize.S32),
        };
        var source = code == Arm64Code.Fcvt ? F(src, srcSize) : G(src, srcSize);
        Emit(Arm64Instruction.Create(code, F(dst, dstSize), source));
    }

    public void FloatTruncate(Reg dst, Reg src, OperandSize source, OperandSize result, bool signed, bool saturating, AsmLabel invalid, AsmLabel overflow)
    {
        var d = G(dst, result);
        var n = F(src, source);
        var code = signed ? Arm64Code.Fcvtzs : Arm64Code.Fcvtzu;
        if (saturating)
        {
            // fcvtzs/fcvtzu saturate and give 0 for NaN: exactly trunc_sat (a w result clears the upper half).
            Emit(Arm64Instruction.Create(code, d, n));
            return;
        }

        // Trapping: NaN, then the bounds of values that truncate into range (shared with x64).
        Emit(new Arm64Instruction { Code = Arm64Code.Fcmp, Rn = n, Rm = n });
        BranchTo(Arm64Condition.Vs, L(invalid));
        var f64 = source == OperandSize.S64;
        var (low, lowInclusive, high) = TruncationBounds.For(source, result, signed);
        var bound = f64 ? D(FloatScratchA) : S(FloatScratchA);
        FloatConstant(bound, low);
        Emit(new Arm64Instruction { Code = Arm64Code.Fcmp, Rn = n, Rm = bound });
        BranchTo(lowInclusive ? Arm64Condition.Mi : Arm64Condition.Ls, L(overflow));
        FloatConstant(bound, high);
        Emit(new Arm64Instruction { Code = Arm64Code.Fcmp, Rn = n, Rm = bound });
        BranchTo(Arm64Condition.Ge, L(overflow));
        Emit(Arm64Instruction.Create(code, d, n));
    }

    /// <summary>Loads <paramref name="value"/> into the s or d register <paramref name="r"/> through x16.</summary>
    private void FloatConstant(Arm64Register r, double value)
    {
        if (r.Is64Bit)
        {
            _asm.MovImmediate(Ip0, (ulong)BitConverter.DoubleToInt64Bits(value));
            Emit(Arm64Instruction.Create(Arm64Code.Fmov, r, Ip0));
        }
        else
        {
            _asm.MovImmediate(Ip0.AsW(), (uint)BitConverter.SingleToInt32Bits((float)value));
            Emit(Arm64Instruction.Create(Arm64Code.Fmov, r, Ip0.AsW()));
        }
    }
}
