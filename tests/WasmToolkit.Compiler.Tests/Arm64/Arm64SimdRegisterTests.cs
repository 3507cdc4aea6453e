using System;
using System.Collections.Generic;
using System.Linq;
using WasmToolkit.Compiler.Arm64;
using WasmToolkit.Compiler.Baseline;
using WasmToolkit.Instructions;
using WasmToolkit.Text;
using Xunit;

namespace WasmToolkit.Compiler.Tests.Arm64;

/// <summary>
/// The register contract of the SIMD operations (IMacroAssembler.Simd.cs) on ARM64, run on Unicorn: for every SIMD
/// opcode outside memory, each register assignment the compiler may make (dst equal to a source, two sources in one
/// register) gives the result of the all-distinct assignment on the same operand values, and every allocatable
/// register other than dst keeps its value (only x16, x17, v30, v31 are scratch). The operations' values themselves are
/// checked by the spec suite's <c>simd/</c> files under qemu (<c>eng/arm64/run-wast.sh</c>).
/// </summary>
public class Arm64SimdRegisterTests
{
    /// <summary>x0–x15, x19–x28 (the allocatable ones and the fixed context, state and memory base) must survive.</summary>
    private static readonly int[] s_generalKept = Enumerable.Range(0, 16).Concat(Enumerable.Range(19, 10)).ToArray();

    private static readonly VmContextLayout s_layout = VmContextLayout.For(TextModuleParser.Parse("(module)").Module!);

    /// <summary>The shape of an operation: what its operands and result are (as the compiler groups opcodes).</summary>
    private enum Shape
    {
        Unary,
        Binary,
        Bitselect,
        Shift,
        Test,
        Splat,
        ExtractLane,
        ReplaceLane,
        Shuffle,
        Const,
    }

    public static IEnumerable<object[]> Opcodes()
    {
        foreach (var info in OpcodeTable.All)
        {
            if (info.Prefix != 0xFD || ShapeOf(info) is null) continue;
            yield return new object[] { info.Name };
        }
    }

    private static Shape? ShapeOf(OpcodeInfo info)
    {
        switch (info.Immediate)
        {
            case ImmediateKind.V128: return Shape.Const;
            case ImmediateKind.Shuffle: return Shape.Shuffle;
            case ImmediateKind.Lane: return info.Operands.Length == 1 ? Shape.ExtractLane : Shape.ReplaceLane;
            case ImmediateKind.None: break;
            default: return null;
        }

        if (info.Results.Length != 1) return null;
        var vectorResult = info.Results[0].Kind == ValTypeKind.V128;
        return info.Operands.Length switch
        {
            1 when info.Operands[0].Kind != ValTypeKind.V128 => Shape.Splat,
            1 => vectorResult ? Shape.Unary : Shape.Test,
            2 when info.Operands[1].Kind != ValTypeKind.V128 => Shape.Shift,
            2 => Shape.Binary,
            3 => Shape.Bitselect,
            _ => null,
        };
    }

    /// <summary>One register assignment: dst and up to three sources, each a register number in its class.</summary>
    private readonly record struct Assignment(int Dst, int A, int B, int C);

