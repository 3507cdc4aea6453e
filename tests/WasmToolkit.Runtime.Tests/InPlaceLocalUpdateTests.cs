using Xunit;

namespace WasmToolkit.Runtime.Tests;

/// <summary>
/// <c>x = x op y</c> (an integer operation on a cached local followed by <c>local.set</c> of that local) computes in
/// the local's own register. Reads of the old value still on the value stack (lazy <c>local.get</c>s pushed before)
/// must see the old value, the other operand must be unaffected, and <c>x op x</c> must read x twice before the
/// write. Expected values from the same arithmetic in C#.
/// </summary>
public class InPlaceLocalUpdateTests
{
    private const string Module = """
        (module
          (func (export "oldValueOnTheStack") (param $x i32) (result i32)
            (local.set $x (i32.xor (local.get $x) (i32.const 3)))  ;; x now cached in a register
            (local.get $x)                                      ;; the old x, read lazily
            (local.set $x (i32.add (local.get $x) (i32.const 5)))
            (local.get $x)
            (i32.sub)                                           ;; old - new = -5
            (i32.mul (local.get $x)))                           ;; * new
          (func (export "otherOperandUnchanged") (param $x i64) (param $y i64) (result i64)
            (local.set $x (i64.mul (local.get $x) (local.get $y)))
            (local.set $x (i64.sub (local.get $x) (local.get $y)))
            (local.set $y (i64.xor (local.get $y) (local.get $x)))
            (i64.add (i64.mul (local.get $x) (i64.const 1000003)) (local.get $y)))
          (func (export "selfOperand") (param $x i32) (result i32)
            (local.set $x (i32.add (local.get $x) (local.get $x)))
            (local.set $x (i32.and (local.get $x) (local.get $x)))
            (local.get $x))
          (func (export "loop") (param $n i32) (result i64) (local $p i32) (local $acc i64)
            (block $done
              (loop $next
                (br_if $done (i32.eqz (local.get $n)))
                (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (local.get $p))))
                (local.set $p (i32.add (local.get $p) (i32.const 16)))
                (local.set $acc (i64.xor (local.get $acc) (i64.const 0x5555)))
                (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                (br $next)))
            (i64.add (local.get $acc) (i64.extend_i32_u (local.get $p)))))
        """;

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(-5)]
    [InlineData(int.MaxValue)]
    public void OldValueOnTheStackKeepsTheOldValue(int x)
    {
        using var instance = Wat.Instantiate(Module);
        var cached = x ^ 3;
        var updated = unchecked(cached + 5);
        Assert.Equal(unchecked((cached - updated) * updated), (int)instance.Invoke("oldValueOnTheStack", x)!);
    }

    [Theory]
    [InlineData(3L, 4L)]
    [InlineData(-9L, 123456789L)]
    [InlineData(long.MinValue, -1L)]
    public void OtherOperandIsUnchanged(long x, long y)
    {
        using var instance = Wat.Instantiate(Module);
        long a = x, b = y;
        unchecked
        {
            a *= b;
            a -= b;
            b ^= a;
            Assert.Equal((a * 1000003) + b, (long)instance.Invoke("otherOperandUnchanged", x, y)!);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(-3)]
    [InlineData(0x40000001)]
    public void SelfOperandReadsTheOldValueTwice(int x)
    {
        using var instance = Wat.Instantiate(Module);
        Assert.Equal(unchecked(x + x), (int)instance.Invoke("selfOperand", x)!);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(100)]
    public void LoopCountersUpdatedInPlace(int n)
    {
        using var instance = Wat.Instantiate(Module);
        long acc = 0;
        uint p = 0;
        for (var i = 0; i < n; i++)
        {
            acc += p;
            p += 16;
            acc ^= 0x5555;
        }

        Assert.Equal(acc + p, (long)instance.Invoke("loop", n)!);
    }
}
