using System.Linq;
using System.Numerics;
using System.Text;
using Xunit;

namespace WasmToolkit.Runtime.Tests.EdgeCases;

/// <summary>
/// add/sub/mul/and/or/xor around the imm32 boundary: x64 immediates are 32-bit sign-extended, so 0x80000000,
/// 0xFFFFFFFF and 0x100000000 must be materialised while 0xFFFFFFFF80000000 may be an immediate. Each row
/// runs with both operands in registers, constant right, constant left and both constant (see <see cref="Wat.CheckBinary"/>).
/// Register pressure: more live values than registers, with non-commutative operators, big constants and
/// the fixed registers of division and shifts; values live across calls.
/// </summary>
public class IntegerArithmeticEdgeTests
{
    [Theory]
    [InlineData("i64.add", 0x1UL, 0x100000000UL, 0x100000001UL)]
    [InlineData("i64.add", 0xFFFFFFFFUL, 0x1UL, 0x100000000UL)]
    [InlineData("i64.add", 0x7FFFFFFFUL, 0x80000000UL, 0xFFFFFFFFUL)]
    [InlineData("i64.add", 0x5UL, 0xFFFFFFFF80000000UL, 0xFFFFFFFF80000005UL)]
    [InlineData("i64.add", 0x7FFFFFFFFFFFFFFFUL, 0x1UL, 0x8000000000000000UL)]
    [InlineData("i64.add", 0xFFFFFFFFFFFFFFFFUL, 0xFFFFFFFFFFFFFFFFUL, 0xFFFFFFFFFFFFFFFEUL)]
    [InlineData("i64.sub", 0x100000000UL, 0x1UL, 0xFFFFFFFFUL)]
    [InlineData("i64.sub", 0x1UL, 0x100000000UL, 0xFFFFFFFF00000001UL)]
    [InlineData("i64.sub", 0x0UL, 0x80000000UL, 0xFFFFFFFF80000000UL)]
    [InlineData("i64.sub", 0x80000000UL, 0x0UL, 0x80000000UL)]
    [InlineData("i64.sub", 0x0UL, 0x8000000000000000UL, 0x8000000000000000UL)]
    [InlineData("i64.sub", 0xFFFFFFFF80000000UL, 0x7FFFFFFFUL, 0xFFFFFFFF00000001UL)]
    [InlineData("i64.mul", 0x3UL, 0x100000000UL, 0x300000000UL)]
    [InlineData("i64.mul", 0x80000000UL, 0x2UL, 0x100000000UL)]
    [InlineData("i64.mul", 0xFFFFFFFFUL, 0xFFFFFFFFUL, 0xFFFFFFFE00000001UL)]
    [InlineData("i64.mul", 0x100000001UL, 0x100000001UL, 0x200000001UL)]
    [InlineData("i64.mul", 0x8000000000000000UL, 0xFFFFFFFFFFFFFFFFUL, 0x8000000000000000UL)]
    [InlineData("i64.mul", 0x123456789UL, 0xFFFFFFFF80000000UL, 0x6E5D4C3B80000000UL)]
    [InlineData("i64.and", 0x123456789ABCDEF0UL, 0xFFFFFFFFUL, 0x9ABCDEF0UL)]
    [InlineData("i64.and", 0x123456789ABCDEF0UL, 0x80000000UL, 0x80000000UL)]
    [InlineData("i64.and", 0x123456789ABCDEF0UL, 0xFFFFFFFF00000000UL, 0x1234567800000000UL)]
    [InlineData("i64.and", 0x123456789ABCDEF0UL, 0xFFFFFFFF80000000UL, 0x1234567880000000UL)]
    [InlineData("i64.or", 0x0UL, 0x80000000UL, 0x80000000UL)]
    [InlineData("i64.or", 0x1UL, 0xFFFFFFFF00000000UL, 0xFFFFFFFF00000001UL)]
    [InlineData("i64.xor", 0xFFFFFFFFFFFFFFFFUL, 0xFFFFFFFFUL, 0xFFFFFFFF00000000UL)]
    [InlineData("i64.xor", 0x0UL, 0x80000000UL, 0x80000000UL)]
    [InlineData("i32.add", 0x7FFFFFFFUL, 0x1UL, 0x80000000UL)]
    [InlineData("i32.add", 0xFFFFFFFFUL, 0x1UL, 0x0UL)]
    [InlineData("i32.sub", 0x80000000UL, 0x1UL, 0x7FFFFFFFUL)]
    [InlineData("i32.sub", 0x0UL, 0x80000000UL, 0x80000000UL)]
    [InlineData("i32.sub", 0x1UL, 0x2UL, 0xFFFFFFFFUL)]
    [InlineData("i32.mul", 0x10000UL, 0x10000UL, 0x0UL)]
    [InlineData("i32.mul", 0xFFFFFFFFUL, 0xFFFFFFFFUL, 0x1UL)]
    [InlineData("i32.mul", 0x80000000UL, 0xFFFFFFFFUL, 0x80000000UL)]
    [InlineData("i32.mul", 0x12345679UL, 0x10UL, 0x23456790UL)]
    [InlineData("i32.and", 0xFFFFFFFFUL, 0x80000000UL, 0x80000000UL)]
    [InlineData("i32.or", 0x7FFFFFFFUL, 0x80000000UL, 0xFFFFFFFFUL)]
    [InlineData("i32.xor", 0x80000000UL, 0xFFFFFFFFUL, 0x7FFFFFFFUL)]
    public void BinaryOperatorInEveryOperandShape(string op, ulong a, ulong b, ulong expected) => Wat.CheckBinary(op, a, b, expected);

