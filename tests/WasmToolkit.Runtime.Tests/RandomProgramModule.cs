using System;
using System.Collections.Generic;
using WasmToolkit.Binary;
using WasmToolkit.Instructions;
using static WasmToolkit.Runtime.Tests.Asm;

namespace WasmToolkit.Runtime.Tests;

/// <summary>
/// A module of random functions <c>f0 … f(n-1)</c> from <see cref="RandomPrograms"/> (floats, loops, loads, traps) with
/// the two call helpers and one page of memory holding random data, and the random arguments to call them with: the
/// input of <see cref="DifferentialTests"/> (against Wasmtime) and of the ARM64 differential run under qemu.
/// </summary>
internal sealed class RandomProgramModule
{
    private RandomProgramModule(byte[] bytes, List<List<Instruction>> bodies, Random rng)
    {
        Bytes = bytes;
        Bodies = bodies;
        Random = rng;
    }

    /// <summary>The encoded module.</summary>
    public byte[] Bytes { get; }

    /// <summary>The body of each <c>f</c><i>i</i>, for failure messages.</summary>
    public List<List<Instruction>> Bodies { get; }

    /// <summary>The generator's random source after the module, to draw call arguments from (<see cref="NextArguments"/>).</summary>
    public Random Random { get; }

    /// <summary>Every function takes (i32, i32, i64, i64); f<i>i</i> returns the i-th of i32, i64, f32, f64 in turn.</summary>
    public static RandomProgramModule Build(int seed, int depth, int functions)
    {
        var options = new RandomPrograms.Options();
        var rng = new Random(seed);
        var data = new byte[RandomPrograms.Options.DataBytes];
        rng.NextBytes(data);
        var m = new TestModule()
            .WithMemory(1)
            .Data(0, data)
            .Func(null, Type(P(I32T, I32T), I32T), LocalGet(0), I32(31), Op(Opcode.I32Mul), LocalGet(1), Op(Opcode.I32Add))
            .Func(null, Type(P(I64T, I64T), I64T), LocalGet(0), LocalGet(1), I64(7), Op(Opcode.I64Shl), Op(Opcode.I64Xor));
        var kinds = new[] { ValTypeKind.I32, ValTypeKind.I64, ValTypeKind.F32, ValTypeKind.F64 };
        var bodies = new List<List<Instruction>>();
        for (var f = 0; f < functions; f++)
        {
            var kind = kinds[f % kinds.Length];
            var code = new List<Instruction>();
            RandomPrograms.GenAny(rng, kind, depth, options).Emit(code);
            bodies.Add(code);
            m.Func("f" + f, Type(P(I32T, I32T, I64T, I64T), RandomPrograms.ValTypeOf(kind)), TestModule.Locals(RandomPrograms.LocalDeclarations), code.ToArray());
        }

        return new RandomProgramModule(ModuleWriter.Write(m.Build()), bodies, rng);
    }

    /// <summary>Arguments for one call: a random and an interesting value of each integer type (boxed int, int, long, long).</summary>
    public object[] NextArguments() =>
    [
        (int)Random.NextInt64(), (int)RandomPrograms.Interesting[Random.Next(RandomPrograms.Interesting.Length)],
        Random.NextInt64(long.MinValue, long.MaxValue), RandomPrograms.Interesting[Random.Next(RandomPrograms.Interesting.Length)],
    ];
}
