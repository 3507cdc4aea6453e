using System;
using System.Collections.Generic;
using System.Numerics;
using WasmToolkit.Compiler;
using WasmToolkit.Instructions;
using Xunit;
using static WasmToolkit.Runtime.Tests.Asm;

namespace WasmToolkit.Runtime.Tests;

/// <summary>
/// Every integer operator against a C# oracle over edge values, in three operand shapes: both in
/// registers (parameters), a constant right operand (immediate paths) and a constant left operand.
/// A null oracle result means "traps" with the given kind.
/// </summary>
public class ArithmeticTests
{
    private static readonly int[] I32Values = { 0, 1, -1, 2, 7, -7, 31, 32, 33, 100, 0x12345678, int.MinValue, int.MaxValue, int.MinValue + 1 };

    private static readonly long[] I64Values =
    {
        0, 1, -1, 2, 7, -7, 63, 64, 65, 100, 0x123456789ABCDEF0, long.MinValue, long.MaxValue, int.MinValue, int.MaxValue,
        uint.MaxValue, (long)int.MaxValue + 1, long.MinValue + 1,
    };

    private delegate (long? Value, TrapKind Trap) Oracle64(long a, long b);

    public static IEnumerable<object[]> I32Ops() => new[]
    {
        new object[] { Opcode.I32Add }, new object[] { Opcode.I32Sub }, new object[] { Opcode.I32Mul },
        new object[] { Opcode.I32DivS }, new object[] { Opcode.I32DivU }, new object[] { Opcode.I32RemS }, new object[] { Opcode.I32RemU },
        new object[] { Opcode.I32And }, new object[] { Opcode.I32Or }, new object[] { Opcode.I32Xor },
        new object[] { Opcode.I32Shl }, new object[] { Opcode.I32ShrS }, new object[] { Opcode.I32ShrU },
        new object[] { Opcode.I32Rotl }, new object[] { Opcode.I32Rotr },
        new object[] { Opcode.I32Eq }, new object[] { Opcode.I32Ne }, new object[] { Opcode.I32LtS }, new object[] { Opcode.I32LtU },
        new object[] { Opcode.I32GtS }, new object[] { Opcode.I32GtU }, new object[] { Opcode.I32LeS }, new object[] { Opcode.I32LeU },
        new object[] { Opcode.I32GeS }, new object[] { Opcode.I32GeU },
    };

    public static IEnumerable<object[]> I64Ops() => new[]
    {
        new object[] { Opcode.I64Add }, new object[] { Opcode.I64Sub }, new object[] { Opcode.I64Mul },
        new object[] { Opcode.I64DivS }, new object[] { Opcode.I64DivU }, new object[] { Opcode.I64RemS }, new object[] { Opcode.I64RemU },
        new object[] { Opcode.I64And }, new object[] { Opcode.I64Or }, new object[] { Opcode.I64Xor },
        new object[] { Opcode.I64Shl }, new object[] { Opcode.I64ShrS }, new object[] { Opcode.I64ShrU },
        new object[] { Opcode.I64Rotl }, new object[] { Opcode.I64Rotr },
        new object[] { Opcode.I64Eq }, new object[] { Opcode.I64Ne }, new object[] { Opcode.I64LtS }, new object[] { Opcode.I64LtU },
        new object[] { Opcode.I64GtS }, new object[] { Opcode.I64GtU }, new object[] { Opcode.I64LeS }, new object[] { Opcode.I64LeU },
        new object[] { Opcode.I64GeS }, new object[] { Opcode.I64GeU },
    };

