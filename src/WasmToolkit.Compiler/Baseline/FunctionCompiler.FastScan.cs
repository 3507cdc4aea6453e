using System;
using WasmToolkit.Instructions;

namespace WasmToolkit.Compiler.Baseline;

internal sealed partial class FunctionCompiler
{
    /// <summary>
    /// What the fast look-ahead does with a one-byte opcode (<see cref="TryScanFast"/>): skip its immediates, or note it as
    /// well. One table and one switch per instruction: the scan's cost is mostly mispredicted dispatch, so it dispatches once.
    /// </summary>
    private enum ScanAction : byte
    {
        /// <summary>Anything the fast scan leaves to <see cref="InstructionReader"/> (prefixes, unknown opcodes, rare immediates).</summary>
        Bail,
        None,
        U32,
        S32,
        S64,
        Fixed4,
        Fixed8,
        MemoryByte,
        BrTable,

        /// <summary>A memarg that is no memory access for the look-ahead.</summary>
        Memarg,

        /// <summary>A load or store (memarg): the body uses the memory base register.</summary>
        MemoryAccess,
        Block,
        Loop,
        If,
        End,
        LocalGet,
        Call,
        CallIndirect,
    }

    private static readonly ScanAction[] s_scanActions = CreateScanActions();

    private static ScanAction[] CreateScanActions()
    {
        var table = new ScanAction[256];
        for (var b = 0; b < 0xFC; b++)
        {
            if (OpcodeTable.Get((Opcode)b) is not { } info) continue;
            table[b] = (Opcode)b switch
            {
                Opcode.Block => ScanAction.Block,
                Opcode.Loop => ScanAction.Loop,
                Opcode.If => ScanAction.If,
                Opcode.End => ScanAction.End,
                Opcode.LocalGet => ScanAction.LocalGet,
                Opcode.Call => ScanAction.Call,
                Opcode.CallIndirect => ScanAction.CallIndirect,
                >= Opcode.I32Load and <= Opcode.I64Store32 when info.Immediate == ImmediateKind.Memarg => ScanAction.MemoryAccess,
                _ => info.Immediate switch
                {
                    ImmediateKind.None => ScanAction.None,
                    ImmediateKind.Label or ImmediateKind.Func or ImmediateKind.Local or ImmediateKind.Global or ImmediateKind.Table
                        or ImmediateKind.Data or ImmediateKind.Elem => ScanAction.U32,
                    ImmediateKind.I32 => ScanAction.S32,
                    ImmediateKind.I64 => ScanAction.S64,
                    ImmediateKind.F32 => ScanAction.Fixed4,
                    ImmediateKind.F64 => ScanAction.Fixed8,
                    ImmediateKind.Memarg => ScanAction.Memarg,
                    ImmediateKind.Memory => ScanAction.MemoryByte,
                    ImmediateKind.BrTable => ScanAction.BrTable,
                    _ => ScanAction.Bail,
                },
            };

            // The actions that note an opcode assume its immediate kind; any other table would bail.
            var expected = table[b] switch
            {
                ScanAction.Block or ScanAction.Loop or ScanAction.If => ImmediateKind.Block,
                ScanAction.LocalGet => ImmediateKind.Local,
                ScanAction.Call => ImmediateKind.Func,
                ScanAction.CallIndirect => ImmediateKind.CallIndirect,
                ScanAction.End => ImmediateKind.None,
                _ => info.Immediate,
            };
            if (expected != info.Immediate) table[b] = ScanAction.Bail;
        }

        return table;
    }

