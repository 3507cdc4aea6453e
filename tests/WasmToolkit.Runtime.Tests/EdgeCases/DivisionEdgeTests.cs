using WasmToolkit.Compiler;
using Xunit;

namespace WasmToolkit.Runtime.Tests.EdgeCases;

/// <summary>
/// div/rem signed and unsigned, both widths, in every operand shape: INT_MIN / -1 traps for div_s and gives 0 for
/// rem_s (x64 <c>idiv</c> faults on both, so rem_s needs its own path); division by zero traps for all four;
/// signs of quotient and remainder; divisors beyond imm32; powers of two (a compiler may strength-reduce them).
/// </summary>
public class DivisionEdgeTests
{
    [Theory]
    [InlineData("i32.div_s", 0x80000000UL, 0xFFFFFFFFUL, TrapKind.IntegerOverflow)]
    [InlineData("i64.div_s", 0x8000000000000000UL, 0xFFFFFFFFFFFFFFFFUL, TrapKind.IntegerOverflow)]
    [InlineData("i32.div_s", 0x1UL, 0x0UL, TrapKind.IntegerDivideByZero)]
    [InlineData("i32.div_u", 0x1UL, 0x0UL, TrapKind.IntegerDivideByZero)]
    [InlineData("i32.rem_s", 0x1UL, 0x0UL, TrapKind.IntegerDivideByZero)]
    [InlineData("i32.rem_u", 0x1UL, 0x0UL, TrapKind.IntegerDivideByZero)]
    [InlineData("i64.div_s", 0x1UL, 0x0UL, TrapKind.IntegerDivideByZero)]
    [InlineData("i64.div_u", 0x1UL, 0x0UL, TrapKind.IntegerDivideByZero)]
    [InlineData("i64.rem_s", 0x1UL, 0x0UL, TrapKind.IntegerDivideByZero)]
    [InlineData("i64.rem_u", 0x1UL, 0x0UL, TrapKind.IntegerDivideByZero)]
    [InlineData("i32.div_s", 0x0UL, 0x0UL, TrapKind.IntegerDivideByZero)]
    [InlineData("i32.rem_s", 0x80000000UL, 0x0UL, TrapKind.IntegerDivideByZero)]
    [InlineData("i64.div_s", 0x8000000000000000UL, 0x0UL, TrapKind.IntegerDivideByZero)]
    [InlineData("i64.rem_u", 0xFFFFFFFFFFFFFFFFUL, 0x0UL, TrapKind.IntegerDivideByZero)]
    // 0x100000000 as a divisor: its low 32 bits are zero; an i64 divide must not see them as zero, an i32 one never sees it.
    [InlineData("i64.div_u", 0x100000000UL, 0x0UL, TrapKind.IntegerDivideByZero)]
    public void Traps(string op, ulong a, ulong b, TrapKind kind) => Wat.CheckBinaryTraps(op, a, b, kind);

