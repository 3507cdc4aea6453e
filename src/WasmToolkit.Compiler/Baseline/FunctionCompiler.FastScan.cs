using System;
using WasmToolkit.Instructions;

namespace WasmToolkit.Compiler.Baseline;

internal sealed partial class FunctionCompiler
{
    /// <summary>What the fast look-ahead does with a one-byte opcode's immediates (<see cref="TryScanFast"/>).</summary>
    private enum ScanImmediate : byte
    {
        /// <summary>Anything the fast scan leaves to <see cref="InstructionReader"/> (prefixes, unknown opcodes, rare immediates).</summary>
        Bail,
        None,
        U32,
        S32,
        S64,
        Fixed4,
        Fixed8,
        Block,
        Memarg,
        MemoryByte,
        TwoU32,
        BrTable,
    }

    private static readonly ScanImmediate[] s_scanImmediates = CreateScanImmediates();

    private static ScanImmediate[] CreateScanImmediates()
    {
        var table = new ScanImmediate[256];
        for (var b = 0; b < 0xFC; b++)
        {
            if (OpcodeTable.Get((Opcode)b) is not { } info) continue;
            table[b] = info.Immediate switch
            {
                ImmediateKind.None => ScanImmediate.None,
                ImmediateKind.Label or ImmediateKind.Func or ImmediateKind.Local or ImmediateKind.Global or ImmediateKind.Table
                    or ImmediateKind.Data or ImmediateKind.Elem => ScanImmediate.U32,
                ImmediateKind.I32 => ScanImmediate.S32,
                ImmediateKind.I64 => ScanImmediate.S64,
                ImmediateKind.F32 => ScanImmediate.Fixed4,
                ImmediateKind.F64 => ScanImmediate.Fixed8,
                ImmediateKind.Block => ScanImmediate.Block,
                ImmediateKind.Memarg => ScanImmediate.Memarg,
                ImmediateKind.Memory => ScanImmediate.MemoryByte,
                ImmediateKind.CallIndirect => ScanImmediate.TwoU32,
                ImmediateKind.BrTable => ScanImmediate.BrTable,
                _ => ScanImmediate.Bail,
            };
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
        var immediates = s_scanImmediates;
        var pos = 0;
        while (pos < code.Length)
        {
            var at = pos;
            var b = code[pos++];
            var kind = immediates[b];
            uint index = 0;
            switch (kind)
            {
                case ScanImmediate.None:
                    break;
                case ScanImmediate.U32:
                    if (!TryReadU32(code, ref pos, out index)) return false;
                    break;
                case ScanImmediate.S32:
                    if (!TrySkipSigned(code, ref pos, 32)) return false;
                    break;
                case ScanImmediate.S64:
                    if (!TrySkipSigned(code, ref pos, 64)) return false;
                    break;
                case ScanImmediate.Fixed4:
                    if ((pos += 4) > code.Length) return false;
                    break;
                case ScanImmediate.Fixed8:
                    if ((pos += 8) > code.Length) return false;
                    break;
                case ScanImmediate.Block:
                {
                    // 0x40 (empty) or a value type: one byte; a small type index: one byte; a larger one: the reader.
                    if (pos >= code.Length) return false;
                    var t = code[pos++];
                    if (t >= 0x80) return false;
                    if (t < 0x40) index = t;
                    else index = uint.MaxValue;
                    break;
                }

                case ScanImmediate.Memarg:
                    // The reader's fast form: alignment in one byte below 32, then the offset.
                    if (pos >= code.Length || code[pos] >= 32) return false;
                    pos++;
                    if (!TryReadU32(code, ref pos, out _)) return false;
                    break;
                case ScanImmediate.MemoryByte:
                    if (pos >= code.Length || code[pos] != 0) return false;
                    pos++;
                    break;
                case ScanImmediate.TwoU32:
                    if (!TryReadU32(code, ref pos, out _) || !TryReadU32(code, ref pos, out _)) return false;
                    break;
                case ScanImmediate.BrTable:
                {
                    if (!TryReadU32(code, ref pos, out var count)) return false;
                    for (var i = 0u; i <= count; i++)
                    {
                        if (!TryReadU32(code, ref pos, out _)) return false;
                    }

                    break;
                }

                default:
                    return false;
            }

            switch ((Opcode)b)
            {
                case Opcode.Loop:
                    if (_scannedLoopCount == _scannedLoops.Length) Array.Resize(ref _scannedLoops, _scannedLoops.Length * 2);
                    _scannedLoops[_scannedLoopCount] = new ScannedLoop { Offset = baseOffset + at, ReadStart = _loopReadCount, ChosenCount = -1 };
                    PushOpenBlock(_scannedLoopCount++);
                    break;
                case Opcode.Block:
                    PushOpenBlock(-1);
                    break;
                case Opcode.If:
                    PushOpenBlock(-1);
                    if (index != uint.MaxValue) NoteIfParameters(index, baseOffset + at);
                    break;
                case Opcode.End:
                    EndOpenBlock();
                    break;
                case Opcode.LocalGet:
                    if (_openLoopCount > 0)
                    {
                        if (_loopReadCount == _loopReads.Length) Array.Resize(ref _loopReads, _loopReads.Length * 2);
                        _loopReads[_loopReadCount++] = (int)Math.Min(index, int.MaxValue);
                    }

                    break;
                case Opcode.Call:
                    if (index < importedFunctions) NoteContextSwitch();
                    break;
                case Opcode.CallIndirect:
                    NoteContextSwitch();
                    break;
                case >= Opcode.I32Load and <= Opcode.I64Store32:
                    if (hasMemory) _usesMemoryBase = true;
                    break;
            }
        }

        return true;
    }

    /// <summary>An unsigned 32-bit LEB128 by the reader's rules (at most five bytes, the fifth below 0x10); false for a bad or truncated one.</summary>
    private static bool TryReadU32(ReadOnlySpan<byte> code, ref int pos, out uint value)
    {
        uint result = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            if ((uint)pos >= (uint)code.Length) break;
            uint b = code[pos++];
            if (shift == 28 && b >= 0x10) break;
            result |= (b & 0x7F) << shift;
            if (b < 0x80)
            {
                value = result;
                return true;
            }
        }

        value = 0;
        return false;
    }

    /// <summary>
    /// Skips a signed LEB128 of <paramref name="bits"/> (32 or 64) by the reader's rules: at most five or ten bytes, and in the
    /// last one the bits beyond the value equal to its sign; false for a bad or truncated one.
    /// </summary>
    private static bool TrySkipSigned(ReadOnlySpan<byte> code, ref int pos, int bits)
    {
        var last = bits == 32 ? 4 : 9;
        for (var i = 0; i <= last; i++)
        {
            if ((uint)pos >= (uint)code.Length) return false;
            var b = code[pos++];
            if (i == last) return bits == 32 ? (b & 0xF8) is 0 or 0x78 : b is 0x00 or 0x7F;
            if (b < 0x80) return true;
        }

        return false;
    }
}
