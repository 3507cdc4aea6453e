using System.Linq;
using Xunit;

namespace WasmToolkit.Runtime.Tests.EdgeCases;

/// <summary>
/// select of every type with register, big-constant (not imm32) and same-local operands, conditions that are
/// constants, nonzero values other than 1, or the wrap of an i64 whose high half is set; locals (zero-initialised
/// in every type, a pending <c>local.get</c> on the value stack when the same local is overwritten, more locals
/// than registers); globals of every type with exact bit patterns and constants beyond imm32.
/// Expected values written out by hand.
/// </summary>
public class SelectLocalsGlobalsEdgeTests
{
    /// <summary>select in the shapes: both operands parameters, first a big constant, second a big constant, both constants.</summary>
    [Theory]
    [InlineData("i32", 0x80000000UL, 0x7FFFFFFFUL)]
    [InlineData("i64", 0x100000000UL, 0x80000000UL)]
    [InlineData("i64", 0xFFFFFFFF80000000UL, 0x8000000000000000UL)]
    [InlineData("f32", 0x7FA00001UL, 0x80000000UL)]
    [InlineData("f64", 0x7FF4000000000001UL, 0x8000000000000000UL)]
    public void SelectOperandShapes(string type, ulong a, ulong b)
    {
        var bt = Wat.BitsType(type == "i32" || type == "i64" ? (type == "i32" ? "f32" : "f64") : type);
        string P(int i) => type is "f32" or "f64" ? $"({type}.reinterpret_{bt} (local.get {i}))" : $"(local.get {i})";
        string C(ulong v) => type switch { "f32" => $"(f32.const {Wat.F32((uint)v)})", "f64" => $"(f64.const {Wat.F64(v)})", _ => $"({type}.const {Wat.Hex(v)})" };
        string R(string e) => type is "f32" or "f64" ? $"({bt}.reinterpret_{type} {e})" : e;
        var sig3 = $"(param {bt} {bt} i32) (result {bt})";
        using var instance = Wat.Functions("",
            ("rr", sig3, R($"(select {P(0)} {P(1)} (local.get 2))")),
            ("cr", sig3, R($"(select {C(a)} {P(1)} (local.get 2))")),
            ("rc", sig3, R($"(select {P(0)} {C(b)} (local.get 2))")),
            ("cc", sig3, R($"(select {C(a)} {C(b)} (local.get 2))")),
            ("typed", sig3, R($"(select (result {type}) {P(0)} {P(1)} (local.get 2))")),
            ("same", sig3, R($"(select {P(0)} {P(0)} (local.get 2))")),
            ("wrapcond", $"(param {bt} {bt} i64) (result {bt})", R($"(select {P(0)} {P(1)} (i32.wrap_i64 (local.get 2)))")));
        foreach (var (cond, pickA) in new[] { (1, true), (0, false), (-1, true), (int.MinValue, true), (0x100, true) })
        {
            foreach (var shape in new[] { "rr", "cr", "rc", "cc", "typed" })
            {
                var actual = Wat.Bits(instance.Invoke(shape, Wat.Arg(bt, a), Wat.Arg(bt, b), cond));
                Assert.True((pickA ? a : b) == actual, $"{shape} select {Wat.Hex(a)} {Wat.Hex(b)} {cond}: got {Wat.Hex(actual)}");
            }

            Assert.Equal(Wat.Hex(a), Wat.Hex(Wat.Bits(instance.Invoke("same", Wat.Arg(bt, a), Wat.Arg(bt, b), cond))));
        }

        // The condition is the i32 wrap: a nonzero high half with a zero low half is false.
        Assert.Equal(Wat.Hex(b), Wat.Hex(Wat.Bits(instance.Invoke("wrapcond", Wat.Arg(bt, a), Wat.Arg(bt, b), 0x100000000L))));
        Assert.Equal(Wat.Hex(a), Wat.Hex(Wat.Bits(instance.Invoke("wrapcond", Wat.Arg(bt, a), Wat.Arg(bt, b), unchecked((long)0xFFFFFFFF00000001)))));
    }

