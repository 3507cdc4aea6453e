using System;
using WasmToolkit.Compiler;

namespace WasmToolkit.Runtime;

/// <summary>A global variable in native memory: an instance's, or one the host creates and gives as an import.</summary>
public sealed unsafe class Global : Extern
{
    private readonly Store _store;

    /// <summary>A host-created global of <paramref name="type"/> holding <paramref name="value"/> (CLR types as for <see cref="Instance.Invoke"/>).</summary>
    public Global(GlobalType type, object? value)
    {
        _store = new Store();
        Type = type;
        Cell = _store.Allocate(VmContextLayout.GlobalSlotSize);
        *(ulong*)Cell = Values.ToSlot(type.ValueType, value, "Global value");
    }

    internal Global(Store store, byte* cell, GlobalType type)
    {
        _store = store;
        Cell = cell;
        Type = type;
    }

    public override ExternalKind Kind => ExternalKind.Global;

    public GlobalType Type { get; }

    /// <summary>The 16-byte cell the value lives in.</summary>
    internal byte* Cell { get; }

    /// <summary>The value (boxed); setting an immutable global throws.</summary>
    public object? Value
    {
        get
        {
            ThrowIfDisposed();
            return Values.FromSlot(Type.ValueType, *(ulong*)Cell);
        }

        set
        {
            ThrowIfDisposed();
            if (!Type.IsMutable) throw new InvalidOperationException("The global is immutable.");
            *(ulong*)Cell = Values.ToSlot(Type.ValueType, value, "Global value");
        }
    }

    /// <summary>The raw 64 bits (f32/f64 as bit patterns, i32 zero-extended).</summary>
    public ulong Bits
    {
        get
        {
            ThrowIfDisposed();
            return *(ulong*)Cell;
        }
    }

    private void ThrowIfDisposed()
    {
        if (_store.IsDisposed) throw new ObjectDisposedException(nameof(Global));
    }

    public override string ToString() => $"global {Type}";
}
