using System;
using System.Collections.Generic;
using System.Numerics;
using WasmToolkit.Instructions;
using static WasmToolkit.Runtime.Tests.Asm;

namespace WasmToolkit.Runtime.Tests;

/// <summary>
/// Random wasm function bodies as expression trees, shared by <see cref="RandomProgramTests"/> (integer trees checked
/// against <see cref="Node.Eval"/>) and <see cref="DifferentialTests"/> (trees with floats, loops, memory loads and
/// traps, checked against Wasmtime).
/// </summary>
/// <remarks>
/// <para>
/// Function layout: parameters (i32, i32, i64, i64) are locals 0-3; locals 4, 5 are i32 and 6, 7 i64; with
/// <see cref="Options"/>, 8, 9 are f32, 10, 11 f64 and 12 onwards the loop counters (one per loop nesting level, never
/// touched by anything else, so every loop ends). Functions 0 and 1 of the module are the helpers
/// <see cref="CallHelper"/> calls; with <see cref="Options.Memory"/> the module has one page of memory.
/// </para>
/// <para>
/// Without options (<c>o</c> null) the generator draws exactly the random numbers it always drew, so the integer
/// programs of <see cref="RandomProgramTests"/> stay the same programs. The float, loop, load and trap nodes cannot be
/// evaluated in C# (<see cref="Node.Eval"/> throws); Wasmtime is their oracle.
/// </para>
/// </remarks>
internal static class RandomPrograms
{
    /// <summary>What the generator may add beyond integer expressions.</summary>
    internal sealed record Options(bool Floats = true, bool Loops = true, bool Memory = true, bool Traps = true)
    {
        /// <summary>Bytes of the data segment loads read (the rest of the page is zero).</summary>
        public const int DataBytes = 1024;
    }

    /// <summary>The function locals beyond the four parameters, for <see cref="TestModule.Locals"/>.</summary>
    internal static readonly (uint Count, ValType Type)[] LocalDeclarations =
        { (2, ValType.I32), (2, ValType.I64), (2, ValType.F32), (2, ValType.F64), (MaxLoopNesting, ValType.I32) };

    private const int MaxLoopNesting = 16;
    private const uint FirstLoopCounter = 12;

    internal static readonly uint[] F32Locals = { 8, 9 };
    internal static readonly uint[] F64Locals = { 10, 11 };

    internal static ValType ValTypeOf(ValTypeKind kind) => kind switch
    {
        ValTypeKind.I32 => ValType.I32,
        ValTypeKind.I64 => ValType.I64,
        ValTypeKind.F32 => ValType.F32,
        _ => ValType.F64,
    };

    internal abstract class Node
    {
        /// <summary>The value type the node leaves on the stack.</summary>
        public ValTypeKind Kind = ValTypeKind.I32;

        /// <summary>i64 rather than i32 (the integer-only generator's view of <see cref="Kind"/>).</summary>
        public bool Is64
        {
            get => Kind == ValTypeKind.I64;
            set => Kind = value ? ValTypeKind.I64 : ValTypeKind.I32;
        }

        public ValType ValueType => ValTypeOf(Kind);

        public abstract void Emit(List<Instruction> code);

        /// <summary>Evaluates left to right like wasm; i32 results are returned sign-extended.</summary>
        public abstract long Eval(long[] locals);
    }

    internal sealed class Const : Node
    {
        public long Value;

        public override void Emit(List<Instruction> code) => code.Add(Is64 ? I64(Value) : I32((int)Value));

        public override long Eval(long[] locals) => Is64 ? Value : (int)Value;
    }

    internal sealed class Get : Node
    {
        public uint Index;

        public override void Emit(List<Instruction> code) => code.Add(LocalGet(Index));

        public override long Eval(long[] locals) => locals[Index];
    }

    internal sealed class Tee : Node
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

    internal sealed class Bin : Node
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

    internal sealed class Un : Node
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

    internal sealed class Sel : Node
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

