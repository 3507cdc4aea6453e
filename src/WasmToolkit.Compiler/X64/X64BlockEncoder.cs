using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Iced.Intel;
using WasmToolkit.Compiler.Baseline;

namespace WasmToolkit.Compiler.X64;

/// <summary>
/// Encodes one function's instruction list from Iced's <see cref="Assembler"/> into bytes, with the same
/// branch relaxation as Iced's <see cref="BlockEncoder"/> but without its per-instruction objects.
/// </summary>
/// <remarks>
/// <para>Why: <see cref="Assembler.TryAssemble"/> runs <see cref="BlockEncoder"/>, which allocates an object per
/// instruction, a dictionary of all instructions, encoders and result arrays for every function; on a 5 MB
/// module that was most of the compiler's managed allocation. This encoder keeps its arrays between
/// functions (one instance per <see cref="X64MacroAssembler"/>, reused by a compile worker).</para>
/// <para>What it handles: instructions whose encoding does not depend on their address (encoded once with Iced's
/// <see cref="Encoder"/>), <c>jmp</c>/<c>jcc</c> to labels and <c>call rel32</c> to an absolute address (the
/// linker patches those). Anything else (RIP-relative operands, other branch kinds, a label never placed)
/// makes <see cref="TryEncode"/> return false, and the caller falls back to <see cref="BlockEncoder"/>.</para>
/// <para>Branch sizes: the same fixpoint as <see cref="BlockEncoder"/> (Iced's <c>JmpInstr</c>/<c>JccInstr</c>/<c>CallInstr</c>):
/// branches start long, an initializing pass and then repeated passes shorten each one to rel8 when its
/// target is in range, forward targets being measured with the branch still long, until a pass changes
/// nothing. Mirroring the passes exactly keeps the bytes identical to what <see cref="BlockEncoder"/> gave.</para>
/// </remarks>
internal sealed class X64BlockEncoder
{
    private const byte Simple = 0, Jmp = 1, Jcc = 2, Call = 3;

    // Iced's initial sizes in 64-bit code: max(near size, the `jcc short skip; jmp [rip+data]` long form).
    private const int JccInitialSize = 8, JmpInitialSize = 6, CallInitialSize = 6;
    private const int ShortBranchSize = 2, JmpNearSize = 5, JccNearSize = 6, CallSize = 5;

    private const int CacheBits = 14;

    /// <summary>Where functions' code goes until it is published (slices of a few chunks, reused once published).</summary>
    private readonly CodeChunkPool _chunks = new();

    private readonly ScratchWriter _scratch = new();

    /// <summary>
    /// Encodings of recent instructions (see <see cref="EncodeMiss"/>); about 900 KB, kept across functions. 16K entries: on
    /// large-direct.wasm 4K missed 20% of 2.5M probes, 16K 10%, 64K 6%; 16K was ~10 ms (3%) faster than 4K, 32K and 64K no
    /// faster than 16K (alternating runs). Aligning entries to cache lines made no measurable difference.
    /// </summary>
    private readonly CacheEntry[] _cache = new CacheEntry[1 << CacheBits];
    private readonly Encoder _encoder;

    // Per node k (a branch or labelled instruction, see TryEncode): kind, size, offset (IP) in the output, condition
    // nibble (jcc), target node (jmp/jcc), whether a branch is already short, bytes of plain instructions after it.
    private byte[] _kind = new byte[256];
    private int[] _size = new int[256];
    private int[] _ip = new int[256];
    private int[] _data = new int[256];
    private int[] _target = new int[256];
    private bool[] _short = new bool[256];
    private int[] _gap = new int[256];

    /// <summary>Label id to node index, -1 when not placed; valid below <see cref="_labelCount"/>.</summary>
    private int[] _labelIndex = new int[64];
    private int _labelCount;

    public X64BlockEncoder()
    {
        _encoder = Encoder.Create(64, _scratch);
    }

    /// <summary>
    /// Whether <see cref="Instruction"/> has the layout the cache key assumes (40 bytes, the address in the first 8):
    /// checked once, so another Iced version can only make the cache unused, never wrong.
    /// </summary>
    private static readonly bool s_cacheable = CheckLayout();

