using System;
using System.Collections.Generic;
using System.Linq;
using Iced.Intel;
using WasmToolkit.Compiler;
using WasmToolkit.Compiler.Baseline;
using WasmToolkit.Compiler.X64;
using WasmToolkit.Instructions;
using WasmToolkit.Runtime.Native;
using WasmToolkit.Text;
using Xunit;
using static Iced.Intel.AssemblerRegisters;

namespace WasmToolkit.Runtime.Tests;

/// <summary>
/// The x64 SIMD lowering (X64MacroAssembler.Simd*.cs) under every register assignment the IMacroAssembler contract
/// allows: dst the same register as a source or another one, one register for several sources. Each operation of the
/// opcode table runs on fixed pseudo-random vectors (with NaNs, ±0, the integer extremes and the conversion bounds among
/// the lanes) with xmm0-xmm13 and a few general registers all loaded; its result must be the one it gives with every
/// register distinct, and every register but dst must keep its value. The values themselves are the spec suite's
/// business (simd/*.wast); this covers the assignments the baseline compiler seldom or never makes today.
/// </summary>
/// <remarks>
/// How it runs: a wrapper loads the registers from an input block, the macro-assembler's code for one operation follows,
/// and the wrapper stores the registers to an output block; no wasm module is involved. x64 hosts with SSE4.1 only.
/// </remarks>
public unsafe class X64SimdRegisterTests
{
    private const int XmmCount = 14;

    /// <summary>General registers the wrapper loads and checks: rax (an integer dst), rcx (an integer source), then sentinels.</summary>
    private static readonly AssemblerRegister64[] s_general = [rax, rcx, rdx, rbx, r8, r9, r12, r13];

    private const int GeneralAt = XmmCount * 16;
    private const int BlockSize = GeneralAt + (8 * 8);

    private static readonly Reg IntegerDst = new(X64MacroAssembler.Rax), IntegerSrc = new(X64MacroAssembler.Rcx);

    private static Reg V(int n) => Reg.Float(n);

    private static IEnumerable<OpcodeInfo> Simd(Func<OpcodeInfo, bool> shape)
        => OpcodeTable.All.Where(i => i.Prefix == 0xFD && i.Immediate is not (ImmediateKind.Memarg or ImmediateKind.MemargLane) && shape(i));

    private static bool IsV128(ValType t) => t.Kind == ValTypeKind.V128;

    [SkippableFact]
    public void BinaryOperationsGiveTheSameResultInEveryAssignment()
    {
        SkipUnlessHost();
        var ops = Simd(i => i.Immediate == ImmediateKind.None && i.Operands.Length == 2 && i.Operands.All(IsV128)).ToList();
        Assert.True(ops.Count > 100, $"only {ops.Count} binary operations found");
        foreach (var info in ops)
        {
            // (dst, lhs, rhs): distinct first (the reference), then each aliasing.
            CheckAssignments(info.Name, [(2, 0, 1), (0, 0, 1), (1, 0, 1), (2, 0, 0), (0, 0, 0), (1, 0, 0)], (m, d, l, r) => m.SimdBinary(info.Opcode, V(d), V(l), V(r)));
        }
    }

    [SkippableFact]
    public void ShufflesGiveTheSameResultInEveryAssignment()
    {
        SkipUnlessHost();
        var random = new Random(7);
        var patterns = new List<byte[]>
        {
            Enumerable.Range(0, 16).Select(i => (byte)i).ToArray(),
            Enumerable.Range(0, 16).Select(i => (byte)(31 - i)).ToArray(),
            Enumerable.Range(0, 16).Select(i => (byte)(16 + ((i * 5) & 15))).ToArray(),
            Enumerable.Range(0, 16).Select(i => (byte)(i * 2)).ToArray(),
        };
        for (var n = 0; n < 8; n++) patterns.Add(Enumerable.Range(0, 16).Select(_ => (byte)random.Next(32)).ToArray());
        foreach (var lanes in patterns)
        {
            var v = new V128(lanes);
            CheckAssignments("i8x16.shuffle " + string.Join(" ", lanes), [(2, 0, 1), (0, 0, 1), (1, 0, 1), (2, 0, 0), (0, 0, 0)], (m, d, l, r) => m.SimdShuffle(V(d), V(l), V(r), v));
        }
    }

