using System;
using System.Runtime.InteropServices;
using WasmToolkit.Compiler;

namespace WasmToolkit.Runtime.Native;

/// <summary>
/// A linear memory in native memory: the whole maximum is reserved inaccessible up front, so the base
/// never moves, and pages become read-write as the memory grows (fresh anonymous pages are zero).
/// </summary>
internal sealed unsafe class LinearMemory : SafeHandle
{
    public const ulong PageSize = MemoryType.PageSize;

    private nuint _reserved;

    private LinearMemory()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    public byte* Base => (byte*)handle;

    public ulong MaxPages { get; private set; }

    public ulong ReservedBytes => _reserved;

    public static LinearMemory Create(ulong minPages, ulong maxPages)
    {
        Libc.EnsureSupportedPlatform();
        if (minPages > maxPages) throw new ArgumentOutOfRangeException(nameof(minPages));
        var memory = new LinearMemory { MaxPages = maxPages };
        var reserve = (nuint)Math.Max(maxPages * PageSize, PageSize);
        var p = Libc.mmap(IntPtr.Zero, reserve, Libc.ProtNone, Libc.MapPrivate | Libc.MapAnonymous | Libc.MapNoReserve, -1, 0);
        if (p == Libc.MapFailed) throw new OutOfMemoryException($"Reserving {reserve} bytes for linear memory failed (errno {Marshal.GetLastPInvokeError()}).");
        memory.SetHandle(p);
        memory._reserved = reserve;
        if (minPages > 0 && Libc.mprotect(p, (nuint)(minPages * PageSize), Libc.ProtRead | Libc.ProtWrite) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            memory.Dispose();
            throw new OutOfMemoryException($"Committing {minPages} pages of linear memory failed (errno {errno}).");
        }

        return memory;
    }

    /// <summary>Makes pages [oldPages, newPages) accessible; false when the OS refuses.</summary>
    public static bool Commit(byte* memoryBase, ulong oldPages, ulong newPages)
    {
        if (newPages == oldPages) return true;
        return Libc.mprotect((IntPtr)(memoryBase + (oldPages * PageSize)), (nuint)((newPages - oldPages) * PageSize), Libc.ProtRead | Libc.ProtWrite) == 0;
    }

    protected override bool ReleaseHandle() => Libc.munmap(handle, _reserved) == 0;
}
