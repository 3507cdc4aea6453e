using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using WasmToolkit.Compiler.Baseline;

namespace WasmToolkit.Compiler.Pipeline;

/// <summary>
/// Receives unit results in index order and lays their code out as it comes (V8's <c>NativeModule</c> publishing):
/// the code is copied into the module's code space at once, so a worker's buffer is no longer held for it, and
/// trap sites, call sites and statistics are collected; <see cref="Link"/> then resolves calls between functions
/// and freezes the <see cref="CompiledModule"/>.
/// </summary>
/// <remarks>
/// Layout (the same as ever, so the bytes do not change): the trap stub, one entry stub per distinct signature of
/// a defined function in order of first use, then the functions, each start and the end 16-byte aligned, padding
/// <c>int3</c>. Everything before the first function depends only on the module, so it is laid out up front and a
/// function's offset is known when it is published. Not thread-safe: the pipeline publishes under its lock.
/// </remarks>
internal sealed class CodePublisher
{
    // The code space grows in segments (no doubling copies of a large array); Link copies once into the exact size.
    // Segments are rented from the shared array pool and returned by Link: fresh memory was the costliest part of
    // publishing (the first write to each page faults; measured ~4% of a compile for 13 MB), and a rented segment's
    // pages are already there. Nothing reads a byte Publish did not write, so stale contents cannot show.
    private const int SegmentSize = 1 << 20;

    private readonly Module _module;
    private readonly CompilerOptions _options;
    private readonly ImmutableArray<CompileError>.Builder _errors;
    private readonly ImmutableArray<CompileError>.Builder _unsupported;
    private readonly ImageHeader _header;
    private readonly List<byte[]> _segments = new();

    // Collected in pooled chunks until Link, which sizes the module's arrays exactly once (growing lists cost ~15 MB of
    // copies on a 5 MB module; keeping each function's arrays instead had the collector promote them until Link).
    // The calls Link resolves: image offset and the defined function called (a later one than the caller).
    private readonly PooledChunkList<(int At, int Target)> _relocations = new();
    private readonly PooledChunkList<TrapSite> _trapSites = new();
    private readonly PooledChunkList<TrapSite> _callSites = new();
    private readonly CompiledFunction[] _functions;
    private int _size;
    private int _published;
    private int _spills;
    private int _instructions;
    private ExceptionDispatchInfo? _exception;

    /// <summary>
    /// A publisher for <paramref name="module"/>'s defined functions (for streaming: its prefix, whose function types
    /// are the module's); unit errors go to <paramref name="errors"/> after the module-level ones already in it, functions
    /// compiled as trapping stubs to <paramref name="unsupported"/>.
    /// </summary>
    public CodePublisher(Module module, CompilerOptions options, ImmutableArray<CompileError>.Builder errors, ImmutableArray<CompileError>.Builder unsupported)
    {
        _module = module;
        _options = options;
        _errors = errors;
        _unsupported = unsupported;
        var count = module.Functions.Length;
        _functions = new CompiledFunction[count];
        _header = ImageHeader.For(module, options.Architecture);
        _size = _header.Size;
    }

    /// <summary>Functions published so far (the next one to publish is this index).</summary>
    public int Published => _published;

    /// <summary>Bytes of the code space so far.</summary>
    public int Size => _size;

    /// <summary>True when some unit failed: the module will not be linked.</summary>
    public bool Failed { get; private set; }


    /// <summary>Publishes the next function's result (index <see cref="Published"/>).</summary>
    public void Publish(in UnitResult unit)
    {
        var i = _published++;
        if (unit.Exception is { } exception)
        {
            // A compiler bug: rethrown by Link, the first by index, as the sequential loop would.
            _exception ??= exception;
            Failed = true;
            return;
        }

        if (unit.Error is { } error) _errors.Add(error);
        if (unit.Unsupported is { } unsupported) _unsupported.Add(unsupported);
        if (unit.Type is null || unit.Code is null || Failed || _errors.Count > 0)
        {
            // Nothing will be linked; keep collecting errors only.
            unit.Code?.ReleaseBytes();
            Failed = true;
            return;
        }

        var code = unit.Code;
        var offset = _size;
        var length = code.Bytes.Length;
        Write(code.Bytes.Span, offset);
        code.ReleaseBytes();
        _size = ImageHeader.Align(offset + length);
        Pad(offset + length, _size);
        // Calls whose target is placed already (the trap stub, this function, an earlier one) are resolved now, while
        // the other workers compile; Link, which runs alone, is left only the calls to later functions.
        foreach (var reloc in code.Relocations)
        {
            var at = offset + reloc.Offset;
            if (reloc.Kind != RelocationKind.Function) PatchInSegments(at, ImageHeader.TrapStubOffset);
            else if (reloc.Target == i) PatchInSegments(at, offset);
            else if (reloc.Target < i) PatchInSegments(at, _functions[reloc.Target].Offset);
            else _relocations.Add((at, reloc.Target));
        }

        var index = _module.ImportedFunctionCount + i;
        foreach (var site in code.TrapSites) _trapSites.Add(new TrapSite(offset + site.ReturnOffset, index, site.WasmOffset, site.Kind));
        foreach (var site in code.CallSites) _callSites.Add(new TrapSite(offset + site.ReturnOffset, index, site.WasmOffset, 0));
        _functions[i] = new CompiledFunction(index, unit.Type, offset, length, _header.FunctionStub[i]);
        _spills += unit.Spills;
        _instructions += unit.Instructions;
    }

