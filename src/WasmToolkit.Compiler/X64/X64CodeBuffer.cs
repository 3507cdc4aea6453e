using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Iced.Intel;
using WasmToolkit.Compiler.Baseline;

namespace WasmToolkit.Compiler.X64;

/// <summary>
/// One function's x64 code as it is emitted: plain instructions (calls included) become bytes at once, branches to labels
/// are nodes between runs of those bytes, labels are positions in those runs, and <see cref="Finish"/> sizes the
/// branches (Iced's <see cref="BlockEncoder"/> relaxation, the same bytes) and lays the function out. Instructions come in
/// two ways: written directly (<see cref="X64CodeBuffer.MovRegReg"/> and the other forms most instructions take), or built
/// with Iced's <see cref="Assembler"/>, drained from its list and encoded with Iced's <see cref="Encoder"/> before
/// anything else is appended.
/// </summary>
/// <remarks>
/// <para>Why bytes at once: Iced's <see cref="Assembler.TryAssemble"/> runs <see cref="BlockEncoder"/>, which allocates an
/// object per instruction; an instruction list encoded afterwards still costs a 40-byte <see cref="Instruction"/> per
/// instruction, written and read back. Here an instruction is its bytes as soon as it is emitted, and only the branches
/// are visited again.</para>
/// <para>Branch sizes: the fixpoint of Iced's <c>JmpInstr</c>/<c>JccInstr</c>/<c>CallInstr</c>: branches start long, an
/// initializing pass and then repeated passes shorten each one to rel8 when its target is in range, forward targets
/// measured with the branch still long, until a pass changes nothing. That fixpoint does not depend on how conservative
/// the passes before the last one were, so labels need not be nodes: a label is a byte offset after a branch, and a
/// call (whose displacement the linker writes) is plain bytes; only the branches, a third of the nodes Iced's encoder
/// would visit, take part in the passes.</para>
/// <para>Reused: one instance per <see cref="X64MacroAssembler"/>, so per compile worker; <see cref="Reset"/> forgets the
/// function, the arrays and the encode cache stay.</para>
/// </remarks>
[SkipLocalsInit] // Iced's 40-byte instructions and operand structs as locals; nothing here reads a local before writing it.
internal sealed partial class X64CodeBuffer
{
    private const byte JmpKind = 16;

    // Iced's initial sizes in 64-bit code: max(near size, the `jcc short skip; jmp [rip+data]` long form).
    private const int JccInitialSize = 8, JmpInitialSize = 6;
    private const int ShortBranchSize = 2, JmpNearSize = 5, JccNearSize = 6;

    /// <summary>Marks a label not bound yet in <see cref="_labelNode"/>.</summary>
    private const int Unbound = int.MinValue;

    /// <summary>Where functions' code goes until it is published (slices of a few chunks, reused once published).</summary>
    private readonly CodeChunkPool _chunks = new();

    /// <summary>Lets go of the free chunks of finished-code memory but one (<see cref="CodeChunkPool.Trim"/>).</summary>
    public void TrimChunks() => _chunks.Trim();

    /// <summary>Plain instruction bytes in emission order (the runs between branches, back to back).</summary>
    private readonly ScratchWriter _scratch = new();

    /// <summary>The Iced assembler's instruction list, which this buffer drains (<see cref="Drain"/>) before appending anything itself.</summary>
    private readonly InstructionList _pending;

    private Branch[] _branches = new Branch[256];
    private int _branchCount;

    /// <summary>Plain bytes before the first branch.</summary>
    private int _lead;

    /// <summary>Where in <see cref="_scratch"/> the run after the last branch (or the lead) starts.</summary>
    private int _runStart;

    /// <summary>Per label: the branch it follows (-1 for the lead, <see cref="Unbound"/> while not bound) and its offset in that branch's run.</summary>
    private int[] _labelNode = new int[64];
    private int[] _labelOffset = new int[64];
    private int _labelCount;

    public X64CodeBuffer(Assembler assembler)
    {
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
        _branchCount = 0;
        _lead = 0;
        _runStart = 0;
        _labelCount = 0;
        _count = 0;
        ResetRecent();
    }

