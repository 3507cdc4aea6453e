using System;
using System.Collections.Generic;
using System.Linq;
using WasmToolkit.Instructions;
using WasmToolkit.Text;
using WasmToolkit.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace WasmToolkit.Tests.Printing;

/// <summary>
/// Float literals must parse back to the exact bits (spec 6.3.2): known spellings, and many bit patterns
/// (random, subnormal, NaN payloads, boundaries) assembled by wat2wasm as the reference parser.
/// </summary>
public class FloatPrintingTests
{
    private readonly ITestOutputHelper _output;

    public FloatPrintingTests(ITestOutputHelper output) => _output = output;

    [Theory]
    [InlineData(0x00000000u, "0x0p+0")]
    [InlineData(0x80000000u, "-0x0p+0")]
    [InlineData(0x3F800000u, "0x1p+0")]
    [InlineData(0x41400000u, "0x1.8p+3")]
    [InlineData(0xBF000000u, "-0x1p-1")]
    [InlineData(0x3DCCCCCDu, "0x1.99999ap-4")]
    [InlineData(0x7F800000u, "inf")]
    [InlineData(0xFF800000u, "-inf")]
    [InlineData(0x7FC00000u, "nan")]
    [InlineData(0xFFC00000u, "-nan")]
    [InlineData(0x7F800001u, "nan:0x1")]
    [InlineData(0x7FA00000u, "nan:0x200000")]
    [InlineData(0xFFFFFFFFu, "-nan:0x7fffff")]
    [InlineData(0x00000001u, "0x1p-149")]
    [InlineData(0x007FFFFFu, "0x1.fffffcp-127")]
    [InlineData(0x00800000u, "0x1p-126")]
    [InlineData(0x7F7FFFFFu, "0x1.fffffep+127")]
    public void F32Spellings(uint bits, string expected) => Assert.Equal(expected, FloatTextFormatter.FormatF32(bits));

    [Theory]
    [InlineData(0x0000000000000000ul, "0x0p+0")]
    [InlineData(0x8000000000000000ul, "-0x0p+0")]
    [InlineData(0x3FF0000000000000ul, "0x1p+0")]
    [InlineData(0x3FB999999999999Aul, "0x1.999999999999ap-4")]
    [InlineData(0x7FF0000000000000ul, "inf")]
    [InlineData(0xFFF0000000000000ul, "-inf")]
    [InlineData(0x7FF8000000000000ul, "nan")]
    [InlineData(0xFFF8000000000000ul, "-nan")]
    [InlineData(0x7FF0000000000001ul, "nan:0x1")]
    [InlineData(0x7FF4000000000000ul, "nan:0x4000000000000")]
    [InlineData(0x0000000000000001ul, "0x1p-1074")]
    [InlineData(0x000FFFFFFFFFFFFFul, "0x1.ffffffffffffep-1023")]
    [InlineData(0x0010000000000000ul, "0x1p-1022")]
    [InlineData(0x7FEFFFFFFFFFFFFFul, "0x1.fffffffffffffp+1023")]
    public void F64Spellings(ulong bits, string expected) => Assert.Equal(expected, FloatTextFormatter.FormatF64(bits));

    [SkippableFact]
    public void RandomBitPatternsRoundTripThroughWat2Wasm()
    {
        WabtTools.RequireWat2Wasm();
        var random = new Random(20240521);
        var f32 = Interesting32().Concat(Enumerable.Range(0, 20000).Select(_ => Random32(random))).ToArray();
        var f64 = Interesting64().Concat(Enumerable.Range(0, 20000).Select(_ => Random64(random))).ToArray();
        var body = new List<Instruction>();
        foreach (var bits in f32)
        {
            body.Add(new Instruction(Opcode.F32Const) { Value = bits });
            body.Add(new Instruction(Opcode.Drop));
        }

        foreach (var bits in f64)
        {
            body.Add(new Instruction(Opcode.F64Const) { Value = bits });
            body.Add(new Instruction(Opcode.Drop));
        }

        var module = PrinterTestModules.WithBody(body.ToArray());
        var back = PrinterTestModules.RoundTrip(module);
        var constants = back.Functions[1].Instructions.Where(i => i.Opcode is Opcode.F32Const or Opcode.F64Const).ToArray();
        Assert.Equal(f32.Length + f64.Length, constants.Length);
        for (var i = 0; i < f32.Length; i++)
        {
            if (constants[i].Value != f32[i]) Assert.Fail($"f32 0x{f32[i]:x8} printed {FloatTextFormatter.FormatF32(f32[i])} reads back as 0x{constants[i].Value:x8}");
        }

        for (var i = 0; i < f64.Length; i++)
        {
            var c = constants[f32.Length + i];
            if (c.Value != f64[i]) Assert.Fail($"f64 0x{f64[i]:x16} printed {FloatTextFormatter.FormatF64(f64[i])} reads back as 0x{c.Value:x16}");
        }

        _output.WriteLine($"{f32.Length} f32 and {f64.Length} f64 bit patterns round-tripped.");
    }

    // Uniform bits hit mostly normal numbers; a third of the samples force the exponent to its extremes
    // so subnormals, zeros, infinities and NaN payloads get their share.
    private static uint Random32(Random r)
    {
        var bits = (uint)r.Next() ^ ((uint)r.Next() << 16);
        return r.Next(3) switch
        {
            0 => bits & 0x807FFFFF,
            1 => bits | 0x7F800000,
            _ => bits,
        };
    }

    private static ulong Random64(Random r)
    {
        var bits = ((ulong)(uint)r.Next() << 40) ^ ((ulong)(uint)r.Next() << 20) ^ (uint)r.Next() ^ ((ulong)(uint)r.Next() << 62);
        return r.Next(3) switch
        {
            0 => bits & 0x800FFFFFFFFFFFFF,
            1 => bits | 0x7FF0000000000000,
            _ => bits,
        };
    }

    private static IEnumerable<uint> Interesting32()
    {
        foreach (var sign in new[] { 0u, 0x80000000u })
        {
            for (var shift = 0; shift < 23; shift++) yield return sign | (1u << shift);
            for (var shift = 0; shift < 23; shift++) yield return sign | 0x7F800000u | (1u << shift);
            foreach (var b in new uint[] { 0, 0x007FFFFF, 0x00800000, 0x7F7FFFFF, 0x7F800000, 0x7FFFFFFF, 0x3F800000, 0x3F800001, 0x3F7FFFFF }) yield return sign | b;
        }
    }

    private static IEnumerable<ulong> Interesting64()
    {
        foreach (var sign in new[] { 0ul, 0x8000000000000000ul })
        {
            for (var shift = 0; shift < 52; shift++) yield return sign | (1ul << shift);
            for (var shift = 0; shift < 52; shift++) yield return sign | 0x7FF0000000000000ul | (1ul << shift);
            foreach (var b in new ulong[] { 0, 0x000FFFFFFFFFFFFF, 0x0010000000000000, 0x7FEFFFFFFFFFFFFF, 0x7FF0000000000000, 0x7FFFFFFFFFFFFFFF, 0x3FF0000000000000, 0x3FF0000000000001, 0x3FEFFFFFFFFFFFFF })
            {
                yield return sign | b;
            }
        }
    }
}