    [SkippableTheory]
    [MemberData(nameof(Opcodes))]
    public void EveryRegisterAssignmentGivesTheDistinctResult(string name)
    {
        Arm64Emulator.Require();
        Assert.True(OpcodeTable.TryGetByName(name, out var info));
        var shape = ShapeOf(info)!.Value;
        var random = new Random(name.GetHashCode(StringComparison.Ordinal) & 0x7FFF_FFFF);
        var resultIsGeneral = shape == Shape.Test || (shape == Shape.ExtractLane && !IsFloatLane(info));
        var valueIsGeneral = (shape is Shape.Splat or Shape.ReplaceLane && !IsFloatLane(info)) || shape == Shape.Shift;

        // Distinct registers first; then every aliasing the contract allows (a general dst or value never aliases a vector).
        var reference = new Assignment(Dst: resultIsGeneral ? 3 : 20, A: valueIsGeneral && shape == Shape.Splat ? 4 : 21, B: valueIsGeneral ? 5 : 22, C: 23);
        var assignments = new List<Assignment> { reference };
        switch (shape)
        {
            case Shape.Unary:
                assignments.Add(reference with { Dst = reference.A });
                break;
            case Shape.Binary:
            case Shape.Shuffle:
                assignments.Add(reference with { Dst = reference.A });
                assignments.Add(reference with { Dst = reference.B });
                assignments.Add(reference with { B = reference.A });
                assignments.Add(reference with { Dst = reference.A, B = reference.A });
                break;
            case Shape.Bitselect:
                assignments.Add(reference with { Dst = reference.A });
                assignments.Add(reference with { Dst = reference.B });
                assignments.Add(reference with { Dst = reference.C });
                assignments.Add(reference with { B = reference.A });
                assignments.Add(reference with { C = reference.A });
                assignments.Add(reference with { C = reference.B, Dst = reference.B });
                assignments.Add(reference with { Dst = reference.A, B = reference.A, C = reference.A });
                break;
            case Shape.Shift:
            case Shape.ReplaceLane when valueIsGeneral:
                assignments.Add(reference with { Dst = reference.A });
                break;
            case Shape.ReplaceLane:
                assignments.Add(reference with { Dst = reference.A });
                assignments.Add(reference with { Dst = reference.B });
                assignments.Add(reference with { B = reference.A });
                break;
            case Shape.Splat when !valueIsGeneral:
            case Shape.ExtractLane when !resultIsGeneral:
                assignments.Add(reference with { Dst = reference.A });
                break;
        }

        foreach (var trial in Trials(info, shape, random))
        {
            foreach (var assignment in assignments.Skip(1))
            {
                // The values the shared registers hold (a source sharing a register with an earlier one has its value), in distinct registers and in this assignment.
                var b = assignment.B == assignment.A ? trial.A : trial.B;
                var c = assignment.C == assignment.A ? trial.A : assignment.C == assignment.B ? b : trial.C;
                var seed = random.Next();
                var expected = Run(info, shape, reference, trial, (trial.A, b, c), resultIsGeneral, valueIsGeneral, seed);
                var result = Run(info, shape, assignment, trial, (trial.A, b, c), resultIsGeneral, valueIsGeneral, seed);
                Assert.True(expected == result, $"{name} {trial.Immediate} with dst={assignment.Dst}, a={assignment.A}, b={assignment.B}, c={assignment.C}: {result.Item1:x16}:{result.Item2:x16}, distinct registers give {expected.Item1:x16}:{expected.Item2:x16}");
            }

            if (assignments.Count == 1) Run(info, shape, reference, trial, (trial.A, trial.B, trial.C), resultIsGeneral, valueIsGeneral, random.Next());
        }
    }

    private static bool IsFloatLane(OpcodeInfo info) => info.Name.StartsWith("f32x4", StringComparison.Ordinal) || info.Name.StartsWith("f64x2", StringComparison.Ordinal);

    /// <summary>Operand values (a vector, another, a mask) and an immediate: a lane index, a shift count or shuffle indices.</summary>
    private readonly record struct Trial((ulong, ulong) A, (ulong, ulong) B, (ulong, ulong) C, long Immediate, V128 Lanes);

    private static IEnumerable<Trial> Trials(OpcodeInfo info, Shape shape, Random random)
    {
        (ulong, ulong) Vector() => ((ulong)random.NextInt64() ^ ((ulong)random.Next() << 40), (ulong)random.NextInt64() ^ ((ulong)random.Next() << 40));
        Trial Make(long immediate, V128 lanes = default) => new(Vector(), Vector(), Vector(), immediate, lanes);
        switch (shape)
        {
            case Shape.ExtractLane:
            case Shape.ReplaceLane:
                for (var lane = 0; lane < info.LaneCount; lane++) yield return Make(lane);
                break;
            case Shape.Shift:
                // Register counts (Immediate -1: a random count in the general register) and immediate ones across the modulo.
                yield return Make(-1);
                yield return Make(-1);
                foreach (var count in new long[] { 0, 1, 7, 8, 15, 16, 31, 32, 63, 64, 65 }) yield return Make(count);
                break;
            case Shape.Shuffle:
            {
                var mixed = new byte[16];
                for (var i = 0; i < 16; i++) mixed[i] = (byte)random.Next(32);
                var low = mixed.Select(x => (byte)(x & 15)).ToArray();
                var high = mixed.Select(x => (byte)(x | 16)).ToArray();
                yield return Make(0, new V128(mixed));
                yield return Make(0, new V128(low));
                yield return Make(0, new V128(high));
                break;
            }

            default:
                for (var i = 0; i < 4; i++) yield return Make(0);
                break;
        }
    }