    [Theory]
    [InlineData("(select (i32.const 10) (i32.const 20) (i32.const 0))", 20)]
    [InlineData("(select (i32.const 10) (i32.const 20) (i32.const 0x80000000))", 10)]
    [InlineData("(select (local.get 0) (i32.const 20) (i32.const 2))", 77)]
    [InlineData("(select (i32.const 10) (local.get 0) (i32.const 0))", 77)]
    [InlineData("(select (i32.const 10) (i32.const 20) (i32.eqz (local.get 0)))", 20)]
    [InlineData("(select (i32.const 10) (i32.const 20) (i32.and (local.get 0) (i32.const 0x100)))", 20)]
    [InlineData("(select (i32.const 10) (i32.const 20) (i32.and (local.get 0) (i32.const 0x40)))", 10)]
    [InlineData("(select (i32.const 10) (i32.const 20) (i32.wrap_i64 (i64.shl (i64.extend_i32_u (local.get 0)) (i64.const 32))))", 20)]
    public void SelectConditions(string body, int expected)
    {
        using var instance = Wat.Functions("", ("f", "(param i32) (result i32)", body));
        Assert.Equal(expected, (int)instance.Invoke("f", 77)!); // 77 = 0x4D: bit 6 set, bit 8 clear
    }

    /// <summary>Locals of every type start at zero (+0.0 for floats), however many there are.</summary>
    [Fact]
    public void LocalsStartAtZero()
    {
        const int N = 24;
        var types = new[] { "i32", "i64", "f32", "f64" };
        string Bits(string t, int i) => t switch
        {
            "f32" => $"(i64.extend_i32_u (i32.reinterpret_f32 (local.get {i})))",
            "f64" => $"(i64.reinterpret_f64 (local.get {i}))",
            "i32" => $"(i64.extend_i32_u (local.get {i}))",
            _ => $"(local.get {i})",
        };
        var locals = string.Join(" ", Enumerable.Range(0, N * 4).Select(i => types[i % 4]));
        var sum = string.Concat(Enumerable.Range(0, N * 4).Select(i => $"(i64.or {Bits(types[i % 4], i + 1)} ")) + "(local.get 0)" + new string(')', N * 4);
        // Write nonzero values first in another call so stale stack contents would show up.
        var dirty = string.Join(" ", Enumerable.Range(0, 200).Select(i => $"(local.set {i} (i64.const -1))"));
        using var instance = Wat.Functions("",
            ("dirty", "(local " + string.Join(" ", Enumerable.Repeat("i64", 200)) + ")", dirty),
            ("f", $"(param i64) (result i64) (local {locals})", sum));
        instance.Invoke("dirty");
        Assert.Equal(0L, (long)instance.Invoke("f", 0L)!);
        Assert.Equal(0x40L, (long)instance.Invoke("f", 0x40L)!);
    }

    /// <summary>
    /// A <c>local.get</c> whose value is still pending on the value stack when the same local is overwritten must
    /// keep the old value (the baseline compiler may keep it as a lazy reference to the local's slot).
    /// </summary>
    [Theory]
    [InlineData("i32", "(i32.sub (local.get 0) (local.tee 0 (i32.const 5)))", 100L, 95L)]
    [InlineData("i64", "(i64.sub (local.get 0) (local.tee 0 (i64.const 0x100000000)))", 0x300000000L, 0x200000000L)]
    [InlineData("i64", "(i64.sub (local.get 0) (block (result i64) (local.set 0 (i64.const 7)) (local.get 0)))", 10L, 3L)]
    [InlineData("i64", "(block (result i64) (local.get 0) (local.set 0 (i64.const 9)) (br 0))", 0x123456789L, 0x123456789L)]
    [InlineData("i64", "(i64.add (local.get 0) (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 0)) (else (local.set 0 (i64.const 1)) (local.get 0))))", 41L, 42L)]
    [InlineData("i64", "(local.get 0) (local.set 0 (i64.mul (local.get 0) (i64.const 3))) (local.get 0) (i64.sub)", 5L, -10L)]
    [InlineData("f64", "(i64.reinterpret_f64 (f64.sub (f64.reinterpret_i64 (local.get 0)) (block (result f64) (local.set 0 (i64.const 0)) (f64.const 1))))", 0x4008000000000000L, 0x4000000000000000L)]
    public void PendingLocalGetSurvivesLaterSet(string type, string body, long argument, long expected)
    {
        var t = type == "i32" ? "i32" : "i64";
        using var instance = Wat.Functions("", ("f", $"(param {t}) (result {t})", body));
        var actual = type == "i32" ? (long)(int)instance.Invoke("f", (int)argument)! : (long)instance.Invoke("f", argument)!;
        Assert.Equal(Wat.Hex((ulong)expected), Wat.Hex((ulong)actual));
    }