    /// <summary>
    /// The look-ahead over the body's bytes without <see cref="InstructionReader"/>: every body is read twice, and decoding
    /// every immediate into the reader's properties was most of the first read. Returns false at anything it does not
    /// handle (prefixed opcodes, immediates longer than the common encodings, rare immediate kinds, a truncated body);
    /// the caller then forgets what it noted and scans with the reader.
    /// </summary>
    /// <remarks>
    /// Exactness: on every instruction the reader decodes, this decodes the same length and the same opcode and the same
    /// immediates the look-ahead uses (LEB128s by the reader's rules, see <c>SpanReader</c>: linkers leave five-byte
    /// padded ones everywhere). Where it is more lenient than the reader (a block type byte
    /// 0x41-0x7F that is no value type, a memarg the reader rejects later) the reader fails on that instruction in the
    /// main pass, before any code that depends on the look-ahead is kept, so the function fails the same way.
    /// </remarks>
    private bool TryScanFast(bool hasMemory, uint importedFunctions)
    {
        var code = _function.Code.Span;
        var baseOffset = _function.CodeOffset;
        var actions = s_scanActions;
        var pos = 0;
        while (pos < code.Length)
        {
            var at = pos;
            var b = code[pos++];
            switch (actions[b])
            {
                case ScanAction.None:
                    break;
                case ScanAction.LocalGet:
                {
                    uint index;
                    if ((uint)pos < (uint)code.Length && code[pos] < 0x80)
                    {
                        index = code[pos++];
                    }
                    else
                    {
                        var read = ReadU32(code, pos);
                        if (read < 0) return false;
                        index = (uint)read;
                        pos = (int)(read >> 32);
                    }

                    if (_openLoopCount > 0)
                    {
                        if (_loopReadCount == _loopReads.Length) Array.Resize(ref _loopReads, _loopReads.Length * 2);
                        _loopReads[_loopReadCount++] = (int)Math.Min(index, int.MaxValue);
                    }

                    break;
                }

                case ScanAction.U32:
                    if ((pos = SkipU32(code, pos)) < 0) return false;
                    break;
                case ScanAction.S32:
                    if ((uint)pos < (uint)code.Length && code[pos] < 0x80) pos++;
                    else if ((pos = SkipSigned(code, pos, 32)) < 0) return false;
                    break;
                case ScanAction.S64:
                    if ((uint)pos < (uint)code.Length && code[pos] < 0x80) pos++;
                    else if ((pos = SkipSigned(code, pos, 64)) < 0) return false;
                    break;
                case ScanAction.Fixed4:
                    if ((pos += 4) > code.Length) return false;
                    break;
                case ScanAction.Fixed8:
                    if ((pos += 8) > code.Length) return false;
                    break;
                case ScanAction.MemoryAccess:
                case ScanAction.Memarg:
                    // The reader's fast form: alignment in one byte below 32, then the offset.
                    if (pos >= code.Length || code[pos] >= 32) return false;
                    if ((pos = SkipU32(code, pos + 1)) < 0) return false;
                    if (hasMemory && actions[b] == ScanAction.MemoryAccess) _usesMemoryBase = true;
                    break;
                case ScanAction.MemoryByte:
                    if (pos >= code.Length || code[pos] != 0) return false;
                    pos++;
                    break;
                case ScanAction.BrTable:
                {
                    var read = ReadU32(code, pos);
                    if (read < 0) return false;
                    pos = (int)(read >> 32);
                    for (var i = 0u; i <= (uint)read; i++)
                    {
                        if ((pos = SkipU32(code, pos)) < 0) return false;
                    }

                    break;
                }

                case ScanAction.End:
                    EndOpenBlock();
                    break;
                case ScanAction.Block:
                case ScanAction.Loop:
                case ScanAction.If:
                {
                    // 0x40 (empty) or a value type: one byte; a small type index: one byte; a larger one: the reader.
                    if (pos >= code.Length) return false;
                    var t = code[pos++];
                    if (t >= 0x80) return false;
                    if (actions[b] == ScanAction.Loop)
                    {
                        if (_scannedLoopCount == _scannedLoops.Length) Array.Resize(ref _scannedLoops, _scannedLoops.Length * 2);
                        _scannedLoops[_scannedLoopCount] = new ScannedLoop { Offset = baseOffset + at, ReadStart = _loopReadCount, ChosenCount = -1 };
                        PushOpenBlock(_scannedLoopCount++);
                        break;
                    }

                    PushOpenBlock(-1);
                    if (actions[b] == ScanAction.If && t < 0x40) NoteIfParameters(t, baseOffset + at);
                    break;
                }

                case ScanAction.Call:
                {
                    var read = (uint)pos < (uint)code.Length && code[pos] < 0x80 ? ((long)(pos + 1) << 32) | code[pos] : ReadU32(code, pos);
                    if (read < 0) return false;
                    pos = (int)(read >> 32);
                    if ((uint)read < importedFunctions) NoteContextSwitch();
                    break;
                }

                case ScanAction.CallIndirect:
                    if ((pos = SkipU32(code, pos)) < 0 || (pos = SkipU32(code, pos)) < 0) return false;
                    NoteContextSwitch();
                    break;
                default:
                    return false;
            }
        }

        return true;
    }

    // The LEB128 helpers take and return positions (no ref or out parameters, so the scan keeps its position in a register).

    /// <summary>
    /// An unsigned 32-bit LEB128 at <paramref name="pos"/> by the reader's rules (at most five bytes, the fifth below 0x10):
    /// the position after it in the high 32 bits and the value in the low ones, or -1 for a bad or truncated one.
    /// </summary>
    private static long ReadU32(ReadOnlySpan<byte> code, int pos)
    {
        uint result = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            if ((uint)pos >= (uint)code.Length) break;
            uint b = code[pos++];
            if (shift == 28 && b >= 0x10) break;
            result |= (b & 0x7F) << shift;
            if (b < 0x80) return ((long)pos << 32) | result;
        }

        return -1;
    }

    /// <summary>The position after an unsigned 32-bit LEB128 at <paramref name="pos"/> (see <see cref="ReadU32"/>), or -1.</summary>
    private static int SkipU32(ReadOnlySpan<byte> code, int pos)
    {
        if ((uint)pos < (uint)code.Length && code[pos] < 0x80) return pos + 1;
        var read = ReadU32(code, pos);
        return read < 0 ? -1 : (int)(read >> 32);
    }

    /// <summary>
    /// The position after a signed LEB128 of <paramref name="bits"/> (32 or 64) at <paramref name="pos"/> by the reader's
    /// rules: at most five or ten bytes, and in the last one the bits beyond the value equal to its sign; -1 for a bad or
    /// truncated one.
    /// </summary>
    private static int SkipSigned(ReadOnlySpan<byte> code, int pos, int bits)
    {
        var last = bits == 32 ? 4 : 9;
        for (var i = 0; i <= last; i++)
        {
            if ((uint)pos >= (uint)code.Length) return -1;
            var b = code[pos++];
            if (i == last) return (bits == 32 ? (b & 0xF8) is 0 or 0x78 : b is 0x00 or 0x7F) ? pos : -1;
            if (b < 0x80) return pos;
        }

        return -1;
    }
}
