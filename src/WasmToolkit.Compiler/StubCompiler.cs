using System;
using WasmToolkit.Compiler.Arm64;
using WasmToolkit.Compiler.X64;

namespace WasmToolkit.Compiler;

/// <summary>
/// The signature-specific stubs the runtime needs beside a module's code: entry stubs (host → wasm)
/// and host stubs (wasm → host). They depend only on the function type, so the runtime makes each once
/// per process and shares it between modules.
/// </summary>
public static class StubCompiler
{
    /// <summary>
    /// Code for <c>int entry(void* context, void* code, ulong* slots, void* executionState)</c>: copies the
    /// arguments from the slots, calls <c>code</c> with the internal convention, writes the results back
    /// over the slots and returns 0, or the <see cref="TrapKind"/> of a trap (after unwinding to itself).
    /// </summary>
    /// <remarks>
    /// Stubs for a foreign architecture are plain bytes (for tests, listings and ahead-of-time images); the runtime
    /// refuses to run code that is not for the processor it runs on.
    /// </remarks>
    /// <exception cref="NotSupportedException"><paramref name="architecture"/> is not a known architecture.</exception>
    public static byte[] CreateEntryStub(FuncType type, TargetArchitecture architecture = TargetArchitecture.X64)
    {
        if (type is null) throw new ArgumentNullException(nameof(type));
        return architecture switch
        {
            TargetArchitecture.X64 => X64Stubs.EntryStub(type),
            TargetArchitecture.Arm64 => Arm64Stubs.EntryStub(type),
            _ => throw Unsupported(architecture),
        };
    }

    /// <summary>
    /// Code a host function of <paramref name="type"/> is called through (see <see cref="HostContextLayout"/>);
    /// it starts at <paramref name="entryOffset"/> inside the returned bytes.
    /// </summary>
    public static byte[] CreateHostStub(FuncType type, out int entryOffset, TargetArchitecture architecture = TargetArchitecture.X64)
    {
        if (type is null) throw new ArgumentNullException(nameof(type));
        switch (architecture)
        {
            case TargetArchitecture.X64: return X64Stubs.HostStub(type, out entryOffset);
            case TargetArchitecture.Arm64: return Arm64Stubs.HostStub(type, out entryOffset);
            default: throw Unsupported(architecture);
        }
    }

    /// <summary>Slots a caller provides for a call of <paramref name="type"/> (arguments in, results out).</summary>
    public static int SlotCount(FuncType type) => ValueSlots.Count(type); // the same on every architecture

    /// <summary>
    /// The trap stub a module's trap sites call (the trap kind in eax/w0); the compiler links one into each module
    /// image, and tests of hand-assembled code link it themselves.
    /// </summary>
    public static byte[] CreateTrapStub(TargetArchitecture architecture = TargetArchitecture.X64) => architecture switch
    {
        TargetArchitecture.X64 => X64Stubs.TrapStub(),
        TargetArchitecture.Arm64 => Arm64Stubs.TrapStub(),
        _ => throw Unsupported(architecture),
    };

    private static NotSupportedException Unsupported(TargetArchitecture architecture) => new($"No stubs for {architecture}.");
}
