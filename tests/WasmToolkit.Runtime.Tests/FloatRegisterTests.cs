using System;
using System.Linq;
using System.Text;
using Xunit;

namespace WasmToolkit.Runtime.Tests;

/// <summary>
/// f32/f64 values in float registers (the baseline compiler's second register class): values live across
/// calls, more live float values than float registers (spills and reloads), merges at block, if, loop and
/// br_table labels (a br_table whose targets include the function's end merges there as a bit pattern in the
/// return register), if parameters saved for the else arm, select, float locals cached across loop headers,
/// and float globals. Expected values come from the same IEEE operations in C# (no fused multiply-add in
/// either), NaN payloads are compared bit for bit where only moves touch them.
/// </summary>
public class FloatRegisterTests
{
    private static double F64Result(Instance instance, string name, params object[] args) => (double)instance.Invoke(name, args)!;

    [Fact]
    public void FloatValuesOnTheStackAndInLocalsSurviveCalls()
    {
        using var instance = Wat.Instantiate("""
            (module
              (func $clobber (param f64) (result f64)
                (f64.add (f64.mul (local.get 0) (f64.const 3.25))
                         (f64.div (f64.sqrt (f64.abs (local.get 0))) (f64.const 7))))
              (func $clobber32 (param f32) (result f32)
                (f32.sub (f32.mul (local.get 0) (local.get 0)) (f32.const 0.125)))
              (func (export "f") (param f64 f64 f32) (result f64)
                (local f64 f32)
                (local.set 3 (f64.mul (local.get 0) (f64.const 1.5)))
                (local.set 4 (f32.add (local.get 2) (f32.const 2)))
                (f64.mul (local.get 0) (f64.const 3))
                (f64.add (local.get 1) (f64.const 5))
                (call $clobber (local.get 0))
                f64.sub
                f64.mul
                (f64.promote_f32 (call $clobber32 (local.get 4)))
                f64.add
                (local.get 3)
                f64.sub
                (f64.promote_f32 (local.get 4))
                f64.div))
            """);
        foreach (var (a, b, c) in new[] { (1.0, 2.0, 3f), (-7.5, 0.25, -1.5f), (1e300, -1e-300, 1e30f), (0.0, -0.0, 0f) })
        {
            static double Clobber(double x) => (x * 3.25) + (Math.Sqrt(Math.Abs(x)) / 7);
            static float Clobber32(float x) => (x * x) - 0.125f;
            var l3 = a * 1.5;
            var l4 = c + 2f;
            var expected = ((((a * 3) * ((b + 5) - Clobber(a))) + (double)Clobber32(l4)) - l3) / (double)l4;
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(F64Result(instance, "f", a, b, c)));
        }
    }

    /// <summary>
    /// add and mul with a cached local on the left and a temporary on the right compute in the temporary's register:
    /// the local keeps its value for the reads after, in both widths, and a NaN operand still gives a NaN.
    /// </summary>
    [Fact]
    public void CommutativeOperationsIntoTheRightOperandLeaveTheCachedLocalAlone()
    {
        using var instance = Wat.Instantiate("""
            (module
              (func (export "f64") (param f64 f64) (result f64)
                (f64.add (f64.mul (local.get 0) (f64.add (local.get 1) (f64.const 1)))
                         (f64.add (local.get 0) (f64.sub (local.get 1) (f64.const 2))))
                (local.get 0)
                f64.sub)
              (func (export "f32") (param f32 f32) (result f32)
                (f32.add (f32.mul (local.get 0) (f32.add (local.get 1) (f32.const 1)))
                         (f32.add (local.get 0) (f32.sub (local.get 1) (f32.const 2))))
                (local.get 0)
                f32.sub))
            """);
        foreach (var (a, b) in new[] { (1.5, 2.0), (-7.25, 0.5), (1e300, 1e10), (3.0, double.NaN), (double.NaN, 3.0) })
        {
            var expected = ((a * (b + 1)) + (a + (b - 2))) - a;
            var actual = F64Result(instance, "f64", a, b);
            if (double.IsNaN(expected)) Assert.True(double.IsNaN(actual), $"f64 {a} {b}");
            else Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(actual));

            float fa = (float)a, fb = (float)b;
            var expected32 = ((fa * (fb + 1)) + (fa + (fb - 2))) - fa;
            var actual32 = (float)instance.Invoke("f32", fa, fb)!;
            if (float.IsNaN(expected32)) Assert.True(float.IsNaN(actual32), $"f32 {fa} {fb}");
            else Assert.Equal(BitConverter.SingleToInt32Bits(expected32), BitConverter.SingleToInt32Bits(actual32));
        }
    }

    /// <summary>30 f64 values and 30 i32 values live at once: more than either register class holds, so both spill and reload.</summary>
    [Fact]
    public void MoreLiveFloatValuesThanFloatRegisters()
    {
        const int Count = 30;
        var body = new StringBuilder();
        for (var i = 0; i < Count; i++)
        {
            body.Append($"(f64.mul (local.get 0) (f64.const {i + 1}.5))\n");
            body.Append($"(i32.add (local.get 1) (i32.const {i * 7}))\n");
        }

        // From the top: t = a29 + b29, then t = (a_i + b_i) - t * 0.5 for i = 28 .. 0.
        body.Append("f64.convert_i32_s f64.add local.set 2\n");
        for (var i = Count - 2; i >= 0; i--) body.Append("f64.convert_i32_s f64.add (f64.mul (local.get 2) (f64.const 0.5)) f64.sub local.set 2\n");
        body.Append("local.get 2");
        using var instance = Wat.Functions("", ("f", "(param f64 i32) (result f64) (local f64)", body.ToString()));
        foreach (var (x, n) in new[] { (1.0, 3), (-2.75, -100), (1e-3, 123456) })
        {
            var a = Enumerable.Range(0, Count).Select(i => x * (i + 1.5)).ToArray();
            var b = Enumerable.Range(0, Count).Select(i => (double)(n + (i * 7))).ToArray();
            var t = a[Count - 1] + b[Count - 1];
            for (var i = Count - 2; i >= 0; i--) t = (a[i] + b[i]) - (t * 0.5);
            Assert.Equal(BitConverter.DoubleToInt64Bits(t), BitConverter.DoubleToInt64Bits(F64Result(instance, "f", x, n)));
        }
    }

    [Fact]
    public void MoreLiveF32ValuesThanFloatRegistersKeepTheirOrder()
    {
        const int Count = 24;
        var body = new StringBuilder();
        for (var i = 0; i < Count; i++) body.Append($"(f32.add (local.get 0) (f32.const {i}))\n");
        for (var i = 0; i < Count - 1; i++) body.Append("f32.sub\n");
        using var instance = Wat.Functions("", ("f", "(param f32) (result f32)", body.ToString()));
        foreach (var x in new[] { 0.5f, -3f, 1e20f })
        {
            var v = Enumerable.Range(0, Count).Select(i => x + i).ToArray();
            var acc = v[Count - 1];
            for (var i = Count - 2; i >= 0; i--) acc = v[i] - acc;
            Assert.Equal(BitConverter.SingleToInt32Bits(acc), BitConverter.SingleToInt32Bits((float)instance.Invoke("f", x)!));
        }
    }

    [Fact]
    public void FloatValuesMergeAtBlocksIfsLoopsAndBrTables()
    {
        using var instance = Wat.Instantiate("""
            (module
              (func (export "brtable") (param i32 f64) (result f64)
                (block (result f64)
                  (block (result f64)
                    (f64.mul (local.get 1) (f64.const 2))
                    (local.get 0)
                    (br_table 0 1 2 0))
                  (f64.const 100)
                  f64.add)
                (f64.const 1000)
                f64.add)
              (func (export "brif") (param i32 f32) (result f32)
                (block (result f32)
                  (f32.neg (local.get 1))
                  (br_if 0 (i32.eqz (local.get 0)))
                  drop
                  (f32.mul (local.get 1) (f32.const 3)))
                (f32.const 0.5)
                f32.add)
              (func (export "ifelse") (param i32 f64 f64) (result f64)
                (if (result f64) (local.get 0)
                  (then (f64.sub (local.get 1) (local.get 2)))
                  (else (f64.div (local.get 1) (local.get 2)))))
              (func (export "ifparams") (param i32 f32 f32) (result f32)
                (local.get 1)
                (local.get 2)
                (if (param f32 f32) (result f32) (local.get 0)
                  (then f32.sub)
                  (else f32.div)))
              (func (export "loopparam") (param i32 f64) (result f64)
                (local.get 1)
                (loop $l (param f64) (result f64)
                  (f64.const 1.5)
                  f64.mul
                  (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))
                  (br_if $l)))
              (func (export "multi") (param f64 f32) (result f32 f64)
                (block (result f32 f64)
                  (local.get 1)
                  (f64.add (local.get 0) (f64.const 1))
                  (br_if 0 (f64.gt (local.get 0) (f64.const 0)))
                  drop
                  drop
                  (f32.const -1)
                  (f64.const -2))))
            """);
        const double X = 1.75;
        Assert.Equal(((X * 2) + 100) + 1000, F64Result(instance, "brtable", 0, X));
        Assert.Equal((X * 2) + 1000, F64Result(instance, "brtable", 1, X));
        Assert.Equal(X * 2, F64Result(instance, "brtable", 2, X));
        Assert.Equal(((X * 2) + 100) + 1000, F64Result(instance, "brtable", 7, X));
        Assert.Equal(-2.5f + 0.5f, (float)instance.Invoke("brif", 0, 2.5f)!);
        Assert.Equal((2.5f * 3) + 0.5f, (float)instance.Invoke("brif", 1, 2.5f)!);
        Assert.Equal(3.0 - 0.5, F64Result(instance, "ifelse", 1, 3.0, 0.5));
        Assert.Equal(3.0 / 0.5, F64Result(instance, "ifelse", 0, 3.0, 0.5));
        Assert.Equal(3f - 0.25f, (float)instance.Invoke("ifparams", 1, 3f, 0.25f)!);
        Assert.Equal(3f / 0.25f, (float)instance.Invoke("ifparams", 0, 3f, 0.25f)!);
        Assert.Equal(X * 1.5 * 1.5 * 1.5 * 1.5, F64Result(instance, "loopparam", 4, X));
        Assert.Equal(new object[] { 0.25f, 3.0 }, (object[])instance.Invoke("multi", 2.0, 0.25f)!);
        Assert.Equal(new object[] { -1f, -2.0 }, (object[])instance.Invoke("multi", -2.0, 0.25f)!);
        Assert.Equal(new object[] { -1f, -2.0 }, (object[])instance.Invoke("multi", double.NaN, 0.25f)!);
    }

    /// <summary>select and merges only move floats: signalling NaN payloads arrive unchanged.</summary>
    [Fact]
    public void SelectAndMergesKeepNaNPayloads()
    {
        using var instance = Wat.Instantiate("""
            (module
              (func (export "sel64") (param i64 i64 i32) (result i64)
                (i64.reinterpret_f64
                  (select (f64.reinterpret_i64 (local.get 0)) (f64.reinterpret_i64 (local.get 1)) (local.get 2))))
              (func (export "sel32") (param i32 i32 i32) (result i32)
                (i32.reinterpret_f32
                  (select (result f32) (f32.reinterpret_i32 (local.get 0)) (f32.reinterpret_i32 (local.get 1)) (local.get 2))))
              (func (export "block64") (param i64 i32) (result i64)
                (i64.reinterpret_f64
                  (block (result f64)
                    (f64.reinterpret_i64 (local.get 0))
                    (br_if 0 (local.get 1))
                    (f64.neg))))
              (func (export "const32") (result i32)
                (i32.reinterpret_f32 (f32.abs (f32.const -nan:0x200001)))))
            """);
        const long Snan = 0x7FF4000000000001, Payload = unchecked((long)0xFFF8123456789ABC);
        Assert.Equal(Snan, (long)instance.Invoke("sel64", Snan, Payload, 1)!);
        Assert.Equal(Payload, (long)instance.Invoke("sel64", Snan, Payload, 0)!);
        Assert.Equal(0x7FA00001, (int)instance.Invoke("sel32", 0x7FA00001, unchecked((int)0xFFC12345), 5)!);
        Assert.Equal(unchecked((int)0xFFC12345), (int)instance.Invoke("sel32", 0x7FA00001, unchecked((int)0xFFC12345), 0)!);
        Assert.Equal(Snan, (long)instance.Invoke("block64", Snan, 1)!);
        Assert.Equal(Snan | long.MinValue, (long)instance.Invoke("block64", Snan, 0)!);
        Assert.Equal(0x7FA00001, (int)instance.Invoke("const32")!);
    }

    /// <summary>Ten f64 locals updated in a loop (more than a loop header keeps in registers), a nested loop reading two of them, and an f32 global.</summary>
    [Fact]
    public void FloatLocalsCachedAcrossLoopsKeepTheirValues()
    {
        const int Locals = 10;
        var body = new StringBuilder();
        for (var k = 0; k < Locals; k++) body.Append($"(local.set {k + 2} (f64.add (local.get 1) (f64.const {k})))\n");
        body.Append("(loop $outer\n");
        for (var k = 0; k < Locals; k++)
        {
            body.Append($"  (local.set {k + 2} (f64.add (f64.mul (local.get {k + 2}) (f64.const 0.5)) (local.get {((k + 1) % Locals) + 2})))\n");
        }

        // Inner loop: three rounds of g = g * 0.75 + (f32) (l0 - l1).
        body.Append("""
              (local.set 12 (i32.const 3))
              (loop $inner
                (global.set 0 (f32.add (f32.mul (global.get 0) (f32.const 0.75)) (f32.demote_f64 (f64.sub (local.get 2) (local.get 3)))))
                (br_if $inner (local.tee 12 (i32.sub (local.get 12) (i32.const 1)))))
              (br_if $outer (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
            """);
        var sum = new StringBuilder("(f64.promote_f32 (global.get 0))\n");
        for (var k = 0; k < Locals; k++) sum.Append($"(local.get {k + 2}) {(k % 2 == 0 ? "f64.add" : "f64.sub")}\n");
        foreach (var (n, x) in new[] { (1, 0.5), (7, -3.0), (40, 1e10) })
        {
            using var instance = Wat.Functions(
                "(global (mut f32) (f32.const 1))",
                ("f", $"(param i32 f64) (result f64) (local {string.Join(' ', Enumerable.Repeat("f64", Locals))} i32)", body + sum.ToString()));
            var l = Enumerable.Range(0, Locals).Select(k => x + k).ToArray();
            var g = 1f;
            for (var i = 0; i < n; i++)
            {
                for (var k = 0; k < Locals; k++) l[k] = (l[k] * 0.5) + l[(k + 1) % Locals];
                for (var j = 0; j < 3; j++) g = (g * 0.75f) + (float)(l[0] - l[1]);
            }

            double expected = g;
            for (var k = 0; k < Locals; k++) expected = k % 2 == 0 ? expected + l[k] : expected - l[k];
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(F64Result(instance, "f", n, x)));
            Assert.Equal(BitConverter.SingleToUInt32Bits(g), (uint)instance.GetGlobal(0));
        }
    }

    /// <summary>Float compares fused with br_if and if (directly or through i32.eqz) branch the right way for NaN operands.</summary>
    [Theory]
    [InlineData("f64.lt")]
    [InlineData("f64.le")]
    [InlineData("f64.gt")]
    [InlineData("f64.ge")]
    [InlineData("f64.eq")]
    [InlineData("f64.ne")]
    public void FusedFloatCompareBranchesHandleNaN(string op)
    {
        using var instance = Wat.Functions("",
            ("brif", "(param f64 f64) (result i32)", $"(block (br_if 0 ({op} (local.get 0) (local.get 1))) (return (i32.const 0))) (i32.const 1)"),
            ("if", "(param f64 f64) (result i32)", $"(if (result i32) ({op} (local.get 0) (local.get 1)) (then (i32.const 1)) (else (i32.const 0)))"),
            ("brifnot", "(param f64 f64) (result i32)", $"(block (br_if 0 (i32.eqz ({op} (local.get 0) (local.get 1)))) (return (i32.const 1))) (i32.const 0)"),
            ("ifnot", "(param f64 f64) (result i32)", $"(if (result i32) (i32.eqz ({op} (local.get 0) (local.get 1))) (then (i32.const 0)) (else (i32.const 1)))"));
        var values = new[] { 1.0, 2.0, double.NaN, -0.0, 0.0 };
        foreach (var a in values)
        {
            foreach (var b in values)
            {
                var expected = op switch
                {
                    "f64.lt" => a < b,
                    "f64.le" => a <= b,
                    "f64.gt" => a > b,
                    "f64.ge" => a >= b,
                    "f64.eq" => a == b,
                    _ => a != b,
                } ? 1 : 0;
                Assert.True(expected == (int)instance.Invoke("brif", a, b)!, $"br_if {op} {a} {b}");
                Assert.True(expected == (int)instance.Invoke("if", a, b)!, $"if {op} {a} {b}");
                Assert.True(expected == (int)instance.Invoke("brifnot", a, b)!, $"br_if eqz {op} {a} {b}");
                Assert.True(expected == (int)instance.Invoke("ifnot", a, b)!, $"if eqz {op} {a} {b}");
            }
        }
    }

    /// <summary>
    /// Locals stay cached across a block's or if's end only where every path into it has the same register holding
    /// them: paths that set a local (in another register or in the same one), br_if and br_table exits, an if without
    /// else, all inside a loop whose back edge restores its header's registers.
    /// </summary>
    [Fact]
    public void LocalsCachedAcrossBlockEndsMatchEveryPath()
    {
        using var instance = Wat.Instantiate("""
            (module
              (func (export "f") (param $n i32) (param $x f64) (result f64)
                (local $a f64) (local $b f64) (local $i i32) (local $k i32)
                (local.set $a (local.get $x))
                (local.set $b (f64.const 1))
                (loop $top
                  (block $out
                    (br_if $out (f64.gt (local.get $a) (f64.const 100)))
                    (local.set $a (f64.mul (local.get $a) (f64.const 1.5)))
                    (local.set $k (i32.and (local.get $i) (i32.const 3))))
                  (if (i32.and (local.get $i) (i32.const 1))
                    (then (local.set $b (f64.add (local.get $b) (local.get $a))))
                    (else (local.set $a (f64.sub (local.get $a) (local.get $b)))))
                  (if (i32.eq (local.get $k) (i32.const 2))
                    (then (local.set $b (f64.mul (local.get $b) (f64.const 0.5)))))
                  (block $b2
                    (block $b1
                      (block $b0
                        (br_table $b0 $b1 $b2 (local.get $k)))
                      (local.set $a (f64.add (local.get $a) (f64.const 3)))
                      (br $b2))
                    (local.set $b (f64.sub (local.get $b) (f64.const 2))))
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (br_if $top (i32.lt_s (local.get $i) (local.get $n))))
                (f64.add (f64.mul (local.get $a) (f64.const 1000)) (local.get $b))))
            """);
        foreach (var (n, x) in new[] { (1, 1.0), (5, 2.0), (17, -3.5), (40, 90.0) })
        {
            double a = x, b = 1;
            int i = 0, k = 0;
            do
            {
                if (!(a > 100))
                {
                    a *= 1.5;
                    k = i & 3;
                }

                if ((i & 1) != 0) b += a;
                else a -= b;
                if (k == 2) b *= 0.5;
                if (k == 0) a += 3;
                else if (k == 1) b -= 2;
                i++;
            }
            while (i < n);
            Assert.Equal(BitConverter.DoubleToInt64Bits((a * 1000) + b), BitConverter.DoubleToInt64Bits(F64Result(instance, "f", n, x)));
        }
    }
}
