using System;
using System.Runtime.InteropServices;

namespace WasmToolkit.Runtime.Native;

/// <summary>The few libc calls the runtime needs on Linux (glibc; the constants are the same on x64 and ARM64).</summary>
internal static unsafe class Libc
{
    public const int ProtNone = 0;
    public const int ProtRead = 1;
    public const int ProtWrite = 2;
    public const int ProtExec = 4;
    public const int MapPrivate = 0x02;
    public const int MapAnonymous = 0x20;
    public const int MapNoReserve = 0x4000;

    public static readonly IntPtr MapFailed = new(-1);

    [DllImport("libc", SetLastError = true)]
    public static extern IntPtr mmap(IntPtr addr, nuint length, int prot, int flags, int fd, nint offset);

    [DllImport("libc", SetLastError = true)]
    public static extern int munmap(IntPtr addr, nuint length);

    [DllImport("libc", SetLastError = true)]
    public static extern int mprotect(IntPtr addr, nuint length, int prot);

    [DllImport("libc")]
    public static extern nuint pthread_self();

    [DllImport("libc")]
    public static extern int pthread_getattr_np(nuint thread, void* attr);

    [DllImport("libc")]
    public static extern int pthread_attr_getstack(void* attr, void** stackAddr, nuint* stackSize);

    [DllImport("libc")]
    public static extern int pthread_attr_destroy(void* attr);

    /// <summary>Throws unless the process runs where the generated code and these calls fit.</summary>
    public static void EnsureSupportedPlatform()
    {
        if (!OperatingSystem.IsLinux() || HostFeatures.Architecture is null)
        {
            // The abstraction is ready for VirtualAlloc/VirtualProtect (Windows, which also needs entry
            // stubs for the Microsoft x64 convention) and for mmap with MAP_JIT (macOS); not written yet.
            throw new PlatformNotSupportedException("Running compiled WebAssembly is supported on Linux x64 and Linux ARM64 only so far.");
        }
    }
}
