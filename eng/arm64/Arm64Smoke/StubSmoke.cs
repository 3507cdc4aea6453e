using System;
using System.Runtime.InteropServices;
using WasmToolkit.Compiler;
using WasmToolkit.Compiler.Arm64;
using static WasmToolkit.Compiler.Arm64.Arm64Register;

namespace WasmToolkit.Arm64Smoke;

/// <summary>
/// The ARM64 stubs for real: an image of the trap stub, entry stubs, a host stub and hand-assembled functions in the
/// wasm convention (<see cref="Arm64Abi"/>), called from C# through the entry stubs with a context block, an execution
/// state and slots; the host stub calls back into a C# <c>UnmanagedCallersOnly</c> trampoline; traps and stack
/// exhaustion (on this thread's real stack) unwind to the entry stub and return their kind.
/// </summary>
internal static unsafe class StubSmoke
{
    private const ulong HostHandle = 0x1000;

    public static int Run()
    {
        var i32x2 = FuncType.Create(new[] { ValType.I32, ValType.I32 }, new[] { ValType.I32 });
        var i64x2 = FuncType.Create(new[] { ValType.I64, ValType.I64 }, new[] { ValType.I64 });
        var image = new Arm64Assembler();
        var trapStub = Append(image, StubCompiler.CreateTrapStub(TargetArchitecture.Arm64));
        var entryI32x2 = Append(image, StubCompiler.CreateEntryStub(i32x2, TargetArchitecture.Arm64));
        var entryEmpty = Append(image, StubCompiler.CreateEntryStub(FuncType.Empty, TargetArchitecture.Arm64));
        var entryI64x2 = Append(image, StubCompiler.CreateEntryStub(i64x2, TargetArchitecture.Arm64));
        var hostBlob = StubCompiler.CreateHostStub(i64x2, out var hostEntry, TargetArchitecture.Arm64);
        var hostStub = Append(image, hostBlob) + hostEntry;

        // The functions, in the same assembler so that bl reaches the stubs by position.
        var add = image.Position;
        var stackTrap = image.CreateLabel();
        Arm64Abi.EmitPrologue(image, 0, stackTrap);
        image.Emit(new Arm64Instruction { Code = Arm64Code.Ldr, Rd = W(0), Memory = Arm64Memory.At(Fp, 16) });
        image.Emit(new Arm64Instruction { Code = Arm64Code.Ldr, Rd = W(1), Memory = Arm64Memory.At(Fp, 24) });
        image.Add(W(0), W(0), W(1));
        End(image, stackTrap, trapStub);

        var inner = image.CreateLabel();
        image.Bind(inner);
        stackTrap = image.CreateLabel();
        Arm64Abi.EmitPrologue(image, 0, stackTrap);
        Arm64Abi.EmitTrapSite(image, TrapKind.Unreachable, trapStub);
        End(image, stackTrap, trapStub);
        var outer = image.Position;
        stackTrap = image.CreateLabel();
        Arm64Abi.EmitPrologue(image, 16, stackTrap);
        image.Bl(inner);
        End(image, stackTrap, trapStub);

        var recurseLabel = image.CreateLabel();
        var recurse = image.Position;
        image.Bind(recurseLabel);
        stackTrap = image.CreateLabel();
        Arm64Abi.EmitPrologue(image, 16, stackTrap);
        image.Bl(recurseLabel);
        End(image, stackTrap, trapStub);

        var callHost = image.Position;
        stackTrap = image.CreateLabel();
        Arm64Abi.EmitPrologue(image, 16, stackTrap);
        image.Emit(new Arm64Instruction { Code = Arm64Code.Stur, Rd = X(28), Memory = Arm64Memory.At(Fp, -8) });
        image.Sub(Sp, Sp, 16);
        for (var i = 0; i < 2; i++)
        {
            image.Emit(new Arm64Instruction { Code = Arm64Code.Ldr, Rd = X(0), Memory = Arm64Memory.At(Fp, 16 + (8 * i)) });
            image.Emit(new Arm64Instruction { Code = Arm64Code.Str, Rd = X(0), Memory = Arm64Memory.At(Sp, 8 * i) });
        }

        image.Emit(new Arm64Instruction { Code = Arm64Code.Ldur, Rd = X(28), Memory = Arm64Memory.At(Fp, -8) });
        image.Emit(new Arm64Instruction { Code = Arm64Code.Ldr, Rd = X(28), Memory = Arm64Memory.At(X(28), 0) }); // context[0] = the host context block
        image.Emit(new Arm64Instruction { Code = Arm64Code.Bl, BranchOffset = hostStub - image.Position });
        image.Add(Sp, Sp, 16);
        image.Emit(new Arm64Instruction { Code = Arm64Code.Ldur, Rd = X(28), Memory = Arm64Memory.At(Fp, -8) });
        image.Add(X(0), X(0), 1);
        End(image, stackTrap, trapStub);

        var code = image.ToArray();
        var start = Program.MapCode(code);
        var context = (ulong*)NativeMemory.AllocZeroed(64);
        var state = (ulong*)NativeMemory.AllocZeroed(ExecutionStateLayout.Size);
        var host = (ulong*)NativeMemory.AllocZeroed(HostContextLayout.RecordSize);
        var slots = stackalloc ulong[4];
        host[HostContextLayout.Trampoline / 8] = (ulong)(delegate* unmanaged<ulong*, ulong*, int>)&Trampoline;
        host[HostContextLayout.Handle / 8] = HostHandle;
        context[0] = (ulong)host;

        int Call(int entry, int function)
        {
            var stub = (delegate* unmanaged<void*, void*, ulong*, void*, int>)(start + entry);
            return stub(context, start + function, slots, state);
        }

        var failures = 0;
        slots[0] = 40;
        slots[1] = 2;
        failures += Program.Check("entry stub: add(40, 2)", Call(entryI32x2, add) * 1000 + (int)slots[0], 42);

        failures += Program.Check("entry stub: outer() -> inner() -> unreachable", ((TrapKind)Call(entryEmpty, outer)).ToString(), nameof(TrapKind.Unreachable));
        failures += Program.Check("trap frames walked (inner, outer)", state[ExecutionStateLayout.TrapFrameCount / 8], 2UL);
        failures += Program.Check("trap pc inside inner", state[ExecutionStateLayout.TrapPc / 8] - (ulong)start < (ulong)outer, true);

        // The thread's real stack: the limit 256 KiB below this frame.
        ulong here;
        state[ExecutionStateLayout.StackLimit / 8] = (ulong)&here - (256 << 10);
        failures += Program.Check("entry stub: recurse() until the stack limit", ((TrapKind)Call(entryEmpty, recurse)).ToString(), nameof(TrapKind.CallStackExhausted));
        failures += Program.Check("recursion deeper than 8000 frames", state[ExecutionStateLayout.TrapFrameCount / 8] > 8000, true);
        state[ExecutionStateLayout.StackLimit / 8] = 0;

        slots[0] = 6;
        slots[1] = 7;
        failures += Program.Check("host stub: callHost(6, 7) = 6 * 7 + 0x1000 + 1", Call(entryI64x2, callHost) * 1000_000 + (long)slots[0], 42L + 0x1000 + 1);
        slots[0] = 0;
        failures += Program.Check("host stub: failing host function", ((TrapKind)Call(entryI64x2, callHost)).ToString(), nameof(TrapKind.HostException));
        failures += Program.Check("entry stack pointer restored", state[ExecutionStateLayout.EntryStackPointer / 8], 0UL);

        NativeMemory.Free(context);
        NativeMemory.Free(state);
        NativeMemory.Free(host);
        return failures;
    }

    [UnmanagedCallersOnly]
    private static int Trampoline(ulong* hostContext, ulong* slots)
    {
        if (slots[0] == 0) return (int)TrapKind.HostException;
        slots[0] = (slots[0] * slots[1]) + hostContext[HostContextLayout.Handle / 8];
        return 0;
    }

    private static void End(Arm64Assembler a, Arm64Label stackTrap, int trapStub)
    {
        Arm64Abi.EmitEpilogue(a);
        a.Bind(stackTrap);
        Arm64Abi.EmitTrapSite(a, TrapKind.CallStackExhausted, trapStub);
    }

    /// <summary>Appends <paramref name="code"/> at the next 16-byte boundary and returns its position.</summary>
    private static int Append(Arm64Assembler a, byte[] code)
    {
        while ((a.Position & 15) != 0) a.Brk(0);
        var position = a.Position;
        for (var i = 0; i < code.Length; i += 4) a.EmitWord(BitConverter.ToUInt32(code, i));
        return position;
    }
}
