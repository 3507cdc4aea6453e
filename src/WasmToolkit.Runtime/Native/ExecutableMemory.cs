using System;
using System.Runtime.InteropServices;

namespace WasmToolkit.Runtime.Native;

/// <summary>
/// Machine code in memory from the operating system, never writable and executable at once
/// (DESIGN invariant 6): mapped read-write, filled, then switched to read-execute (no double mapping), and on
/// ARM64 the instruction cache flushed for it (<see cref="InstructionCache"/>) before anything can call it.
/// </summary>
internal sealed unsafe class ExecutableMemory : SafeHandle
{
    private nuint _length;

    private ExecutableMemory()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    public byte* Pointer => (byte*)handle;

    public int Length => (int)_length;

    public static ExecutableMemory Create(ReadOnlySpan<byte> code)
    {
        Libc.EnsureSupportedPlatform();
        var length = (nuint)Math.Max(code.Length, 1);
        var memory = new ExecutableMemory();
        var p = Libc.mmap(IntPtr.Zero, length, Libc.ProtRead | Libc.ProtWrite, Libc.MapPrivate | Libc.MapAnonymous, -1, 0);
        if (p == Libc.MapFailed) throw new OutOfMemoryException($"mmap of {length} bytes for code failed (errno {Marshal.GetLastPInvokeError()}).");
        memory.SetHandle(p);
        memory._length = length;
        code.CopyTo(new Span<byte>((void*)p, code.Length));
        if (Libc.mprotect(p, length, Libc.ProtRead | Libc.ProtExec) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            memory.Dispose();
            throw new InvalidOperationException($"mprotect to read-execute failed (errno {errno}).");
        }

        InstructionCache.Flush((byte*)p, length);

        return memory;
    }

    protected override bool ReleaseHandle() => Libc.munmap(handle, _length) == 0;
}
