using System;
using WasmToolkit.Compiler.Arm64;
using Xunit;

namespace WasmToolkit.Compiler.Tests.Arm64;

/// <summary>The printer on arbitrary input: any word prints (never throws), unknown words as <c>.inst</c>, listings in objdump's layout.</summary>
public class Arm64DisassemblerTests
{
    [Fact]
    public void AnyWord_PrintsWithoutThrowing()
    {
        var random = new Random(64);
        for (var i = 0; i < 200_000; i++)
        {
            var word = (uint)random.NextInt64(0, 1L << 32);
            var text = Arm64Disassembler.Format(word, (ulong)i * 4);
            Assert.False(string.IsNullOrWhiteSpace(text));
        }
    }

    [Theory]
    [InlineData(0x4F00E400u)] // movi v0.16b, #0 (SIMD modified immediate): outside the supported set
    [InlineData(0x4C407000u)] // ld1 {v0.16b}, [x0] (SIMD structure load)
    [InlineData(0xF9800020u)] // prfm
    [InlineData(0x1EE01000u)] // fmov h0 immediate (ftype 11, half precision)
    public void UnsupportedWords_PrintAsInst(uint word)
        => Assert.Equal($".inst 0x{word:x8} ; undefined", Arm64Disassembler.Format(word));

    [Fact]
    public void Disassemble_ListsLikeObjdump()
    {
        var code = new byte[] { 0x00, 0x00, 0x01, 0x0B, 0xC0, 0x03, 0x5F, 0xD6, 0x01, 0x02 };
        Assert.Equal("   0:\t0b010000 \tadd w0, w0, w1\n   4:\td65f03c0 \tret\n   8:\t.byte 0x01 0x02\n", Arm64Disassembler.Disassemble(code));
    }
}
