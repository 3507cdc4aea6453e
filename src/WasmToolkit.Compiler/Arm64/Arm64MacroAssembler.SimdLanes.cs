using WasmToolkit.Compiler.Baseline;
using WasmToolkit.Instructions;
using static WasmToolkit.Compiler.Arm64.Arm64Register;

namespace WasmToolkit.Compiler.Arm64;

/// <summary>splat, extract_lane, replace_lane and shuffle: dup, smov/umov, ins and tbl.</summary>
internal sealed partial class Arm64MacroAssembler
{
    public void SimdSplat(Opcode op, Reg dst, Reg src)
    {
        var d = FloatNumber(dst);
        switch (op)
        {
            case Opcode.I8x16Splat: Emit(Arm64Instruction.Create(Arm64Code.DupGeneral, V16B(d), Wr(src))); break;
            case Opcode.I16x8Splat: Emit(Arm64Instruction.Create(Arm64Code.DupGeneral, V8H(d), Wr(src))); break;
            case Opcode.I32x4Splat: Emit(Arm64Instruction.Create(Arm64Code.DupGeneral, V4S(d), Wr(src))); break;
            case Opcode.I64x2Splat: Emit(Arm64Instruction.Create(Arm64Code.DupGeneral, V2D(d), Xr(src))); break;
            case Opcode.F32x4Splat: Emit(new Arm64Instruction { Code = Arm64Code.DupElement, Rd = V4S(d), Rn = V4S(FloatNumber(src)), Immediate = 0 }); break;
            case Opcode.F64x2Splat: Emit(new Arm64Instruction { Code = Arm64Code.DupElement, Rd = V2D(d), Rn = V2D(FloatNumber(src)), Immediate = 0 }); break;
            default: throw SimdNotLowered(op);
        }
    }

    public void SimdExtractLane(Opcode op, Reg dst, Reg src, int lane)
    {
        var n = FloatNumber(src);
        switch (op)
        {
            case Opcode.I8x16ExtractLaneS: Emit(new Arm64Instruction { Code = Arm64Code.Smov, Rd = Wr(dst), Rn = V16B(n), Immediate = lane }); break;
            case Opcode.I8x16ExtractLaneU: Emit(new Arm64Instruction { Code = Arm64Code.Umov, Rd = Wr(dst), Rn = V16B(n), Immediate = lane }); break;
            case Opcode.I16x8ExtractLaneS: Emit(new Arm64Instruction { Code = Arm64Code.Smov, Rd = Wr(dst), Rn = V8H(n), Immediate = lane }); break;
            case Opcode.I16x8ExtractLaneU: Emit(new Arm64Instruction { Code = Arm64Code.Umov, Rd = Wr(dst), Rn = V8H(n), Immediate = lane }); break;
            case Opcode.I32x4ExtractLane: Emit(new Arm64Instruction { Code = Arm64Code.Umov, Rd = Wr(dst), Rn = V4S(n), Immediate = lane }); break;
            case Opcode.I64x2ExtractLane: Emit(new Arm64Instruction { Code = Arm64Code.Umov, Rd = Xr(dst), Rn = V2D(n), Immediate = lane }); break;

            // The lane into lane 0 of dst (the scalar s/d view); the rest of dst is not part of an f32/f64 value.
            case Opcode.F32x4ExtractLane: CopyLane(V4S(FloatNumber(dst)), 0, V4S(n), lane); break;
            case Opcode.F64x2ExtractLane: CopyLane(V2D(FloatNumber(dst)), 0, V2D(n), lane); break;
            default: throw SimdNotLowered(op);
        }
    }

    private void CopyLane(Arm64Register dst, int dstLane, Arm64Register src, int srcLane)
    {
        if (dst == src && dstLane == srcLane) return;
        Emit(new Arm64Instruction { Code = Arm64Code.InsElement, Rd = dst, Rn = src, Immediate = dstLane, Immediate2 = srcLane });
    }

    public void SimdReplaceLane(Opcode op, Reg dst, Reg vector, Reg value, int lane)
    {
        var d = FloatNumber(dst);
        var floatValue = op is Opcode.F32x4ReplaceLane or Opcode.F64x2ReplaceLane;

        // A float value in dst would be overwritten by the copy of the vector: keep it in v31 first.
        var v = floatValue ? FloatNumber(value) : 0;
        if (floatValue && v == d && d != FloatNumber(vector))
        {
            MoveVector(FloatScratchA, v);
            v = FloatScratchA;
        }

        MoveVector(d, FloatNumber(vector));
        switch (op)
        {
            case Opcode.I8x16ReplaceLane: Emit(new Arm64Instruction { Code = Arm64Code.InsGeneral, Rd = V16B(d), Rn = Wr(value), Immediate = lane }); break;
            case Opcode.I16x8ReplaceLane: Emit(new Arm64Instruction { Code = Arm64Code.InsGeneral, Rd = V8H(d), Rn = Wr(value), Immediate = lane }); break;
            case Opcode.I32x4ReplaceLane: Emit(new Arm64Instruction { Code = Arm64Code.InsGeneral, Rd = V4S(d), Rn = Wr(value), Immediate = lane }); break;
            case Opcode.I64x2ReplaceLane: Emit(new Arm64Instruction { Code = Arm64Code.InsGeneral, Rd = V2D(d), Rn = Xr(value), Immediate = lane }); break;
            case Opcode.F32x4ReplaceLane: CopyLane(V4S(d), lane, V4S(v), 0); break;
            case Opcode.F64x2ReplaceLane: CopyLane(V2D(d), lane, V2D(v), 0); break;
            default: throw SimdNotLowered(op);
        }
    }

    public void SimdShuffle(Reg dst, Reg lhs, Reg rhs, V128 lanes)
    {
        var (d, n, m) = (FloatNumber(dst), FloatNumber(lhs), FloatNumber(rhs));
        var allLow = true;
        var allHigh = true;
        for (var i = 0; i < 16; i++)
        {
            allLow &= lanes[i] < 16;
            allHigh &= lanes[i] >= 16;
        }

        if (allLow || allHigh)
        {
            // One table register: the indices (less 16 for rhs) in v31.
            var bias = allHigh ? 0x1010_1010_1010_1010UL : 0;
            VectorConstant(FloatScratchA, lanes.Low - bias, lanes.High - bias);
            Vector3(Arm64Code.Tbl, B16, d, allHigh ? m : n, FloatScratchA);
            return;
        }

        // tbl's two-register table must be consecutive: lhs and rhs copied to v30, v31; the indices then go to dst (both sources are read already).
        MoveVector(FloatScratchB, n);
        MoveVector(FloatScratchA, m);
        VectorConstant(d, lanes.Low, lanes.High);
        Vector3(Arm64Code.Tbl2, B16, d, FloatScratchB, d);
    }
}
