using System;
using WasmToolkit.Compiler;
using WasmToolkit.Runtime.Native;

namespace WasmToolkit.Runtime;

/// <summary>
/// A linear memory in native memory (never a movable managed array): an instance's, or one the host
/// creates and gives to instances as an import. The host reads and writes it through spans.
/// </summary>
/// <remarks>Backed by a <see cref="MemoryDefinitionLayout"/> record that every importing instance's code reads.</remarks>
public sealed unsafe class Memory : Extern
{
    private readonly Store _store;

    /// <summary>A host-created memory of <paramref name="type"/> (32-bit, unshared).</summary>
    public Memory(MemoryType type)
        : this(new Store(), type)
    {
    }

    /// <summary>A host-created memory of <paramref name="minimumPages"/> pages, growable to <paramref name="maximumPages"/>.</summary>
    public Memory(uint minimumPages, uint? maximumPages = null)
        : this(new MemoryType(new Limits(minimumPages, maximumPages)))
    {
    }

    private Memory(Store store, MemoryType type)
        : this(store, store.Allocate(MemoryDefinitionLayout.RecordSize), type)
    {
    }

    /// <summary>A memory whose definition record is at <paramref name="definition"/> (an instance's context header).</summary>
    internal Memory(Store store, byte* definition, MemoryType type)
    {
        if (type.Limits.Is64 || type.Limits.IsShared) throw new NotSupportedException("64-bit and shared memories are not supported yet.");
        if (type.Limits.Minimum > WasmLimits.MaxMemoryPages32 || (type.Limits.Maximum is { } m && (m > WasmLimits.MaxMemoryPages32 || m < type.Limits.Minimum)))
        {
            throw new ArgumentException($"Invalid memory limits {type.Limits}.", nameof(type));
        }

        _store = store;
        Definition = definition;
        DeclaredMaximum = type.Limits.Maximum;
        var max = Math.Min(type.Limits.Maximum ?? WasmLimits.MaxMemoryPages32, WasmLimits.MaxMemoryPages32);
        var linear = LinearMemory.Create(type.Limits.Minimum, max);
        store.Own(linear);
        *(ulong*)(definition + MemoryDefinitionLayout.Base) = (ulong)linear.Base;
        SetSize(definition, type.Limits.Minimum * LinearMemory.PageSize);
        *(ulong*)(definition + MemoryDefinitionLayout.MaxPages) = max;
        *(ulong*)(definition + MemoryDefinitionLayout.Reserved) = linear.ReservedBytes;
    }

    public override ExternalKind Kind => ExternalKind.Memory;

    internal byte* Definition { get; }

    internal Store Store => _store;

    /// <summary>The maximum the memory was declared with, if any.</summary>
    public ulong? DeclaredMaximum { get; }

    /// <summary>The current type: the minimum is the current size in pages.</summary>
    public MemoryType Type => new(new Limits(PageCount, DeclaredMaximum));

    /// <summary>Current size in bytes.</summary>
    public long Size
    {
        get
        {
            ThrowIfDisposed();
            return (long)*(ulong*)(Definition + MemoryDefinitionLayout.Size);
        }
    }

    /// <summary>Current size in 64 KiB pages.</summary>
    public ulong PageCount => (ulong)Size / LinearMemory.PageSize;

    /// <summary>The memory's bytes; invalidated by growth, so do not keep it across calls into wasm.</summary>
    public Span<byte> GetSpan()
    {
        ThrowIfDisposed();
        var size = *(ulong*)(Definition + MemoryDefinitionLayout.Size);
        return new Span<byte>(*(byte**)(Definition + MemoryDefinitionLayout.Base), checked((int)Math.Min(size, int.MaxValue)));
    }

    /// <summary>Grows by <paramref name="deltaPages"/>; returns the old size in pages, or -1 when the maximum or the OS says no.</summary>
    public long Grow(uint deltaPages)
    {
        ThrowIfDisposed();
        return Grow(Definition, deltaPages);
    }

    /// <summary>memory.grow on a definition record (also the builtin's body).</summary>
    internal static long Grow(byte* definition, uint deltaPages)
    {
        var size = *(ulong*)(definition + MemoryDefinitionLayout.Size);
        var oldPages = size / LinearMemory.PageSize;
        var newPages = oldPages + deltaPages;
        if (newPages > *(ulong*)(definition + MemoryDefinitionLayout.MaxPages)) return -1;
        var memoryBase = *(byte**)(definition + MemoryDefinitionLayout.Base);
        if (memoryBase == null || !LinearMemory.Commit(memoryBase, oldPages, newPages)) return -1;
        SetSize(definition, newPages * LinearMemory.PageSize);
        return (long)oldPages;
    }

    /// <summary>
    /// Sets the size and the access limits code checks against. The size goes first: a memory only grows, so code
    /// running meanwhile on another thread sees limits no larger than the size it can see.
    /// </summary>
    private static void SetSize(byte* definition, ulong bytes)
    {
        *(ulong*)(definition + MemoryDefinitionLayout.Size) = bytes;
        for (var i = 0; i < MemoryDefinitionLayout.AccessLimitWidths; i++)
        {
            var width = 1 << i;
            *(long*)(definition + MemoryDefinitionLayout.AccessLimit(width)) = MemoryDefinitionLayout.AccessLimitFor(bytes, width);
        }
    }

    private void ThrowIfDisposed()
    {
        if (_store.IsDisposed) throw new ObjectDisposedException(nameof(Memory));
    }

    public override string ToString() => $"memory {Type}";
}
