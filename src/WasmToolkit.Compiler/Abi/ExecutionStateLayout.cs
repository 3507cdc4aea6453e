namespace WasmToolkit.Compiler;

/// <summary>
/// The per-thread block generated code reaches through the execution-state register (r14 on x64).
/// Every entry stub takes it as an argument; calls between instances keep it, so a trap anywhere
/// unwinds to the innermost entry on this thread whichever instance's code runs.
/// </summary>
/// <remarks>
/// <code>
///   0  StackLimit         lowest stack pointer wasm code may use (thread's stack bounds + head-room)
///   8  EntryStackPointer  stack pointer recorded by the innermost entry stub; a trap unwinds to it
///  16  TrapPc             return address of the trap site of the last trap
///  24  TrapFrameCount     wasm frames found above the trap site by the trap stub's frame walk
///  32  TrapFrames         return addresses of the innermost <see cref="MaxTrapFrames"/> of those frames
/// </code>
/// </remarks>
public static class ExecutionStateLayout
{
    public const int StackLimit = 0;
    public const int EntryStackPointer = 8;
    public const int TrapPc = 16;
    public const int TrapFrameCount = 24;
    public const int TrapFrames = 32;

    /// <summary>Return addresses the trap stub records (innermost first); deeper frames are only counted.</summary>
    public const int MaxTrapFrames = 32;

    public const int Size = TrapFrames + (MaxTrapFrames * 8);
}
