using System;
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace WasmToolkit.Compiler.X64;

/// <summary>
/// The stubs between the host and generated code on x64 System V (Linux, macOS).
/// </summary>
/// <remarks>
/// Entry stub: <c>int entry(context, code, slots, executionState)</c> (rdi, rsi, rdx, rcx). Its frame
/// (rbp = the stub's frame pointer):
/// <code>
/// [rbp+8]  return address into the host      [rbp-48] slots pointer (rdx on entry)
/// [rbp]    host rbp                          [rbp-56] previous EntryStackPointer (for nested entries)
/// [rbp-8..-40] rbx, r12, r13, r14, r15       [rbp-64] padding; EntryStackPointer = rbp-64
/// </code>
/// A trap site calls the trap stub with the trap kind in eax. The trap stub records the site's
/// return address in the execution state (r14), resets rsp to the innermost entry stub's recorded
/// stack pointer (rbp = that + 64) and leaves through the same epilogue as a normal return, so no host
/// frame is ever skipped and the callee-saved registers come back.
/// </remarks>
internal static class X64Stubs
{
    private const int EntryFrameBelowRbp = 64;

    public static byte[] TrapStub()
    {
        var a = new Assembler(64);
        EmitTrapStub(a);
        return Assemble(a);
    }

    private static void EmitTrapStub(Assembler a)
    {
        a.pop(rcx);
        a.mov(__qword_ptr[r14 + ExecutionStateLayout.TrapPc], rcx);

        // Walk the wasm frames (rbp chain) up to the entry stub while they are still intact: record the
        // return addresses of the innermost MaxTrapFrames, count them all. Frames only go up, so the
        // walk stops at the first link that does not (it never leaves [rbp, EntryStackPointer)).
        var loop = a.CreateLabel();
        var store = a.CreateLabel();
        var next = a.CreateLabel();
        var done = a.CreateLabel();
        a.mov(rcx, rbp);
        a.xor(edx, edx);
        a.mov(rsi, __qword_ptr[r14 + ExecutionStateLayout.EntryStackPointer]);
        a.Label(ref loop);
        a.cmp(rcx, rsi);
        a.jae(done);
        a.cmp(edx, ExecutionStateLayout.MaxTrapFrames);
        a.jb(store);
        a.jmp(next);
        a.Label(ref store);
        a.mov(rdi, __qword_ptr[rcx + 8]);
        a.mov(__qword_ptr[r14 + rdx * 8 + ExecutionStateLayout.TrapFrames], rdi);
        a.Label(ref next);
        a.inc(edx);
        a.mov(rdi, __qword_ptr[rcx]);
        a.cmp(rdi, rcx);
        a.jbe(done);
        a.mov(rcx, rdi);
        a.jmp(loop);
        a.Label(ref done);
        a.mov(__qword_ptr[r14 + ExecutionStateLayout.TrapFrameCount], rdx);
        a.mov(rsp, __qword_ptr[r14 + ExecutionStateLayout.EntryStackPointer]);
        a.lea(rbp, __[rsp + EntryFrameBelowRbp]);
        EmitExit(a);
    }

    /// <summary>Whether a result of <paramref name="type"/> fills only the low 32 bits of its slot (i32, f32): entry stubs zero-extend those.</summary>
    internal static bool IsNarrow(ValType type) => type == ValType.I32 || type == ValType.F32;

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
        a.mov(r14, rcx);
        a.push(rdx);
        a.push(__qword_ptr[r14 + ExecutionStateLayout.EntryStackPointer]);
        a.sub(rsp, 8);
        a.mov(__qword_ptr[r14 + ExecutionStateLayout.EntryStackPointer], rsp);

        var count = ValueSlots.Count(type.Parameters);
        var outgoing = ((ValueSlots.Count(type) + 1) & ~1) * 8;
        if (outgoing > 0) a.sub(rsp, outgoing);
        for (var i = 0; i < count; i++)
        {
            a.mov(rax, __qword_ptr[rdx + (8 * i)]);
            a.mov(__qword_ptr[rsp + (8 * i)], rax);
        }

        a.call(rsi);

        // The host reads i32 and f32 results zero-extended (the slot encoding), but wasm code may leave the upper half
        // of a 32-bit result's slot stale (it stores 32 bits), so 32-bit results are reloaded with a zero-extending load.
        if (ValueSlots.ResultInRegister(type))
        {
            a.mov(rdx, __qword_ptr[rbp - 48]);
            if (IsNarrow(type.Results[0])) a.mov(eax, eax);
            a.mov(__qword_ptr[rdx], rax);
        }
        else if (type.Results.Length > 0)
        {
            // Slot by slot: a v128 result is two plain 8-byte slots.
            a.mov(rdx, __qword_ptr[rbp - 48]);
            var j = 0;
            foreach (var result in type.Results)
            {
                for (var half = 0; half < ValueSlots.Width(result); half++, j++)
                {
                    if (IsNarrow(result)) a.mov(eax, __dword_ptr[rsp + (8 * j)]);
                    else a.mov(rax, __qword_ptr[rsp + (8 * j)]);
                    a.mov(__qword_ptr[rdx + (8 * j)], rax);
                }
            }
        }

        a.xor(eax, eax);
        EmitExit(a);
        return Assemble(a);
    }

    /// <summary>
    /// Code for a host function of type <paramref name="type"/>, called like any wasm function (context
    /// register = the host function's <see cref="HostContextLayout"/> block, arguments in the caller's
    /// slots). It hands the slots to the trampoline, which writes the results over them; a nonzero return
    /// is a trap code (or <see cref="TrapKind.HostException"/>) and unwinds like a trap. The blob holds its
    /// own trap stub first; the exit stub starts at <paramref name="exitOffset"/>.
    /// </summary>
    public static byte[] HostStub(FuncType type, out int exitOffset)
    {
        var a = new Assembler(64);
        var trap = a.CreateLabel();
        var exit = a.CreateLabel();
        var failed = a.CreateLabel();
        a.Label(ref trap);
        EmitTrapStub(a);
        a.int3();
        a.Label(ref exit);
        a.push(rbp);
        a.mov(rbp, rsp);
        a.mov(rdi, r15);
        a.lea(rsi, __[rbp + 16]);
        a.call(__qword_ptr[r15 + HostContextLayout.Trampoline]);
        a.test(eax, eax);
        a.jnz(failed);
        if (ValueSlots.ResultInRegister(type)) a.mov(rax, __qword_ptr[rbp + 16]);
        a.pop(rbp);
        a.ret();
        a.Label(ref failed);
        a.call(trap);

        var writer = new ByteCodeWriter();
        if (!a.TryAssemble(writer, 0, out var error, out var result, BlockEncoderOptions.ReturnNewInstructionOffsets))
        {
            throw new InvalidOperationException("Assembler failed: " + error);
        }

        exitOffset = (int)result.GetLabelRIP(exit);
        return writer.ToArray();
    }

    private static void EmitExit(Assembler a)
    {
        a.mov(rcx, __qword_ptr[rbp - 56]);
        a.mov(__qword_ptr[r14 + ExecutionStateLayout.EntryStackPointer], rcx);
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