    /// <summary>A 32-bit result must leave no garbage above bit 31 that a later 64-bit use could see.</summary>
    [Theory]
    [InlineData("i32.add", 0xFFFFFFFFUL, 0x1UL, 0x0UL)]
    [InlineData("i32.sub", 0x0UL, 0x1UL, 0xFFFFFFFFUL)]
    [InlineData("i32.mul", 0x80000000UL, 0x2UL, 0x0UL)]
    [InlineData("i32.mul", 0xFFFFFFFFUL, 0xFFFFFFFFUL, 0x1UL)]
    [InlineData("i32.xor", 0xFFFFFFFFUL, 0x0UL, 0xFFFFFFFFUL)]
    public void I32ResultsAreZeroExtendedWhenWidened(string op, ulong a, ulong b, ulong expected)
    {
        using var instance = Wat.Functions("",
            ("f", "(param i32 i32) (result i64)", $"(i64.extend_i32_u ({op} (local.get 0) (local.get 1)))"),
            ("c", "(param i32) (result i64)", $"(i64.extend_i32_u ({op} (local.get 0) (i32.const {Wat.Hex(b)})))"));
        Assert.Equal(expected, Wat.Bits(instance.Invoke("f", (int)(uint)a, (int)(uint)b)));
        Assert.Equal(expected, Wat.Bits(instance.Invoke("c", (int)(uint)a)));
    }

