using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Iced.Intel;

namespace WasmToolkit.Compiler.X64;

/// <summary>Instructions built with Iced's <see cref="Assembler"/>: drained from its list and encoded through a cache.</summary>
internal sealed partial class X64CodeBuffer
{
    private const int CacheBits = 14;

    /// <summary>
    /// Encodings of recent instructions (see <see cref="EncodeMiss"/>); about 900 KB, kept across functions. 16K entries: on
    /// large-direct.wasm 4K missed 20% of 2.5M probes, 16K 10%, 64K 6%; 16K was ~10 ms (3%) faster than 4K, 32K and 64K no
    /// faster than 16K (alternating runs). Aligning entries to cache lines made no measurable difference.
    /// </summary>
    private readonly CacheEntry[] _cache = new CacheEntry[1 << CacheBits];
    private readonly Encoder _encoder;

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

    /// <summary>Encodes the instructions waiting in the assembler's list, in order, and empties it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Drain()
    {
        if (_pending.Count != 0) DrainPending();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void DrainPending()
    {
        var list = _pending;
        var n = list.Count;
        for (var i = 0; i < n; i++) Append(ref list[i]);
        list.Clear();
    }

    /// <summary>
    /// Encodes one address-independent instruction (anything but a branch to a label, which goes through
    /// <see cref="Jump"/>/<see cref="JumpIf"/>/<see cref="CallRel32"/>) at the end of the current run.
    /// </summary>
    private void Append(ref Instruction ins)
    {
        var op0 = ins.Op0Kind;
        if (op0 is OpKind.NearBranch16 or OpKind.NearBranch32 or OpKind.NearBranch64 || ins.IsIPRelativeMemoryOperand || ins.IP != 0)
        {
            throw new InvalidOperationException($"'{ins}' depends on its address; branches and labels go through the code buffer.");
        }

        // The cache writes 16 bytes whatever the instruction's length; Iced's encoder grows the buffer itself.
        var scratch = _scratch;
        scratch.EnsureSlack(32);
        int size;
        if (s_cacheable)
        {
            // Instruction is 40 bytes: the address (0 here) first, then 32 bytes of operands, code and flags.
            ref var b = ref Unsafe.As<Instruction, byte>(ref ins);
            var k0 = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref b, 8));
            var k1 = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref b, 16));
            var k2 = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref b, 24));
            var k3 = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref b, 32));
            var h = (k0 * 0x9E3779B97F4A7C15UL) ^ (k1 * 0xC2B2AE3D27D4EB4FUL) ^ (k2 * 0x165667B19E3779F9UL) ^ (k3 * 0xD6E8FEB86659FD93UL);

            // The index is below 1 << CacheBits, the cache's length.
            ref var entry = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_cache), (nint)(h >> (64 - CacheBits)));
            if (entry.Length != 0 && entry.K0 == k0 && entry.K1 == k1 && entry.K2 == k2 && entry.K3 == k3)
            {
                ref var dst = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(scratch.Buffer), scratch.Length);
                Unsafe.WriteUnaligned(ref dst, entry.B0);
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, 8), entry.B1);
                size = entry.Length;
                scratch.Length += size;
            }
            else
            {
                size = EncodeMiss(ref ins, ref entry, k0, k1, k2, k3);
            }
        }
        else
        {
            size = _encoder.TryEncode(ins, 0, out var length, out _) ? (int)length : 0;
        }

        if (size == 0) throw new InvalidOperationException($"Iced cannot encode '{ins}'.");
        EmittedFromAssembler(in ins);
    }

    /// <summary>
    /// Encodes <paramref name="ins"/> with Iced after a miss in the direct-mapped cache and keeps the result in
    /// <paramref name="entry"/>; returns its length, 0 when Iced cannot encode it. The cache is keyed by the instruction's
    /// fields (<paramref name="k0"/>-<paramref name="k3"/>: all but its address) and skips Iced's encoder for repeated
    /// instructions. Encoding is a pure function of those fields, so the cache changes no byte, only the time.
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

    private struct CacheEntry
    {
        public ulong K0, K1, K2, K3;
        public ulong B0, B1;
        public int Length;
    }
}