    internal static (long? Value, TrapKind Trap) I32Oracle(Opcode op, int a, int b)
    {
        const TrapKind None = 0;
        uint ua = (uint)a, ub = (uint)b;
        return op switch
        {
            Opcode.I32Add => (unchecked(a + b), None),
            Opcode.I32Sub => (unchecked(a - b), None),
            Opcode.I32Mul => (unchecked(a * b), None),
            Opcode.I32DivS => b == 0 ? (null, TrapKind.IntegerDivideByZero) : a == int.MinValue && b == -1 ? (null, TrapKind.IntegerOverflow) : (a / b, None),
            Opcode.I32DivU => b == 0 ? (null, TrapKind.IntegerDivideByZero) : ((int)(ua / ub), None),
            Opcode.I32RemS => b == 0 ? (null, TrapKind.IntegerDivideByZero) : b == -1 ? (0, None) : (a % b, None),
            Opcode.I32RemU => b == 0 ? (null, TrapKind.IntegerDivideByZero) : ((int)(ua % ub), None),
            Opcode.I32And => (a & b, None),
            Opcode.I32Or => (a | b, None),
            Opcode.I32Xor => (a ^ b, None),
            Opcode.I32Shl => (a << (b & 31), None),
            Opcode.I32ShrS => (a >> (b & 31), None),
            Opcode.I32ShrU => ((int)(ua >> (b & 31)), None),
            Opcode.I32Rotl => ((int)BitOperations.RotateLeft(ua, b & 31), None),
            Opcode.I32Rotr => ((int)BitOperations.RotateRight(ua, b & 31), None),
            Opcode.I32Eq => (a == b ? 1 : 0, None),
            Opcode.I32Ne => (a != b ? 1 : 0, None),
            Opcode.I32LtS => (a < b ? 1 : 0, None),
            Opcode.I32LtU => (ua < ub ? 1 : 0, None),
            Opcode.I32GtS => (a > b ? 1 : 0, None),
            Opcode.I32GtU => (ua > ub ? 1 : 0, None),
            Opcode.I32LeS => (a <= b ? 1 : 0, None),
            Opcode.I32LeU => (ua <= ub ? 1 : 0, None),
            Opcode.I32GeS => (a >= b ? 1 : 0, None),
            Opcode.I32GeU => (ua >= ub ? 1 : 0, None),
            _ => throw new ArgumentOutOfRangeException(nameof(op)),
        };
    }

    internal static (long? Value, TrapKind Trap) I64Oracle(Opcode op, long a, long b)
    {
        const TrapKind None = 0;
        ulong ua = (ulong)a, ub = (ulong)b;
        return op switch
        {
            Opcode.I64Add => (unchecked(a + b), None),
            Opcode.I64Sub => (unchecked(a - b), None),
            Opcode.I64Mul => (unchecked(a * b), None),
            Opcode.I64DivS => b == 0 ? (null, TrapKind.IntegerDivideByZero) : a == long.MinValue && b == -1 ? (null, TrapKind.IntegerOverflow) : (a / b, None),
            Opcode.I64DivU => b == 0 ? (null, TrapKind.IntegerDivideByZero) : ((long)(ua / ub), None),
            Opcode.I64RemS => b == 0 ? (null, TrapKind.IntegerDivideByZero) : b == -1 ? (0, None) : (a % b, None),
            Opcode.I64RemU => b == 0 ? (null, TrapKind.IntegerDivideByZero) : ((long)(ua % ub), None),
            Opcode.I64And => (a & b, None),
            Opcode.I64Or => (a | b, None),
            Opcode.I64Xor => (a ^ b, None),
            Opcode.I64Shl => (a << (int)(b & 63), None),
            Opcode.I64ShrS => (a >> (int)(b & 63), None),
            Opcode.I64ShrU => ((long)(ua >> (int)(b & 63)), None),
            Opcode.I64Rotl => ((long)BitOperations.RotateLeft(ua, (int)(b & 63)), None),
            Opcode.I64Rotr => ((long)BitOperations.RotateRight(ua, (int)(b & 63)), None),
            Opcode.I64Eq => (a == b ? 1 : 0, None),
            Opcode.I64Ne => (a != b ? 1 : 0, None),
            Opcode.I64LtS => (a < b ? 1 : 0, None),
            Opcode.I64LtU => (ua < ub ? 1 : 0, None),
            Opcode.I64GtS => (a > b ? 1 : 0, None),
            Opcode.I64GtU => (ua > ub ? 1 : 0, None),
            Opcode.I64LeS => (a <= b ? 1 : 0, None),
            Opcode.I64LeU => (ua <= ub ? 1 : 0, None),
            Opcode.I64GeS => (a >= b ? 1 : 0, None),
            Opcode.I64GeU => (ua >= ub ? 1 : 0, None),
            _ => throw new ArgumentOutOfRangeException(nameof(op)),
        };
    }

    private static bool IsComparison(Opcode op) => OpcodeTable.Get(op)!.Results[0] == ValType.I32 && OpcodeTable.Get(op)!.Operands[0] == ValType.I64;