    private static bool CheckLayout()
    {
        if (Unsafe.SizeOf<Instruction>() != 40) return false;
        var probe = default(Instruction);
        probe.IP = 0x1122334455667788;
        return Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<Instruction, byte>(ref probe)) == 0x1122334455667788;
    }

    /// <summary>The offset of <paramref name="label"/>'s instruction after a successful <see cref="TryEncode"/>.</summary>
    public int LabelOffset(Label label) => _ip[_labelIndex[(int)label.Id]];

    /// <summary>
    /// Encodes <paramref name="instructions"/> at address 0 into a slice of a pooled chunk (<paramref name="chunk"/>, released
    /// once the code is published); false when something needs <see cref="BlockEncoder"/>.
    /// </summary>
    public bool TryEncode(IReadOnlyList<Instruction> instructions, out Memory<byte> code, out CodeChunk? chunk)
    {
        code = default;
        chunk = null;
        if (instructions is not InstructionList list) return false;
        _scratch.Reset();
        _labelCount = 0;

        var nodes = CollectNodes(list, out var lead);
        if (nodes < 0) return false;

        // Resolve branch targets to nodes (every label is placed by now), and BlockEncoder's constructor: addresses with
        // the initial sizes; then Initialize (TryOptimize with nothing gained).
        var ip = lead;
        for (var k = 0; k < nodes; k++)
        {
            _ip[k] = ip;
            ip += _size[k] + _gap[k];
            if (_kind[k] is not (Jmp or Jcc)) continue;
            var id = _data[k] >> 4;
            var t = id < _labelCount ? _labelIndex[id] : -1;
            if (t < 0) return false;
            _target[k] = t;
            _data[k] &= 15;
        }

        ip = lead;
        for (var k = 0; k < nodes; k++)
        {
            _ip[k] = ip;
            if (_kind[k] == Call) _size[k] = CallSize;
            else if (_kind[k] != Simple) TryShorten(k, ip, 0);
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

        var memory = _chunks.Allocate(ip, out var pooled);
        var bytes = memory.Span;
        var scratch = _scratch.Buffer.AsSpan(0, _scratch.Length);

        // The plain bytes (the lead, labelled instructions and every gap) follow each other in the scratch buffer and, between
        // two branches, in the output too: each such run is one copy (addresses satisfy _ip[k + 1] = _ip[k] + size + gap).
        var from = 0;
        var runAt = 0;
        var runLength = lead;
        for (var k = 0; k < nodes; k++)
        {
            if (_kind[k] == Simple)
            {
                runLength += _size[k] + _gap[k];
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

        code = memory;
        chunk = pooled;
        return true;
    }

    /// <summary>
    /// The first pass: encodes every instruction that is not a branch into the scratch buffer and lists the nodes.
    /// Only branches and labelled instructions take part in branch relaxation ("nodes"); the other instructions are runs
    /// of fixed size between them (the gap after each node, or <paramref name="lead"/> before the first), so the passes
    /// after this one visit a fraction of the instructions. Returns the number of nodes, -1 when something needs
    /// <see cref="BlockEncoder"/>.
    /// </summary>
    /// <remarks>
    /// The loop runs once per instruction of the module (millions), so it keeps what it needs in locals: the current run's
    /// bytes, the scratch buffer and its length, with the encode cache probed inline (<see cref="EncodeMiss"/> only on a miss).
    /// </remarks>
    private int CollectNodes(InstructionList list, out int lead)
    {
        lead = 0;
        var n = list.Count;
        var nodes = 0;
        var run = 0;
        var scratch = _scratch;
        var buffer = scratch.Buffer;
        var length = scratch.Length;
        ref var cache = ref MemoryMarshal.GetArrayDataReference(_cache);
        for (var i = 0; i < n; i++)
        {
            ref var ins = ref list[i];
            var label = ins.IP;
            byte kind;
            int size, data = 0;
            var op0 = ins.Op0Kind;
            if (op0 != OpKind.NearBranch64)
            {
                if (op0 is OpKind.NearBranch16 or OpKind.NearBranch32 || ins.IsIPRelativeMemoryOperand) return -1;

                // The cache writes 16 bytes whatever the instruction's length; Iced's encoder grows the buffer itself.
                if (length + 32 > buffer.Length)
                {
                    scratch.Length = length;
                    scratch.EnsureSlack(32);
                    buffer = scratch.Buffer;
                }

                if (s_cacheable)
                {
                    // Instruction is 40 bytes: the address (next IP) first, then 32 bytes of operands, code and flags.
                    ref var b = ref Unsafe.As<Instruction, byte>(ref ins);
                    var k0 = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref b, 8));
                    var k1 = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref b, 16));
                    var k2 = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref b, 24));
                    var k3 = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref b, 32));
                    var h = (k0 * 0x9E3779B97F4A7C15UL) ^ (k1 * 0xC2B2AE3D27D4EB4FUL) ^ (k2 * 0x165667B19E3779F9UL) ^ (k3 * 0xD6E8FEB86659FD93UL);

                    // The index is below 1 << CacheBits, the cache's length.
                    ref var entry = ref Unsafe.Add(ref cache, (nint)(h >> (64 - CacheBits)));
                    if (entry.Length != 0 && entry.K0 == k0 && entry.K1 == k1 && entry.K2 == k2 && entry.K3 == k3)
                    {
                        ref var dst = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(buffer), length);
                        Unsafe.WriteUnaligned(ref dst, entry.B0);
                        Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, 8), entry.B1);
                        size = entry.Length;
                        length += size;
                    }
                    else
                    {
                        scratch.Length = length;
                        size = EncodeMiss(ref ins, ref entry, k0, k1, k2, k3);
                        length = scratch.Length;
                        buffer = scratch.Buffer;
                    }
                }
                else
                {
                    scratch.Length = length;
                    size = Encode(ins);
                    length = scratch.Length;
                    buffer = scratch.Buffer;
                }

                if (size == 0) return -1;
                if (label == 0)
                {
                    run += size;
                    continue;
                }

                kind = Simple;
            }
            else
            {
                var c = ins.Code;
                if (c is Code.Jmp_rel8_64 or Code.Jmp_rel32_64)
                {
                    kind = Jmp;
                    size = JmpInitialSize;
                }
                else if (ins.IsJccShortOrNear)
                {
                    kind = Jcc;
                    size = JccInitialSize;
                    data = (int)ins.ConditionCode - 1;
                }
                else if (c == Code.Call_rel32_64 && ins.NearBranch64 == 0)
                {
                    kind = Call;
                    size = CallInitialSize;
                }
                else
                {
                    return -1;
                }

                if (ins.HasLockPrefix || ins.HasRepPrefix || ins.HasRepnePrefix || ins.SegmentPrefix != Register.None) return -1;
                if (kind != Call)
                {
                    // The label id of the target for now; resolved to a node index below.
                    if (ins.NearBranch64 >= 1 << 26) return -1;
                    data |= (int)ins.NearBranch64 << 4;
                }
            }

            // A node ends the run of plain instructions after the previous one.
            if (nodes == 0) lead = run;
            else _gap[nodes - 1] = run;
            run = 0;
            if (nodes == _kind.Length) Grow();
            _kind[nodes] = kind;
            _size[nodes] = size;
            _data[nodes] = data;
            _short[nodes] = false;
            _gap[nodes] = 0;
            if (label != 0 && !SetLabel(label, nodes)) return -1;
            nodes++;
        }

        if (nodes == 0) lead = run;
        else _gap[nodes - 1] = run;
        scratch.Length = length;
        return nodes;
    }

    /// <summary>Records that label <paramref name="id"/> is on node <paramref name="node"/>; the map holds -1 for ids not placed (yet).</summary>
    private bool SetLabel(ulong id, int node)
    {
        if (id >= int.MaxValue / 2) return false;
        var i = (int)id;
        if (i >= _labelCount)
        {
            if (i >= _labelIndex.Length) Array.Resize(ref _labelIndex, Math.Max(i + 1, _labelIndex.Length * 2));
            _labelIndex.AsSpan(_labelCount, i + 1 - _labelCount).Fill(-1);
            _labelCount = i + 1;
        }

        _labelIndex[i] = node;
        return true;
    }

    private int Encode(in Instruction ins) => _encoder.TryEncode(ins, 0, out var length, out _) ? (int)length : 0;

    /// <summary>
    /// Encodes <paramref name="ins"/> (address-independent) with Iced after a miss in the direct-mapped cache and keeps
    /// the result in <paramref name="entry"/>; returns its length, 0 when Iced cannot encode it. The cache is keyed by the
    /// instruction's fields (<paramref name="k0"/>-<paramref name="k3"/>: all but its address, which holds the label id)
    /// and skips Iced's encoder for repeated instructions (frame loads and stores, register moves: most of them).
    /// Encoding is a pure function of those fields, so the cache changes no byte, only the time (measured on
    /// large-direct.wasm: Iced's encoder was about a quarter of the compile time).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private int EncodeMiss(ref Instruction ins, ref CacheEntry entry, ulong k0, ulong k1, ulong k2, ulong k3)
    {
        var start = _scratch.Length;
        if (!_encoder.TryEncode(ins, 0, out var length, out _)) return 0;
        if (length <= 16)
        {
            ref var src = ref _scratch.Buffer[start];
            entry.K0 = k0;
            entry.K1 = k1;
            entry.K2 = k2;
            entry.K3 = k3;
            entry.B0 = Unsafe.ReadUnaligned<ulong>(ref src);
            entry.B1 = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref src, 8));
            entry.Length = (int)length;
        }

        return (int)length;
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

    private struct CacheEntry
    {
        public ulong K0, K1, K2, K3;
        public ulong B0, B1;
        public int Length;
    }

    /// <summary>A growable byte buffer Iced's encoder writes into; kept between functions.</summary>
    private sealed class ScratchWriter : CodeWriter
    {
        public byte[] Buffer = new byte[4096];
        public int Length;

        public void Reset() => Length = 0;

        /// <summary>Room for <paramref name="count"/> more bytes (the cache writes 16 bytes for an instruction of any length).</summary>
        public void EnsureSlack(int count)
        {
            if (Length + count > Buffer.Length) Array.Resize(ref Buffer, Math.Max(Buffer.Length * 2, Length + count));
        }

        public override void WriteByte(byte value)
        {
            if (Length == Buffer.Length) Array.Resize(ref Buffer, Buffer.Length * 2);
            Buffer[Length++] = value;
        }
    }
}