    /// <summary>Runs the operation under <paramref name="assignment"/> from a random register file holding the operands; returns dst (a general result in the low half).</summary>
    private static (ulong, ulong) Run(OpcodeInfo info, Shape shape, Assignment assignment, Trial trial, ((ulong, ulong) A, (ulong, ulong) B, (ulong, ulong) C) values, bool resultIsGeneral, bool valueIsGeneral, int seed)
    {
        var masm = new Arm64MacroAssembler(s_layout);
        var op = info.Opcode;
        var dst = resultIsGeneral ? new Reg(assignment.Dst) : Reg.Float(assignment.Dst);
        var a = Reg.Float(assignment.A);
        var b = Reg.Float(assignment.B);
        var c = Reg.Float(assignment.C);
        var general = new Reg(assignment.B);
        switch (shape)
        {
            case Shape.Const: masm.SimdConst(dst, new V128(values.A.Item1, values.A.Item2)); break;
            case Shape.Unary: masm.SimdUnary(op, dst, a); break;
            case Shape.Binary: masm.SimdBinary(op, dst, a, b); break;
            case Shape.Bitselect: masm.SimdBitselect(dst, a, b, c); break;
            case Shape.Shift: masm.SimdShift(op, dst, a, trial.Immediate < 0 ? RegImm.Of(general) : RegImm.Of(trial.Immediate)); break;
            case Shape.Test: masm.SimdTest(op, dst, a); break;
            case Shape.Splat: masm.SimdSplat(op, dst, valueIsGeneral ? new Reg(assignment.A) : a); break;
            case Shape.ExtractLane: masm.SimdExtractLane(op, dst, a, (int)trial.Immediate); break;
            case Shape.ReplaceLane: masm.SimdReplaceLane(op, dst, a, valueIsGeneral ? general : b, (int)trial.Immediate); break;
            case Shape.Shuffle: masm.SimdShuffle(dst, a, b, trial.Lanes); break;
        }

        var code = masm.Finish().Bytes.ToArray();
        using var emulator = new Arm64Emulator();
        var background = new Random(seed);
        var before = new (ulong, ulong)[32];
        for (var v = 0; v < 32; v++)
        {
            before[v] = ((ulong)background.NextInt64(), (ulong)background.NextInt64());
            emulator.SetQ(v, before[v].Item1, before[v].Item2);
        }

        var generalBefore = new ulong[29];
        for (var x = 0; x < 29; x++)
        {
            generalBefore[x] = (ulong)background.NextInt64();
            emulator.SetX(x, generalBefore[x]);
        }

        // The operands, in the order that leaves a shared register with the first operand's value.
        if (shape == Shape.Splat && valueIsGeneral) SetGeneral(emulator, generalBefore, assignment.A, values.A.Item1, info);
        else
        {
            SetVector(emulator, before, assignment.C, values.C);
            SetVector(emulator, before, assignment.B, values.B);
            SetVector(emulator, before, assignment.A, values.A);
        }

        if (shape == Shape.Shift) SetGeneral(emulator, generalBefore, assignment.B, values.B.Item1 & 0xFF, info);
        if (shape == Shape.ReplaceLane && valueIsGeneral) SetGeneral(emulator, generalBefore, assignment.B, values.B.Item1, info);

        emulator.Run(code);

        for (var v = 0; v < 30; v++)
        {
            if (!resultIsGeneral && v == assignment.Dst) continue;
            Assert.True(before[v] == emulator.GetQ(v), $"{info.Name}: v{v} changed ({emulator.GetQ(v)}, was {before[v]})");
        }

        foreach (var x in s_generalKept)
        {
            if (resultIsGeneral && x == assignment.Dst) continue;
            Assert.True(generalBefore[x] == emulator.GetX(x), $"{info.Name}: x{x} changed");
        }

        if (resultIsGeneral) return (emulator.GetX(assignment.Dst), 0);

        // An f32/f64 result is the low 32/64 bits of its register; the rest is not part of the value.
        var (low, high) = emulator.GetQ(assignment.Dst);
        if (shape == Shape.ExtractLane) return (info.Name.StartsWith("f32", StringComparison.Ordinal) ? (uint)low : low, 0);
        return (low, high);
    }

    private static void SetVector(Arm64Emulator emulator, (ulong, ulong)[] before, int v, (ulong, ulong) value)
    {
        before[v] = value;
        emulator.SetQ(v, value.Item1, value.Item2);
    }

    /// <summary>A general operand: i32 values zero-extended (the backend's invariant), i64 ones whole.</summary>
    private static void SetGeneral(Arm64Emulator emulator, ulong[] generalBefore, int x, ulong value, OpcodeInfo info)
    {
        var wide = info.Name.StartsWith("i64x2", StringComparison.Ordinal) && !info.Name.Contains("sh", StringComparison.Ordinal);
        generalBefore[x] = wide ? value : (uint)value;
        emulator.SetX(x, generalBefore[x]);
    }
}
