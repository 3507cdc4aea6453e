using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Iced.Intel;
using WasmToolkit.Compiler.Baseline;

namespace WasmToolkit.Compiler.X64;

/// <summary>
/// One function's x64 code as it is emitted: plain instructions become bytes at once, branches, calls and labels are
/// nodes between runs of those bytes, and <see cref="Finish"/> sizes the branches (Iced's <see cref="BlockEncoder"/>
/// relaxation, the same bytes) and lays the function out. Instructions come in two ways: built with Iced's
/// <see cref="Assembler"/> (drained from its list and encoded with Iced's <see cref="Encoder"/> before anything else is
/// appended), or written directly by <see cref="X64CodeBuffer.MovRegReg"/> and the other direct forms for the few forms most instructions take.
/// </summary>
/// <remarks>
/// <para>Why bytes at once: Iced's <see cref="Assembler.TryAssemble"/> runs <see cref="BlockEncoder"/>, which allocates an
/// object per instruction; an instruction list encoded afterwards still costs a 40-byte <see cref="Instruction"/> per
/// instruction, written and read back. Here an instruction is its bytes as soon as it is emitted, and only the nodes
/// (a branch, call or label every few instructions) are visited again.</para>
/// <para>Branch sizes: the fixpoint of Iced's <c>JmpInstr</c>/<c>JccInstr</c>/<c>CallInstr</c>: branches start long, an
/// initializing pass and then repeated passes shorten each one to rel8 when its target is in range, forward targets
/// measured with the branch still long, until a pass changes nothing. Labels are nodes of size 0 at the position of the
/// instruction after them.</para>
/// <para>Reused: one instance per <see cref="X64MacroAssembler"/>, so per compile worker; <see cref="Reset"/> forgets the
/// function, the arrays and the encode cache stay.</para>
/// </remarks>
internal sealed partial class X64CodeBuffer
{
    private const byte LabelNode = 0, Jmp = 1, Jcc = 2, Call = 3;

    // Iced's initial sizes in 64-bit code: max(near size, the `jcc short skip; jmp [rip+data]` long form).
    private const int JccInitialSize = 8, JmpInitialSize = 6, CallInitialSize = 6;
    private const int ShortBranchSize = 2, JmpNearSize = 5, JccNearSize = 6, CallSize = 5;

    /// <summary>Where functions' code goes until it is published (slices of a few chunks, reused once published).</summary>
    private readonly CodeChunkPool _chunks = new();

    /// <summary>Plain instruction bytes in emission order (the runs between nodes, back to back).</summary>
    private readonly ScratchWriter _scratch = new();

    /// <summary>The Iced assembler whose instructions this buffer drains (<see cref="Drain"/>) before appending anything itself.</summary>
    private readonly Assembler _assembler;
    private readonly InstructionList _pending;

    // Per node k (a branch, call or label): kind, size, offset (IP) in the output, condition nibble (jcc) or label id
    // (jmp/jcc, resolved to the target node in Finish), whether a branch is already short, plain bytes after it.
    private byte[] _kind = new byte[256];
    private int[] _size = new int[256];
    private int[] _ip = new int[256];
    private int[] _data = new int[256];
    private int[] _target = new int[256];
    private bool[] _short = new bool[256];
    private int[] _gap = new int[256];
    private int _nodes;

    /// <summary>Plain bytes before the first node.</summary>
    private int _lead;

    /// <summary>Where in <see cref="_scratch"/> the run after the last node (or the lead) starts.</summary>
    private int _runStart;

    /// <summary>Label id to node index, -1 while not bound.</summary>
    private int[] _labelNode = new int[64];
    private int _labelCount;

    public X64CodeBuffer(Assembler assembler)
    {
        _assembler = assembler;
        _encoder = Encoder.Create(64, _scratch);

        // Draining clears the assembler's own list; make sure Instructions is that list and not a copy.
        _pending = assembler.Instructions as InstructionList ?? throw new InvalidOperationException("Iced's Assembler.Instructions is not its InstructionList.");
        assembler.nop();
        var shared = _pending.Count == 1;
        _pending.Clear();
        if (!shared || assembler.Instructions.Count != 0) throw new InvalidOperationException("Iced's Assembler.Instructions is not its own list.");
    }

