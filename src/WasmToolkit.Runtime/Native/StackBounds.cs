using System;

namespace WasmToolkit.Runtime.Native;

/// <summary>
/// The lowest stack address wasm code may reach on the current thread: the thread's real stack
/// bottom (pthread_getattr_np) plus head-room for the .NET runtime, which runs on the same stack
/// when wasm calls into it (memory.grow, later host functions) near the limit.
/// </summary>
internal static unsafe class StackBounds
{
    /// <summary>Head-room left below the limit for the runtime and host code.</summary>
    public const int HeadRoom = 256 * 1024;

    /// <summary>Used when the thread's bounds are unknown: this much below the current frame is assumed safe.</summary>
    private const int FallbackDepth = 256 * 1024;

    [ThreadStatic]
    private static nuint t_limit;

    public static nuint CurrentLimit => t_limit != 0 ? t_limit : t_limit = Compute();

    private static nuint Compute()
    {
        byte marker = 0;
        var sp = (nuint)(&marker);
        var attr = stackalloc byte[256];
        void* low = null;
        nuint size = 0;
        var ok = Libc.pthread_getattr_np(Libc.pthread_self(), attr) == 0;
        if (ok)
        {
            ok = Libc.pthread_attr_getstack(attr, &low, &size) == 0;
            Libc.pthread_attr_destroy(attr);
        }

        var bottom = (nuint)low;
        if (ok && bottom < sp && sp <= bottom + size)
        {
            // With less than the head-room left, every call traps at once, which is safe.
            return Math.Min(bottom + HeadRoom, sp);
        }

        return sp > FallbackDepth ? sp - FallbackDepth : sp;
    }
}
