using System;
using System.Collections.Generic;
using System.Numerics;
using WasmToolkit.Instructions;
using Xunit;
using static WasmToolkit.Runtime.Tests.Asm;

namespace WasmToolkit.Runtime.Tests;

/// <summary>
/// Differential test: random, deeply nested integer expressions (constants, locals, local.tee, every
/// binary and unary operator, conversions, select, if/else, blocks left early by br_if, calls) are
/// compiled and run, and compared with a C# evaluation of the same tree. Seeds are fixed, so a failure
/// names a reproducible function.
/// </summary>
public class RandomProgramTests
{
    private abstract class Node
    {
        public bool Is64;

        public abstract void Emit(List<Instruction> code);

        /// <summary>Evaluates left to right like wasm; i32 results are returned sign-extended.</summary>
        public abstract long Eval(long[] locals);
    }

    private sealed class Const : Node
    {
        public long Value;

        public override void Emit(List<Instruction> code) => code.Add(Is64 ? I64(Value) : I32((int)Value));

        public override long Eval(long[] locals) => Is64 ? Value : (int)Value;
    }

    private sealed class Get : Node
    {
        public uint Index;

        public override void Emit(List<Instruction> code) => code.Add(LocalGet(Index));

        public override long Eval(long[] locals) => locals[Index];
    }

    private sealed class Tee : Node
    {
        public uint Index;
        public Node Value = null!;

        public override void Emit(List<Instruction> code)
        {
            Value.Emit(code);
            code.Add(LocalTee(Index));
        }

        public override long Eval(long[] locals) => locals[Index] = Value.Eval(locals);
    }

    private sealed class Bin : Node
    {
        public Opcode Op;
        public Node Left = null!, Right = null!;

        public override void Emit(List<Instruction> code)
        {
            Left.Emit(code);
            Right.Emit(code);
            code.Add(Op(Op));
        }

        public override long Eval(long[] locals)
        {
            var l = Left.Eval(locals);
            var r = Right.Eval(locals);
            var (value, _) = Left.Is64 ? ArithmeticTests.I64Oracle(Op, l, r) : ArithmeticTests.I32Oracle(Op, (int)l, (int)r);
            return Is64 ? value!.Value : (int)value!.Value;
        }
    }

    private sealed class Un : Node
    {
        public Opcode Op;
        public Node Value = null!;

        public override void Emit(List<Instruction> code)
        {
            Value.Emit(code);
            code.Add(Op(Op));
        }

        public override long Eval(long[] locals)
        {
            var v = Value.Eval(locals);
            return Op switch
            {
                Opcode.I32Clz => BitOperations.LeadingZeroCount((uint)v),
                Opcode.I32Ctz => (uint)v == 0 ? 32 : BitOperations.TrailingZeroCount((uint)v),
                Opcode.I32Popcnt => BitOperations.PopCount((uint)v),
                Opcode.I32Eqz => (int)v == 0 ? 1 : 0,
                Opcode.I32Extend8S => (sbyte)v,
                Opcode.I32Extend16S => (short)v,
                Opcode.I64Clz => BitOperations.LeadingZeroCount((ulong)v),
                Opcode.I64Ctz => v == 0 ? 64 : BitOperations.TrailingZeroCount((ulong)v),
                Opcode.I64Popcnt => BitOperations.PopCount((ulong)v),
                Opcode.I64Eqz => v == 0 ? 1 : 0,
                Opcode.I64Extend8S => (sbyte)v,
                Opcode.I64Extend16S => (short)v,
                Opcode.I64Extend32S => (int)v,
                Opcode.I32WrapI64 => (int)v,
                Opcode.I64ExtendI32S => (int)v,
                Opcode.I64ExtendI32U => (uint)(int)v,
                _ => throw new InvalidOperationException(Op.ToString()),
            };
        }
    }

    private sealed class Sel : Node
    {
        public Node A = null!, B = null!, Cond = null!;

        public override void Emit(List<Instruction> code)
        {
            A.Emit(code);
            B.Emit(code);
            Cond.Emit(code);
            code.Add(Op(Opcode.Select));
        }

        public override long Eval(long[] locals)
        {
            var a = A.Eval(locals);
            var b = B.Eval(locals);
            return (int)Cond.Eval(locals) != 0 ? a : b;
        }
    }

    private sealed class IfElse : Node
    {
        public Node Cond = null!, Then = null!, Else = null!;

        public override void Emit(List<Instruction> code)
        {
            Cond.Emit(code);
            code.Add(If(Is64 ? I64T : I32T));
            Then.Emit(code);
            code.Add(Asm.Else);
            Else.Emit(code);
            code.Add(End);
        }

        public override long Eval(long[] locals) => (int)Cond.Eval(locals) != 0 ? Then.Eval(locals) : Else.Eval(locals);
    }

