using System;
using System.Buffers;
using System.Collections.Generic;

namespace WasmToolkit.Compiler.Pipeline;

/// <summary>
/// An append-only list in chunks rented from the shared array pool, for what the publisher collects until Link (trap
/// sites, call sites, relocations): no growth copies, and nothing the garbage collector has to promote from
/// generation to generation while the module compiles (per-function arrays kept until Link were).
/// </summary>
/// <remarks>Not thread-safe (the publisher runs under the pipeline's lock). <see cref="Release"/> hands the chunks back.</remarks>
internal sealed class PooledChunkList<T>
    where T : struct
{
    private const int ChunkLength = 1 << 14;

    private readonly List<T[]> _chunks = new();
    private int _count;

    public int Count => _count;

    public void Add(in T item)
    {
        var within = _count & (ChunkLength - 1);
        if (within == 0 && _count >> 14 == _chunks.Count) _chunks.Add(ArrayPool<T>.Shared.Rent(ChunkLength));
        _chunks[_count >> 14][within] = item;
        _count++;
    }

    /// <summary>Chunk <paramref name="index"/>'s items, in order (chunks are full but the last).</summary>
    public ReadOnlySpan<T> Chunk(int index) => _chunks[index].AsSpan(0, Math.Min(ChunkLength, _count - (index << 14)));

    /// <summary>Number of chunks holding items.</summary>
    public int ChunkCount => (_count + ChunkLength - 1) >> 14;

    /// <summary>The items in one exact array (an empty one without items).</summary>
    public T[] ToArray()
    {
        if (_count == 0) return [];
        var array = new T[_count];
        for (var c = 0; c < ChunkCount; c++) Chunk(c).CopyTo(array.AsSpan(c << 14));
        return array;
    }

    /// <summary>Returns the chunks to the pool; the list is empty afterwards.</summary>
    public void Release()
    {
        foreach (var chunk in _chunks) ArrayPool<T>.Shared.Return(chunk);
        _chunks.Clear();
        _count = 0;
    }
}