    [Theory]
    [MemberData(nameof(I32Ops))]
    public void I32BinaryMatchesOracle(Opcode op)
    {
        var m = new TestModule().Func("rr", Type(P(I32T, I32T), I32T), LocalGet(0), LocalGet(1), Op(op));
        for (var i = 0; i < I32Values.Length; i++)
        {
            m.Func("ri" + i, Type(P(I32T), I32T), LocalGet(0), I32(I32Values[i]), Op(op));
            m.Func("ir" + i, Type(P(I32T), I32T), I32(I32Values[i]), LocalGet(0), Op(op));
        }

        using var instance = m.Instantiate();
        var rr = instance.GetFunction<int, int, int>("rr");
        for (var j = 0; j < I32Values.Length; j++)
        {
            var ri = instance.GetFunction<int, int>("ri" + j);
            var ir = instance.GetFunction<int, int>("ir" + j);
            foreach (var a in I32Values)
            {
                var b = I32Values[j];
                Check(I32Oracle(op, a, b), () => rr.Invoke(a, b), $"{op} {a} {b} (registers)");
                Check(I32Oracle(op, a, b), () => ri.Invoke(a), $"{op} {a} {b} (constant rhs)");
                Check(I32Oracle(op, b, a), () => ir.Invoke(a), $"{op} {b} {a} (constant lhs)");
            }
        }
    }

    [Theory]
    [MemberData(nameof(I64Ops))]
    public void I64BinaryMatchesOracle(Opcode op)
    {
        var result = IsComparison(op) ? I32T : I64T;
        var m = new TestModule().Func("rr", Type(P(I64T, I64T), I64T),
            IsComparison(op) ? new[] { LocalGet(0), LocalGet(1), Op(op), Op(Opcode.I64ExtendI32U) } : new[] { LocalGet(0), LocalGet(1), Op(op) });
        for (var i = 0; i < I64Values.Length; i++)
        {
            var tail = IsComparison(op) ? new[] { Op(op), Op(Opcode.I64ExtendI32U) } : new[] { Op(op) };
            m.Func("ri" + i, Type(P(I64T), I64T), [LocalGet(0), I64(I64Values[i]), .. tail]);
            m.Func("ir" + i, Type(P(I64T), I64T), [I64(I64Values[i]), LocalGet(0), .. tail]);
        }

        using var instance = m.Instantiate();
        var rr = instance.GetFunction<long, long, long>("rr");
        for (var j = 0; j < I64Values.Length; j++)
        {
            var ri = instance.GetFunction<long, long>("ri" + j);
            var ir = instance.GetFunction<long, long>("ir" + j);
            foreach (var a in I64Values)
            {
                var b = I64Values[j];
                Check(I64Oracle(op, a, b), () => rr.Invoke(a, b), $"{op} {a} {b} (registers)");
                Check(I64Oracle(op, a, b), () => ri.Invoke(a), $"{op} {a} {b} (constant rhs)");
                Check(I64Oracle(op, b, a), () => ir.Invoke(a), $"{op} {b} {a} (constant lhs)");
            }
        }

        _ = result;
    }

    private static void Check((long? Value, TrapKind Trap) expected, Func<long> run, string what)
    {
        if (expected.Value is { } v)
        {
            long actual;
            try
            {
                actual = run();
            }
            catch (TrapException e)
            {
                throw new Xunit.Sdk.XunitException($"{what}: unexpected trap {e.Kind}");
            }

            if (actual != v) throw new Xunit.Sdk.XunitException($"{what}: expected {v}, got {actual}");
        }
        else
        {
            var e = Assert.Throws<TrapException>(() => run());
            if (e.Kind != expected.Trap) throw new Xunit.Sdk.XunitException($"{what}: expected trap {expected.Trap}, got {e.Kind}");
        }
    }

    private static void Check((long? Value, TrapKind Trap) expected, Func<int> run, string what) => Check(expected, () => (long)run(), what);