    /// <summary>A new label, not bound yet.</summary>
    public int NewLabel()
    {
        if (_labelCount == _labelNode.Length)
        {
            Array.Resize(ref _labelNode, _labelCount * 2);
            Array.Resize(ref _labelOffset, _labelCount * 2);
        }

        _labelNode[_labelCount] = Unbound;
        return _labelCount++;
    }

    /// <summary>Binds <paramref name="label"/> to the current position (the next instruction).</summary>
    public void Bind(int label)
    {
        Drain();
        if (_labelNode[label] != Unbound) throw new InvalidOperationException("Label bound twice.");
        _labelNode[label] = _branchCount - 1;
        _labelOffset[label] = _scratch.Length - _runStart;
        LabelBound();
    }

    /// <summary><c>jmp</c> to <paramref name="label"/> (rel8 or rel32, decided in <see cref="Finish"/>).</summary>
    public void Jump(int label)
    {
        Drain();
        AddBranch(JmpKind, JmpInitialSize, label);
        EmittedUnknown();
    }

    /// <summary><c>jcc</c> to <paramref name="label"/> (rel8 or rel32, decided in <see cref="Finish"/>).</summary>
    public void JumpIf(ConditionCode condition, int label)
    {
        if (condition is ConditionCode.None or > ConditionCode.g) throw new ArgumentOutOfRangeException(nameof(condition));
        Drain();
        AddBranch((byte)(condition - 1), JccInitialSize, label);

        // The fall-through path keeps what the registers held.
        EmittedNoGeneralWrite();
    }