    [Theory]
    [InlineData("i32.rem_s", 0x80000000UL, 0xFFFFFFFFUL, 0x0UL)]
    [InlineData("i64.rem_s", 0x8000000000000000UL, 0xFFFFFFFFFFFFFFFFUL, 0x0UL)]
    [InlineData("i32.rem_s", 0x7FFFFFFFUL, 0xFFFFFFFFUL, 0x0UL)]
    [InlineData("i32.div_s", 0x80000000UL, 0x1UL, 0x80000000UL)]
    [InlineData("i32.div_u", 0x80000000UL, 0xFFFFFFFFUL, 0x0UL)]
    [InlineData("i32.rem_u", 0x80000000UL, 0xFFFFFFFFUL, 0x80000000UL)]
    [InlineData("i32.div_s", 0x7FFFFFFFUL, 0xFFFFFFFFUL, 0x80000001UL)]
    [InlineData("i64.div_u", 0x8000000000000000UL, 0xFFFFFFFFFFFFFFFFUL, 0x0UL)]
    [InlineData("i64.div_s", 0x8000000000000000UL, 0x1UL, 0x8000000000000000UL)]
    [InlineData("i64.div_s", 0x8000000000000000UL, 0x2UL, 0xC000000000000000UL)]
    // Truncation toward zero; the remainder takes the dividend's sign.
    [InlineData("i32.div_s", 0xFFFFFFF9UL, 0x2UL, 0xFFFFFFFDUL)]
    [InlineData("i32.rem_s", 0xFFFFFFF9UL, 0x2UL, 0xFFFFFFFFUL)]
    [InlineData("i32.rem_s", 0x7UL, 0xFFFFFFFEUL, 0x1UL)]
    [InlineData("i32.div_s", 0x7UL, 0xFFFFFFFEUL, 0xFFFFFFFDUL)]
    [InlineData("i64.rem_s", 0xFFFFFFFFFFFFFFF9UL, 0x2UL, 0xFFFFFFFFFFFFFFFFUL)]
    [InlineData("i64.div_s", 0xFFFFFFFFFFFFFFF9UL, 0x2UL, 0xFFFFFFFFFFFFFFFDUL)]
    // Powers of two (shift-based lowering must round negative dividends toward zero).
    [InlineData("i32.div_s", 0xFFFFFFFFUL, 0x2UL, 0x0UL)]
    [InlineData("i32.div_s", 0xFFFFFFF1UL, 0x10UL, 0x0UL)]
    [InlineData("i32.rem_s", 0xFFFFFFF1UL, 0x10UL, 0xFFFFFFF1UL)]
    [InlineData("i32.div_u", 0xFFFFFFFFUL, 0x10UL, 0x0FFFFFFFUL)]
    [InlineData("i32.rem_u", 0xFFFFFFFFUL, 0x10UL, 0xFUL)]
    [InlineData("i32.div_s", 0x80000000UL, 0x80000000UL, 0x1UL)]
    [InlineData("i32.rem_s", 0x80000001UL, 0x80000000UL, 0x80000001UL)]
    [InlineData("i64.div_s", 0xFFFFFFFFFFFFFFFFUL, 0x100000000UL, 0x0UL)]
    [InlineData("i64.div_s", 0xFFFFFFFF00000000UL, 0x100000000UL, 0xFFFFFFFFFFFFFFFFUL)]
    [InlineData("i64.rem_s", 0xFFFFFFFEFFFFFFFFUL, 0x100000000UL, 0xFFFFFFFFFFFFFFFFUL)]
    // Divisors that do not fit imm32, and divisors whose low 32 bits are zero.
    [InlineData("i64.div_u", 0xFFFFFFFFFFFFFFFFUL, 0x100000000UL, 0xFFFFFFFFUL)]
    [InlineData("i64.rem_u", 0xFFFFFFFFFFFFFFFFUL, 0x100000000UL, 0xFFFFFFFFUL)]
    [InlineData("i64.div_u", 0xFFFFFFFFFFFFFFFFUL, 0x80000000UL, 0x1FFFFFFFFUL)]
    [InlineData("i64.div_s", 0x1000000000UL, 0xFFFFFFFF80000000UL, 0xFFFFFFFFFFFFFFE0UL)]
    [InlineData("i64.rem_u", 0x123456789ABCDEF0UL, 0xFFFFFFFFUL, 0xACF13568UL)]
    [InlineData("i64.div_u", 0x5UL, 0xFFFFFFFFFFFFFFFFUL, 0x0UL)]
    [InlineData("i64.rem_u", 0x5UL, 0xFFFFFFFFFFFFFFFFUL, 0x5UL)]
    [InlineData("i64.rem_s", 0x5UL, 0xFFFFFFFFFFFFFFFFUL, 0x0UL)]
    // An i32 divide must use only the low halves: 0x100000000 as an i32 constant is written as 0.
    [InlineData("i32.div_u", 0xFFFFFFFFUL, 0x3UL, 0x55555555UL)]
    [InlineData("i32.rem_u", 0xFFFFFFFFUL, 0x7FFFFFFFUL, 0x1UL)]
    public void Results(string op, ulong a, ulong b, ulong expected) => Wat.CheckBinary(op, a, b, expected);

    /// <summary>
    /// Values held in rax/rdx (the registers <c>div</c> uses) across a division survive it, including when the
    /// divisor is one of them.
    /// </summary>
    [Fact]
    public void LiveValuesSurviveDivision()
    {
        using var instance = Wat.Functions("",
            ("f", "(param i64 i64 i64) (result i64)",
                "(i64.add (i64.add (i64.mul (local.get 0) (i64.const 3)) (i64.mul (local.get 1) (i64.const 5))) " +
                "(i64.add (i64.div_s (local.get 0) (local.get 1)) (i64.add (i64.rem_u (local.get 2) (local.get 1)) (i64.sub (local.get 1) (local.get 2)))))"),
            ("g", "(param i32 i32) (result i32)",
                "(i32.sub (i32.rem_s (local.get 0) (local.get 1)) (i32.div_u (local.get 1) (i32.rem_u (local.get 0) (local.get 1))))"));
        // 1000*3 + 7*5 + (1000/7=142) + (50 % 7 = 1) + (7 - 50)
        Assert.Equal(3000L + 35 + 142 + 1 - 43, (long)instance.Invoke("f", 1000L, 7L, 50L)!);
        // (-1000 rem_s 7 = -6) - (7 div_u (0xFFFFFC18 rem_u 7))
        var remU = 0xFFFFFC18u % 7u;
        Assert.Equal(unchecked(-6 - (int)(7u / remU)), (int)instance.Invoke("g", -1000, 7)!);
    }
}
