using System;
using static WasmToolkit.Compiler.Arm64.Arm64Register;

namespace WasmToolkit.Compiler.Arm64;

/// <summary>
/// The ARM64 counterpart of <see cref="X64.X64LazyStub"/>: the per-function stub a lazily compiled module's image holds
/// instead of the function's code, the target of the function's <see cref="FuncRefLayout"/> record until the function
/// is compiled.
/// </summary>
/// <remarks>
/// Called like the function itself (context in x28, arguments in the caller's outgoing area, every allocatable register
/// free), it calls <see cref="BuiltinFunction.CompileLazy"/> (AAPCS64, which keeps x19–x28) with the context and the
/// function index, and jumps to the code that returns with sp, x29 and x30 exactly as the caller left them:
/// <code>
///  0  stp x29, x30, [sp, #-16]!      ; a frame record for trap stack walks
///  4  mov x29, sp
///  8  mov x0, x28
/// 12  mov w1, #index (low half)       ; movz + movk: a fixed size whatever the index
/// 16  movk w1, #index (high half), lsl #16
/// 20  ldr x16, [x28, #Builtin(CompileLazy)]
/// 24  blr x16
/// 28  cbz x0, fail
/// 32  ldp x29, x30, [sp], #16
/// 36  br x0
/// 40  fail: mov w0, #HostException    ; the builtin left the exception in the execution state
/// 44  bl trap_stub                    ; trap site: return offset 48
/// </code>
/// Stubs are <see cref="Stride"/> bytes apart, so a trap site's return address never is the next stub's first byte.
/// </remarks>
internal static class Arm64LazyStub
{
    /// <summary>Bytes of one stub.</summary>
    public const int Size = 48;

    /// <summary>Distance between stubs in the image (a zero word, <c>udf #0</c>, follows each stub's last instruction).</summary>
    public const int Stride = 64;

    /// <summary>Offset of the return address of the trap stub call, relative to the stub.</summary>
    public const int TrapReturnOffset = 48;

    /// <summary>Writes the stub for <paramref name="functionIndex"/> at <paramref name="stubOffset"/> of <paramref name="image"/>, calling the trap stub at <paramref name="trapStubOffset"/> on failure.</summary>
    public static void Write(Span<byte> image, int stubOffset, int functionIndex, int trapStubOffset)
    {
        var a = new Arm64Assembler();
        var fail = a.CreateLabel();
        a.Emit(new Arm64Instruction { Code = Arm64Code.Stp, Rd = Fp, Rn = Lr, Memory = Arm64Memory.PreIndex(Sp, -16) });
        a.Mov(Fp, Sp);
        a.Mov(X(0), Arm64Abi.Context);
        a.Emit(new Arm64Instruction { Code = Arm64Code.Movz, Rd = W(1), Immediate = functionIndex & 0xFFFF });
        a.Emit(new Arm64Instruction { Code = Arm64Code.Movk, Rd = W(1), Immediate = (functionIndex >> 16) & 0xFFFF, ShiftAmount = 16 });
        a.Emit(new Arm64Instruction { Code = Arm64Code.Ldr, Rd = Arm64Abi.Scratch0, Memory = Arm64Memory.At(Arm64Abi.Context, VmContextLayout.Builtins + (8 * (int)BuiltinFunction.CompileLazy)) });
        a.Emit(new Arm64Instruction { Code = Arm64Code.Blr, Rn = Arm64Abi.Scratch0 });
        a.Cbz(X(0), fail);
        a.Emit(new Arm64Instruction { Code = Arm64Code.Ldp, Rd = Fp, Rn = Lr, Memory = Arm64Memory.PostIndex(Sp, 16) });
        a.Emit(new Arm64Instruction { Code = Arm64Code.Br, Rn = X(0) });
        a.Bind(fail);
        a.Emit(new Arm64Instruction { Code = Arm64Code.Movz, Rd = W(0), Immediate = (int)TrapKind.HostException });
        a.Emit(new Arm64Instruction { Code = Arm64Code.Bl, BranchOffset = trapStubOffset - (stubOffset + a.Position) });
        if (a.Position != Size) throw new InvalidOperationException("The ARM64 lazy stub changed size.");
        a.CopyTo(image.Slice(stubOffset, Size));
    }
}
