namespace WasmToolkit.Compiler;

/// <summary>
/// Byte offsets in the per-instance context block that generated code reaches through the context
/// register (r15 on x64). This is the contract between the compiler and the runtime.
/// </summary>
/// <remarks>
/// <para>Layout (all fields 8 bytes, little-endian):</para>
/// <code>
///   0  MemoryBase       byte* of linear memory 0 (null when the module has no memory)
///   8  MemorySize       current size in bytes (a multiple of 65536)
///  16  MemoryMaxPages   pages memory.grow may reach
///  24  StackLimit       lowest stack pointer wasm code may use (thread's stack bounds + head-room)
///  32  EntryStackPointer  stack pointer recorded by the innermost entry stub; a trap unwinds to it
///  40  TrapPc           return address of the trap site of the last trap
///  48  MemoryGrowFunction  SysV function pointer: long grow(VmContext*, uint deltaPages)
///  56  MemoryReserved   bytes of address space reserved for memory 0
///  64  TrapFrameCount   wasm frames found above the trap site by the trap stub's frame walk
///  72  (reserved)
/// 128  TrapFrames       return addresses of the innermost <see cref="MaxTrapFrames"/> of those frames
/// 384  Globals          one 8-byte slot per defined global, in index order
/// </code>
/// Code never embeds instance addresses, so one compiled module backs any number of instances (DESIGN invariant 5).
/// </remarks>
public static class VmContextLayout
{
    public const int MemoryBase = 0;
    public const int MemorySize = 8;
    public const int MemoryMaxPages = 16;
    public const int StackLimit = 24;
    public const int EntryStackPointer = 32;
    public const int TrapPc = 40;
    public const int MemoryGrowFunction = 48;
    public const int MemoryReserved = 56;
    public const int TrapFrameCount = 64;
    public const int TrapFrames = 128;

    /// <summary>Return addresses the trap stub records (innermost first); deeper frames are only counted.</summary>
    public const int MaxTrapFrames = 32;

    public const int Globals = TrapFrames + (MaxTrapFrames * 8);

    /// <summary>Bytes of one global slot.</summary>
    public const int GlobalSlotSize = 8;

    /// <summary>Size of the context for a module with <paramref name="globalCount"/> defined globals.</summary>
    public static int GetSize(int globalCount) => Globals + (globalCount * GlobalSlotSize);
}
