using System.Collections.Concurrent;
using System.Threading;

namespace WasmToolkit.Runtime;

/// <summary>
/// Canonical function-type ids for the whole process: structurally equal types get the same id, so a
/// call_indirect compares one integer even across modules (WebAssembly 2.0 types are structural).
/// </summary>
internal static class TypeRegistry
{
    private static readonly ConcurrentDictionary<FuncType, uint> s_ids = new();
    private static int s_next;

    /// <summary>The id of <paramref name="type"/>; never 0.</summary>
    public static uint GetId(FuncType type) => s_ids.GetOrAdd(type, static _ => (uint)Interlocked.Increment(ref s_next));
}