    /// <summary>Globals of every type hold exact bit patterns: initialisers, sets of constants beyond imm32, sets from registers.</summary>
    [Fact]
    public void GlobalsKeepExactBits()
    {
        using var instance = Wat.Functions(
            "(global $a (mut i64) (i64.const 0x100000000)) (global $b (mut i32) (i32.const 0x80000000)) " +
            "(global $c (mut f32) (f32.const nan:0x200001)) (global $d f64 (f64.const -0)) (global $e (mut f64) (f64.const -nan:0x4000000000001))",
            ("a", "(result i64)", "(global.get $a)"),
            ("b", "(result i64)", "(i64.extend_i32_u (global.get $b))"),
            ("c", "(result i32)", "(i32.reinterpret_f32 (global.get $c))"),
            ("d", "(result i64)", "(i64.reinterpret_f64 (global.get $d))"),
            ("e", "(result i64)", "(i64.reinterpret_f64 (global.get $e))"),
            ("set_consts", "", "(global.set $a (i64.const 0xFFFFFFFF80000000)) (global.set $b (i32.const 0xFFFFFFFF)) (global.set $c (f32.const -nan:0x1)) (global.set $e (f64.const 0x1p-1074))"),
            ("set_big", "", "(global.set $a (i64.const 0x8000000080000000))"),
            ("bump", "(param i64) (result i64)", "(global.set $a (i64.add (global.get $a) (local.get 0))) (i64.sub (global.get $a) (local.get 0))"));
        Assert.Equal(0x100000000L, (long)instance.Invoke("a")!);
        Assert.Equal(0x80000000L, (long)instance.Invoke("b")!);
        Assert.Equal(0x7FA00001, (int)instance.Invoke("c")!);
        Assert.Equal(unchecked((long)0x8000000000000000), (long)instance.Invoke("d")!);
        Assert.Equal(unchecked((long)0xFFF4000000000001), (long)instance.Invoke("e")!);
        instance.Invoke("set_consts");
        Assert.Equal(unchecked((long)0xFFFFFFFF80000000), (long)instance.Invoke("a")!);
        Assert.Equal(0xFFFFFFFFL, (long)instance.Invoke("b")!);
        Assert.Equal(unchecked((int)0xFF800001), (int)instance.Invoke("c")!);
        Assert.Equal(1L, (long)instance.Invoke("e")!);
        instance.Invoke("set_big");
        Assert.Equal(unchecked((long)0x8000000080000000), (long)instance.Invoke("a")!);
        Assert.Equal(unchecked((long)0x8000000080000000), (long)instance.Invoke("bump", 0x100000000L)!);
        Assert.Equal(unchecked((long)0x8000000180000000), instance.GetGlobal(0));
    }

    /// <summary>
    /// Many i64 locals beyond imm32 live at once, read back after a call (locals in registers would be clobbered)
    /// and combined in order.
    /// </summary>
    [Fact]
    public void ManyLocalsSurviveACall()
    {
        const int N = 40;
        var sets = string.Concat(Enumerable.Range(0, N).Select(i => $"(local.set {i + 1} (i64.add (local.get 0) (i64.const {0x100000000L * (i + 1)})))"));
        var fold = string.Concat(Enumerable.Range(0, N).Select(i => $"(i64.sub (local.get {i + 1}) ")) + "(call $g (local.get 0))" + new string(')', N);
        using var instance = Wat.Instantiate($@"(module
  (func $g (param i64) (result i64) (local i64 i64 i64) (local.set 1 (i64.const -1)) (local.set 2 (i64.const -2)) (local.set 3 (i64.mul (local.get 0) (i64.const 2))) (i64.add (local.get 3) (i64.add (local.get 1) (local.get 2))))
  (func (export ""f"") (param i64) (result i64) (local {string.Join(" ", Enumerable.Repeat("i64", N))}) {sets} {fold}))");
        const long x = 5;
        long value = (2 * x) - 3;
        for (var i = N - 1; i >= 0; i--) value = unchecked((x + (0x100000000L * (i + 1))) - value);
        Assert.Equal(value, (long)instance.Invoke("f", x)!);
    }
}
