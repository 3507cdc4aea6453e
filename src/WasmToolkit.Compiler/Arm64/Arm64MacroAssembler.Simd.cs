using WasmToolkit.Compiler.Baseline;
using WasmToolkit.Instructions;
using static WasmToolkit.Compiler.Arm64.Arm64Register;

namespace WasmToolkit.Compiler.Arm64;

/// <summary>
/// The SIMD operations (IMacroAssembler.Simd.cs) on Advanced SIMD: a v128 lives in a v register, and most wasm
/// operations are one NEON instruction with wasm's semantics (wrapping and saturating arithmetic, NaN-propagating
/// fmin/fmax, saturating fcvtzs/fcvtzu with NaN to 0, tbl's zero for out-of-range indices). This file: the dispatch by
/// opcode, constants, bitselect and the helpers; integer lanes in <c>.SimdInteger.cs</c>, float lanes in
/// <c>.SimdFloat.cs</c>, splat/lanes/shuffle in <c>.SimdLanes.cs</c>, memory in <c>.SimdMemory.cs</c>.
/// </summary>
/// <remarks>
/// Scratch: v31 and v30 (the float scratch pair; v30, v31 also form tbl's two-register table), x16 and x17. Every
/// sequence reads its sources before writing dst or writes dst only where the sources are not read again, so dst may
/// be any source register.
/// </remarks>
internal sealed partial class Arm64MacroAssembler
{
    public bool SupportsSimd => true;

    /// <summary>An opcode this class does not lower (one the compiler should not have routed here): the function is reported unsupported.</summary>
    private static CompileFailure SimdNotLowered(Opcode op) => CompileFailure.Unsupported("SIMD instruction " + op + " on ARM64");

    /// <summary>v<paramref name="r"/> in <paramref name="arrangement"/>.</summary>
    private static Arm64Register Vr(Reg r, Arm64RegisterKind arrangement) => V(FloatNumber(r), arrangement);

    /// <summary>mov vd.16b, vn.16b (orr of one register), nothing when they are the same.</summary>
    private void MoveVector(int dst, int src)
    {
        if (dst == src) return;
        Emit(Arm64Instruction.Create(Arm64Code.VOrr, V16B(dst), V16B(src), V16B(src)));
    }

    private void Vector3(Arm64Code code, Arm64RegisterKind arrangement, int d, int n, int m)
        => Emit(Arm64Instruction.Create(code, V(d, arrangement), V(n, arrangement), V(m, arrangement)));

    private void Vector2(Arm64Code code, Arm64RegisterKind arrangement, int d, int n)
        => Emit(Arm64Instruction.Create(code, V(d, arrangement), V(n, arrangement)));

    /// <summary>Loads 16 constant bytes into v<paramref name="v"/> through x16 (eor for zero, dup for equal halves).</summary>
    private void VectorConstant(int v, ulong low, ulong high)
    {
        if (low == 0 && high == 0)
        {
            Vector3(Arm64Code.VEor, Arm64RegisterKind.V16B, v, v, v);
            return;
        }

        if (low == high)
        {
            _asm.MovImmediate(Ip0, low);
            Emit(Arm64Instruction.Create(Arm64Code.DupGeneral, V2D(v), Ip0));
            return;
        }

        // fmov d clears the upper half; ins then writes it.
        var lowRegister = low == 0 ? Xzr : Ip0;
        if (low != 0) _asm.MovImmediate(Ip0, low);
        Emit(Arm64Instruction.Create(Arm64Code.Fmov, D(v), lowRegister));
        var highRegister = high == 0 ? Xzr : Ip0;
        if (high != 0) _asm.MovImmediate(Ip0, high);
        Emit(new Arm64Instruction { Code = Arm64Code.InsGeneral, Rd = V2D(v), Rn = highRegister, Immediate = 1 });
    }

    public void SimdConst(Reg dst, V128 value) => VectorConstant(FloatNumber(dst), value.Low, value.High);

    public void SimdUnary(Opcode op, Reg dst, Reg src)
    {
        if (!TrySimdIntegerUnary(op, FloatNumber(dst), FloatNumber(src)) && !TrySimdFloatUnary(op, FloatNumber(dst), FloatNumber(src))) throw SimdNotLowered(op);
    }

    public void SimdBinary(Opcode op, Reg dst, Reg lhs, Reg rhs)
    {
        var (d, n, m) = (FloatNumber(dst), FloatNumber(lhs), FloatNumber(rhs));
        switch (op)
        {
            case Opcode.V128And: Vector3(Arm64Code.VAnd, Arm64RegisterKind.V16B, d, n, m); return;
            case Opcode.V128Andnot: Vector3(Arm64Code.VBic, Arm64RegisterKind.V16B, d, n, m); return;
            case Opcode.V128Or: Vector3(Arm64Code.VOrr, Arm64RegisterKind.V16B, d, n, m); return;
            case Opcode.V128Xor: Vector3(Arm64Code.VEor, Arm64RegisterKind.V16B, d, n, m); return;

            // tbl gives 0 for an index above 15, exactly swizzle's rule.
            case Opcode.I8x16Swizzle: Vector3(Arm64Code.Tbl, Arm64RegisterKind.V16B, d, n, m); return;
        }

        if (!TrySimdIntegerBinary(op, d, n, m) && !TrySimdFloatBinary(op, d, n, m)) throw SimdNotLowered(op);
    }

    public void SimdBitselect(Reg dst, Reg v1, Reg v2, Reg mask)
    {
        // (v1 & mask) | (v2 & ~mask): bsl when dst holds the mask, bit when it holds v2, bif when it holds v1.
        var (d, a, b, c) = (FloatNumber(dst), FloatNumber(v1), FloatNumber(v2), FloatNumber(mask));
        const Arm64RegisterKind B16 = Arm64RegisterKind.V16B;
        if (d == c) Vector3(Arm64Code.Bsl, B16, d, a, b);
        else if (d == b) Vector3(Arm64Code.Bit, B16, d, a, c);
        else if (d == a) Vector3(Arm64Code.Bif, B16, d, b, c);
        else
        {
            MoveVector(d, c);
            Vector3(Arm64Code.Bsl, B16, d, a, b);
        }
    }
}
