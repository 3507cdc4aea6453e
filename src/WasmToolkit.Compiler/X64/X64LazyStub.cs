using System;
using System.Buffers.Binary;

namespace WasmToolkit.Compiler.X64;

/// <summary>
/// The per-function stub a lazily compiled module's image holds instead of the function's code: the target of
/// the function's <see cref="FuncRefLayout"/> record until the function is compiled.
/// </summary>
/// <remarks>
/// Called like the function itself (context in r15, arguments in the caller's outgoing area, every
/// allocatable register free), it calls <see cref="BuiltinFunction.CompileLazy"/> with the context and the
/// function index, and jumps to the code that returns, with the stack exactly as the caller left it:
/// <code>
///  0  push rbp                        ; aligns rsp for the call and gives trap stack walks a frame
///  1  mov rbp, rsp
///  4  mov rdi, r15
///  7  mov esi, functionIndex
/// 12  call qword [r15 + Builtin(CompileLazy)]
/// 19  test rax, rax
/// 22  jz fail
/// 24  pop rbp
/// 25  jmp rax
/// 27  fail: mov eax, TrapKind.HostException  ; the builtin left the exception in the execution state
/// 32  call trap_stub                  ; trap site: return offset 37
/// </code>
/// Encoded from this fixed template rather than assembled per function: a module with thousands of functions
/// needs thousands of stubs, and lazy mode exists to make the time to the first call short.
/// </remarks>
internal static class X64LazyStub
{
    /// <summary>Bytes of one stub (16-byte aligned in the image).</summary>
    public const int Size = 37;

    /// <summary>Offset of the return address of the trap stub call, relative to the stub.</summary>
    public const int TrapReturnOffset = 37;

    private const int FunctionIndexAt = 8;
    private const int BuiltinDisplacementAt = 15;
    private const int TrapKindAt = 28;
    private const int TrapCallAt = 33;

    private static ReadOnlySpan<byte> Template =>
    [
        0x55,                                     // push rbp
        0x48, 0x89, 0xE5,                         // mov rbp, rsp
        0x4C, 0x89, 0xFF,                         // mov rdi, r15
        0xBE, 0, 0, 0, 0,                         // mov esi, imm32
        0x41, 0xFF, 0x97, 0, 0, 0, 0,             // call qword [r15 + disp32]
        0x48, 0x85, 0xC0,                         // test rax, rax
        0x74, 0x03,                               // jz +3 (fail)
        0x5D,                                     // pop rbp
        0xFF, 0xE0,                               // jmp rax
        0xB8, 0, 0, 0, 0,                         // mov eax, imm32
        0xE8, 0, 0, 0, 0,                         // call rel32
    ];

    /// <summary>Writes the stub for <paramref name="functionIndex"/> at <paramref name="stubOffset"/> of <paramref name="image"/>, calling the trap stub at <paramref name="trapStubOffset"/> on failure.</summary>
    public static void Write(Span<byte> image, int stubOffset, int functionIndex, int trapStubOffset)
    {
        var stub = image.Slice(stubOffset, Size);
        Template.CopyTo(stub);
        BinaryPrimitives.WriteInt32LittleEndian(stub.Slice(FunctionIndexAt), functionIndex);
        BinaryPrimitives.WriteInt32LittleEndian(stub.Slice(BuiltinDisplacementAt), VmContextLayout.Builtins + (8 * (int)BuiltinFunction.CompileLazy));
        BinaryPrimitives.WriteInt32LittleEndian(stub.Slice(TrapKindAt), (int)TrapKind.HostException);
        BinaryPrimitives.WriteInt32LittleEndian(stub.Slice(TrapCallAt), trapStubOffset - (stubOffset + TrapCallAt + 4));
    }
}