    internal sealed class IfElse : Node
    {
        public Node Cond = null!, Then = null!, Else = null!;

        public override void Emit(List<Instruction> code)
        {
            Cond.Emit(code);
            code.Add(If(ValueType));
            Then.Emit(code);
            code.Add(Asm.Else);
            Else.Emit(code);
            code.Add(End);
        }

        public override long Eval(long[] locals) => (int)Cond.Eval(locals) != 0 ? Then.Eval(locals) : Else.Eval(locals);
    }

    /// <summary><c>block (result t) A; cond; br_if 0; drop; B end</c>: A when cond is true, else B.</summary>
    internal sealed class EarlyExit : Node
    {
        public Node A = null!, Cond = null!, B = null!;

        public override void Emit(List<Instruction> code)
        {
            code.Add(Block(ValueType));
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
    internal sealed class CallHelper : Node
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

    internal static readonly Opcode[] I32Binary =
    {
        Opcode.I32Add, Opcode.I32Sub, Opcode.I32Mul, Opcode.I32DivS, Opcode.I32DivU, Opcode.I32RemS, Opcode.I32RemU, Opcode.I32And,
        Opcode.I32Or, Opcode.I32Xor, Opcode.I32Shl, Opcode.I32ShrS, Opcode.I32ShrU, Opcode.I32Rotl, Opcode.I32Rotr,
    };

    internal static readonly Opcode[] I64Binary =
    {
        Opcode.I64Add, Opcode.I64Sub, Opcode.I64Mul, Opcode.I64DivS, Opcode.I64DivU, Opcode.I64RemS, Opcode.I64RemU, Opcode.I64And,
        Opcode.I64Or, Opcode.I64Xor, Opcode.I64Shl, Opcode.I64ShrS, Opcode.I64ShrU, Opcode.I64Rotl, Opcode.I64Rotr,
    };

    internal static readonly Opcode[] I32Compare = { Opcode.I32Eq, Opcode.I32Ne, Opcode.I32LtS, Opcode.I32LtU, Opcode.I32GtS, Opcode.I32GtU, Opcode.I32LeS, Opcode.I32LeU, Opcode.I32GeS, Opcode.I32GeU };

    internal static readonly Opcode[] I64Compare = { Opcode.I64Eq, Opcode.I64Ne, Opcode.I64LtS, Opcode.I64LtU, Opcode.I64GtS, Opcode.I64GtU, Opcode.I64LeS, Opcode.I64LeU, Opcode.I64GeS, Opcode.I64GeU };

    internal static readonly Opcode[] I32Unary = { Opcode.I32Clz, Opcode.I32Ctz, Opcode.I32Popcnt, Opcode.I32Eqz, Opcode.I32Extend8S, Opcode.I32Extend16S };

    internal static readonly Opcode[] I64Unary = { Opcode.I64Clz, Opcode.I64Ctz, Opcode.I64Popcnt, Opcode.I64Extend8S, Opcode.I64Extend16S, Opcode.I64Extend32S };

    // Locals: 0, 1 i32 parameters; 2, 3 i64 parameters; 4, 5 i32 locals; 6, 7 i64 locals.
    internal static readonly uint[] I32Locals = { 0, 1, 4, 5 };
    internal static readonly uint[] I64Locals = { 2, 3, 6, 7 };

    internal static readonly long[] Interesting = { 0, 1, -1, 2, 31, 32, 63, 64, int.MinValue, int.MaxValue, long.MinValue, long.MaxValue, 0x7FFF, 0x8000, 0xFF };

    internal static Node Gen(Random rng, bool is64, int depth, Options? o = null)
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

        switch (rng.Next(o is null ? 11 : 16))
        {
            case 0:
            case 1:
            case 2:
            {
                var ops = is64 ? I64Binary : I32Binary;
                var op = ops[rng.Next(ops.Length)];
                var right = Gen(rng, is64, depth - 1, o);
                // With traps on, a third of the divisions keep their raw divisor (zero and -1 come from Interesting).
                if (op is Opcode.I32DivS or Opcode.I32DivU or Opcode.I32RemS or Opcode.I32RemU or Opcode.I64DivS or Opcode.I64DivU or Opcode.I64RemS or Opcode.I64RemU
                    && !(o is { Traps: true } && rng.Next(3) == 0))
                {
                    // A divisor in [1, max signed]: never zero, never -1.
                    var mask = new Const { Is64 = is64, Value = is64 ? long.MaxValue : int.MaxValue };
                    var one = new Const { Is64 = is64, Value = 1 };
                    right = new Bin { Is64 = is64, Op = is64 ? Opcode.I64Or : Opcode.I32Or, Left = new Bin { Is64 = is64, Op = is64 ? Opcode.I64And : Opcode.I32And, Left = right, Right = mask }, Right = one };
                }

                return new Bin { Is64 = is64, Op = op, Left = Gen(rng, is64, depth - 1, o), Right = right };
            }

            case 3:
                if (is64)
                {
                    return rng.Next(3) == 0
                        ? new Un { Is64 = true, Op = rng.Next(2) == 0 ? Opcode.I64ExtendI32S : Opcode.I64ExtendI32U, Value = Gen(rng, false, depth - 1, o) }
                        : new Un { Is64 = true, Op = I64Unary[rng.Next(I64Unary.Length)], Value = Gen(rng, true, depth - 1, o) };
                }

                return rng.Next(3) == 0
                    ? new Un { Is64 = false, Op = Opcode.I32WrapI64, Value = Gen(rng, true, depth - 1, o) }
                    : rng.Next(4) == 0
                        ? new Un { Is64 = false, Op = Opcode.I64Eqz, Value = Gen(rng, true, depth - 1, o) }
                        : new Un { Is64 = false, Op = I32Unary[rng.Next(I32Unary.Length)], Value = Gen(rng, false, depth - 1, o) };
            case 4:
            {
                var operands64 = rng.Next(2) == 0;
                var ops = operands64 ? I64Compare : I32Compare;
                var cmp = new Bin { Is64 = false, Op = ops[rng.Next(ops.Length)], Left = Gen(rng, operands64, depth - 1, o), Right = Gen(rng, operands64, depth - 1, o) };
                return is64 ? new Un { Is64 = true, Op = Opcode.I64ExtendI32U, Value = cmp } : cmp;
            }

            case 5:
                return new Tee { Is64 = is64, Index = (is64 ? I64Locals : I32Locals)[rng.Next(4)], Value = Gen(rng, is64, depth - 1, o) };
            case 6:
                return new Sel { Is64 = is64, A = Gen(rng, is64, depth - 1, o), B = Gen(rng, is64, depth - 1, o), Cond = Gen(rng, false, depth - 1, o) };
            case 7:
                return new IfElse { Is64 = is64, Cond = Gen(rng, false, depth - 1, o), Then = Gen(rng, is64, depth - 1, o), Else = Gen(rng, is64, depth - 1, o) };
            case 8:
                return new EarlyExit { Is64 = is64, A = Gen(rng, is64, depth - 1, o), Cond = Gen(rng, false, depth - 1, o), B = Gen(rng, is64, depth - 1, o) };
            case 9:
                return new CallHelper { Is64 = is64, A = Gen(rng, is64, depth - 1, o), B = Gen(rng, is64, depth - 1, o) };
            case 11 when o!.Floats:
                return GenFloatToInt(rng, is64, depth, o);
            case 12 when o!.Loops:
                return GenLoop(rng, is64 ? ValTypeKind.I64 : ValTypeKind.I32, depth, o);
            case 13 when o!.Memory:
                return GenLoad(rng, is64 ? ValTypeKind.I64 : ValTypeKind.I32, depth, o);
            case 14 when o!.Traps && rng.Next(4) == 0:
                // Traps when the condition is zero (eqz), rarer than non-zero for random expressions.
                return new TrapIf { Kind = is64 ? ValTypeKind.I64 : ValTypeKind.I32, Cond = new Un { Op = Opcode.I32Eqz, Value = Gen(rng, false, depth - 1, o) }, Value = Gen(rng, is64, depth - 1, o) };
            default:
                // Widen the tree: many values live at once.
                return new Bin { Is64 = is64, Op = is64 ? Opcode.I64Add : Opcode.I32Xor, Left = Gen(rng, is64, depth - 1, o), Right = Gen(rng, is64, depth - 1, o) };
        }
    }

