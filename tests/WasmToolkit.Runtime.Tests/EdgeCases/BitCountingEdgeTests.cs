using WasmToolkit.Compiler;
using Xunit;

namespace WasmToolkit.Runtime.Tests.EdgeCases;

/// <summary>
/// clz/ctz/popcnt/eqz at zero (where x64 <c>bsr</c>/<c>bsf</c> leave the destination undefined), single bits at
/// either end, i64 values whose set bits are all in one half, with and without the <c>popcnt</c> instruction,
/// operand in a register and constant. Expected values from a Python oracle (bit_length, lowest set bit, bin count).
/// </summary>
public class BitCountingEdgeTests
{
    [Theory]
    [InlineData("i32.clz", 0x0UL, 0x20UL)]
    [InlineData("i32.clz", 0x1UL, 0x1FUL)]
    [InlineData("i32.clz", 0x80000000UL, 0x0UL)]
    [InlineData("i32.clz", 0xFFFFFFFFUL, 0x0UL)]
    [InlineData("i32.clz", 0x10000UL, 0xFUL)]
    [InlineData("i32.clz", 0x7FFFFFFFUL, 0x1UL)]
    [InlineData("i32.clz", 0x8000UL, 0x10UL)]
    [InlineData("i32.clz", 0xAAAAAAAAUL, 0x0UL)]
    [InlineData("i32.ctz", 0x0UL, 0x20UL)]
    [InlineData("i32.ctz", 0x1UL, 0x0UL)]
    [InlineData("i32.ctz", 0x80000000UL, 0x1FUL)]
    [InlineData("i32.ctz", 0xFFFFFFFFUL, 0x0UL)]
    [InlineData("i32.ctz", 0x10000UL, 0x10UL)]
    [InlineData("i32.ctz", 0x7FFFFFFFUL, 0x0UL)]
    [InlineData("i32.ctz", 0x8000UL, 0xFUL)]
    [InlineData("i32.ctz", 0xAAAAAAAAUL, 0x1UL)]
    [InlineData("i32.popcnt", 0x0UL, 0x0UL)]
    [InlineData("i32.popcnt", 0x1UL, 0x1UL)]
    [InlineData("i32.popcnt", 0x80000000UL, 0x1UL)]
    [InlineData("i32.popcnt", 0xFFFFFFFFUL, 0x20UL)]
    [InlineData("i32.popcnt", 0x10000UL, 0x1UL)]
    [InlineData("i32.popcnt", 0x7FFFFFFFUL, 0x1FUL)]
    [InlineData("i32.popcnt", 0x8000UL, 0x1UL)]
    [InlineData("i32.popcnt", 0xAAAAAAAAUL, 0x10UL)]
    [InlineData("i32.eqz", 0x0UL, 0x1UL)]
    [InlineData("i32.eqz", 0x1UL, 0x0UL)]
    [InlineData("i32.eqz", 0x80000000UL, 0x0UL)]
    [InlineData("i32.eqz", 0xFFFFFFFFUL, 0x0UL)]
    [InlineData("i32.eqz", 0x10000UL, 0x0UL)]
    [InlineData("i32.eqz", 0x7FFFFFFFUL, 0x0UL)]
    [InlineData("i32.eqz", 0x8000UL, 0x0UL)]
    [InlineData("i32.eqz", 0xAAAAAAAAUL, 0x0UL)]
    [InlineData("i64.clz", 0x0UL, 0x40UL)]
    [InlineData("i64.clz", 0x1UL, 0x3FUL)]
    [InlineData("i64.clz", 0x8000000000000000UL, 0x0UL)]
    [InlineData("i64.clz", 0xFFFFFFFFFFFFFFFFUL, 0x0UL)]
    [InlineData("i64.clz", 0xFFFFFFFFUL, 0x20UL)]
    [InlineData("i64.clz", 0x100000000UL, 0x1FUL)]
    [InlineData("i64.clz", 0x80000000UL, 0x20UL)]
    [InlineData("i64.clz", 0x8000000000000001UL, 0x0UL)]
    [InlineData("i64.clz", 0x5555555555555555UL, 0x1UL)]
    [InlineData("i64.clz", 0xFFFFFFFF00000000UL, 0x0UL)]
    [InlineData("i64.ctz", 0x0UL, 0x40UL)]
    [InlineData("i64.ctz", 0x1UL, 0x0UL)]
    [InlineData("i64.ctz", 0x8000000000000000UL, 0x3FUL)]
    [InlineData("i64.ctz", 0xFFFFFFFFFFFFFFFFUL, 0x0UL)]
    [InlineData("i64.ctz", 0xFFFFFFFFUL, 0x0UL)]
    [InlineData("i64.ctz", 0x100000000UL, 0x20UL)]
    [InlineData("i64.ctz", 0x80000000UL, 0x1FUL)]
    [InlineData("i64.ctz", 0x8000000000000001UL, 0x0UL)]
    [InlineData("i64.ctz", 0x5555555555555555UL, 0x0UL)]
    [InlineData("i64.ctz", 0xFFFFFFFF00000000UL, 0x20UL)]
    [InlineData("i64.popcnt", 0x0UL, 0x0UL)]
    [InlineData("i64.popcnt", 0x1UL, 0x1UL)]
    [InlineData("i64.popcnt", 0x8000000000000000UL, 0x1UL)]
    [InlineData("i64.popcnt", 0xFFFFFFFFFFFFFFFFUL, 0x40UL)]
    [InlineData("i64.popcnt", 0xFFFFFFFFUL, 0x20UL)]
    [InlineData("i64.popcnt", 0x100000000UL, 0x1UL)]
    [InlineData("i64.popcnt", 0x80000000UL, 0x1UL)]
    [InlineData("i64.popcnt", 0x8000000000000001UL, 0x2UL)]
    [InlineData("i64.popcnt", 0x5555555555555555UL, 0x20UL)]
    [InlineData("i64.popcnt", 0xFFFFFFFF00000000UL, 0x20UL)]
    [InlineData("i64.eqz", 0x0UL, 0x1UL)]
    [InlineData("i64.eqz", 0x1UL, 0x0UL)]
    [InlineData("i64.eqz", 0x8000000000000000UL, 0x0UL)]
    [InlineData("i64.eqz", 0xFFFFFFFFFFFFFFFFUL, 0x0UL)]
    [InlineData("i64.eqz", 0xFFFFFFFFUL, 0x0UL)]
    [InlineData("i64.eqz", 0x100000000UL, 0x0UL)]
    [InlineData("i64.eqz", 0x80000000UL, 0x0UL)]
    [InlineData("i64.eqz", 0x8000000000000001UL, 0x0UL)]
    [InlineData("i64.eqz", 0x5555555555555555UL, 0x0UL)]
    [InlineData("i64.eqz", 0xFFFFFFFF00000000UL, 0x0UL)]
    public void CountBits(string op, ulong value, ulong expected)
    {
        var type = op.Substring(0, 3);
        var result = op.EndsWith("eqz", System.StringComparison.Ordinal) ? "i32" : type;
        Wat.CheckUnary(op, type, result, value, expected, new CompilerOptions { X64Features = X64Features.Popcnt });
        Wat.CheckUnary(op, type, result, value, expected, new CompilerOptions { X64Features = X64Features.None });
    }

    /// <summary>clz/ctz results feed further arithmetic with no garbage above bit 31 (i32) and stay exact in i64.</summary>
    [Theory]
    [InlineData(0, 32 + 32 + 1)]
    [InlineData(1, 31 + 0 + 0)]
    [InlineData(-1, 0 + 0 + 0)]
    public void CountsFeedArithmetic(int x, long expected)
    {
        using var instance = Wat.Functions("",
            ("f", "(param i32) (result i64)", "(i64.extend_i32_u (i32.add (i32.add (i32.clz (local.get 0)) (i32.ctz (local.get 0))) (i32.eqz (local.get 0))))"));
        Assert.Equal(expected, (long)instance.Invoke("f", x)!);
    }
}
