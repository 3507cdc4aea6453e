using System;
using WasmToolkit.Compiler.X64;
using static WasmToolkit.Compiler.Arm64.Arm64Register;

namespace WasmToolkit.Compiler.Arm64;

/// <summary>
/// The stubs between the host and generated code on ARM64 (AAPCS64: Linux, macOS), with the same contracts as
/// <see cref="X64.X64Stubs"/>. The register and frame conventions are in <c>docs/arm64-backend.md</c> ("The ARM64 ABI").
/// </summary>
/// <remarks>
/// Entry stub: <c>int entry(context, code, slots, executionState)</c> (x0, x1, x2, x3). Its frame (x29 = the stub's
/// frame pointer):
/// <code>
/// [fp+8] lr (return into the host)   [fp-96..-144] d8/d9, d10/d11, d12/d13, d14/d15
/// [fp]   host fp                     [fp-152] previous EntryStackPointer (for nested entries)
/// [fp-16..-80] x19/x20 … x27/x28     [fp-160] slots pointer; EntryStackPointer = fp-160
/// </code>
/// A trap site calls the trap stub with <c>bl</c> and the trap kind in w0. The trap stub records lr (the site's
/// return address) in the execution state (x27), walks the frame-pointer chain, resets sp to the innermost entry
/// stub's recorded stack pointer (fp = that + 160) and leaves through the same epilogue as a normal return, so no host
/// frame is ever skipped and the callee-saved registers come back.
/// </remarks>
internal static class Arm64Stubs
{
    /// <summary>Bytes between the entry stub's frame pointer and its recorded entry stack pointer.</summary>
    public const int EntryFrameBelowFp = 160;

    private static readonly Arm64Register Context = Arm64Abi.Context;
    private static readonly Arm64Register State = Arm64Abi.State;
    private static readonly Arm64Register Scratch0 = Arm64Abi.Scratch0;

    private const int SlotsOffset = -160;
    private const int PreviousEntryOffset = -152;

    /// <summary>The trap stub: <c>bl</c> here with the trap kind in w0 and x27 = the execution state.</summary>
    public static byte[] TrapStub()
    {
        var a = new Arm64Assembler();
        EmitTrapStub(a);
        return a.ToArray();
    }

    private static void EmitTrapStub(Arm64Assembler a)
    {
        a.Emit(Store(Arm64Code.Str, Lr, State, ExecutionStateLayout.TrapPc));

        // Walk the wasm frames (x29 chain) up to the entry stub while they are still intact: record the saved lr of
        // the innermost MaxTrapFrames, count them all. Frames only go up, so the walk stops at the first link that
        // does not (it never leaves [x29, EntryStackPointer)). x0 holds the kind and is kept; x1-x5 are free here.
        var loop = a.CreateLabel();
        var next = a.CreateLabel();
        var done = a.CreateLabel();
        a.Mov(X(1), Fp);
        a.Mov(X(2), Xzr);
        a.Emit(Store(Arm64Code.Ldr, X(3), State, ExecutionStateLayout.EntryStackPointer));
        a.Bind(loop);
        a.Cmp(X(1), X(3));
        a.B(Arm64Condition.Hs, done);
        a.Cmp(X(2), ExecutionStateLayout.MaxTrapFrames);
        a.B(Arm64Condition.Hs, next);
        a.Emit(Store(Arm64Code.Ldr, X(4), X(1), 8));
        a.Add(X(5), State, X(2), Arm64Shift.Lsl, 3);
        a.Emit(Store(Arm64Code.Str, X(4), X(5), ExecutionStateLayout.TrapFrames));
        a.Bind(next);
        a.Add(X(2), X(2), 1);
        a.Emit(Store(Arm64Code.Ldr, X(4), X(1), 0));
        a.Cmp(X(4), X(1));
        a.B(Arm64Condition.Ls, done);
        a.Mov(X(1), X(4));
        a.B(loop);
        a.Bind(done);
        a.Emit(Store(Arm64Code.Str, X(2), State, ExecutionStateLayout.TrapFrameCount));
        a.Mov(Sp, X(3));
        a.Add(Fp, Sp, EntryFrameBelowFp);
        EmitExit(a);
    }

    /// <summary>Bytes of the outgoing argument area for a call of <paramref name="type"/> (sp stays 16-byte aligned).</summary>
    public static int ArgumentAreaSize(FuncType type) => ((ValueSlots.Count(type) + 1) & ~1) * 8;