    internal static string Describe(Instruction i) => i.Info.Immediate switch
    {
        ImmediateKind.I32 => $"{i} {i.I32Value}",
        ImmediateKind.I64 => $"{i} {i.I64Value}",
        ImmediateKind.Local or ImmediateKind.Label or ImmediateKind.Func => $"{i} {i.Index}",
        ImmediateKind.Block => $"{i} {i.BlockType}",
        _ => i.ToString(),
    };

    // ---- Differential-only nodes: emitted, never evaluated in C# ----

    private abstract class EmitOnly : Node
    {
        public override long Eval(long[] locals) => throw new NotSupportedException("differential-only node: Wasmtime is the oracle");
    }

    /// <summary>A float constant given by its bits.</summary>
    private sealed class FConst : EmitOnly
    {
        public ulong Bits;

        public override void Emit(List<Instruction> code)
            => code.Add(new Instruction(Kind == ValTypeKind.F32 ? Opcode.F32Const : Opcode.F64Const) { Value = Bits });
    }

    /// <summary>Any operator applied to its operands in order (float arithmetic, conversions, compares, truncations).</summary>
    private sealed class Apply : EmitOnly
    {
        public Opcode Op;
        public Node[] Operands = Array.Empty<Node>();

        public override void Emit(List<Instruction> code)
        {
            foreach (var operand in Operands) operand.Emit(code);
            code.Add(Op(Op));
        }
    }

