using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Threading;
using WasmToolkit.Runtime.Native;

namespace WasmToolkit.Runtime;

/// <summary>
/// The unit of ownership and threading behind a <see cref="Linker"/> (Wasmtime's store): the native
/// memory of every instance created through it lives until the store is disposed or collected, so
/// function references, tables and memories shared between those instances never dangle; and one
/// thread at a time runs the store's code.
/// </summary>
internal sealed unsafe class Store : IDisposable
{
    private readonly object _lock = new();
    private readonly List<nint> _blocks = new();
    private readonly List<IDisposable> _resources = new();
    private readonly List<object> _keepAlive = new();
    private int _activeThread;
    private int _nesting;
    private bool _disposed;

    ~Store() => Free();

    /// <summary>Zeroed native memory freed with the store.</summary>
    public byte* Allocate(int bytes)
    {
        var p = NativeMemory.AllocZeroed((nuint)Math.Max(bytes, 8));
        lock (_lock) _blocks.Add((nint)p);
        return (byte*)p;
    }

    public void Own(IDisposable resource)
    {
        lock (_lock) _resources.Add(resource);
    }

    /// <summary>Keeps <paramref name="value"/> (an import from elsewhere, an instance) alive as long as the store.</summary>
    public void KeepAlive(object value)
    {
        lock (_lock) _keepAlive.Add(value);
    }

    public bool IsDisposed => _disposed;

    /// <summary>Claims the store for the current thread (calls nest on one thread).</summary>
    public void Enter()
    {
        if (_disposed) throw new ObjectDisposedException(nameof(Instance), "The instance's store was disposed.");
        var thread = Environment.CurrentManagedThreadId;
        var previous = Interlocked.CompareExchange(ref _activeThread, thread, 0);
        if (previous != 0 && previous != thread) throw new InvalidOperationException("Instances of one linker run on one thread at a time; another thread is running their code.");
        _nesting++;
    }

    public void Exit()
    {
        if (--_nesting == 0) Volatile.Write(ref _activeThread, 0);
    }

    public void Dispose()
    {
        if (Volatile.Read(ref _activeThread) != 0) throw new InvalidOperationException("Cannot dispose while wasm code of this store runs.");
        Free();
        GC.SuppressFinalize(this);
    }

    private void Free()
    {
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            foreach (var resource in _resources) resource.Dispose();
            foreach (var block in _blocks) NativeMemory.Free((void*)block);
            _resources.Clear();
            _blocks.Clear();
            _keepAlive.Clear();
        }
    }
}
