using System.Collections.Generic;
using WasmToolkit.Compiler;

namespace WasmToolkit.Runtime.Native;

/// <summary>
/// Which compiled module (and instance) owns a code address, for wasm stack traces whose frames span
/// several instances. Ranges are few (one per instance and stub), so a sorted list under a lock does.
/// </summary>
internal static unsafe class CodeRegistry
{
    private static readonly object s_lock = new();
    private static readonly List<Entry> s_entries = new();

    public readonly struct Entry
    {
        public Entry(nint start, int length, CompiledModule? module)
        {
            Start = start;
            Length = length;
            Module = module;
        }

        public nint Start { get; }

        public int Length { get; }

        /// <summary>Null for stubs.</summary>
        public CompiledModule? Module { get; }
    }

    public static void Register(ExecutableMemory memory, CompiledModule? module)
    {
        var entry = new Entry((nint)memory.Pointer, memory.Length, module);
        lock (s_lock)
        {
            var i = 0;
            while (i < s_entries.Count && s_entries[i].Start < entry.Start) i++;
            s_entries.Insert(i, entry);
        }
    }

    public static void Unregister(nint start)
    {
        lock (s_lock)
        {
            s_entries.RemoveAll(e => e.Start == start);
        }
    }

    /// <summary>The range holding <paramref name="address"/> and the offset inside it.</summary>
    public static bool TryFind(ulong address, out Entry entry, out int offset)
    {
        lock (s_lock)
        {
            foreach (var e in s_entries)
            {
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
}
