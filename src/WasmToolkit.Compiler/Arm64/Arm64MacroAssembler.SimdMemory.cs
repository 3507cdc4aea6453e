using WasmToolkit.Compiler.Baseline;
using WasmToolkit.Instructions;
using static WasmToolkit.Compiler.Arm64.Arm64Register;

namespace WasmToolkit.Compiler.Arm64;

/// <summary>
/// v128 loads and stores: the bounds check and operand of LoadMemory/StoreMemory (EffectiveAddress), then scalar
/// SIMD&amp;FP accesses (ldr/str of b, h, s, d, q) that touch exactly the access's bytes; lanes go through v31.
/// </summary>
internal sealed partial class Arm64MacroAssembler
{
    public void SimdLoad(Opcode op, Reg dst, RegImm address, ulong offset, MemoryAccess access, AsmLabel outOfBounds, int lane)
    {
        var m = EffectiveAddress(address, offset, access, outOfBounds, out _);
        var d = FloatNumber(dst);
        var t = FloatScratchA;
        switch (op)
        {
            case Opcode.V128Load: Load(Q(d), m); break;

            // 8 bytes, then each lane widened (sxtl/uxtl).
            case Opcode.V128Load8x8S: Load(D(d), m); ExtendLanes(Arm64Code.Sshll, 0, high: false, d, d); break;
            case Opcode.V128Load8x8U: Load(D(d), m); ExtendLanes(Arm64Code.Ushll, 0, high: false, d, d); break;
            case Opcode.V128Load16x4S: Load(D(d), m); ExtendLanes(Arm64Code.Sshll, 1, high: false, d, d); break;
            case Opcode.V128Load16x4U: Load(D(d), m); ExtendLanes(Arm64Code.Ushll, 1, high: false, d, d); break;
            case Opcode.V128Load32x2S: Load(D(d), m); ExtendLanes(Arm64Code.Sshll, 2, high: false, d, d); break;
            case Opcode.V128Load32x2U: Load(D(d), m); ExtendLanes(Arm64Code.Ushll, 2, high: false, d, d); break;

            case Opcode.V128Load8Splat: Load(B(t), m); DupLane(d, t, 0); break;
            case Opcode.V128Load16Splat: Load(H(t), m); DupLane(d, t, 1); break;
            case Opcode.V128Load32Splat: Load(S(t), m); DupLane(d, t, 2); break;
            case Opcode.V128Load64Splat: Load(D(t), m); DupLane(d, t, 3); break;

            // A scalar load writes its lane and zeroes the rest of the register.
            case Opcode.V128Load32Zero: Load(S(d), m); break;
            case Opcode.V128Load64Zero: Load(D(d), m); break;

            case Opcode.V128Load8Lane: Load(B(t), m); CopyLane(V16B(d), lane, V16B(t), 0); break;
            case Opcode.V128Load16Lane: Load(H(t), m); CopyLane(V8H(d), lane, V8H(t), 0); break;
            case Opcode.V128Load32Lane: Load(S(t), m); CopyLane(V4S(d), lane, V4S(t), 0); break;
            case Opcode.V128Load64Lane: Load(D(t), m); CopyLane(V2D(d), lane, V2D(t), 0); break;
            default: throw SimdNotLowered(op);
        }
    }

    public void SimdStore(Opcode op, RegImm address, ulong offset, Reg value, MemoryAccess access, AsmLabel outOfBounds, int lane)
    {
        var m = EffectiveAddress(address, offset, access, outOfBounds, out _);
        var v = FloatNumber(value);
        switch (op)
        {
            case Opcode.V128Store: Store(Q(v), m); break;
            case Opcode.V128Store8Lane: Store(B(LaneToScratch(V16B(v), lane)), m); break;
            case Opcode.V128Store16Lane: Store(H(LaneToScratch(V8H(v), lane)), m); break;
            case Opcode.V128Store32Lane: Store(S(LaneToScratch(V4S(v), lane)), m); break;
            case Opcode.V128Store64Lane: Store(D(LaneToScratch(V2D(v), lane)), m); break;
            default: throw SimdNotLowered(op);
        }
    }

    private void Load(Arm64Register rt, Arm64Memory m) => Emit(new Arm64Instruction { Code = Arm64Code.Ldr, Rd = rt, Memory = m });

    private void Store(Arm64Register rt, Arm64Memory m) => Emit(new Arm64Instruction { Code = Arm64Code.Str, Rd = rt, Memory = m });

    /// <summary>Every lane of v<paramref name="d"/> (2^size bytes) = lane 0 of v<paramref name="t"/>.</summary>
    private void DupLane(int d, int t, int size) => Emit(new Arm64Instruction { Code = Arm64Code.DupElement, Rd = VFull(d, size), Rn = VFull(t, size), Immediate = 0 });

    /// <summary>The register whose lane 0 holds lane <paramref name="lane"/> of <paramref name="v"/>: v itself for lane 0, else v31 with the lane copied there.</summary>
    private int LaneToScratch(Arm64Register v, int lane)
    {
        if (lane == 0) return v.Number;
        CopyLane(V(FloatScratchA, v.Kind), 0, v, lane);
        return FloatScratchA;
    }
}
