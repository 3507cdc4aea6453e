using System;
using System.Collections.Generic;
using WasmToolkit.Instructions;

namespace WasmToolkit.Compiler.Baseline;

/// <summary>
/// The look-ahead before a function's code is emitted (its byte-level fast path is in FunctionCompiler.FastScan.cs):
/// hidden slots, whether the body touches memory, and per loop its most read locals, which the loop header then keeps
/// in registers.
/// </summary>
internal sealed partial class FunctionCompiler
{
    /// <summary>A loop found by the look-ahead: its offset, where its reads start in <see cref="_loopReads"/>, and its chosen locals in <see cref="_chosenLocals"/> (count -1 until its end).</summary>
    private struct ScannedLoop
    {
        public int Offset;
        public int ReadStart;
        public int ChosenStart;
        public int ChosenCount;
    }

    // The look-ahead's loop buffers (ScanIfParameters, EndOpenBlock), kept from function to function.
    private ScannedLoop[] _scannedLoops = new ScannedLoop[16];
    private int _scannedLoopCount;
    private int _preloadCursor;

    /// <summary>Blocks, loops and ifs open at the look-ahead's position: a loop's index in <see cref="_scannedLoops"/>, -1 for the others.</summary>
    private int[] _openBlocks = new int[16];
    private int _openBlockCount;
    private int _openLoopCount;

    /// <summary>The locals of the <c>local.get</c>s inside open loops, in order.</summary>
    private int[] _loopReads = new int[256];
    private int _loopReadCount;
    private int[] _chosenLocals = new int[64];
    private int _chosenCount;

    /// <summary>Per local: reads in the loop being ranked, valid where <see cref="_readStamp"/> is <see cref="_readEpoch"/>.</summary>
    private int[] _readTally = new int[16];
    private int[] _readStamp = new int[16];
    private int _readEpoch;
    private ulong[] _rankKeys = new ulong[64];
    private Dictionary<int, int>? _outOfRangeReads;

    /// <summary>
    /// The one look-ahead, for the hidden slots between the locals and the value stack (their number
    /// must be known before the first value-stack slot is used): an <c>if</c> with parameters needs them
    /// again in its else arm, after the then arm may have reused their slots; a call through a function
    /// reference (an import or a table) saves the context register in one slot.
    /// </summary>
    private void ScanIfParameters()
    {
        BeginLoopScan();
        var hasMemory = _module.TotalMemoryCount > 0;
        var importedFunctions = (uint)_module.ImportedFunctionCount;
        if (FastLookAhead && TryScanFast(hasMemory, importedFunctions)) return;

        // Something the fast scan leaves to the reader: forget what it noted (all of it is the scan's) and start again.
        _hiddenSlots = 0;
        _contextSaveSlot = -1;
        _ifSaveSlots.Clear();
        _usesMemoryBase = false;
        BeginLoopScan();
        var reader = _function.GetInstructionReader();

        // One switch per instruction; most opcodes take the default.
        while (reader.Read())
        {
            switch (reader.Opcode)
            {
                case Opcode.Loop:
                    if (_scannedLoopCount == _scannedLoops.Length) Array.Resize(ref _scannedLoops, _scannedLoops.Length * 2);
                    _scannedLoops[_scannedLoopCount] = new ScannedLoop { Offset = reader.InstructionOffset, ReadStart = _loopReadCount, ChosenCount = -1 };
                    PushOpenBlock(_scannedLoopCount++);
                    break;
                case Opcode.Block:
                    PushOpenBlock(-1);
                    break;
                case Opcode.If:
                    PushOpenBlock(-1);
                    if (reader.BlockType.Kind == BlockTypeKind.TypeIndex) NoteIfParameters(reader.BlockType.TypeIndex, reader.InstructionOffset);
                    break;
                case Opcode.End:
                    EndOpenBlock();
                    break;
                case Opcode.LocalGet:
                    if (_openLoopCount > 0)
                    {
                        if (_loopReadCount == _loopReads.Length) Array.Resize(ref _loopReads, _loopReads.Length * 2);
                        _loopReads[_loopReadCount++] = (int)Math.Min(reader.Index, int.MaxValue);
                    }

                    break;
                case Opcode.Call:
                    if (reader.Index < importedFunctions) NoteContextSwitch();
                    break;
                case Opcode.CallIndirect:
                    NoteContextSwitch();
                    break;
                case >= Opcode.I32Load and <= Opcode.I64Store32:
                    if (hasMemory) _usesMemoryBase = true;
                    break;
                case >= Opcode.V128Load:
                    // A SIMD instruction: v128 values need 16-byte slots; its loads and stores use the memory base.
                    _slotWidth = 2;
                    if (hasMemory && reader.Info?.Immediate is ImmediateKind.Memarg or ImmediateKind.MemargLane) _usesMemoryBase = true;
                    break;
            }
        }
    }

