using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using WasmToolkit.Compiler;

namespace WasmToolkit.Runtime;

/// <summary>A table of references in native memory: an instance's, or one the host creates and gives as an import.</summary>
/// <remarks>Backed by a <see cref="TableDefinitionLayout"/> record; the element array moves when the table grows.</remarks>
public sealed unsafe class Table : Extern
{
    /// <summary>Growth stops here even without a declared maximum (80 MB of elements).</summary>
    public const uint MaxElements = 10_000_000;

    private readonly Store _store;
    private readonly List<object> _keepAlive = new();

    /// <summary>A host-created table of <paramref name="type"/>, every element <paramref name="initial"/>.</summary>
    public Table(TableType type, object? initial = null)
        : this(new Store(), type, 0)
    {
        if (initial is not null) Fill(0, initial, Length);
    }

    internal Table(Store store, TableType type, ulong initialSlot)
    {
        if (type.Limits.Minimum > MaxElements) throw new ArgumentException($"A table of {type.Limits.Minimum} elements exceeds the limit of {MaxElements}.", nameof(type));
        _store = store;
        Type = type;
        Definition = store.Allocate(TableDefinitionLayout.RecordSize);
        var length = (uint)type.Limits.Minimum;
        var elements = (ulong*)NativeMemory.AllocZeroed((nuint)Math.Max(length, 1) * 8);
        for (var i = 0u; i < length; i++) elements[i] = initialSlot;
        *(ulong**)(Definition + TableDefinitionLayout.Elements) = elements;
        *(ulong*)(Definition + TableDefinitionLayout.Length) = length;
        *(ulong*)(Definition + TableDefinitionLayout.Maximum) = Math.Min(type.Limits.Maximum ?? MaxElements, MaxElements);
        store.Own(new ElementsOwner(Definition));
    }

    public override ExternalKind Kind => ExternalKind.Table;

    /// <summary>The declared type (its minimum is the initial length).</summary>
    public TableType Type { get; }

    internal byte* Definition { get; }

    internal Store Store => _store;

    /// <summary>Current number of elements.</summary>
    public uint Length
    {
        get
        {
            ThrowIfDisposed();
            return (uint)*(ulong*)(Definition + TableDefinitionLayout.Length);
        }
    }

    /// <summary>The current type: the minimum is the current length.</summary>
    public TableType CurrentType => new(Type.ElementType, new Limits(Length, Type.Limits.Maximum));

    /// <summary>Element <paramref name="index"/>: a <see cref="Function"/> (funcref), any object (externref), or null.</summary>
    public object? Get(uint index)
    {
        ThrowIfDisposed();
        if (index >= Length) throw new ArgumentOutOfRangeException(nameof(index));
        return Values.FromSlot(Type.ElementType, (*(ulong**)(Definition + TableDefinitionLayout.Elements))[index]);
    }

    public void Set(uint index, object? value)
    {
        ThrowIfDisposed();
        if (index >= Length) throw new ArgumentOutOfRangeException(nameof(index));
        var slot = Values.ToSlot(Type.ElementType, value, "Table element");
        if (value is not null) _keepAlive.Add(value);
        (*(ulong**)(Definition + TableDefinitionLayout.Elements))[index] = slot;
    }

    /// <summary>Grows by <paramref name="delta"/> elements set to <paramref name="initial"/>; returns the old length, or -1.</summary>
    public long Grow(uint delta, object? initial = null)
    {
        ThrowIfDisposed();
        var slot = Values.ToSlot(Type.ElementType, initial, "Table element");
        if (initial is not null) _keepAlive.Add(initial);
        return Grow(Definition, delta, slot);
    }

    private void Fill(uint start, object? value, uint count)
    {
        for (var i = 0u; i < count; i++) Set(start + i, value);
    }

    /// <summary>table.grow on a definition record (also the builtin's body).</summary>
    internal static long Grow(byte* definition, uint delta, ulong initialSlot)
    {
        var length = *(ulong*)(definition + TableDefinitionLayout.Length);
        var newLength = length + delta;
        if (newLength > *(ulong*)(definition + TableDefinitionLayout.Maximum)) return -1;
        if (delta == 0) return (long)length;
        var elements = (ulong*)NativeMemory.Realloc(*(void**)(definition + TableDefinitionLayout.Elements), (nuint)newLength * 8);
        for (var i = length; i < newLength; i++) elements[i] = initialSlot;
        *(ulong**)(definition + TableDefinitionLayout.Elements) = elements;
        *(ulong*)(definition + TableDefinitionLayout.Length) = newLength;
        return (long)length;
    }

    private void ThrowIfDisposed()
    {
        if (_store.IsDisposed) throw new ObjectDisposedException(nameof(Table));
    }

    public override string ToString() => $"table {CurrentType}";

    /// <summary>Frees the element array (which moves on growth, so the store cannot own it as a block).</summary>
    private sealed class ElementsOwner : IDisposable
    {
        private readonly byte* _definition;

        public ElementsOwner(byte* definition) => _definition = definition;

        public void Dispose()
        {
            NativeMemory.Free(*(void**)(_definition + TableDefinitionLayout.Elements));
            *(void**)(_definition + TableDefinitionLayout.Elements) = null;
        }
    }
}