    /// <summary>Writes <paramref name="bytes"/> at image offset <paramref name="offset"/> (at or after the header) into the segments.</summary>
    private void Write(ReadOnlySpan<byte> bytes, int offset)
    {
        var at = offset - _header.Size;
        while (!bytes.IsEmpty)
        {
            var segment = at / SegmentSize;

            while (_segments.Count <= segment) _segments.Add(ArrayPool<byte>.Shared.Rent(SegmentSize));
            var within = at % SegmentSize;
            var n = Math.Min(bytes.Length, SegmentSize - within);
            bytes.Slice(0, n).CopyTo(_segments[segment].AsSpan(within));
            bytes = bytes.Slice(n);
            at += n;
        }
    }

    /// <summary>Points the call at image offset <paramref name="at"/> (in the segments) to <paramref name="target"/>.</summary>
    private void PatchInSegments(int at, int target)
    {
        var (segment, within) = Math.DivRem(at - _header.Size, SegmentSize);
        if (within <= SegmentSize - 4)
        {
            Resolve(_segments[segment].AsSpan(within, 4), at, target);
            return;
        }

        // The four bytes straddle two segments (x64 calls are not aligned).
        Span<byte> word = stackalloc byte[4];
        Read(at, word);
        Resolve(word, at, target);
        Write(word, at);
    }

    /// <summary>Reads image offsets from <paramref name="offset"/> (at or after the header) into <paramref name="bytes"/>, from the segments.</summary>
    private void Read(int offset, Span<byte> bytes)
    {
        var at = offset - _header.Size;
        while (!bytes.IsEmpty)
        {
            var within = at % SegmentSize;
            var n = Math.Min(bytes.Length, SegmentSize - within);
            _segments[at / SegmentSize].AsSpan(within, n).CopyTo(bytes);
            bytes = bytes.Slice(n);
            at += n;
        }
    }

    /// <summary>Fills image offsets [<paramref name="from"/>, <paramref name="to"/>) (alignment, under 16 bytes) with the padding byte.</summary>
    private void Pad(int from, int to)
    {
        Span<byte> padding = stackalloc byte[16];
        padding.Fill(_header.PaddingByte);
        Write(padding.Slice(0, to - from), from);
    }

    /// <summary>
    /// Resolves calls and builds the module <paramref name="module"/> (for streaming the whole decoded module, not the
    /// prefix); null when a unit failed (the errors are in the builders).
    /// </summary>
    public CompiledModule? Link(Module module, ImmutableArray<CompileError> unsupportedFunctions)
    {
        _exception?.Throw();
        if (Failed || _errors.Count > 0) return null;
        if (_published != _functions.Length) throw new InvalidOperationException("Link before every function was published.");

        // Not cleared: the header and the segments cover every byte.
        var bytes = GC.AllocateUninitializedArray<byte>(_size);
        _header.WriteTo(bytes);
        var remaining = _size - _header.Size;
        for (var s = 0; remaining > 0; s++)
        {
            var n = Math.Min(remaining, SegmentSize);
            _segments[s].AsSpan(0, n).CopyTo(bytes.AsSpan(_header.Size + s * SegmentSize));
            remaining -= n;
        }

        foreach (var segment in _segments) ArrayPool<byte>.Shared.Return(segment);
        _segments.Clear();

        const int trapStubOffset = ImageHeader.TrapStubOffset;
        for (var c = 0; c < _relocations.ChunkCount; c++)
        {
            foreach (var (at, target) in _relocations.Chunk(c)) Resolve(bytes.AsSpan(at, 4), at, _functions[target].Offset);
        }

        var trapSites = _trapSites.ToArray();
        var callSites = _callSites.ToArray();
        _relocations.Release();
        _trapSites.Release();
        _callSites.Release();

        // Functions are laid out in order and each one's trap sites come in code order, so they are normally sorted
        // already (checking is linear; sorting a sorted array was ~4% of compile time); sort only when not.
        if (!IsSorted(trapSites)) Array.Sort(trapSites, s_byReturnOffset);
        var statistics = new CompilationStatistics(_functions.Length, bytes.Length, _instructions, _spills, trapSites.Length);
        return new CompiledModule(
            module, _options, ImmutableCollectionsMarshal.AsImmutableArray(bytes), trapStubOffset, ImmutableCollectionsMarshal.AsImmutableArray(_functions), _header.Stubs,
            ImmutableCollectionsMarshal.AsImmutableArray(trapSites), ImmutableCollectionsMarshal.AsImmutableArray(callSites), statistics, unsupportedFunctions);
    }

    /// <summary>
    /// Points the call whose displacement is <paramref name="word"/>, at image offset <paramref name="at"/> (a
    /// <see cref="Relocation.Offset"/> moved into the image), to <paramref name="target"/>.
    /// </summary>
    private void Resolve(Span<byte> word, int at, int target)
    {
        if (_header.Architecture == TargetArchitecture.Arm64)
        {
            // bl: imm26 = (target - at) / 4; images stay far below bl's ±128 MiB.
            var instruction = BinaryPrimitives.ReadUInt32LittleEndian(word);
            if ((instruction & 0xFC00_0000) != 0x9400_0000) throw new InvalidOperationException("Unexpected call encoding.");
            var distance = (target - at) / 4;
            BinaryPrimitives.WriteUInt32LittleEndian(word, (instruction & 0xFC00_0000) | ((uint)distance & 0x03FF_FFFF));
            return;
        }

        BinaryPrimitives.WriteInt32LittleEndian(word, target - (at + 4));
    }

    private static bool IsSorted(TrapSite[] sites)
    {
        for (var i = 1; i < sites.Length; i++)
        {
            if (sites[i - 1].ReturnOffset > sites[i].ReturnOffset) return false;
        }

        return true;
    }

    private static readonly Comparison<TrapSite> s_byReturnOffset = (a, b) => a.ReturnOffset.CompareTo(b.ReturnOffset);
}
