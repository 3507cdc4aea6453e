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
        Values.Write(type.ValueType, value, (ulong*)Cell, "Global value");
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

    /// <summary>The value (boxed; a v128 as <see cref="WasmToolkit.Instructions.V128"/>, set from it or any <see cref="System.Runtime.Intrinsics.Vector128{T}"/>); setting an immutable global throws.</summary>
    public object? Value
    {
        get
        {
            ThrowIfDisposed();
            return Values.Read(Type.ValueType, (ulong*)Cell);
        }

        set
        {
            ThrowIfDisposed();
            if (!Type.IsMutable) throw new InvalidOperationException("The global is immutable.");
            Values.Write(Type.ValueType, value, (ulong*)Cell, "Global value");
        }
    }

    /// <summary>The raw 64 bits (f32/f64 as bit patterns, i32 zero-extended; a v128's low 8 bytes).</summary>
    public ulong Bits
    {
        get
        {
            ThrowIfDisposed();
            return *(ulong*)Cell;
        }
    }

    /// <summary>A v128's high 8 bytes (bytes 8–15; <see cref="Bits"/> holds bytes 0–7); 0 for the other types.</summary>
    /// <remarks>With <see cref="Bits"/>, reads a v128 without boxing (generated bindings do).</remarks>
    public ulong HighBits
    {
        get
        {
            ThrowIfDisposed();
            return Type.ValueType.Kind == ValTypeKind.V128 ? ((ulong*)Cell)[1] : 0;
        }
    }

    private void ThrowIfDisposed()
    {
        if (_store.IsDisposed) throw new ObjectDisposedException(nameof(Global));
    }

    public override string ToString() => $"global {Type}";
}
