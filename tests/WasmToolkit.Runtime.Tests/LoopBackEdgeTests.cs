using System;
using Xunit;

namespace WasmToolkit.Runtime.Tests;

/// <summary>
/// Back edges put each local the loop header caches back into its header register (a parallel move): locals that
/// trade places every iteration (swaps and rotations), in both register classes, must keep their values whatever order
/// the moves come in. Expected values from the same recurrences in C#. (Emitting the moves in list order fails
/// FloatRegisterTests and the nbody kernel of DifferentialTests; a cycle, broken by a slot load, arises in nbody.)
/// </summary>
public class LoopBackEdgeTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(17)]
    [InlineData(90)]
    public void IntegerLocalsThatTradePlacesEveryIteration(int n)
    {
        // (a, b) = (b, a + b) through a temporary, (x, y, z) = (y, z, x ^ 3) and two swaps of (a, b) through the stack.
        using var instance = Wat.Instantiate("""
            (module
              (func (export "f") (param $n i32) (result i64)
                (local $a i64) (local $b i64) (local $t i64) (local $x i64) (local $y i64) (local $z i64)
                (local.set $b (i64.const 1))
                (local.set $x (i64.const 5)) (local.set $y (i64.const 7)) (local.set $z (i64.const 11))
                (block $done
                  (loop $next
                    (br_if $done (i32.eqz (local.get $n)))
                    (local.set $t (i64.add (local.get $a) (local.get $b)))
                    (local.set $a (local.get $b))
                    (local.set $b (local.get $t))
                    (i64.xor (local.get $x) (i64.const 3)) (local.get $z) (local.get $y) (local.set $x) (local.set $y) (local.set $z)
                    (local.get $a) (local.get $b) (local.set $a) (local.set $b)
                    (local.get $a) (local.get $b) (local.set $a) (local.set $b)
                    (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                    (br $next)))
                (i64.add (i64.mul (local.get $a) (i64.const 1000003))
                         (i64.add (i64.mul (local.get $x) (i64.const 31)) (i64.add (i64.mul (local.get $y) (i64.const 17)) (local.get $z))))))
            """);
        long a = 0, b = 1, x = 5, y = 7, z = 11;
        for (var i = 0; i < n; i++)
        {
            (a, b) = (b, unchecked(a + b));
            (x, y, z) = (y, z, x ^ 3);
        }

        Assert.Equal(unchecked((a * 1000003) + ((x * 31) + ((y * 17) + z))), (long)instance.Invoke("f", n)!);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(50)]
    public void FloatLocalsThatTradePlacesEveryIteration(int n)
    {
        // Mandelbrot's shape, (zr, zi) = (zr² - zi² + cr, 2·zr·zi + ci), then a swap (p, q) = (q, p) through the stack.
        using var instance = Wat.Instantiate("""
            (module
              (func (export "f") (param $n i32) (param $cr f64) (param $ci f64) (result f64)
                (local $zr f64) (local $zi f64) (local $t f64) (local $p f64) (local $q f64)
                (local.set $p (f64.const 0.5)) (local.set $q (f64.const -2.25))
                (block $done
                  (loop $next
                    (br_if $done (i32.eqz (local.get $n)))
                    (local.set $t (f64.add (f64.sub (f64.mul (local.get $zr) (local.get $zr)) (f64.mul (local.get $zi) (local.get $zi))) (local.get $cr)))
                    (local.set $zi (f64.add (f64.mul (f64.add (local.get $zr) (local.get $zr)) (local.get $zi)) (local.get $ci)))
                    (local.set $zr (local.get $t))
                    (local.get $p) (local.get $q) (local.set $p) (local.set $q)
                    (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                    (br $next)))
                (f64.add (f64.add (f64.mul (local.get $zr) (f64.const 3)) (local.get $zi))
                         (f64.add (f64.mul (local.get $p) (f64.const 7)) (local.get $q)))))
            """);
        const double cr = -0.7453, ci = 0.1127;
        double zr = 0, zi = 0, p = 0.5, q = -2.25;
        for (var i = 0; i < n; i++)
        {
            var t = ((zr * zr) - (zi * zi)) + cr;
            zi = ((zr + zr) * zi) + ci;
            zr = t;
            (p, q) = (q, p);
        }

        var expected = ((zr * 3) + zi) + ((p * 7) + q);
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits((double)instance.Invoke("f", n, cr, ci)!));
    }
}