    [SkippableFact]
    public void BitselectGivesTheSameResultInEveryAssignment()
    {
        SkipUnlessHost();
        CheckAssignments(
            "v128.bitselect",
            [(3, 0, 1, 2), (0, 0, 1, 2), (1, 0, 1, 2), (2, 0, 1, 2), (3, 0, 0, 1), (3, 0, 1, 1), (3, 0, 1, 0), (0, 0, 0, 0), (1, 0, 1, 1)],
            (m, d, a, b, c) => m.SimdBitselect(V(d), V(a), V(b), V(c)));
    }

    [SkippableFact]
    public void UnaryOperationsGiveTheSameResultInEveryAssignment()
    {
        SkipUnlessHost();
        var ops = Simd(i => i.Immediate == ImmediateKind.None && i.Operands.Length == 1 && IsV128(i.Operands[0]) && IsV128(i.Results[0])).ToList();
        Assert.True(ops.Count > 40, $"only {ops.Count} unary operations found");
        foreach (var info in ops)
        {
            CheckAssignments(info.Name, [(1, 0, 0), (0, 0, 0)], (m, d, s, _) => m.SimdUnary(info.Opcode, V(d), V(s)));
        }
    }

    [SkippableFact]
    public void ShiftsGiveTheSameResultInEveryAssignmentAndForEitherCount()
    {
        SkipUnlessHost();
        var ops = Simd(i => i.Immediate == ImmediateKind.None && i.Operands.Length == 2 && !IsV128(i.Operands[1])).ToList();
        Assert.Equal(12, ops.Count);
        foreach (var info in ops)
        {
            foreach (var count in new long[] { 0, 1, 3, 7, 8, 9, 15, 16, 31, 32, 33, 63, 64, 65, -1, 0x7FFF_FFF9 })
            {
                // The reference takes the count in rcx; the immediate form must agree with it.
                var inputs = Inputs(count);
                var reference = Run(inputs, m => m.SimdShift(info.Opcode, V(1), V(0), RegImm.Of(IntegerSrc)));
                foreach (var (d, useImm) in new[] { (1, false), (0, false), (1, true), (0, true) })
                {
                    var what = $"{info.Name} by {count} ({(useImm ? "immediate" : "rcx")}, dst xmm{d}, lhs xmm0)";
                    var output = Run(inputs, m => m.SimdShift(info.Opcode, V(d), V(0), useImm ? RegImm.Of(count) : RegImm.Of(IntegerSrc)));
                    AssertXmm(what, reference, 1, output, d);
                    AssertOthersKept(what, inputs, output, dstXmm: d);
                }
            }
        }
    }

    [SkippableFact]
    public void TestsMatchTheirDefinitionAndKeepEveryRegister()
    {
        SkipUnlessHost();
        var ops = Simd(i => i.Immediate == ImmediateKind.None && i.Operands.Length == 1 && IsV128(i.Operands[0]) && !IsV128(i.Results[0])).ToList();
        Assert.Equal(9, ops.Count);
        foreach (var info in ops)
        {
            foreach (var seed in Enumerable.Range(0, 24))
            {
                var inputs = Inputs(0, seed);

                // Some vectors with no zero lane (all_true is true), some all zero (any_true is false).
                for (var i = 0; i < 16; i++)
                {
                    if (seed % 3 == 0) inputs[(3 * 16) + i] |= 0x81;
                    if (seed % 3 == 1) inputs[(3 * 16) + i] = 0;
                }

                var output = Run(inputs, m => m.SimdTest(info.Opcode, IntegerDst, V(3)));
                var what = $"{info.Name} (seed {seed})";
                Assert.True(Expected(info.Opcode, inputs.AsSpan(3 * 16, 16).ToArray()) == General(output, 0), what + $": got {General(output, 0):x}");
                AssertOthersKept(what, inputs, output, dstGeneral: 0);
            }
        }

        static ulong Expected(Opcode op, byte[] v)
        {
            ulong Lane(int width, int i) => width switch
            {
                1 => v[i],
                2 => BitConverter.ToUInt16(v, i * 2),
                4 => BitConverter.ToUInt32(v, i * 4),
                _ => BitConverter.ToUInt64(v, i * 8),
            };

            ulong AllTrue(int width) => Enumerable.Range(0, 16 / width).All(i => Lane(width, i) != 0) ? 1UL : 0UL;
            ulong Bitmask(int width) => (ulong)Enumerable.Range(0, 16 / width).Sum(i => (long)((Lane(width, i) >> ((width * 8) - 1)) & 1) << i);
            return op switch
            {
                Opcode.V128AnyTrue => v.Any(b => b != 0) ? 1UL : 0UL,
                Opcode.I8x16AllTrue => AllTrue(1),
                Opcode.I16x8AllTrue => AllTrue(2),
                Opcode.I32x4AllTrue => AllTrue(4),
                Opcode.I64x2AllTrue => AllTrue(8),
                Opcode.I8x16Bitmask => Bitmask(1),
                Opcode.I16x8Bitmask => Bitmask(2),
                Opcode.I32x4Bitmask => Bitmask(4),
                Opcode.I64x2Bitmask => Bitmask(8),
                _ => throw new ArgumentOutOfRangeException(nameof(op)),
            };
        }
    }

