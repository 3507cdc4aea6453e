using System.Collections.Generic;
using WasmToolkit.Compiler;

namespace WasmToolkit.Runtime.Native;

/// <summary>
/// Which compiled module (and instance) owns a code address, for wasm stack traces whose frames span
/// several instances. Ranges never overlap; they are kept sorted by start under a lock and found by binary
/// search (lazy mode adds one range per compiled function per instance, so there may be thousands).
/// </summary>
internal static unsafe class CodeRegistry
{
    private static readonly object s_lock = new();
    private static readonly List<Entry> s_entries = new();

    public readonly struct Entry
    {
        public Entry(nint start, int length, CompiledModule? module, LazyFunctionCode? function = null)
        {
            Start = start;
            Length = length;
            Module = module;
            Function = function;
        }

        public nint Start { get; }

        public int Length { get; }

        /// <summary>Null for stubs.</summary>
        public CompiledModule? Module { get; }

        /// <summary>A lazily compiled function of <see cref="Module"/> (whose sites are relative to this range), or null for the module's image.</summary>
        public LazyFunctionCode? Function { get; }

        /// <summary>The trap site whose call returns to <paramref name="offset"/> in this range.</summary>
        public bool TryGetTrapSite(int offset, out TrapSite site)
        {
            if (Function is { } f) return f.TryGetTrapSite(offset, out site);
            if (Module is { } m) return m.TryGetTrapSite(offset, out site);
            site = default;
            return false;
        }

        /// <summary>The call that returns to <paramref name="offset"/> in this range.</summary>
        public bool TryGetCallSite(int offset, out TrapSite site)
        {
            if (Function is { } f) return f.TryGetCallSite(offset, out site);
            if (Module is { } m) return m.TryGetCallSite(offset, out site);
            site = default;
            return false;
        }
    }

    public static void Register(ExecutableMemory memory, CompiledModule? module, LazyFunctionCode? function = null)
    {
        var entry = new Entry((nint)memory.Pointer, memory.Length, module, function);
        lock (s_lock)
        {
            var i = IndexOf(entry.Start);
            s_entries.Insert(i < 0 ? ~i : i, entry);
        }
    }

    public static void Unregister(nint start)
    {
        lock (s_lock)
        {
            var i = IndexOf(start);
            if (i >= 0) s_entries.RemoveAt(i);
        }
    }

    /// <summary>
    /// Finds the code a return address belongs to by looking up the call's last byte: a return address may lie
    /// one past its code range (a trap call is often the last instruction of the last function of an image).
    /// </summary>
    public static bool TryFindReturnAddress(ulong returnAddress, out Entry entry, out int offset)
    {
        if (returnAddress == 0 || !TryFind(returnAddress - 1, out entry, out offset))
        {
            entry = default;
            offset = -1;
            return false;
        }

        offset++;
        return true;
    }

    /// <summary>The range holding <paramref name="address"/> and the offset inside it.</summary>
    public static bool TryFind(ulong address, out Entry entry, out int offset)
    {
        lock (s_lock)
        {
            // The last range starting at or below the address is the only one that can hold it.
            var i = IndexOf((nint)address);
            if (i < 0) i = ~i - 1;
            if (i >= 0)
            {
                var e = s_entries[i];
                var o = (long)address - (long)e.Start;
                if (o >= 0 && o < e.Length)
                {
                    entry = e;
                    offset = (int)o;
                    return true;
                }
            }
        }

        entry = default;
        offset = -1;
        return false;
    }

    /// <summary>Index of the range starting at <paramref name="start"/>, or the complement of where it would go (the caller holds the lock).</summary>
    private static int IndexOf(nint start)
    {
        int lo = 0, hi = s_entries.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var c = ((ulong)s_entries[mid].Start).CompareTo((ulong)start);
            if (c == 0) return mid;
            if (c < 0) lo = mid + 1;
            else hi = mid - 1;
        }

        return ~lo;
    }
}