    /// <summary>A call through a function reference (an import or a table): one hidden slot keeps the context register.</summary>
    private void NoteContextSwitch()
    {
        if (_contextSaveSlot < 0) _contextSaveSlot = _hiddenSlots++;
    }

    /// <summary>An <c>if</c> at <paramref name="offset"/> whose block type is <paramref name="typeIndex"/>: hidden slots for its parameters, if any.</summary>
    private void NoteIfParameters(uint typeIndex, int offset)
    {
        if (typeIndex >= (uint)_module.Types.Length) return;
        var count = _module.Types[(int)typeIndex].Parameters.Length;
        if (count == 0) return;
        _ifSaveSlots.Add(offset, _hiddenSlots);
        _hiddenSlots += count;
    }

    /// <summary>Most integer locals a loop header loads into registers (of the ten allocatable, the rest stay for temporaries).</summary>
    private const int MaxLoopLocals = 4;

    /// <summary>Most float locals a loop header loads into float registers (x64 allocates fourteen).</summary>
    private const int MaxLoopFloatLocals = 8;

    /// <summary>General registers a loop header leaves free for temporaries.</summary>
    private const int LoopHeaderFreeRegisters = 4;

    /// <summary>Float registers a loop header leaves free for temporaries.</summary>
    private const int LoopHeaderFreeFloatRegisters = 6;

    /// <summary>Starts the loop part of the look-ahead for the current function (the buffers are kept from function to function).</summary>
    private void BeginLoopScan()
    {
        _scannedLoopCount = 0;
        _openBlockCount = 0;
        _openLoopCount = 0;
        _loopReadCount = 0;
        _chosenCount = 0;
        _preloadCursor = 0;
        if (_readStamp.Length < _localCount)
        {
            _readStamp = new int[Math.Max(_localCount, _readStamp.Length * 2)];
            _readTally = new int[_readStamp.Length];
            _readEpoch = 0;
        }
    }

    /// <summary>
    /// Part of the look-ahead (<see cref="ScanIfParameters"/>): counts the <c>local.get</c>s inside each loop (nested loops
    /// included) and keeps, per loop, the most read locals, which its header then loads into registers
    /// (<see cref="PreloadLoopLocals"/>). This is the <c>end</c> of a block, loop or if (or of the function).
    /// </summary>
    /// <remarks>
    /// Allocation-free (it ran for every loop of every function: a dictionary per loop and a list and a sort per loop end
    /// were a tenth of the compile): the locals read inside open loops are logged in order, and a loop's end tallies its
    /// part of the log, which holds its nested loops' reads too.
    /// </remarks>
    private void EndOpenBlock()
    {
        if (_openBlockCount == 0) return;
        var loop = _openBlocks[--_openBlockCount];
        if (loop < 0) return;
        _openLoopCount--;
        ChooseLoopLocals(ref _scannedLoops[loop]);

        // The outermost loop is done: no later loop's tally reaches back into the log.
        if (_openLoopCount == 0) _loopReadCount = 0;
    }

    /// <summary>Opens a block, loop or if in the look-ahead: <paramref name="loop"/> is its index in <see cref="_scannedLoops"/>, or -1 for a block or if.</summary>
    private void PushOpenBlock(int loop)
    {
        if (_openBlockCount == _openBlocks.Length) Array.Resize(ref _openBlocks, _openBlocks.Length * 2);
        _openBlocks[_openBlockCount++] = loop;
        if (loop >= 0) _openLoopCount++;
    }

