using System.Collections.Generic;
using System.Linq;
using System.Runtime.Intrinsics.X86;
using WasmToolkit.Compiler;
using Xunit;

namespace WasmToolkit.Runtime.Tests.EdgeCases;

/// <summary>
/// Scalar float add, sub, mul and div have two x64 encodings: two-operand SSE (lhs copied into the destination
/// first) and, with <see cref="X64Features.Avx"/>, three-operand VEX. Both must give the same bits for every operand
/// pair, NaN payloads included (lhs is the first source in both, which decides the propagated NaN), in every operand
/// shape the compiler produces (parameters, constants, a result written over either operand's register).
/// </summary>
public class FloatEncodingTests
{
    private static readonly ulong[] s_f64 =
    [
        0x0000000000000000, 0x8000000000000000, 0x3FF0000000000000, 0xC00921FB54442D18, 0x7FF0000000000000,
        0xFFF0000000000000, 0x0000000000000001, 0x7FEFFFFFFFFFFFFF, 0x7FF8000000000000, 0x7FF800000000ABCD,
        0xFFF4000000001234, 0x7FF0000000000001,
    ];

    private static readonly ulong[] s_f32 =
    [
        0x00000000, 0x80000000, 0x3F800000, 0xC0490FDB, 0x7F800000, 0xFF800000, 0x00000001, 0x7F7FFFFF, 0x7FC00000,
        0x7FC0ABCD, 0xFFA01234, 0x7F800001,
    ];

    [SkippableTheory]
    [InlineData("f64")]
    [InlineData("f32")]
    public void SseAndAvxGiveTheSameBits(string type)
    {
        Skip.IfNot(HostFeatures.Architecture == TargetArchitecture.X64 && Avx.IsSupported, "this processor has no AVX, so the VEX encoding cannot run here");
        var bits = type == "f64" ? "i64" : "i32";
        var ops = new[] { "add", "sub", "mul", "div" };

        // Per op: both operands as parameters, the result over lhs's register (a chain), and over rhs's.
        var functions = new List<(string Name, string Signature, string Body)>();
        foreach (var op in ops)
        {
            string P(int i) => $"({type}.reinterpret_{bits} (local.get {i}))";
            string Bits(string e) => $"({bits}.reinterpret_{type} {e})";
            functions.Add((op, $"(param {bits} {bits}) (result {bits})", Bits($"({type}.{op} {P(0)} {P(1)})")));
            functions.Add((op + "_lhs", $"(param {bits} {bits}) (result {bits}) (local $a {type})",
                $"(local.set $a {P(0)}) (local.set $a ({type}.{op} (local.get $a) {P(1)})) {Bits("(local.get $a)")}"));
            functions.Add((op + "_rhs", $"(param {bits} {bits}) (result {bits}) (local $b {type})",
                $"(local.set $b {P(1)}) (local.set $b ({type}.{op} {P(0)} (local.get $b))) {Bits("(local.get $b)")}"));
        }

        var sse = new CompilerOptions { X64Features = HostFeatures.X64 & ~X64Features.Avx };
        var avx = new CompilerOptions { X64Features = HostFeatures.X64 | X64Features.Avx };
        using var withSse = Wat.Functions("", sse, functions.ToArray());
        using var withAvx = Wat.Functions("", avx, functions.ToArray());
        var values = type == "f64" ? s_f64 : s_f32;
        var checkedPairs = 0;
        foreach (var (name, _, _) in functions)
        {
            foreach (var a in values)
            {
                foreach (var b in values)
                {
                    var expected = Wat.Bits(withSse.Invoke(name, Wat.Arg(bits, a), Wat.Arg(bits, b)));
                    var actual = Wat.Bits(withAvx.Invoke(name, Wat.Arg(bits, a), Wat.Arg(bits, b)));
                    Assert.True(expected == actual, $"{type}.{name} {Wat.Hex(a)} {Wat.Hex(b)}: SSE {Wat.Hex(expected)}, AVX {Wat.Hex(actual)}");
                    checkedPairs++;
                }
            }
        }

        Assert.Equal(functions.Count * values.Length * values.Length, checkedPairs);
        Assert.Contains(functions, f => f.Name == "div_rhs");
        Assert.True(values.Count(v => type == "f64" ? (v & 0x7FF0000000000000) == 0x7FF0000000000000 && (v & 0xFFFFFFFFFFFFF) != 0 : (v & 0x7F800000) == 0x7F800000 && (v & 0x7FFFFF) != 0) >= 3, "NaN payloads are among the operands");
    }
}
