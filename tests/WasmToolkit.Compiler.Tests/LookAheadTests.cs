using System.Collections.Generic;
using System.Linq;
using WasmToolkit.Binary;
using WasmToolkit.Compiler.Baseline;
using WasmToolkit.Compiler.X64;
using Xunit;

namespace WasmToolkit.Compiler.Tests;

/// <summary>
/// The compiler's look-ahead has a fast scan over the body's bytes and a fallback through <c>InstructionReader</c>;
/// both must note the same things, or the code would change. Bodies here use the encodings the fast scan decodes itself
/// (padded five-byte LEB128s as linkers leave them, ten-byte i64 constants, if with a type-index block type) and ones it
/// leaves to the reader (a prefixed opcode).
/// </summary>
public class LookAheadTests
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void FastScanGivesTheCodeOfTheReaderScan(bool padded, bool prefixed)
    {
        var module = ModuleReader.Read(BuildModule(padded, prefixed), "look-ahead").Module!;
        var function = module.Functions[0];
        var type = module.GetFunctionType((uint)module.ImportedFunctionCount)!;
        var layout = VmContextLayout.For(module);
        var options = CompilerOptions.Default;

        byte[] Compile(bool fast)
        {
            var masm = new X64MacroAssembler(options.X64Features, layout);
            var code = new FunctionCompiler(masm) { FastLookAhead = fast }.Compile(module, function, type, out _, out _, out _);
            return code.Bytes.ToArray();
        }

        Assert.Equal(Compile(fast: false), Compile(fast: true));
    }

    [Fact]
    public void PaddedEncodingsGiveTheSameCode()
    {
        // The same instructions with canonical and with padded immediates: only the wasm offsets differ, never the code.
        var canonical = ModuleCompiler.Compile(ModuleReader.Read(BuildModule(padded: false, prefixed: false), "canonical").Module!);
        var padded = ModuleCompiler.Compile(ModuleReader.Read(BuildModule(padded: true, prefixed: false), "padded").Module!);
        Assert.True(canonical.Code.SequenceEqual(padded.Code));
    }

    /// <summary>
    /// A module with one memory and function 0 (i32, i32) -> i32: a loop reading locals, a load, constants, an if with
    /// parameters (type 1), a br_table and a call; <paramref name="padded"/> writes every index and i32 immediate in five
    /// bytes and the small i64 constant in ten, <paramref name="prefixed"/> adds an <c>i32.trunc_sat_f32_s</c> (0xFC 0) near the end.
    /// </summary>
    private static byte[] BuildModule(bool padded, bool prefixed)
    {
        List<byte> U(uint v)
        {
            if (!padded) return Leb128(v);
            var bytes = new List<byte>();
            for (var i = 0; i < 4; i++) bytes.Add((byte)(((v >> (7 * i)) & 0x7F) | 0x80));
            bytes.Add((byte)((v >> 28) & 0x0F));
            return bytes;
        }

        List<byte> S32(int v)
        {
            var bytes = new List<byte>();
            if (padded)
            {
                for (var i = 0; i < 4; i++) bytes.Add((byte)(((v >> (7 * i)) & 0x7F) | 0x80));
                bytes.Add((byte)((v >> 28) & 0x7F));
                return bytes;
            }

            while (true)
            {
                var b = (byte)(v & 0x7F);
                v >>= 7;
                if ((v == 0 && (b & 0x40) == 0) || (v == -1 && (b & 0x40) != 0))
                {
                    bytes.Add(b);
                    return bytes;
                }

                bytes.Add((byte)(b | 0x80));
            }
        }

        var body = new List<byte> { 0x01, 0x02, 0x7F }; // two i32 locals
        body.Add(0x03); body.Add(0x40); // loop
        body.Add(0x20); body.AddRange(U(0)); body.Add(0x20); body.AddRange(U(1)); body.Add(0x6A); body.Add(0x21); body.AddRange(U(2));
        body.Add(0x20); body.AddRange(U(2)); body.Add(0x28); body.Add(0x02); body.AddRange(U(16)); body.Add(0x21); body.AddRange(U(3));
        body.Add(0x20); body.AddRange(U(3)); body.Add(0x41); body.AddRange(S32(-123456)); body.Add(0x6A); body.Add(0x21); body.AddRange(U(0));
        body.Add(0x20); body.AddRange(U(3)); body.Add(0x20); body.AddRange(U(2)); body.Add(0x6A); body.Add(0x21); body.AddRange(U(1));
        body.Add(0x42); body.AddRange(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F }); // i64.const -2^63
        body.Add(0x42); body.AddRange(padded ? new byte[] { 0x85, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00 } : new byte[] { 0x05 });
        body.Add(0x7C); body.Add(0x1A); // i64.add, drop
        body.Add(0x20); body.AddRange(U(0)); body.Add(0x0D); body.AddRange(U(0)); // br_if 0
        body.Add(0x0B); // end loop
        body.Add(0x02); body.Add(0x40); body.Add(0x20); body.AddRange(U(1)); body.Add(0x0E); body.AddRange(U(1)); body.AddRange(U(0)); body.AddRange(U(0)); body.Add(0x0B); // block br_table
        body.Add(0x20); body.AddRange(U(1)); body.Add(0x20); body.AddRange(U(0)); body.Add(0x04); body.Add(0x01); // if (type 1)
        body.Add(0x41); body.AddRange(S32(1)); body.Add(0x6A);
        body.Add(0x05); body.Add(0x41); body.AddRange(S32(2)); body.Add(0x6B); body.Add(0x0B);
        if (prefixed)
        {
            // Last, so the fast scan has noted the loop and the if's hidden slots before it gives up.
            body.AddRange(new byte[] { 0x43, 0, 0, 0x80, 0x3F, 0xFC, 0x00, 0x1A }); // f32.const 1, i32.trunc_sat_f32_s, drop
        }

        body.Add(0x20); body.AddRange(U(0)); body.Add(0x10); body.AddRange(U(0)); // call 0
        body.Add(0x0B);

        var module = new List<byte> { 0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00 };
        void Section(byte id, List<byte> content)
        {
            module.Add(id);
            module.AddRange(Leb128((uint)content.Count));
            module.AddRange(content);
        }

        Section(1, new List<byte> { 0x02, 0x60, 0x02, 0x7F, 0x7F, 0x01, 0x7F, 0x60, 0x01, 0x7F, 0x01, 0x7F });
        Section(3, new List<byte> { 0x01, 0x00 });
        Section(5, new List<byte> { 0x01, 0x00, 0x01 });
        var code = new List<byte> { 0x01 };
        code.AddRange(Leb128((uint)body.Count));
        code.AddRange(body);
        Section(10, code);
        return module.ToArray();
    }

    /// <summary>Unsigned LEB128 in the fewest bytes.</summary>
    private static List<byte> Leb128(uint v)
    {
        var bytes = new List<byte>();
        do
        {
            var b = (byte)(v & 0x7F);
            v >>= 7;
            bytes.Add(v != 0 ? (byte)(b | 0x80) : b);
        }
        while (v != 0);
        return bytes;
    }
}