    /// <summary>
    /// Thirty-two live i64 values, each (p0 * K_i + p1) with K_i beyond imm32, folded right to left by a cycle of
    /// sub, xor, add, mul, div_u, shl, rotr: more values than registers, and division and shifts need rax/rdx/rcx
    /// while spilled values wait. The expectation comes from a Python
    /// evaluation of the same tree (the column) and is cross-checked by a C# evaluation (C# matches wasm for these).
    /// </summary>
    [Theory]
    [InlineData(0x0123456789ABCDEFUL, 0xFEDCBA9876543210UL, 0x47AE1691C94E4734UL)]
    [InlineData(0x1UL, 0x0UL, 0x180000002UL)]
    [InlineData(0xDEADBEEFCAFEBABEUL, 0x7FFFFFFFFFFFFFFFUL, 0xA096489683F8E0F7UL)]
    [InlineData(0x8000000000000000UL, 0x3UL, 0x7FFFFFFFFFFFFFFCUL)]
    [InlineData(0xFFFFFFFFUL, 0x100000000UL, 0x800000007FFFFFF6UL)]
    public void DeepExpressionTreeSpillsAndKeepsOperandOrder(ulong p0, ulong p1, ulong expected)
    {
        const int N = 32;
        string[] ops = { "i64.sub", "i64.xor", "i64.add", "i64.mul", "i64.div_u", "i64.shl", "i64.rotr" };
        ulong K(int i) => 0x100000001UL * (ulong)(i + 3) + 0x80000000UL * (ulong)(i & 1);
        string Leaf(int i) => $"(i64.add (i64.mul (local.get 0) (i64.const {Wat.Hex(K(i))})) (local.get 1))";
        ulong LeafValue(int i) => unchecked((p0 * K(i)) + p1);

        // (op0 leaf0 (op1 leaf1 (op2 leaf2 ... leafN-1))) keeps leaf0..leafN-2 live while the innermost computes.
        var text = new StringBuilder();
        for (var i = 0; i < N - 1; i++) text.Append('(').Append(ops[i % ops.Length]).Append(' ').Append(Leaf(i)).Append(' ');
        text.Append(Leaf(N - 1)).Append(new string(')', N - 1));

        var value = LeafValue(N - 1);
        for (var i = N - 2; i >= 0; i--)
        {
            var lhs = LeafValue(i);
            Assert.True(ops[i % ops.Length] != "i64.div_u" || value != 0, "row would divide by zero");
            value = ops[i % ops.Length] switch
            {
                "i64.sub" => unchecked(lhs - value),
                "i64.xor" => lhs ^ value,
                "i64.add" => unchecked(lhs + value),
                "i64.mul" => unchecked(lhs * value),
                "i64.div_u" => lhs / value,
                "i64.shl" => lhs << (int)(value & 63),
                _ => BitOperations.RotateRight(lhs, (int)(value & 63)),
            };
        }

        Assert.Equal(Wat.Hex(expected), Wat.Hex(value));
        using var instance = Wat.Functions("", ("f", "(param i64 i64) (result i64)", text.ToString()));
        Assert.Equal(Wat.Hex(expected), Wat.Hex(Wat.Bits(instance.Invoke("f", (long)p0, (long)p1))));
    }

    /// <summary>Values of every type live in registers across calls, which clobber every caller-saved register.</summary>
    [Theory]
    [InlineData(7, 0x100000000L)]
    [InlineData(-1, long.MinValue)]
    [InlineData(0, 0L)]
    public void ValuesLiveAcrossCalls(int x, long y)
    {
        // $clobber uses many registers itself (its own deep tree) and returns a known value.
        var clobber = string.Concat(Enumerable.Range(0, 20).Select(i => $"(i64.add (i64.mul (local.get 0) (i64.const {i + 2})) ")) + "(local.get 0)" + new string(')', 20);
        using var instance = Wat.Instantiate($@"(module
  (func $clobber (param i64) (result i64) {clobber})
  (func $fclobber (param f64) (result f64) (f64.mul (f64.add (local.get 0) (f64.const 1)) (f64.sqrt (local.get 0))))
  (func (export ""f"") (param i32 i64) (result i64)
    (i64.sub
      (i64.add (i64.extend_i32_s (i32.mul (local.get 0) (i32.const 3))) (i64.const 0x100000000))
      (i64.xor
        (i64.mul (local.get 1) (i64.const 0x123456789))
        (i64.add
          (i64.trunc_sat_f64_s (f64.mul (f64.convert_i32_s (local.get 0)) (f64.const 0.5)))
          (i64.add
            (call $clobber (local.get 1))
            (i64.trunc_sat_f64_s (call $fclobber (f64.const 4))))))))
)");
        // clobber(v) = v + sum over i of v*(i+2) nested: c(v) = v*2 + (v*3 + (... (v*21 + v)))
        long c = y;
        for (var i = 19; i >= 0; i--) c = unchecked((y * (i + 2)) + c);
        var f = (long)((4 + 1) * 2.0); // (4 + 1) * sqrt(4)
        var expected = unchecked(((long)(x * 3) + 0x100000000L) - ((y * 0x123456789L) ^ ((long)(x * 0.5) + (c + f))));
        Assert.Equal(expected, (long)instance.Invoke("f", x, y)!);
    }