    /// <summary>A load from <c>Address</c> (masked into the first page unless traps are wanted).</summary>
    private sealed class Load : EmitOnly
    {
        public Opcode Op;
        public uint Offset;
        public Node Address = null!;

        public override void Emit(List<Instruction> code)
        {
            Address.Emit(code);
            code.Add(Mem(Op, Offset));
        }
    }

    /// <summary><c>cond; if; unreachable; end; value</c>: traps when <c>Cond</c> is non-zero.</summary>
    private sealed class TrapIf : EmitOnly
    {
        public Node Cond = null!, Value = null!;

        public override void Emit(List<Instruction> code)
        {
            Cond.Emit(code);
            code.Add(If());
            code.Add(Op(Opcode.Unreachable));
            code.Add(End);
            Value.Emit(code);
        }
    }

    /// <summary>
    /// <c>Count</c> iterations of <c>local[Target] = Body</c> (the body may read the target, so values evolve), then
    /// <c>local.get Target</c>; the counter is a local of its own nesting level.
    /// </summary>
    private sealed class CountedLoop : EmitOnly
    {
        public uint Counter, Target;
        public int Count;
        public Node Body = null!;

        public override void Emit(List<Instruction> code)
        {
            code.Add(I32(Count));
            code.Add(LocalSet(Counter));
            code.Add(Loop());
            Body.Emit(code);
            code.Add(LocalSet(Target));
            code.Add(LocalGet(Counter));
            code.Add(I32(1));
            code.Add(Op(Opcode.I32Sub));
            code.Add(LocalTee(Counter));
            code.Add(BrIf(0));
            code.Add(End);
            code.Add(LocalGet(Target));
        }
    }

