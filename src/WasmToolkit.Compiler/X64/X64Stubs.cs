using System;
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace WasmToolkit.Compiler.X64;

/// <summary>
/// The stubs between the host and generated code on x64 System V (Linux, macOS).
/// </summary>
/// <remarks>
/// Entry stub frame (rbp = the stub's frame pointer):
/// <code>
/// [rbp+8]  return address into the host      [rbp-48] slots pointer (rdx on entry)
/// [rbp]    host rbp                          [rbp-56] previous EntryStackPointer (for nested entries)
/// [rbp-8..-40] rbx, r12, r13, r14, r15       [rbp-64] padding; EntryStackPointer = rbp-64
/// </code>
/// A trap site calls the trap stub with the trap kind in eax. The trap stub records the site's
/// return address in the context, resets rsp to the innermost entry stub's recorded stack pointer
/// (rbp = that + 64) and leaves through the same epilogue as a normal return, so no host frame is
/// ever skipped and the callee-saved registers come back.
/// </remarks>
internal static class X64Stubs
{
    private const int EntryFrameBelowRbp = 64;

    public static byte[] TrapStub()
    {
        var a = new Assembler(64);
        a.pop(rcx);
        a.mov(__qword_ptr[r15 + VmContextLayout.TrapPc], rcx);
        a.mov(rsp, __qword_ptr[r15 + VmContextLayout.EntryStackPointer]);
        a.lea(rbp, __[rsp + EntryFrameBelowRbp]);
        EmitExit(a);
        return Assemble(a);
    }

    public static byte[] EntryStub(FuncType type)
    {
        var a = new Assembler(64);
        a.push(rbp);
        a.mov(rbp, rsp);
        a.push(rbx);
        a.push(r12);
        a.push(r13);
        a.push(r14);
        a.push(r15);
        a.mov(r15, rdi);
        a.push(rdx);
        a.push(__qword_ptr[r15 + VmContextLayout.EntryStackPointer]);
        a.sub(rsp, 8);
        a.mov(__qword_ptr[r15 + VmContextLayout.EntryStackPointer], rsp);

        var count = type.Parameters.Length;
        var outgoing = ((count + 1) & ~1) * 8;
        if (outgoing > 0) a.sub(rsp, outgoing);
        for (var i = 0; i < count; i++)
        {
            a.mov(rax, __qword_ptr[rdx + (8 * i)]);
            a.mov(__qword_ptr[rsp + (8 * i)], rax);
        }

        a.call(rsi);
        if (type.Results.Length > 0)
        {
            a.mov(rdx, __qword_ptr[rbp - 48]);
            a.mov(__qword_ptr[rdx], rax);
        }

        a.xor(eax, eax);
        EmitExit(a);
        return Assemble(a);
    }

    private static void EmitExit(Assembler a)
    {
        a.mov(rcx, __qword_ptr[rbp - 56]);
        a.mov(__qword_ptr[r15 + VmContextLayout.EntryStackPointer], rcx);
        a.lea(rsp, __[rbp - 40]);
        a.pop(r15);
        a.pop(r14);
        a.pop(r13);
        a.pop(r12);
        a.pop(rbx);
        a.pop(rbp);
        a.ret();
    }

    private static byte[] Assemble(Assembler a)
    {
        var writer = new ByteCodeWriter();
        if (!a.TryAssemble(writer, 0, out var error, out _)) throw new InvalidOperationException("Assembler failed: " + error);
        return writer.ToArray();
    }
}
