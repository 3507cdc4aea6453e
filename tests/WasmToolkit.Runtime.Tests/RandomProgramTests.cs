using System;
using System.Collections.Generic;
using WasmToolkit.Instructions;
using Xunit;
using static WasmToolkit.Runtime.Tests.Asm;

namespace WasmToolkit.Runtime.Tests;

/// <summary>
/// Differential test: random, deeply nested integer expressions (constants, locals, local.tee, every
/// binary and unary operator, conversions, select, if/else, blocks left early by br_if, calls) are
/// compiled and run, and compared with a C# evaluation of the same tree. Seeds are fixed, so a failure
/// names a reproducible function. The generator is <see cref="RandomPrograms"/> (shared with
/// <see cref="DifferentialTests"/>, which adds floats, loops, memory and traps and uses Wasmtime as the oracle).
/// </summary>
public class RandomProgramTests
{
    [Theory]
    [InlineData(1, 6)]
    [InlineData(2, 9)]
    [InlineData(3, 12)]
    public void RandomExpressionsMatchTheEvaluator(int seed, int depth)
    {
        var rng = new Random(seed);
        var m = new TestModule()
            .Func(null, Type(P(I32T, I32T), I32T), LocalGet(0), I32(31), Op(Opcode.I32Mul), LocalGet(1), Op(Opcode.I32Add))
            .Func(null, Type(P(I64T, I64T), I64T), LocalGet(0), LocalGet(1), I64(7), Op(Opcode.I64Shl), Op(Opcode.I64Xor));
        var trees = new List<RandomPrograms.Node>();
        var bodies = new List<List<Instruction>>();
        for (var f = 0; f < 60; f++)
        {
            var tree = RandomPrograms.Gen(rng, rng.Next(2) == 0, depth);
            trees.Add(tree);
            var code = new List<Instruction>();
            tree.Emit(code);
            if (!tree.Is64) code.Add(Op(Opcode.I64ExtendI32S));
            bodies.Add(code);
            m.Func("f" + f, Type(P(I32T, I32T, I64T, I64T), I64T), TestModule.Locals((2, I32T), (2, I64T)), code.ToArray());
        }

        using var instance = m.Instantiate();
        for (var f = 0; f < trees.Count; f++)
        {
            var fn = instance.GetFunction<int, int, long, long, long>("f" + f);
            for (var run = 0; run < 8; run++)
            {
                var args = new long[] { (int)rng.NextInt64(), (int)RandomPrograms.Interesting[rng.Next(RandomPrograms.Interesting.Length)], rng.NextInt64(long.MinValue, long.MaxValue), RandomPrograms.Interesting[rng.Next(RandomPrograms.Interesting.Length)], 0, 0, 0, 0 };
                var expected = trees[f].Eval((long[])args.Clone());
                var actual = fn.Invoke((int)args[0], (int)args[1], args[2], args[3]);
                if (expected != actual) throw new Xunit.Sdk.XunitException($"seed {seed} function f{f} args ({args[0]}, {args[1]}, {args[2]}, {args[3]}): expected {expected}, got {actual}\n" + string.Join("\n", bodies[f].ConvertAll(RandomPrograms.Describe)));
            }
        }
    }
}