    /// <summary>Float constants worth hitting: signed zeros, NaN, infinities, subnormals, rounding ties and conversion limits.</summary>
    private static readonly double[] InterestingDoubles =
    {
        0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 1.5, 2.5, -2.5, double.NaN, double.PositiveInfinity, double.NegativeInfinity,
        double.Epsilon, double.MaxValue, 2147483647.0, 2147483648.0, -2147483649.0, 4294967296.0, 9.2233720368547758e18, -9.2233720368547758e18,
        1.8446744073709552e19, 3.4028234663852886e38, 1e-40,
    };

    private static readonly Opcode[] F32Binary = { Opcode.F32Add, Opcode.F32Sub, Opcode.F32Mul, Opcode.F32Div, Opcode.F32Min, Opcode.F32Max };

    private static readonly Opcode[] F64Binary = { Opcode.F64Add, Opcode.F64Sub, Opcode.F64Mul, Opcode.F64Div, Opcode.F64Min, Opcode.F64Max };

    private static readonly Opcode[] F32Unary = { Opcode.F32Abs, Opcode.F32Neg, Opcode.F32Sqrt, Opcode.F32Ceil, Opcode.F32Floor, Opcode.F32Trunc, Opcode.F32Nearest };

    private static readonly Opcode[] F64Unary = { Opcode.F64Abs, Opcode.F64Neg, Opcode.F64Sqrt, Opcode.F64Ceil, Opcode.F64Floor, Opcode.F64Trunc, Opcode.F64Nearest };

    private static readonly Opcode[] F32Compare = { Opcode.F32Eq, Opcode.F32Ne, Opcode.F32Lt, Opcode.F32Gt, Opcode.F32Le, Opcode.F32Ge };

    private static readonly Opcode[] F64Compare = { Opcode.F64Eq, Opcode.F64Ne, Opcode.F64Lt, Opcode.F64Gt, Opcode.F64Le, Opcode.F64Ge };

    private static readonly Opcode[] I32FromFloat =
    {
        Opcode.I32TruncF32S, Opcode.I32TruncF32U, Opcode.I32TruncF64S, Opcode.I32TruncF64U,
        Opcode.I32TruncSatF32S, Opcode.I32TruncSatF32U, Opcode.I32TruncSatF64S, Opcode.I32TruncSatF64U,
    };

    private static readonly Opcode[] I64FromFloat =
    {
        Opcode.I64TruncF32S, Opcode.I64TruncF32U, Opcode.I64TruncF64S, Opcode.I64TruncF64U,
        Opcode.I64TruncSatF32S, Opcode.I64TruncSatF32U, Opcode.I64TruncSatF64S, Opcode.I64TruncSatF64U,
    };

    private static bool OperandIsF64(Opcode op) => op.ToString().Contains("F64", StringComparison.Ordinal);

    /// <summary>A random expression of any of the four number types.</summary>
    internal static Node GenAny(Random rng, ValTypeKind kind, int depth, Options o) => kind switch
    {
        ValTypeKind.I32 => Gen(rng, false, depth, o),
        ValTypeKind.I64 => Gen(rng, true, depth, o),
        _ => GenFloat(rng, kind == ValTypeKind.F64, depth, o),
    };

