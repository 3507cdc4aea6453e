using WasmToolkit.Instructions;
using Xunit;

namespace WasmToolkit.Tests.Instructions;

/// <summary><see cref="InstructionReader.PeekByte"/>: the bytes from the next instruction on, without moving the reader.</summary>
public class InstructionReaderPeekTests
{
    // i32.const 300 (two LEB128 bytes), i32.eqz, br_if 0, end
    private static readonly byte[] s_body = [0x41, 0xAC, 0x02, 0x45, 0x0D, 0x00, 0x0B];

    [Fact]
    public void PeekSeesTheBytesAfterTheCurrentInstruction()
    {
        var reader = new InstructionReader(s_body, baseOffset: 100);
        Assert.Equal(0x41, reader.PeekByte());
        Assert.True(reader.Read());
        Assert.Equal(Opcode.I32Const, reader.Opcode);

        // After i32.const and its two immediate bytes: i32.eqz, then br_if.
        Assert.Equal((int)Opcode.I32Eqz, reader.PeekByte());
        Assert.Equal((int)Opcode.BrIf, reader.PeekByte(1));
        Assert.Equal(0x00, reader.PeekByte(2));
        Assert.Equal(103, reader.Offset);
    }

    [Fact]
    public void PeekDoesNotMoveTheReader()
    {
        var reader = new InstructionReader(s_body);
        Assert.True(reader.Read());
        reader.PeekByte(1);
        Assert.True(reader.Read());
        Assert.Equal(Opcode.I32Eqz, reader.Opcode);
        Assert.True(reader.Read());
        Assert.Equal(Opcode.BrIf, reader.Opcode);
        Assert.Equal(0u, reader.Index);
    }

    [Fact]
    public void PeekPastTheEndIsMinusOne()
    {
        var reader = new InstructionReader(s_body);
        while (reader.Read())
        {
        }

        Assert.True(reader.IsAtEnd);
        Assert.Equal(-1, reader.PeekByte());
        Assert.Equal(-1, new InstructionReader(s_body).PeekByte(s_body.Length));
        Assert.Equal(0x0B, new InstructionReader(s_body).PeekByte(s_body.Length - 1));
    }
}