    [SkippableFact]
    public void LaneOperationsGiveTheSameResultInEveryAssignment()
    {
        SkipUnlessHost();
        foreach (var info in Simd(i => i.Immediate == ImmediateKind.Lane))
        {
            var isFloatLane = info.Name.StartsWith('f');
            for (var lane = 0; lane < info.LaneCount; lane++)
            {
                var l = lane;
                if (info.Operands.Length == 1 && !isFloatLane)
                {
                    // Integer extract: one assignment (the lane into rax); the value checked against the input bytes.
                    var inputs = Inputs(0);
                    var output = Run(inputs, m => m.SimdExtractLane(info.Opcode, IntegerDst, V(0), l));
                    var width = 16 / info.LaneCount;
                    var raw = width switch
                    {
                        1 => inputs[l],
                        2 => BitConverter.ToUInt16(inputs, l * 2),
                        4 => BitConverter.ToUInt32(inputs, l * 4),
                        _ => BitConverter.ToUInt64(inputs, l * 8),
                    };
                    var expected = info.Name.EndsWith("_s", StringComparison.Ordinal)
                        ? (ulong)(uint)(width == 1 ? (sbyte)raw : (short)raw)
                        : raw;
                    Assert.True(expected == General(output, 0), $"{info.Name} {l}: got {General(output, 0):x}, expected {expected:x}");
                    AssertOthersKept($"{info.Name} {l}", inputs, output, dstGeneral: 0);
                }
                else if (info.Operands.Length == 1)
                {
                    // Float extract: the lane's bits in the low bits of dst.
                    foreach (var d in new[] { 1, 0 })
                    {
                        var inputs = Inputs(0);
                        var output = Run(inputs, m => m.SimdExtractLane(info.Opcode, V(d), V(0), l));
                        var width = 16 / info.LaneCount;
                        var what = $"{info.Name} {l} (dst xmm{d})";
                        Assert.True(inputs.AsSpan(l * width, width).SequenceEqual(output.AsSpan(d * 16, width)), what);
                        AssertOthersKept(what, inputs, output, dstXmm: d);
                    }
                }
                else if (!isFloatLane)
                {
                    // Integer replace: (dst, vector) with the value in rcx.
                    CheckAssignments($"{info.Name} {l}", [(1, 0, 0), (0, 0, 0)], (m, d, s, _) => m.SimdReplaceLane(info.Opcode, V(d), V(s), IntegerSrc, l));
                }
                else
                {
                    CheckAssignments($"{info.Name} {l}", [(2, 0, 1), (0, 0, 1), (1, 0, 1), (2, 0, 0), (0, 0, 0)], (m, d, s, v) => m.SimdReplaceLane(info.Opcode, V(d), V(s), V(v), l));
                }
            }
        }
    }

    [SkippableFact]
    public void SplatsGiveTheSameResultInEveryAssignment()
    {
        SkipUnlessHost();
        foreach (var info in Simd(i => i.Immediate == ImmediateKind.None && i.Operands.Length == 1 && !IsV128(i.Operands[0])))
        {
            if (info.Name.StartsWith('f'))
            {
                CheckAssignments(info.Name, [(1, 0, 0), (0, 0, 0)], (m, d, s, _) => m.SimdSplat(info.Opcode, V(d), V(s)));
            }
            else
            {
                // From rcx: every lane is its low bits.
                var inputs = Inputs(unchecked((long)0x8899AABBCCDDEEFF));
                var output = Run(inputs, m => m.SimdSplat(info.Opcode, V(1), IntegerSrc));
                var width = info.Name.StartsWith("i8", StringComparison.Ordinal) ? 1 : info.Name.StartsWith("i16", StringComparison.Ordinal) ? 2 : info.Name.StartsWith("i32", StringComparison.Ordinal) ? 4 : 8;
                for (var i = 0; i < 16; i += width) Assert.True(inputs.AsSpan(GeneralAt + 8, width).SequenceEqual(output.AsSpan(16 + i, width)), info.Name);
                AssertOthersKept(info.Name, inputs, output, dstXmm: 1);
            }
        }
    }

