using System;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using WasmToolkit.Compiler;

namespace WasmToolkit.Runtime.Native;

/// <summary>
/// The current thread's <see cref="ExecutionStateLayout"/> block (stack limit, innermost entry, trap
/// records) and the managed side of crossing into wasm: nesting depth and the exception a host
/// function threw, kept until the entry stub's caller rethrows it.
/// </summary>
internal sealed unsafe class ExecutionState
{
    [ThreadStatic]
    private static ExecutionState? t_current;

    private ExecutionState()
    {
        Pointer = (byte*)NativeMemory.AllocZeroed(ExecutionStateLayout.Size);
        *(nuint*)(Pointer + ExecutionStateLayout.StackLimit) = StackBounds.CurrentLimit;
    }

    // The block outlives no thread: the holder becomes garbage with its thread.
    ~ExecutionState() => NativeMemory.Free(Pointer);

    public static ExecutionState Current => t_current ??= new ExecutionState();

    public byte* Pointer { get; }

    /// <summary>Entries into wasm active on this thread.</summary>
    public int Depth { get; set; }

    /// <summary>What a host function threw, on its way out through the wasm frames.</summary>
    public ExceptionDispatchInfo? PendingException { get; set; }

    public ulong Get(int offset) => *(ulong*)(Pointer + offset);
}