    /// <summary>A float expression: constants, locals, tee, arithmetic, conversions from integers, select, if, loops and loads.</summary>
    internal static Node GenFloat(Random rng, bool f64, int depth, Options o)
    {
        var kind = f64 ? ValTypeKind.F64 : ValTypeKind.F32;
        var locals = f64 ? F64Locals : F32Locals;
        if (depth <= 0 || rng.Next(8) == 0)
        {
            if (rng.Next(3) == 0) return new Get { Kind = kind, Index = locals[rng.Next(2)] };
            return FloatConstant(rng, f64);
        }

        switch (rng.Next(10))
        {
            case 0:
            case 1:
            {
                var ops = f64 ? F64Binary : F32Binary;
                return new Apply { Kind = kind, Op = ops[rng.Next(ops.Length)], Operands = new[] { GenFloat(rng, f64, depth - 1, o), GenFloat(rng, f64, depth - 1, o) } };
            }

            case 2:
                // copysign takes its sign from a non-NaN constant: a NaN's sign bit is nondeterministic (spec 4.3.3),
                // and copysign would carry it into a non-NaN result, which "both NaN" comparison could not excuse.
                FConst sign;
                do sign = FloatConstant(rng, f64); while (f64 ? double.IsNaN(BitConverter.UInt64BitsToDouble(sign.Bits)) : float.IsNaN(BitConverter.Int32BitsToSingle((int)sign.Bits)));
                return new Apply { Kind = kind, Op = f64 ? Opcode.F64Copysign : Opcode.F32Copysign, Operands = new Node[] { GenFloat(rng, f64, depth - 1, o), sign } };
            case 3:
            {
                var ops = f64 ? F64Unary : F32Unary;
                return new Apply { Kind = kind, Op = ops[rng.Next(ops.Length)], Operands = new[] { GenFloat(rng, f64, depth - 1, o) } };
            }

            case 4:
            {
                // From an integer: convert (signed or unsigned), or reinterpret the bits (any NaN payload, signalling included).
                var from64 = rng.Next(2) == 0;
                Opcode op = rng.Next(5) == 0
                    ? (f64 ? Opcode.F64ReinterpretI64 : Opcode.F32ReinterpretI32)
                    : (f64, from64, rng.Next(2) == 0) switch
                    {
                        (false, false, true) => Opcode.F32ConvertI32S,
                        (false, false, false) => Opcode.F32ConvertI32U,
                        (false, true, true) => Opcode.F32ConvertI64S,
                        (false, true, false) => Opcode.F32ConvertI64U,
                        (true, false, true) => Opcode.F64ConvertI32S,
                        (true, false, false) => Opcode.F64ConvertI32U,
                        (true, true, true) => Opcode.F64ConvertI64S,
                        _ => Opcode.F64ConvertI64U,
                    };
                if (op == Opcode.F64ReinterpretI64) from64 = true;
                if (op == Opcode.F32ReinterpretI32) from64 = false;
                return new Apply { Kind = kind, Op = op, Operands = new[] { Gen(rng, from64, depth - 1, o) } };
            }

            case 5:
                return new Apply { Kind = kind, Op = f64 ? Opcode.F64PromoteF32 : Opcode.F32DemoteF64, Operands = new[] { GenFloat(rng, !f64, depth - 1, o) } };
            case 6:
                return rng.Next(2) == 0
                    ? new Tee { Kind = kind, Index = locals[rng.Next(2)], Value = GenFloat(rng, f64, depth - 1, o) }
                    : new Sel { Kind = kind, A = GenFloat(rng, f64, depth - 1, o), B = GenFloat(rng, f64, depth - 1, o), Cond = Gen(rng, false, depth - 1, o) };
            case 7:
                return new IfElse { Kind = kind, Cond = Gen(rng, false, depth - 1, o), Then = GenFloat(rng, f64, depth - 1, o), Else = GenFloat(rng, f64, depth - 1, o) };
            case 8 when o.Loops:
                return GenLoop(rng, kind, depth, o);
            case 9 when o.Memory:
                return GenLoad(rng, kind, depth, o);
            default:
                return new EarlyExit { Kind = kind, A = GenFloat(rng, f64, depth - 1, o), Cond = Gen(rng, false, depth - 1, o), B = GenFloat(rng, f64, depth - 1, o) };
        }
    }

    private static FConst FloatConstant(Random rng, bool f64)
    {
        double value = rng.Next(2) == 0 ? InterestingDoubles[rng.Next(InterestingDoubles.Length)] : (rng.NextDouble() - 0.5) * Math.Pow(2, rng.Next(-20, 70));
        return f64
            ? new FConst { Kind = ValTypeKind.F64, Bits = BitConverter.DoubleToUInt64Bits(value) }
            : new FConst { Kind = ValTypeKind.F32, Bits = (uint)BitConverter.SingleToInt32Bits((float)value) };
    }

