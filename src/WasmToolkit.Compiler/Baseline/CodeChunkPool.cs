using System;
using System.Collections.Generic;
using System.Threading;

namespace WasmToolkit.Compiler.Baseline;

/// <summary>
/// Memory for one compile worker's finished functions: consecutive functions take slices of a chunk, and a chunk is
/// used again once every function in it was published (copied into the module's code space) and the worker has moved
/// on to another chunk.
/// </summary>
/// <remarks>
/// Why: without reuse every megabyte of code was a fresh large-object array (13 MB for a 5 MB module), garbage as soon
/// as its functions were published, which set off gen-2 collections in a loop of compiles. With one worker a single
/// chunk serves the whole module (each function is published before the next is compiled); with more, a function may
/// wait for a lower-numbered one, bounded by the pipeline's pending-code budget. <see cref="Allocate"/> is called by the
/// worker's thread only; <see cref="CodeChunk.Release"/> by whichever thread publishes, so the counts are atomic.
/// </remarks>
internal sealed class CodeChunkPool
{
    private const int MaxChunkSize = 1 << 20;

    private readonly Stack<CodeChunk> _free = new();
    private CodeChunk? _current;
    private int _used;
    private int _chunkSize = 8 << 10;

    /// <summary>
    /// Room for <paramref name="length"/> bytes of one function's code; the caller hands <paramref name="chunk"/> to
    /// the function's <see cref="FunctionCode"/>, whose publisher releases it once the bytes are copied.
    /// </summary>
    public Memory<byte> Allocate(int length, out CodeChunk chunk)
    {
        if (_current is null || _current.Bytes.Length - _used < length) Switch(length);
        chunk = _current!;
        Interlocked.Increment(ref chunk.Holds);
        var memory = chunk.Bytes.AsMemory(_used, length);
        _used += length;
        return memory;
    }

    /// <summary>Leaves the current chunk (freed once its last function is published) for a free one of at least <paramref name="length"/> bytes, or a new one.</summary>
    private void Switch(int length)
    {
        _current?.Release();
        _current = null;
        lock (_free)
        {
            while (_free.Count > 0)
            {
                var candidate = _free.Pop();
                if (candidate.Bytes.Length >= length)
                {
                    _current = candidate;
                    break;
                }
            }
        }

        if (_current is null)
        {
            // Chunks grow up to 1 MB (past 85 KB on the large object heap); contents are always written before they are read.
            _chunkSize = Math.Min(_chunkSize * 2, MaxChunkSize);
            _current = new CodeChunk(this, GC.AllocateUninitializedArray<byte>(Math.Max(length, _chunkSize)));
        }

        // The worker's own hold until it moves on.
        _current.Holds = 1;
        _used = 0;
    }

    /// <summary>Drops the free chunks but one (a worker kept between compilations holds no more than it needs to start).</summary>
    public void Trim()
    {
        lock (_free)
        {
            while (_free.Count > 1) _free.Pop();
        }
    }

    internal void Return(CodeChunk chunk)
    {
        lock (_free) _free.Push(chunk);
    }
}

/// <summary>A chunk of a <see cref="CodeChunkPool"/>: its bytes, and how many holders (unpublished functions, the worker) it has.</summary>
internal sealed class CodeChunk
{
    private readonly CodeChunkPool _pool;

    public CodeChunk(CodeChunkPool pool, byte[] bytes)
    {
        _pool = pool;
        Bytes = bytes;
    }

    public byte[] Bytes { get; }

    /// <summary>Unpublished functions in the chunk, plus one while the worker still allocates from it.</summary>
    internal int Holds;

    /// <summary>Drops one hold; the last one returns the chunk to its pool. A function's bytes must not be read after its release.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref Holds) == 0) _pool.Return(this);
    }
}
