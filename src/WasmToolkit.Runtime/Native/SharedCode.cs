using System;
using System.Collections.Generic;
using System.Threading;
using WasmToolkit.Compiler;

namespace WasmToolkit.Runtime.Native;

/// <summary>
/// One executable mapping of a compiled module's code, shared by every live instance of it: the code is
/// instance-independent (instance state is reached through the context register), so a second instance of a module
/// maps and copies nothing (the code of a 5 MB module is 12 MB, every page of it faulted in when copied).
/// </summary>
/// <remarks>
/// Counted: each instance's store holds a lease (<see cref="Acquire"/>); a table of that store may call into the code
/// after the instance itself is gone, so the code lives as long as the store. When the last lease is disposed the code
/// is unregistered and unmapped at once, as a store's own code was before, and the next instance maps it again.
/// </remarks>
internal sealed unsafe class SharedCode
{
    private static readonly object s_lock = new();
    private static readonly Dictionary<CompiledModule, SharedCode> s_mapped = new(ReferenceEqualityComparer.Instance);

    private readonly CompiledModule _compiled;
    private int _leases;

    private SharedCode(CompiledModule compiled)
    {
        _compiled = compiled;
        Memory = ExecutableMemory.Create(compiled.Code.AsSpan());
        CodeRegistry.Register(Memory, compiled);
    }

    /// <summary>The mapped code (read and execute only).</summary>
    public ExecutableMemory Memory { get; }

    /// <summary>A lease on the mapping of <paramref name="compiled"/>'s code (<paramref name="memory"/>), mapped if no lease is held.</summary>
    public static IDisposable Acquire(CompiledModule compiled, out ExecutableMemory memory)
    {
        lock (s_lock)
        {
            if (!s_mapped.TryGetValue(compiled, out var code))
            {
                code = new SharedCode(compiled);
                s_mapped.Add(compiled, code);
            }

            code._leases++;
            memory = code.Memory;
            return new Lease(code);
        }
    }

    private void Release()
    {
        lock (s_lock)
        {
            if (--_leases > 0) return;
            s_mapped.Remove(_compiled);
        }

        CodeRegistry.Unregister((nint)Memory.Pointer);
        Memory.Dispose();
    }

    private sealed class Lease : IDisposable
    {
        private SharedCode? _code;

        public Lease(SharedCode code) => _code = code;

        public void Dispose() => Interlocked.Exchange(ref _code, null)?.Release();
    }
}
