using System;
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
    public static byte[] CreateEntryStub(FuncType type, TargetArchitecture architecture = TargetArchitecture.X64)
    {
        if (type is null) throw new ArgumentNullException(nameof(type));
        RequireX64(architecture);
        return X64Stubs.EntryStub(type);
    }

    /// <summary>
    /// Code a host function of <paramref name="type"/> is called through (see <see cref="HostContextLayout"/>);
    /// it starts at <paramref name="entryOffset"/> inside the returned bytes.
    /// </summary>
    public static byte[] CreateHostStub(FuncType type, out int entryOffset, TargetArchitecture architecture = TargetArchitecture.X64)
    {
        if (type is null) throw new ArgumentNullException(nameof(type));
        RequireX64(architecture);
        return X64Stubs.HostStub(type, out entryOffset);
    }

    /// <summary>Slots a caller provides for a call of <paramref name="type"/> (arguments in, results out).</summary>
    public static int SlotCount(FuncType type) => X64Stubs.SlotCount(type);

    private static void RequireX64(TargetArchitecture architecture)
    {
        if (architecture != TargetArchitecture.X64) throw new NotSupportedException($"No stubs for {architecture}.");
    }
}