    private delegate void Emit3(X64MacroAssembler m, int dst, int a, int b);

    private delegate void Emit4(X64MacroAssembler m, int dst, int a, int b, int c);

    /// <summary>Runs <paramref name="emit"/> with each (dst, a, b) assignment; the first is the reference, with the sources' values kept per role.</summary>
    private static void CheckAssignments(string name, (int Dst, int A, int B)[] assignments, Emit3 emit)
        => CheckAssignments(name, assignments.Select(a => (a.Dst, a.A, a.B, -1)).ToArray(), (m, d, a, b, _) => emit(m, d, a, b));

    private static void CheckAssignments(string name, (int Dst, int A, int B, int C)[] assignments, Emit4 emit)
    {
        foreach (var seed in Enumerable.Range(0, 6))
        {
            var inputs = Inputs(0x1234_5678_9ABC_DEF0, seed);
            foreach (var (dst, a, b, c) in assignments)
            {
                // The reference computes with every register distinct on the values these registers hold.
                var reference = Inputs(0x1234_5678_9ABC_DEF0, seed);
                Array.Copy(inputs, a * 16, reference, 10 * 16, 16);
                if (b >= 0) Array.Copy(inputs, b * 16, reference, 11 * 16, 16);
                if (c >= 0) Array.Copy(inputs, c * 16, reference, 12 * 16, 16);
                var expected = Run(reference, m => emit(m, 13, 10, b >= 0 ? 11 : -1, c >= 0 ? 12 : -1));
                var output = Run(inputs, m => emit(m, dst, a, b, c));
                var what = $"{name} (seed {seed}) with dst xmm{dst}, sources xmm{a}" + (b >= 0 ? $", xmm{b}" : "") + (c >= 0 ? $", xmm{c}" : "");
                AssertXmm(what, expected, 13, output, dst);
                AssertOthersKept(what, inputs, output, dstXmm: dst);
            }
        }
    }

    private static void AssertXmm(string what, byte[] expected, int expectedRegister, byte[] actual, int actualRegister)
    {
        var e = expected.AsSpan(expectedRegister * 16, 16);
        var a = actual.AsSpan(actualRegister * 16, 16);
        Assert.True(e.SequenceEqual(a) || SameUpToNaNs(what, e, a), $"{what}: got {Convert.ToHexString(a)}, expected {Convert.ToHexString(e)}");
    }

    /// <summary>
    /// Float lanes that are NaN in both: which operand's NaN an arithmetic operation returns is left open by the spec,
    /// and add and mul take their operands in either order.
    /// </summary>
    private static bool SameUpToNaNs(string what, ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual)
    {
        var width = what.StartsWith("f32x4", StringComparison.Ordinal) ? 4 : what.StartsWith("f64x2", StringComparison.Ordinal) ? 8 : 0;
        if (width == 0) return false;
        for (var i = 0; i < 16; i += width)
        {
            var e = expected.Slice(i, width);
            var a = actual.Slice(i, width);
            var bothNaN = width == 4
                ? float.IsNaN(BitConverter.ToSingle(e)) && float.IsNaN(BitConverter.ToSingle(a))
                : double.IsNaN(BitConverter.ToDouble(e)) && double.IsNaN(BitConverter.ToDouble(a));
            if (!e.SequenceEqual(a) && !bothNaN) return false;
        }

        return true;
    }

    private static void AssertOthersKept(string what, byte[] inputs, byte[] output, int dstXmm = -1, int dstGeneral = -1)
    {
        for (var i = 0; i < XmmCount; i++)
        {
            if (i != dstXmm) Assert.True(inputs.AsSpan(i * 16, 16).SequenceEqual(output.AsSpan(i * 16, 16)), $"{what}: xmm{i} changed");
        }

        for (var i = 0; i < s_general.Length; i++)
        {
            if (i != dstGeneral) Assert.True(General(inputs, i) == General(output, i), $"{what}: {s_general[i]} changed");
        }
    }

