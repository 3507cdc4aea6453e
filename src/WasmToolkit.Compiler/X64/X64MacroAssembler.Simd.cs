using WasmToolkit.Compiler.Baseline;
using WasmToolkit.Instructions;

namespace WasmToolkit.Compiler.X64;

// The SIMD lowering (SSE4.1 and SSSE3 forms). Placeholder until the lowering lands: every operation is reported unsupported.
internal sealed partial class X64MacroAssembler
{
    private static CompileFailure SimdNotLowered(Opcode op) => CompileFailure.Unsupported("instruction " + OpcodeTable.GetName(op));

    public void SimdConst(Reg dst, V128 value) => throw SimdNotLowered(Opcode.V128Const);

    public void SimdUnary(Opcode op, Reg dst, Reg src) => throw SimdNotLowered(op);

    public void SimdBinary(Opcode op, Reg dst, Reg lhs, Reg rhs) => throw SimdNotLowered(op);

    public void SimdBitselect(Reg dst, Reg v1, Reg v2, Reg mask) => throw SimdNotLowered(Opcode.V128Bitselect);

    public void SimdShift(Opcode op, Reg dst, Reg lhs, RegImm count) => throw SimdNotLowered(op);

    public void SimdTest(Opcode op, Reg dst, Reg src) => throw SimdNotLowered(op);

    public void SimdSplat(Opcode op, Reg dst, Reg src) => throw SimdNotLowered(op);

    public void SimdExtractLane(Opcode op, Reg dst, Reg src, int lane) => throw SimdNotLowered(op);

    public void SimdReplaceLane(Opcode op, Reg dst, Reg vector, Reg value, int lane) => throw SimdNotLowered(op);

    public void SimdShuffle(Reg dst, Reg lhs, Reg rhs, V128 lanes) => throw SimdNotLowered(Opcode.I8x16Shuffle);
}