    /// <summary>An integer from floats: a trapping or saturating truncation, or a compare.</summary>
    private static Node GenFloatToInt(Random rng, bool is64, int depth, Options o)
    {
        if (rng.Next(3) == 0)
        {
            var f64 = rng.Next(2) == 0;
            var ops = f64 ? F64Compare : F32Compare;
            Node cmp = new Apply { Kind = ValTypeKind.I32, Op = ops[rng.Next(ops.Length)], Operands = new[] { GenFloat(rng, f64, depth - 1, o), GenFloat(rng, f64, depth - 1, o) } };
            return is64 ? new Un { Is64 = true, Op = Opcode.I64ExtendI32U, Value = cmp } : cmp;
        }

        var truncations = is64 ? I64FromFloat : I32FromFloat;
        // The saturating half of the table, or (one in four, when traps are wanted) a trapping truncation: random floats
        // are mostly out of integer range, and more trapping ones would leave few calls returning a value.
        var op = truncations[o.Traps && rng.Next(4) == 0 ? rng.Next(4) : 4 + rng.Next(4)];
        return new Apply { Kind = is64 ? ValTypeKind.I64 : ValTypeKind.I32, Op = op, Operands = new[] { GenFloat(rng, OperandIsF64(op), depth - 1, o) } };
    }

    [ThreadStatic]
    private static int s_loopNesting;

    private static Node GenLoop(Random rng, ValTypeKind kind, int depth, Options o)
    {
        if (s_loopNesting >= MaxLoopNesting) return GenAny(rng, kind, depth - 1, o);
        uint[] targets = kind switch
        {
            ValTypeKind.I32 => new uint[] { 4, 5 },
            ValTypeKind.I64 => new uint[] { 6, 7 },
            ValTypeKind.F32 => F32Locals,
            _ => F64Locals,
        };
        var loop = new CountedLoop { Kind = kind, Counter = FirstLoopCounter + (uint)s_loopNesting, Target = targets[rng.Next(2)], Count = 1 + rng.Next(5) };
        s_loopNesting++;
        try
        {
            loop.Body = GenAny(rng, kind, depth - 1, o);
        }
        finally
        {
            s_loopNesting--;
        }

        return loop;
    }

    private static readonly (Opcode Op, ValTypeKind Kind, int Size)[] Loads =
    {
        (Opcode.I32Load, ValTypeKind.I32, 4), (Opcode.I32Load8S, ValTypeKind.I32, 1), (Opcode.I32Load8U, ValTypeKind.I32, 1),
        (Opcode.I32Load16S, ValTypeKind.I32, 2), (Opcode.I32Load16U, ValTypeKind.I32, 2),
        (Opcode.I64Load, ValTypeKind.I64, 8), (Opcode.I64Load8S, ValTypeKind.I64, 1), (Opcode.I64Load16U, ValTypeKind.I64, 2),
        (Opcode.I64Load32S, ValTypeKind.I64, 4), (Opcode.I64Load32U, ValTypeKind.I64, 4),
        (Opcode.F32Load, ValTypeKind.F32, 4), (Opcode.F64Load, ValTypeKind.F64, 8),
    };

    private static Node GenLoad(Random rng, ValTypeKind kind, int depth, Options o)
    {
        var candidates = Array.FindAll(Loads, l => l.Kind == kind);
        var (op, _, _) = candidates[rng.Next(candidates.Length)];
        Node address = Gen(rng, false, depth - 1, o);
        // Mostly inside the data (or at least the page); with traps on, one load in six keeps its raw address.
        if (!(o.Traps && rng.Next(6) == 0))
        {
            var mask = rng.Next(4) == 0 ? 0xFFFF : Options.DataBytes - 1;
            address = new Bin { Is64 = false, Op = Opcode.I32And, Left = address, Right = new Const { Value = mask } };
        }

        return new Load { Kind = kind, Op = op, Offset = (uint)rng.Next(0, 16), Address = address };
    }
}
