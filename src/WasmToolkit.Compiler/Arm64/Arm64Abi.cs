using static WasmToolkit.Compiler.Arm64.Arm64Register;

namespace WasmToolkit.Compiler.Arm64;

/// <summary>
/// WasmToolkit's register and frame conventions for generated ARM64 code (documented in <c>docs/arm64-backend.md</c>,
/// "The ARM64 ABI"), and the fixed sequences every function uses, shared by the stubs, the macro-assembler and tests.
/// </summary>
internal static class Arm64Abi
{
    /// <summary>x28: the context pointer (<see cref="VmContextLayout"/>; a <see cref="HostContextLayout"/> block inside a host stub). AAPCS64 callee-saved, so builtins keep it.</summary>
    public static readonly Arm64Register Context = X(28);

    /// <summary>x27: the thread's execution state (<see cref="ExecutionStateLayout"/>). AAPCS64 callee-saved.</summary>
    public static readonly Arm64Register State = X(27);

    /// <summary>x26: reserved for the cached base of linear memory 0 (AAPCS64 callee-saved, so it survives builtin calls).</summary>
    public static readonly Arm64Register MemoryBase = X(26);

    /// <summary>x16 (ip0): macro-assembler and stub scratch.</summary>
    public static readonly Arm64Register Scratch0 = X(16);

    /// <summary>x17 (ip1): macro-assembler and stub scratch.</summary>
    public static readonly Arm64Register Scratch1 = X(17);

    /// <summary>Slots above the frame pointer before the first parameter: the saved fp/lr pair.</summary>
    public const int ParameterOffset = 16;

    /// <summary>
    /// Emits the prologue of a wasm function with <paramref name="frameSize"/> bytes of slots (a multiple of 16):
    /// <c>stp x29, x30, [sp, #-16]!; mov x29, sp; sub sp, sp, #frame; ldr x16, [x27]; cmp sp, x16; b.lo stackTrap</c>.
    /// The stack limit is compared after the frame is reserved and before anything is written to it.
    /// </summary>
    public static void EmitPrologue(Arm64Assembler a, int frameSize, Arm64Label stackTrap)
    {
        if ((frameSize & 15) != 0 || frameSize < 0 || frameSize > 0xFFF_FFF) throw new System.ArgumentOutOfRangeException(nameof(frameSize), frameSize, "The frame size must be a multiple of 16 below 16 MiB.");
        a.Emit(new Arm64Instruction { Code = Arm64Code.Stp, Rd = Fp, Rn = Lr, Memory = Arm64Memory.PreIndex(Sp, -16) });
        a.Mov(Fp, Sp);
        if ((frameSize & ~0xFFF) != 0) a.Sub(Sp, Sp, frameSize & ~0xFFF);
        if ((frameSize & 0xFFF) != 0) a.Sub(Sp, Sp, frameSize & 0xFFF);
        a.Emit(new Arm64Instruction { Code = Arm64Code.Ldr, Rd = Scratch0, Memory = Arm64Memory.At(State, ExecutionStateLayout.StackLimit) });
        a.Emit(new Arm64Instruction { Code = Arm64Code.SubsExt, Rd = Xzr, Rn = Sp, Rm = Scratch0, Extend = Arm64Extend.Uxtx });
        a.B(Arm64Condition.Lo, stackTrap);
    }

    /// <summary>Emits the epilogue: <c>mov sp, x29; ldp x29, x30, [sp], #16; ret</c>.</summary>
    public static void EmitEpilogue(Arm64Assembler a)
    {
        a.Mov(Sp, Fp);
        a.Emit(new Arm64Instruction { Code = Arm64Code.Ldp, Rd = Fp, Rn = Lr, Memory = Arm64Memory.PostIndex(Sp, 16) });
        a.Ret();
    }

    /// <summary>
    /// Emits a trap site: <c>mov w0, #kind; bl trapStub</c>, where <paramref name="trapStubPosition"/> is the trap stub's
    /// byte position relative to the start of the assembler's code (negative when the stub comes first in the image).
    /// The address after the <c>bl</c> is the site's return address, the key of its trap-site record.
    /// </summary>
    public static void EmitTrapSite(Arm64Assembler a, TrapKind kind, long trapStubPosition)
    {
        a.MovImmediate(W(0), (ulong)kind);
        a.Emit(new Arm64Instruction { Code = Arm64Code.Bl, BranchOffset = trapStubPosition - a.Position });
    }
}