    /// <summary>Instructions emitted so far in this function (branches, calls and those of the assembler included).</summary>
    public int InstructionCount
    {
        get
        {
            Drain();
            return _count;
        }
    }

    private int _count;

    /// <summary>Forgets the function (and any instruction still in the assembler's list).</summary>
    public void Reset()
    {
        _pending.Clear();
        _scratch.Length = 0;
        _nodes = 0;
        _lead = 0;
        _runStart = 0;
        _labelCount = 0;
        _count = 0;
        ResetRecent();
    }

    /// <summary>A new label, not bound yet.</summary>
    public int NewLabel()
    {
        if (_labelCount == _labelNode.Length) Array.Resize(ref _labelNode, _labelCount * 2);
        _labelNode[_labelCount] = -1;
        return _labelCount++;
    }

    /// <summary>Binds <paramref name="label"/> to the current position (the next instruction).</summary>
    public void Bind(int label)
    {
        Drain();
        if (_labelNode[label] >= 0) throw new InvalidOperationException("Label bound twice.");
        _labelNode[label] = AddNode(LabelNode, 0, 0);
        LabelBound();
    }

    /// <summary><c>jmp</c> to <paramref name="label"/> (rel8 or rel32, decided in <see cref="Finish"/>).</summary>
    public void Jump(int label)
    {
        Drain();
        AddNode(Jmp, JmpInitialSize, label << 4);
        EmittedUnknown();
    }

    /// <summary><c>jcc</c> to <paramref name="label"/> (rel8 or rel32, decided in <see cref="Finish"/>).</summary>
    public void JumpIf(ConditionCode condition, int label)
    {
        if (condition is ConditionCode.None or > ConditionCode.g) throw new ArgumentOutOfRangeException(nameof(condition));
        Drain();
        AddNode(Jcc, JccInitialSize, ((int)condition - 1) | (label << 4));

        // The fall-through path keeps what the registers held.
        EmittedNoGeneralWrite();
    }

    /// <summary><c>call rel32</c> with displacement -5 (a call to its own start), for the linker to patch.</summary>
    public void CallRel32()
    {
        Drain();
        AddNode(Call, CallInitialSize, 0);
        EmittedUnknown();
    }

    /// <summary>Appends a node; the bytes written since the previous one become that one's gap (or the lead).</summary>
    private int AddNode(byte kind, int size, int data)
    {
        var run = _scratch.Length - _runStart;
        if (_nodes == 0) _lead = run;
        else _gap[_nodes - 1] = run;
        _runStart = _scratch.Length;
        if (_nodes == _kind.Length) Grow();
        var k = _nodes++;
        _kind[k] = kind;
        _size[k] = size;
        _data[k] = data;
        _short[k] = false;
        _gap[k] = 0;
        return k;
    }

    /// <summary>The offset of <paramref name="label"/> after <see cref="Finish"/>.</summary>
    public int LabelOffset(int label) => _ip[_labelNode[label]];