    /// <summary>Code for <c>int entry(context, code, ulong* slots, executionState)</c> for functions of <paramref name="type"/>.</summary>
    public static byte[] EntryStub(FuncType type)
    {
        var a = new Arm64Assembler();
        a.Emit(Pair(Arm64Code.Stp, Fp, Lr, Arm64Memory.PreIndex(Sp, -16)));
        a.Mov(Fp, Sp);
        for (var r = 19; r < 29; r += 2) a.Emit(Pair(Arm64Code.Stp, X(r), X(r + 1), Arm64Memory.PreIndex(Sp, -16)));
        for (var r = 8; r < 16; r += 2) a.Emit(Pair(Arm64Code.Stp, D(r), D(r + 1), Arm64Memory.PreIndex(Sp, -16)));
        a.Mov(Context, X(0));
        a.Mov(State, X(3));
        a.Emit(Store(Arm64Code.Ldr, Scratch0, State, ExecutionStateLayout.EntryStackPointer));
        a.Emit(Pair(Arm64Code.Stp, X(2), Scratch0, Arm64Memory.PreIndex(Sp, -16)));
        a.Mov(Scratch0, Sp);
        a.Emit(Store(Arm64Code.Str, Scratch0, State, ExecutionStateLayout.EntryStackPointer));

        var count = ValueSlots.Count(type.Parameters);
        var results = type.Results.Length;
        var outgoing = ArgumentAreaSize(type);
        AdjustSp(a, -outgoing);
        for (var i = 0; i < count; i++)
        {
            a.Emit(Store(Arm64Code.Ldr, Scratch0, X(2), 8 * i));
            a.Emit(Store(Arm64Code.Str, Scratch0, Sp, 8 * i));
        }

        a.Emit(new Arm64Instruction { Code = Arm64Code.Blr, Rn = X(1) });

        // The host reads i32 and f32 results zero-extended (the slot encoding), but wasm code may leave the upper half
        // of a 32-bit result's slot stale (it stores 32 bits), so 32-bit results are copied with a w register, which
        // zero-extends, exactly as X64Stubs.EntryStub does.
        if (results >= 1)
        {
            a.Emit(new Arm64Instruction { Code = Arm64Code.Ldur, Rd = X(2), Memory = Arm64Memory.At(Fp, SlotsOffset) });
            if (ValueSlots.ResultInRegister(type))
            {
                if (X64Stubs.IsNarrow(type.Results[0])) a.Mov(W(0), W(0));
                a.Emit(Store(Arm64Code.Str, X(0), X(2), 0));
            }
            else
            {
                // Slot by slot: a v128 result is two plain 8-byte slots.
                var j = 0;
                foreach (var result in type.Results)
                {
                    for (var half = 0; half < ValueSlots.Width(result); half++, j++)
                    {
                        a.Emit(Store(Arm64Code.Ldr, X64Stubs.IsNarrow(result) ? Scratch0.AsW() : Scratch0, Sp, 8 * j));
                        a.Emit(Store(Arm64Code.Str, Scratch0, X(2), 8 * j));
                    }
                }
            }
        }

        a.Mov(W(0), Wzr);
        EmitExit(a);
        return a.ToArray();
    }

    /// <summary>
    /// Code for a host function of type <paramref name="type"/>, called like any wasm function (x28 = the host
    /// function's <see cref="HostContextLayout"/> block, arguments in the caller's slots). It hands the slots to the
    /// trampoline (AAPCS64: <c>int trampoline(hostContext, ulong* slots)</c>), which writes the results over them; a
    /// nonzero return is a trap code (or <see cref="TrapKind.HostException"/>) and unwinds like a trap. The blob holds
    /// its own trap stub first; the host stub starts at <paramref name="entryOffset"/>.
    /// </summary>
    public static byte[] HostStub(FuncType type, out int entryOffset)
    {
        var a = new Arm64Assembler();
        var trap = a.CreateLabel();
        var failed = a.CreateLabel();
        a.Bind(trap);
        EmitTrapStub(a);
        a.Brk(0);
        entryOffset = a.Position;
        a.Emit(Pair(Arm64Code.Stp, Fp, Lr, Arm64Memory.PreIndex(Sp, -16)));
        a.Mov(Fp, Sp);
        a.Mov(X(0), Context);
        a.Add(X(1), Fp, 16);
        a.Emit(Store(Arm64Code.Ldr, Scratch0, Context, HostContextLayout.Trampoline));
        a.Emit(new Arm64Instruction { Code = Arm64Code.Blr, Rn = Scratch0 });
        a.Cbnz(W(0), failed);
        if (ValueSlots.ResultInRegister(type)) a.Emit(Store(Arm64Code.Ldr, X(0), Fp, 16));
        a.Emit(Pair(Arm64Code.Ldp, Fp, Lr, Arm64Memory.PostIndex(Sp, 16)));
        a.Ret();
        a.Bind(failed);
        a.Bl(trap);
        return a.ToArray();
    }

    private static void EmitExit(Arm64Assembler a)
    {
        a.Emit(new Arm64Instruction { Code = Arm64Code.Ldur, Rd = Scratch0, Memory = Arm64Memory.At(Fp, PreviousEntryOffset) });
        a.Emit(Store(Arm64Code.Str, Scratch0, State, ExecutionStateLayout.EntryStackPointer));
        a.Sub(Sp, Fp, 144);
        for (var r = 14; r >= 8; r -= 2) a.Emit(Pair(Arm64Code.Ldp, D(r), D(r + 1), Arm64Memory.PostIndex(Sp, 16)));
        for (var r = 27; r >= 19; r -= 2) a.Emit(Pair(Arm64Code.Ldp, X(r), X(r + 1), Arm64Memory.PostIndex(Sp, 16)));
        a.Emit(Pair(Arm64Code.Ldp, Fp, Lr, Arm64Memory.PostIndex(Sp, 16)));
        a.Ret();
    }

    /// <summary>sp += <paramref name="delta"/> in at most two instructions (the area is at most 8 × 1000 slots).</summary>
    private static void AdjustSp(Arm64Assembler a, int delta)
    {
        var size = Math.Abs(delta);
        var high = size & ~0xFFF;
        var low = size & 0xFFF;
        if (delta < 0)
        {
            if (high != 0) a.Sub(Sp, Sp, high);
            if (low != 0) a.Sub(Sp, Sp, low);
        }
        else
        {
            if (high != 0) a.Add(Sp, Sp, high);
            if (low != 0) a.Add(Sp, Sp, low);
        }
    }

    private static Arm64Instruction Store(Arm64Code code, Arm64Register rt, Arm64Register baseRegister, int offset)
        => new() { Code = code, Rd = rt, Memory = Arm64Memory.At(baseRegister, offset) };

    private static Arm64Instruction Pair(Arm64Code code, Arm64Register rt, Arm64Register rt2, Arm64Memory memory)
        => new() { Code = code, Rd = rt, Rn = rt2, Memory = memory };
}