    /// <summary><c>call rel32</c> with a zero displacement, for the linker to patch (its relocation says where).</summary>
    public void CallRel32()
    {
        Drain();
        ref var p = ref Reserve();
        p = 0xE8;
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref p, 1), 0);
        _scratch.Length += 5;
        EmittedUnknown();
    }

    /// <summary>Appends a branch; the bytes written since the previous one become that one's gap (or the lead).</summary>
    private void AddBranch(byte kind, int size, int label)
    {
        var run = _scratch.Length - _runStart;
        if (_branchCount == 0) _lead = run;
        else _branches[_branchCount - 1].Gap = run;
        _runStart = _scratch.Length;
        if (_branchCount == _branches.Length) Array.Resize(ref _branches, _branchCount * 2);
        _branches[_branchCount++] = new Branch { Kind = kind, Size = size, Target = label };
    }

    /// <summary>The offset of <paramref name="label"/> after <see cref="Finish"/>.</summary>
    public int LabelOffset(int label)
    {
        var node = _labelNode[label];
        if (node == Unbound) throw new InvalidOperationException("Offset of a label that was never bound.");
        return (node < 0 ? 0 : _branches[node].Ip + _branches[node].Size) + _labelOffset[label];
    }

    /// <summary>
    /// Sizes the branches and writes the function at address 0 into a slice of a pooled chunk (<paramref name="chunk"/>,
    /// released once the code is published).
    /// </summary>
    public Memory<byte> Finish(out CodeChunk chunk)
    {
        Drain();
        var count = _branchCount;
        if (count == 0) _lead = _scratch.Length - _runStart;
        else _branches[count - 1].Gap = _scratch.Length - _runStart;
        var branches = _branches.AsSpan(0, count);
        var lead = _lead;

        // Resolve targets to (branch, offset in its run), and BlockEncoder's constructor: addresses with the initial sizes.
        var ip = lead;
        for (var k = 0; k < branches.Length; k++)
        {
            ref var b = ref branches[k];
            var label = b.Target;
            b.TargetNode = _labelNode[label];
            if (b.TargetNode == Unbound) throw new InvalidOperationException("Branch to a label that was never bound.");
            b.TargetOffset = _labelOffset[label];
            b.Ip = ip;
            ip += b.Size + b.Gap;
        }

        // Initialize (TryOptimize with nothing gained), then BlockEncoder.Encode: passes until nothing shrinks (Iced stops
        // after 1000).
        ip = lead;
        for (var k = 0; k < branches.Length; k++)
        {
            ref var b = ref branches[k];
            b.Ip = ip;
            TryShorten(branches, k, ip, 0);
            ip += b.Size + b.Gap;
        }

        for (var iter = 0; iter < 1000; iter++)
        {
            var updated = false;
            ip = lead;
            var gained = 0;
            for (var k = 0; k < branches.Length; k++)
            {
                ref var b = ref branches[k];
                b.Ip = ip;
                if (!b.Short)
                {
                    var old = b.Size;
                    TryShorten(branches, k, ip, gained);
                    if (b.Size < old)
                    {
                        gained += old - b.Size;
                        updated = true;
                    }
                }

                ip += b.Size + b.Gap;
            }

            if (!updated) break;
        }

        var memory = _chunks.Allocate(ip, out chunk);
        var bytes = memory.Span;
        var scratch = _scratch.Buffer.AsSpan(0, _scratch.Length);

        // Each run of plain bytes is one copy (addresses satisfy ip[k + 1] = ip[k] + size + gap), then the branch.
        scratch.Slice(0, lead).CopyTo(bytes);
        var from = lead;
        for (var k = 0; k < branches.Length; k++)
        {
            ref var b = ref branches[k];
            var at = b.Ip;
            var disp = Position(branches, b.TargetNode, b.TargetOffset) - (at + b.Size);
            if (b.Short)
            {
                if (disp is < sbyte.MinValue or > sbyte.MaxValue) throw new InvalidOperationException("Short branch out of range.");
                bytes[at] = b.Kind == JmpKind ? (byte)0xEB : (byte)(0x70 + b.Kind);
                bytes[at + 1] = (byte)(sbyte)disp;
            }
            else if (b.Kind == JmpKind)
            {
                bytes[at] = 0xE9;
                BitConverter.TryWriteBytes(bytes.Slice(at + 1, 4), disp);
            }
            else
            {
                bytes[at] = 0x0F;
                bytes[at + 1] = (byte)(0x80 + b.Kind);
                BitConverter.TryWriteBytes(bytes.Slice(at + 2, 4), disp);
            }

            scratch.Slice(from, b.Gap).CopyTo(bytes.Slice(at + b.Size));
            from += b.Gap;
        }

        return memory;
    }

    /// <summary>The address of the label <paramref name="offset"/> bytes into the run after branch <paramref name="node"/> (-1: the lead).</summary>
    private static int Position(Span<Branch> branches, int node, int offset) => (node < 0 ? 0 : branches[node].Ip + branches[node].Size) + offset;

    /// <summary>
    /// Iced's <c>JmpInstr</c>/<c>JccInstr.TryOptimize</c> for a target inside the block: short when in rel8 range, else
    /// near. A target after this branch is measured with the addresses of the previous pass (this branch still at its old
    /// address and size), corrected by what this pass gained so far.
    /// </summary>
    private static void TryShorten(Span<Branch> branches, int k, int ip, int gained)
    {
        ref var b = ref branches[k];
        var node = b.TargetNode;
        var target = node == k ? ip + gained + b.Size + b.TargetOffset : Position(branches, node, b.TargetOffset);
        long diff = target - (ip + ShortBranchSize);
        if (diff >= 0) diff -= gained;
        if (diff is >= sbyte.MinValue and <= sbyte.MaxValue)
        {
            b.Short = true;
            b.Size = ShortBranchSize;
        }
        else
        {
            b.Size = b.Kind == JmpKind ? JmpNearSize : JccNearSize;
        }
    }

    /// <summary>A jmp or jcc to a label: kind (the condition nibble, or <see cref="JmpKind"/>), size, address, target, gap.</summary>
    private struct Branch
    {
        public int Ip;
        public int Size;

        /// <summary>Plain bytes after the branch, up to the next one.</summary>
        public int Gap;

        /// <summary>The label id until <see cref="Finish"/> resolves it to <see cref="TargetNode"/> and <see cref="TargetOffset"/>.</summary>
        public int Target;
        public int TargetNode;
        public int TargetOffset;
        public byte Kind;
        public bool Short;
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