    /// <summary>
    /// Lazy constants that leave the value stack other than through an operator: as call arguments, multi-value
    /// results, block and if parameters and a branch-table index, with i32 constants whose sign bit is set (a
    /// 64-bit store of the sign-extended immediate must not leak into the i32) and i64 constants beyond imm32.
    /// Expected values worked out by hand.
    /// </summary>
    [Fact]
    public void LazyConstantsAsArgumentsResultsAndBlockParameters()
    {
        using var instance = Wat.Instantiate(@"(module (memory 1)
  (func $mv (result i32 i64 f32 f64) (i32.const 0x80000000) (i64.const 0x100000000) (f32.const nan:0x200001) (f64.const -0))
  (func (export ""mv"") (result i32 i64 f32 f64) (call $mv))
  (func $ext (param i32 i64 i32) (result i64) (i64.add (i64.extend_i32_u (local.get 0)) (i64.add (local.get 1) (i64.extend_i32_u (local.get 2)))))
  (func (export ""call_consts"") (result i64) (call $ext (i32.const 0x80000000) (i64.const 0x100000000) (i32.const -1)))
  (func (export ""grow_in_args"") (param i64) (result i64)
    (call $ext (i32.wrap_i64 (local.get 0)) (i64.add (local.get 0) (i64.const 0x100000000)) (memory.grow (i32.const 0))))
  (func (export ""br_table"") (param i64) (result i32)
    (block (block (block (br_table 0 1 2 (i32.wrap_i64 (local.get 0)))) (return (i32.const 10))) (return (i32.const 11))) (i32.const 12))
  (func (export ""if_param"") (param i32) (result i64)
    (i32.const 0x80000000) (if (param i32) (result i64) (local.get 0) (then (i64.extend_i32_u)) (else (i64.extend_i32_s))))
  (func (export ""block_params"") (result i64)
    (i32.const 0x80000000) (i64.const 0x100000000) (block (param i32 i64) (result i64) (drop) (i64.extend_i32_u)))
  (func (export ""loop_sum"") (param i32) (result i64) (local i64)
    (loop $l (local.set 1 (i64.add (local.get 1) (i64.const 0x100000001))) (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
    (local.get 1)))");
        var mv = (object[])instance.Invoke("mv")!;
        Assert.Equal(unchecked((int)0x80000000), (int)mv[0]);
        Assert.Equal(0x100000000L, (long)mv[1]);
        Assert.Equal(0x7FA00001u, System.BitConverter.SingleToUInt32Bits((float)mv[2]));
        Assert.Equal(0x8000000000000000UL, System.BitConverter.DoubleToUInt64Bits((double)mv[3]));
        Assert.Equal(0x80000000L + 0x100000000L + 0xFFFFFFFFL, (long)instance.Invoke("call_consts")!);
        // wrap(0x180000000) = 0x80000000; 0x180000000 + 0x100000000; memory.grow 0 returns the size, 1.
        Assert.Equal(0x80000000L + 0x280000000L + 1, (long)instance.Invoke("grow_in_args", 0x180000000L)!);
        Assert.Equal(11, (int)instance.Invoke("br_table", 0x100000001L)!);
        Assert.Equal(10, (int)instance.Invoke("br_table", 0x100000000L)!);
        Assert.Equal(12, (int)instance.Invoke("br_table", unchecked((long)0xFFFFFFFF00000007))!);
        Assert.Equal(0x80000000L, (long)instance.Invoke("if_param", 1)!);
        Assert.Equal(unchecked((long)0xFFFFFFFF80000000), (long)instance.Invoke("if_param", 0)!);
        Assert.Equal(0x80000000L, (long)instance.Invoke("block_params")!);
        Assert.Equal(0x300000003L, (long)instance.Invoke("loop_sum", 3)!);
    }
}