    private static ulong General(byte[] block, int index) => BitConverter.ToUInt64(block, GeneralAt + (8 * index));

    /// <summary>An input block: xmm0-xmm13 with lanes from a pool of edge values and random bits, rcx = <paramref name="rcx"/>, sentinels in the other general registers.</summary>
    private static byte[] Inputs(long rcx, int seed = 1)
    {
        uint[] pool =
        [
            0, 1, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0x8000, 0x7FFF, 0x80, 0x7F, 0xFF, // integer edges
            0x7FC0_0000, 0xFFC0_0000, 0x7FA0_0001, 0x7F80_0000, 0xFF80_0000, 0x3F80_0000, 0xBF80_0000, // f32 NaNs, infinities, ±1
            0x4F00_0000, 0x4F80_0000, 0xCF00_0000, 0x4EFF_FFFF, 0x3F00_0000, 0x3FC0_0000, // f32 around 2^31, 2^32, 0.5, 1.5
            0x41DF_FFFF, 0xFFC0_0000, 0x41EF_FFFF, 0x4330_0000, 0x7FF8_0000, 0x7FF0_0000, 0xFFF8_0000, // f64 high halves
        ];
        var random = new Random(seed);
        var block = new byte[BlockSize];
        for (var i = 0; i < XmmCount * 4; i++)
        {
            var lane = random.Next(3) == 0 ? (uint)random.Next() ^ (uint)(random.Next() << 1) : pool[random.Next(pool.Length)];
            BitConverter.TryWriteBytes(block.AsSpan(i * 4), lane);
        }

        for (var i = 0; i < s_general.Length; i++) BitConverter.TryWriteBytes(block.AsSpan(GeneralAt + (8 * i)), 0x5A5A_0000_0000_0000UL + (ulong)i);
        BitConverter.TryWriteBytes(block.AsSpan(GeneralAt + 8), rcx);
        return block;
    }

    /// <summary>Loads the registers from a copy of <paramref name="inputs"/>, runs the operation's code, returns the registers.</summary>
    private static byte[] Run(byte[] inputs, Action<X64MacroAssembler> operation)
    {
        var masm = new X64MacroAssembler(HostFeatures.X64, s_layout);
        operation(masm);
        var body = masm.Finish().Bytes.ToArray();

        var before = new Assembler(64);
        before.push(rbx);
        before.push(r12);
        before.push(r13);
        for (var i = 0; i < XmmCount; i++) before.movdqu(Xmm(i), __xmmword_ptr[rdi + (i * 16)]);
        for (var i = 0; i < s_general.Length; i++) before.mov(s_general[i], __qword_ptr[rdi + GeneralAt + (8 * i)]);
        var after = new Assembler(64);
        for (var i = 0; i < XmmCount; i++) after.movdqu(__xmmword_ptr[rsi + (i * 16)], Xmm(i));
        for (var i = 0; i < s_general.Length; i++) after.mov(__qword_ptr[rsi + GeneralAt + (8 * i)], s_general[i]);
        after.pop(r13);
        after.pop(r12);
        after.pop(rbx);
        after.ret();

        var code = Encode(before).Concat(body).Concat(Encode(after)).ToArray();
        using var memory = ExecutableMemory.Create(code);
        var output = new byte[BlockSize];
        fixed (byte* input = inputs)
        fixed (byte* result = output)
        {
            ((delegate* unmanaged<byte*, byte*, void>)memory.Pointer)(input, result);
        }

        return output;
    }

    private static readonly VmContextLayout s_layout = VmContextLayout.For(TextModuleParser.Parse("(module)", "empty.wat").Module!);

    private static AssemblerRegisterXMM Xmm(int n) => new((Register)((int)Register.XMM0 + n));

    private static byte[] Encode(Assembler assembler)
    {
        var writer = new CodeWriterImpl();
        assembler.Assemble(writer, 0);
        return writer.Bytes.ToArray();
    }

    private sealed class CodeWriterImpl : CodeWriter
    {
        public List<byte> Bytes { get; } = new();

        public override void WriteByte(byte value) => Bytes.Add(value);
    }

    private static void SkipUnlessHost()
    {
        Skip.IfNot(HostFeatures.Architecture == TargetArchitecture.X64, "runs x64 code: needs an x64 host");
        Skip.If((HostFeatures.X64 & X64Features.Sse41) == 0, "the SIMD lowering needs SSE4.1, which this processor lacks");
    }
}