    [Theory]
    [InlineData(X64Features.Popcnt)]
    [InlineData(X64Features.None)]
    public void UnaryOperatorsMatchOracle(X64Features features)
    {
        var m = new TestModule()
            .Func("clz32", Type(P(I32T), I32T), LocalGet(0), Op(Opcode.I32Clz))
            .Func("ctz32", Type(P(I32T), I32T), LocalGet(0), Op(Opcode.I32Ctz))
            .Func("popcnt32", Type(P(I32T), I32T), LocalGet(0), Op(Opcode.I32Popcnt))
            .Func("eqz32", Type(P(I32T), I32T), LocalGet(0), Op(Opcode.I32Eqz))
            .Func("ext8_32", Type(P(I32T), I32T), LocalGet(0), Op(Opcode.I32Extend8S))
            .Func("ext16_32", Type(P(I32T), I32T), LocalGet(0), Op(Opcode.I32Extend16S))
            .Func("clz64", Type(P(I64T), I64T), LocalGet(0), Op(Opcode.I64Clz))
            .Func("ctz64", Type(P(I64T), I64T), LocalGet(0), Op(Opcode.I64Ctz))
            .Func("popcnt64", Type(P(I64T), I64T), LocalGet(0), Op(Opcode.I64Popcnt))
            .Func("eqz64", Type(P(I64T), I32T), LocalGet(0), Op(Opcode.I64Eqz))
            .Func("ext8_64", Type(P(I64T), I64T), LocalGet(0), Op(Opcode.I64Extend8S))
            .Func("ext16_64", Type(P(I64T), I64T), LocalGet(0), Op(Opcode.I64Extend16S))
            .Func("ext32_64", Type(P(I64T), I64T), LocalGet(0), Op(Opcode.I64Extend32S))
            .Func("wrap", Type(P(I64T), I32T), LocalGet(0), Op(Opcode.I32WrapI64))
            .Func("extend_s", Type(P(I32T), I64T), LocalGet(0), Op(Opcode.I64ExtendI32S))
            .Func("extend_u", Type(P(I32T), I64T), LocalGet(0), Op(Opcode.I64ExtendI32U))
            .Func("clz_const", Type(P(), I32T), I32(0), Op(Opcode.I32Clz))
            .Func("popcnt_const", Type(P(), I64T), I64(-1), Op(Opcode.I64Popcnt));
        using var instance = Instance.Create(m.Build(), new CompilerOptions { X64Features = features });

        foreach (var a in I32Values)
        {
            var u = (uint)a;
            Assert.Equal(BitOperations.LeadingZeroCount(u), instance.GetFunction<int, int>("clz32").Invoke(a));
            Assert.Equal(BitOperations.TrailingZeroCount(u) is var t && u == 0 ? 32 : t, instance.GetFunction<int, int>("ctz32").Invoke(a));
            Assert.Equal(BitOperations.PopCount(u), instance.GetFunction<int, int>("popcnt32").Invoke(a));
            Assert.Equal(a == 0 ? 1 : 0, instance.GetFunction<int, int>("eqz32").Invoke(a));
            Assert.Equal((int)(sbyte)a, instance.GetFunction<int, int>("ext8_32").Invoke(a));
            Assert.Equal((int)(short)a, instance.GetFunction<int, int>("ext16_32").Invoke(a));
            Assert.Equal((long)a, instance.GetFunction<int, long>("extend_s").Invoke(a));
            Assert.Equal((long)u, instance.GetFunction<int, long>("extend_u").Invoke(a));
        }

        foreach (var a in I64Values)
        {
            var u = (ulong)a;
            Assert.Equal(BitOperations.LeadingZeroCount(u), instance.GetFunction<long, long>("clz64").Invoke(a));
            Assert.Equal(u == 0 ? 64 : BitOperations.TrailingZeroCount(u), instance.GetFunction<long, long>("ctz64").Invoke(a));
            Assert.Equal(BitOperations.PopCount(u), instance.GetFunction<long, long>("popcnt64").Invoke(a));
            Assert.Equal(a == 0 ? 1 : 0, instance.GetFunction<long, int>("eqz64").Invoke(a));
            Assert.Equal((long)(sbyte)a, instance.GetFunction<long, long>("ext8_64").Invoke(a));
            Assert.Equal((long)(short)a, instance.GetFunction<long, long>("ext16_64").Invoke(a));
            Assert.Equal((long)(int)a, instance.GetFunction<long, long>("ext32_64").Invoke(a));
            Assert.Equal((int)a, instance.GetFunction<long, int>("wrap").Invoke(a));
        }

        Assert.Equal(32, instance.GetFunction<int>("clz_const").Invoke());
        Assert.Equal(64L, instance.GetFunction<long>("popcnt_const").Invoke());
    }

    [Fact]
    public void DivisionTrapsNameTheFunctionAndOffset()
    {
        using var instance = new TestModule()
            .Func("div", Type(P(I32T, I32T), I32T), LocalGet(0), LocalGet(1), Op(Opcode.I32DivS))
            .Instantiate();
        var e = Assert.Throws<TrapException>(() => instance.Invoke("div", 1, 0));
        Assert.Equal(TrapKind.IntegerDivideByZero, e.Kind);
        Assert.Equal(0, e.FunctionIndex);
        Assert.Equal(4, e.WasmOffset); // local.get 0 (2 bytes), local.get 1 (2 bytes), then i32.div_s
        Assert.Contains("integer divide by zero", e.Message);
        e = Assert.Throws<TrapException>(() => instance.Invoke("div", int.MinValue, -1));
        Assert.Equal(TrapKind.IntegerOverflow, e.Kind);
        Assert.Equal(-4, (int)instance.Invoke("div", 8, -2)!);
    }
}