    /// <summary>
    /// At a loop's end in the look-ahead: ranks the locals it reads by reads (most first, then lowest index) and keeps the
    /// first <see cref="MaxLoopLocals"/> integer and <see cref="MaxLoopFloatLocals"/> float ones, in rank order.
    /// </summary>
    private void ChooseLoopLocals(ref ScannedLoop loop)
    {
        if (++_readEpoch == int.MaxValue)
        {
            Array.Clear(_readStamp);
            _readEpoch = 1;
        }

        var distinct = 0;
        _outOfRangeReads?.Clear();
        for (var i = loop.ReadStart; i < _loopReadCount; i++)
        {
            var local = _loopReads[i];
            if (local >= _localCount)
            {
                // Only an invalid body reads such a local; it still takes a place in the ranking, as an integer.
                _outOfRangeReads ??= new();
                _outOfRangeReads[local] = _outOfRangeReads.TryGetValue(local, out var n) ? n + 1 : 1;
                continue;
            }

            if (_readStamp[local] != _readEpoch)
            {
                _readStamp[local] = _readEpoch;
                _readTally[local] = 0;
                if (distinct == _rankKeys.Length) Array.Resize(ref _rankKeys, _rankKeys.Length * 2);
                _rankKeys[distinct++] = (uint)local;
            }

            _readTally[local]++;
        }

        // One sortable key per local: fewer reads give a larger key, the index breaks ties.
        for (var k = 0; k < distinct; k++)
        {
            var local = (int)_rankKeys[k];
            _rankKeys[k] = RankKey(local, _readTally[local]);
        }

        if (_outOfRangeReads is { Count: > 0 })
        {
            foreach (var (local, n) in _outOfRangeReads)
            {
                if (distinct == _rankKeys.Length) Array.Resize(ref _rankKeys, _rankKeys.Length * 2);
                _rankKeys[distinct++] = RankKey(local, n);
            }
        }

        Array.Sort(_rankKeys, 0, distinct);
        loop.ChosenStart = _chosenCount;
        int integers = 0, floats = 0;
        for (var k = 0; k < distinct && (integers < MaxLoopLocals || floats < MaxLoopFloatLocals); k++)
        {
            var local = (int)(uint)_rankKeys[k];
            var isFloat = local < _localCount && _localFloat[local];
            if (isFloat ? floats++ < MaxLoopFloatLocals : integers++ < MaxLoopLocals)
            {
                if (_chosenCount == _chosenLocals.Length) Array.Resize(ref _chosenLocals, _chosenLocals.Length * 2);
                _chosenLocals[_chosenCount++] = local;
            }
        }

        loop.ChosenCount = _chosenCount - loop.ChosenStart;
    }

    private static ulong RankKey(int local, int reads) => ((ulong)(uint)(int.MaxValue - reads) << 32) | (uint)local;

    /// <summary>At a loop's entry: loads its most read locals into free registers, so they are cached at its header.</summary>
    private void PreloadLoopLocals(Control control)
    {
        // Loops are scanned and entered in offset order, so a cursor finds this one.
        while (_preloadCursor < _scannedLoopCount && _scannedLoops[_preloadCursor].Offset < _offset) _preloadCursor++;
        if (_preloadCursor == _scannedLoopCount || _scannedLoops[_preloadCursor].Offset != _offset) return;
        ref var loop = ref _scannedLoops[_preloadCursor];
        if (loop.ChosenCount < 0) return;
        control.LoopLocalsStart = loop.ChosenStart;
        control.LoopLocalsCount = loop.ChosenCount;
        var locals = _chosenLocals.AsSpan(loop.ChosenStart, loop.ChosenCount);
        foreach (var local in locals)
        {
            if (local >= _localCount) continue;
            if (TryCachedLocal(local, out _)) continue;
            var isFloat = _localFloat[local];
            var free = _free.Intersect(RegSet.Class(isFloat));
            var reserve = isFloat ? LoopHeaderFreeFloatRegisters : LoopHeaderFreeRegisters;
            while (free.Count <= reserve && TryEvictForLoop(locals, isFloat, out free))
            {
            }

            if (free.Count <= reserve) continue;
            var reg = free.First;
            Take(reg);
            _m.LoadFrame(reg, LocalOffset(local), _localSizes[local]);
            Cache(local, reg);
        }
    }

    /// <summary>
    /// Frees a register of the class for a loop header by forgetting a cached local the loop reads less (not in
    /// <paramref name="loopLocals"/>): cached locals are written through, so forgetting one costs no store.
    /// </summary>
    private bool TryEvictForLoop(ReadOnlySpan<int> loopLocals, bool isFloat, out RegSet free)
    {
        for (var candidates = _cached.Intersect(RegSet.Class(isFloat)); !candidates.IsEmpty; candidates = candidates.Remove(candidates.First))
        {
            var r = candidates.First;
            if (loopLocals.IndexOf(_regLocal[r.Code]) >= 0) continue;
            Uncache(r);
            free = _free.Intersect(RegSet.Class(isFloat));
            return true;
        }

        free = RegSet.Empty;
        return false;
    }
}