    /// <summary><c>block (result t) A; cond; br_if 0; drop; B end</c>: A when cond is true, else B.</summary>
    private sealed class EarlyExit : Node
    {
        public Node A = null!, Cond = null!, B = null!;

        public override void Emit(List<Instruction> code)
        {
            code.Add(Block(Is64 ? I64T : I32T));
            A.Emit(code);
            Cond.Emit(code);
            code.Add(BrIf(0));
            code.Add(Op(Opcode.Drop));
            B.Emit(code);
            code.Add(End);
        }

        public override long Eval(long[] locals)
        {
            var a = A.Eval(locals);
            return (int)Cond.Eval(locals) != 0 ? a : B.Eval(locals);
        }
    }

    /// <summary>Calls helper 0 (i32: a * 31 + b) or 1 (i64: a ^ (b &lt;&lt; 7)).</summary>
    private sealed class CallHelper : Node
    {
        public Node A = null!, B = null!;

        public override void Emit(List<Instruction> code)
        {
            A.Emit(code);
            B.Emit(code);
            code.Add(Call(Is64 ? 1u : 0u));
        }

        public override long Eval(long[] locals)
        {
            var a = A.Eval(locals);
            var b = B.Eval(locals);
            return Is64 ? a ^ (b << 7) : unchecked(((int)a * 31) + (int)b);
        }
    }

    private static readonly Opcode[] I32Binary =
    {
        Opcode.I32Add, Opcode.I32Sub, Opcode.I32Mul, Opcode.I32DivS, Opcode.I32DivU, Opcode.I32RemS, Opcode.I32RemU, Opcode.I32And,
        Opcode.I32Or, Opcode.I32Xor, Opcode.I32Shl, Opcode.I32ShrS, Opcode.I32ShrU, Opcode.I32Rotl, Opcode.I32Rotr,
    };

    private static readonly Opcode[] I64Binary =
    {
        Opcode.I64Add, Opcode.I64Sub, Opcode.I64Mul, Opcode.I64DivS, Opcode.I64DivU, Opcode.I64RemS, Opcode.I64RemU, Opcode.I64And,
        Opcode.I64Or, Opcode.I64Xor, Opcode.I64Shl, Opcode.I64ShrS, Opcode.I64ShrU, Opcode.I64Rotl, Opcode.I64Rotr,
    };

    private static readonly Opcode[] I32Compare = { Opcode.I32Eq, Opcode.I32Ne, Opcode.I32LtS, Opcode.I32LtU, Opcode.I32GtS, Opcode.I32GtU, Opcode.I32LeS, Opcode.I32LeU, Opcode.I32GeS, Opcode.I32GeU };

    private static readonly Opcode[] I64Compare = { Opcode.I64Eq, Opcode.I64Ne, Opcode.I64LtS, Opcode.I64LtU, Opcode.I64GtS, Opcode.I64GtU, Opcode.I64LeS, Opcode.I64LeU, Opcode.I64GeS, Opcode.I64GeU };

    private static readonly Opcode[] I32Unary = { Opcode.I32Clz, Opcode.I32Ctz, Opcode.I32Popcnt, Opcode.I32Eqz, Opcode.I32Extend8S, Opcode.I32Extend16S };

    private static readonly Opcode[] I64Unary = { Opcode.I64Clz, Opcode.I64Ctz, Opcode.I64Popcnt, Opcode.I64Extend8S, Opcode.I64Extend16S, Opcode.I64Extend32S };

    // Locals: 0, 1 i32 parameters; 2, 3 i64 parameters; 4, 5 i32 locals; 6, 7 i64 locals.
    private static readonly uint[] I32Locals = { 0, 1, 4, 5 };
    private static readonly uint[] I64Locals = { 2, 3, 6, 7 };

    private static readonly long[] Interesting = { 0, 1, -1, 2, 31, 32, 63, 64, int.MinValue, int.MaxValue, long.MinValue, long.MaxValue, 0x7FFF, 0x8000, 0xFF };