    /// <summary>
    /// Sizes the branches and writes the function at address 0 into a slice of a pooled chunk (<paramref name="chunk"/>,
    /// released once the code is published).
    /// </summary>
    public Memory<byte> Finish(out CodeChunk chunk)
    {
        Drain();
        if (_nodes == 0) _lead = _scratch.Length - _runStart;
        else _gap[_nodes - 1] = _scratch.Length - _runStart;

        var nodes = _nodes;
        var lead = _lead;

        // Resolve branch targets to nodes, and BlockEncoder's constructor: addresses with the initial sizes; then
        // Initialize (TryOptimize with nothing gained).
        var ip = lead;
        for (var k = 0; k < nodes; k++)
        {
            _ip[k] = ip;
            ip += _size[k] + _gap[k];
            if (_kind[k] is not (Jmp or Jcc)) continue;
            var id = _data[k] >> 4;
            var t = _labelNode[id];
            if (t < 0) throw new InvalidOperationException("Branch to a label that was never bound.");
            _target[k] = t;
            _data[k] &= 15;
        }

        ip = lead;
        for (var k = 0; k < nodes; k++)
        {
            _ip[k] = ip;
            if (_kind[k] == Call) _size[k] = CallSize;
            else if (_kind[k] != LabelNode) TryShorten(k, ip, 0);
            ip += _size[k] + _gap[k];
        }

        // BlockEncoder.Encode: passes until nothing shrinks (Iced stops after 1000).
        for (var iter = 0; iter < 1000; iter++)
        {
            var updated = false;
            ip = lead;
            var gained = 0;
            for (var k = 0; k < nodes; k++)
            {
                _ip[k] = ip;
                if (_kind[k] is Jmp or Jcc && !_short[k])
                {
                    var old = _size[k];
                    TryShorten(k, ip, gained);
                    if (_size[k] < old)
                    {
                        gained += old - _size[k];
                        updated = true;
                    }
                }

                ip += _size[k] + _gap[k];
            }

            if (!updated) break;
        }

        var memory = _chunks.Allocate(ip, out chunk);
        var bytes = memory.Span;
        var scratch = _scratch.Buffer.AsSpan(0, _scratch.Length);

        // The plain bytes follow each other in the scratch buffer and, between two branches or calls, in the output
        // too: each such run is one copy (addresses satisfy _ip[k + 1] = _ip[k] + size + gap).
        var from = 0;
        var runAt = 0;
        var runLength = lead;
        for (var k = 0; k < nodes; k++)
        {
            if (_kind[k] == LabelNode)
            {
                runLength += _gap[k];
                continue;
            }

            scratch.Slice(from, runLength).CopyTo(bytes.Slice(runAt));
            from += runLength;
            var at = _ip[k];
            if (_kind[k] == Call)
            {
                bytes[at] = 0xE8;
                BitConverter.TryWriteBytes(bytes.Slice(at + 1, 4), -(at + CallSize));
            }
            else
            {
                var disp = _ip[_target[k]] - (at + _size[k]);
                if (_short[k])
                {
                    if (disp is < sbyte.MinValue or > sbyte.MaxValue) throw new InvalidOperationException("Short branch out of range.");
                    bytes[at] = _kind[k] == Jmp ? (byte)0xEB : (byte)(0x70 + _data[k]);
                    bytes[at + 1] = (byte)(sbyte)disp;
                }
                else if (_kind[k] == Jmp)
                {
                    bytes[at] = 0xE9;
                    BitConverter.TryWriteBytes(bytes.Slice(at + 1, 4), disp);
                }
                else
                {
                    bytes[at] = 0x0F;
                    bytes[at + 1] = (byte)(0x80 + _data[k]);
                    BitConverter.TryWriteBytes(bytes.Slice(at + 2, 4), disp);
                }
            }

            runAt = at + _size[k];
            runLength = _gap[k];
        }

        scratch.Slice(from, runLength).CopyTo(bytes.Slice(runAt));
        return memory;
    }

    /// <summary>Iced's <c>JmpInstr</c>/<c>JccInstr.TryOptimize</c> for a target inside the block: short when in rel8 range, else near.</summary>
    private void TryShorten(int i, int ip, int gained)
    {
        // A forward target's address is still the one from the previous pass, corrected by what this pass gained so far.
        long diff = _ip[_target[i]] - (ip + ShortBranchSize);
        if (diff >= 0) diff -= gained;
        if (diff is >= sbyte.MinValue and <= sbyte.MaxValue)
        {
            _short[i] = true;
            _size[i] = ShortBranchSize;
        }
        else
        {
            _size[i] = _kind[i] == Jmp ? JmpNearSize : JccNearSize;
        }
    }

    private void Grow()
    {
        var size = _kind.Length * 2;
        Array.Resize(ref _kind, size);
        Array.Resize(ref _size, size);
        Array.Resize(ref _ip, size);
        Array.Resize(ref _data, size);
        Array.Resize(ref _target, size);
        Array.Resize(ref _short, size);
        Array.Resize(ref _gap, size);
    }

    /// <summary>A growable byte buffer Iced's encoder writes into; kept between functions.</summary>
    private sealed class ScratchWriter : CodeWriter
    {
        public byte[] Buffer = new byte[4096];
        public int Length;

        /// <summary>Room for <paramref name="count"/> more bytes (direct writes and the cache write up to 16 bytes at once).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void EnsureSlack(int count)
        {
            if (Length + count > Buffer.Length) Grow(count);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private void Grow(int count) => Array.Resize(ref Buffer, Math.Max(Buffer.Length * 2, Length + count));

        public override void WriteByte(byte value)
        {
            if (Length == Buffer.Length) Array.Resize(ref Buffer, Buffer.Length * 2);
            Buffer[Length++] = value;
        }
    }
}
