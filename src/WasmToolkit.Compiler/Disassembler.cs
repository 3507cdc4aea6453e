using System.Collections.Generic;
using System.Linq;
using System.Text;
using Iced.Intel;

namespace WasmToolkit.Compiler;

/// <summary>Lists generated code with Iced's formatter, for tests, debugging and <c>wasmtk</c>.</summary>
public static class Disassembler
{
    /// <summary>One line per instruction of function <paramref name="function"/>: <c>offset  bytes  mnemonic operands</c>.</summary>
    public static IReadOnlyList<string> DisassembleFunction(CompiledModule module, CompiledFunction function, bool showBytes = false)
        => Disassemble(module, function.Offset, function.Size, showBytes);

    /// <summary>Every stub and function of <paramref name="module"/>, with headings.</summary>
    public static string Disassemble(CompiledModule module, bool showBytes = false)
    {
        var text = new StringBuilder();
        text.Append("trap stub:\n");
        foreach (var line in Disassemble(module, module.TrapStubOffset, module.EntryStubs.IsEmpty ? module.Code.Length : module.EntryStubs[0].Offset, showBytes, trimPadding: true)) text.Append("  ").Append(line).Append('\n');
        foreach (var stub in module.EntryStubs)
        {
            text.Append("entry stub ").Append(stub.Type).Append(":\n");
            foreach (var line in Disassemble(module, stub.Offset, stub.Size, showBytes)) text.Append("  ").Append(line).Append('\n');
        }

        var names = module.Module.Names;
        foreach (var f in module.Functions)
        {
            text.Append("function ").Append(f.FunctionIndex);
            if (names.FunctionNames.FirstOrDefault(n => n.Index == (uint)f.FunctionIndex) is { Name: { } name }) text.Append(" $").Append(name);
            text.Append(' ').Append(f.Type).Append(":\n");
            foreach (var line in DisassembleFunction(module, f, showBytes)) text.Append("  ").Append(line).Append('\n');
        }

        return text.ToString();
    }

    private static List<string> Disassemble(CompiledModule module, int offset, int size, bool showBytes, bool trimPadding = false)
    {
        var code = module.Code.AsSpan().Slice(offset, size).ToArray();
        var decoder = Iced.Intel.Decoder.Create(64, new ByteArrayCodeReader(code), (ulong)offset);
        var formatter = new NasmFormatter();
        formatter.Options.FirstOperandCharIndex = 8;
        formatter.Options.HexPrefix = "0x";
        formatter.Options.HexSuffix = "";
        var output = new StringOutput();
        var lines = new List<string>();
        var end = (ulong)(offset + size);
        while (decoder.IP < end)
        {
            decoder.Decode(out var instruction);
            if (trimPadding && instruction.Code == Code.Int3) break;
            formatter.Format(instruction, output);
            var line = new StringBuilder();
            line.Append(instruction.IP.ToString("x6")).Append("  ");
            if (showBytes)
            {
                var start = (int)(instruction.IP - (ulong)offset);
                for (var i = 0; i < instruction.Length; i++) line.Append(code[start + i].ToString("x2"));
                line.Append(' ', System.Math.Max(1, 24 - (2 * instruction.Length)));
            }

            line.Append(output.ToStringAndReset());
            lines.Add(line.ToString());
        }

        return lines;
    }
}
