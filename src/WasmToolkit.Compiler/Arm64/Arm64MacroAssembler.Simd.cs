using WasmToolkit.Compiler.Baseline;
using WasmToolkit.Instructions;

namespace WasmToolkit.Compiler.Arm64;

// SIMD is not lowered for ARM64 yet: a function that uses a v128 value fails to compile with an Unsupported
// CompileError (in a non-strict compile it becomes a stub that traps with TrapKind.UnsupportedFunction).
internal sealed partial class Arm64MacroAssembler
{
    public bool SupportsSimd => false;

    private static CompileFailure SimdUnsupported() => CompileFailure.Unsupported("SIMD (v128) on ARM64");

    public void SimdConst(Reg dst, V128 value) => throw SimdUnsupported();

    public void SimdUnary(Opcode op, Reg dst, Reg src) => throw SimdUnsupported();

    public void SimdBinary(Opcode op, Reg dst, Reg lhs, Reg rhs) => throw SimdUnsupported();

    public void SimdBitselect(Reg dst, Reg v1, Reg v2, Reg mask) => throw SimdUnsupported();

    public void SimdShift(Opcode op, Reg dst, Reg lhs, RegImm count) => throw SimdUnsupported();

    public void SimdTest(Opcode op, Reg dst, Reg src) => throw SimdUnsupported();

    public void SimdSplat(Opcode op, Reg dst, Reg src) => throw SimdUnsupported();

    public void SimdExtractLane(Opcode op, Reg dst, Reg src, int lane) => throw SimdUnsupported();

    public void SimdReplaceLane(Opcode op, Reg dst, Reg vector, Reg value, int lane) => throw SimdUnsupported();

    public void SimdShuffle(Reg dst, Reg lhs, Reg rhs, V128 lanes) => throw SimdUnsupported();

    public void SimdLoad(Opcode op, Reg dst, RegImm address, ulong offset, MemoryAccess access, AsmLabel outOfBounds, int lane) => throw SimdUnsupported();

    public void SimdStore(Opcode op, RegImm address, ulong offset, Reg value, MemoryAccess access, AsmLabel outOfBounds, int lane) => throw SimdUnsupported();
}