    private static Node Gen(Random rng, bool is64, int depth)
    {
        var leaf = depth <= 0 || rng.Next(8) == 0;
        if (leaf)
        {
            if (rng.Next(2) == 0)
            {
                var v = rng.Next(3) == 0 ? Interesting[rng.Next(Interesting.Length)] : rng.NextInt64(long.MinValue, long.MaxValue);
                return new Const { Is64 = is64, Value = is64 ? v : (int)v };
            }

            return new Get { Is64 = is64, Index = (is64 ? I64Locals : I32Locals)[rng.Next(4)] };
        }

        switch (rng.Next(11))
        {
            case 0:
            case 1:
            case 2:
            {
                var ops = is64 ? I64Binary : I32Binary;
                var op = ops[rng.Next(ops.Length)];
                var right = Gen(rng, is64, depth - 1);
                if (op is Opcode.I32DivS or Opcode.I32DivU or Opcode.I32RemS or Opcode.I32RemU or Opcode.I64DivS or Opcode.I64DivU or Opcode.I64RemS or Opcode.I64RemU)
                {
                    // A divisor in [1, max signed]: never zero, never -1.
                    var mask = new Const { Is64 = is64, Value = is64 ? long.MaxValue : int.MaxValue };
                    var one = new Const { Is64 = is64, Value = 1 };
                    right = new Bin { Is64 = is64, Op = is64 ? Opcode.I64Or : Opcode.I32Or, Left = new Bin { Is64 = is64, Op = is64 ? Opcode.I64And : Opcode.I32And, Left = right, Right = mask }, Right = one };
                }

                return new Bin { Is64 = is64, Op = op, Left = Gen(rng, is64, depth - 1), Right = right };
            }

            case 3:
                if (is64)
                {
                    return rng.Next(3) == 0
                        ? new Un { Is64 = true, Op = rng.Next(2) == 0 ? Opcode.I64ExtendI32S : Opcode.I64ExtendI32U, Value = Gen(rng, false, depth - 1) }
                        : new Un { Is64 = true, Op = I64Unary[rng.Next(I64Unary.Length)], Value = Gen(rng, true, depth - 1) };
                }

                return rng.Next(3) == 0
                    ? new Un { Is64 = false, Op = Opcode.I32WrapI64, Value = Gen(rng, true, depth - 1) }
                    : rng.Next(4) == 0
                        ? new Un { Is64 = false, Op = Opcode.I64Eqz, Value = Gen(rng, true, depth - 1) }
                        : new Un { Is64 = false, Op = I32Unary[rng.Next(I32Unary.Length)], Value = Gen(rng, false, depth - 1) };
            case 4:
            {
                var operands64 = rng.Next(2) == 0;
                var ops = operands64 ? I64Compare : I32Compare;
                var cmp = new Bin { Is64 = false, Op = ops[rng.Next(ops.Length)], Left = Gen(rng, operands64, depth - 1), Right = Gen(rng, operands64, depth - 1) };
                return is64 ? new Un { Is64 = true, Op = Opcode.I64ExtendI32U, Value = cmp } : cmp;
            }

            case 5:
                return new Tee { Is64 = is64, Index = (is64 ? I64Locals : I32Locals)[rng.Next(4)], Value = Gen(rng, is64, depth - 1) };
            case 6:
                return new Sel { Is64 = is64, A = Gen(rng, is64, depth - 1), B = Gen(rng, is64, depth - 1), Cond = Gen(rng, false, depth - 1) };
            case 7:
                return new IfElse { Is64 = is64, Cond = Gen(rng, false, depth - 1), Then = Gen(rng, is64, depth - 1), Else = Gen(rng, is64, depth - 1) };
            case 8:
                return new EarlyExit { Is64 = is64, A = Gen(rng, is64, depth - 1), Cond = Gen(rng, false, depth - 1), B = Gen(rng, is64, depth - 1) };
            case 9:
                return new CallHelper { Is64 = is64, A = Gen(rng, is64, depth - 1), B = Gen(rng, is64, depth - 1) };
            default:
                // Widen the tree: many values live at once.
                return new Bin { Is64 = is64, Op = is64 ? Opcode.I64Add : Opcode.I32Xor, Left = Gen(rng, is64, depth - 1), Right = Gen(rng, is64, depth - 1) };
        }
    }

    private static string Describe(Instruction i) => i.Info.Immediate switch
    {
        ImmediateKind.I32 => $"{i} {i.I32Value}",
        ImmediateKind.I64 => $"{i} {i.I64Value}",
        ImmediateKind.Local or ImmediateKind.Label or ImmediateKind.Func => $"{i} {i.Index}",
        ImmediateKind.Block => $"{i} {i.BlockType}",
        _ => i.ToString(),
    };

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
        var trees = new List<Node>();
        var bodies = new List<List<Instruction>>();
        for (var f = 0; f < 60; f++)
        {
            var tree = Gen(rng, rng.Next(2) == 0, depth);
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
                var args = new long[] { (int)rng.NextInt64(), (int)Interesting[rng.Next(Interesting.Length)], rng.NextInt64(long.MinValue, long.MaxValue), Interesting[rng.Next(Interesting.Length)], 0, 0, 0, 0 };
                var expected = trees[f].Eval((long[])args.Clone());
                var actual = fn.Invoke((int)args[0], (int)args[1], args[2], args[3]);
                if (expected != actual) throw new Xunit.Sdk.XunitException($"seed {seed} function f{f} args ({args[0]}, {args[1]}, {args[2]}, {args[3]}): expected {expected}, got {actual}\n" + string.Join("\n", bodies[f].ConvertAll(Describe)));
            }
        }
    }
}
