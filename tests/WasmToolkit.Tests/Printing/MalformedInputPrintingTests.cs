using System;
using System.Collections.Immutable;
using WasmToolkit.Text;
using Xunit;

namespace WasmToolkit.Tests.Printing;

/// <summary>
/// Printing never throws on malformed bodies or expressions: what decodes is printed, then a
/// <c>;; malformed: …</c> comment, and the text still closes every parenthesis it opened.
/// </summary>
public class MalformedInputPrintingTests
{
    private static Module WithCode(byte[] code, ImmutableArray<LocalGroup> locals = default, uint type = 0)
    {
        var b = new ModuleBuilder();
        b.AddType(FuncType.Empty);
        b.Functions.Add(new FunctionDefinition(type, locals, code));
        return b.ToModule();
    }

    [Fact]
    public void IllegalOpcodeStopsWithComment()
    {
        var text = ModulePrinter.Print(WithCode(new byte[] { 0x01, 0x41, 0x05, 0xFF, 0x0B }));
        Assert.Contains("    nop\n    i32.const 5\n    ;; malformed: illegal opcode 0xff at offset 0x3\n  ))\n", text);
    }

    [Fact]
    public void MissingFinalEnd()
    {
        var text = ModulePrinter.Print(WithCode(new byte[] { 0x02, 0x40, 0x01 }));
        Assert.Contains("    block\n      nop\n    ;; malformed: unexpected end of code: 2 ends missing\n  ))", text);
    }

    [Fact]
    public void BytesAfterFinalEnd()
    {
        var text = ModulePrinter.Print(WithCode(new byte[] { 0x01, 0x0B, 0x01 }));
        Assert.Contains(";; malformed: bytes after the final end at offset 0x2", text);
    }

    [Fact]
    public void TruncatedImmediate()
    {
        var text = ModulePrinter.Print(WithCode(new byte[] { 0x41 }));
        Assert.Contains(";; malformed: ", text);
        Assert.EndsWith("))\n", text);
    }

    [Fact]
    public void EmptyBody()
    {
        var text = ModulePrinter.Print(WithCode(Array.Empty<byte>()));
        Assert.Contains(";; malformed: unexpected end of code: 1 end missing", text);
    }

    [Fact]
    public void TypeIndexOutOfRangePrintsTheIndex()
    {
        var text = ModulePrinter.Print(WithCode(new byte[] { 0x0B }, type: 9));
        Assert.Contains("(func (;0;) (type 9))", text);
    }

    [Fact]
    public void HugeLocalCountIsNotExpanded()
    {
        var text = ModulePrinter.Print(WithCode(new byte[] { 0x0B }, ImmutableArray.Create(new LocalGroup(uint.MaxValue, ValType.I32))));
        Assert.Contains(";; malformed: 4294967295 locals declared; not printed", text);
    }

    [Fact]
    public void MalformedConstantExpressionIsCommented()
    {
        var b = new ModuleBuilder();
        b.Globals.Add(new GlobalDefinition(new GlobalType(ValType.I32, false), new ConstantExpression(new byte[] { 0x41 })));
        b.Globals.Add(new GlobalDefinition(new GlobalType(ValType.I32, false), new ConstantExpression(new byte[] { 0x41, 0x00 })));
        var text = ModulePrinter.Print(b.ToModule());
        Assert.Contains("(global (;0;) i32 (;malformed: ", text);
        Assert.Contains("(global (;1;) i32 i32.const 0 (;malformed: missing end;))", text);
    }

    [Fact]
    public void RandomBodiesNeverThrow()
    {
        var random = new Random(7);
        for (var i = 0; i < 3000; i++)
        {
            var code = new byte[random.Next(0, 40)];
            random.NextBytes(code);

            // Bias towards real opcodes so decoding gets past the first byte.
            for (var k = 0; k < code.Length; k += 3) code[k] = (byte)random.Next(0, 0x45);
            var text = ModulePrinter.Print(WithCode(code), new TextPrinterOptions { IncludeOffsets = (i & 1) == 0 });
            Assert.EndsWith(")\n", text);
        }
    }
}
