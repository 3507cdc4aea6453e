using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Iced.Intel;
using ImmediateKind = WasmToolkit.Instructions.ImmediateKind;
using OpcodeTable = WasmToolkit.Instructions.OpcodeTable;
using WasmInstruction = WasmToolkit.Instructions.Instruction;

namespace WasmToolkit.Compiler;

/// <summary>Lists generated code (x64 with Iced's formatter, ARM64 with <see cref="Arm64.Arm64Disassembler"/>), for tests, debugging and <c>wasmtk</c>.</summary>
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

    /// <summary>
    /// An annotated listing of one function, the text of <c>wasmtk compile --disasm</c>: a heading with the
    /// function's index, name (name section) and type, then one line per machine instruction at offsets
    /// relative to the function's first byte, so the text does not depend on where the function was placed.
    /// </summary>
    /// <remarks>
    /// <para>Calls name their target (<c>trap_stub</c>, <c>func[3] $name</c>) instead of an address.</para>
    /// <para>WebAssembly instructions appear where the compiled module's tables tie code to them: a branch
    /// to a trap, the out-of-line trap call it reaches, and a call, end with
    /// <c>; wasm 0x2a i32.div_s: integer divide by zero</c>. The baseline compiler does not record a full
    /// wasm-offset → code-offset map yet, so other instructions carry no annotation.</para>
    /// </remarks>
    /// <param name="module">The compiled module.</param>
    /// <param name="function">One of its functions.</param>
    /// <param name="showBytes">Whether to show each instruction's bytes.</param>
    /// <param name="formatWasmOffset">How to show a wasm offset (default <c>0x2a</c>); a text front end may show a line and column instead.</param>
    public static string FormatFunction(CompiledModule module, CompiledFunction function, bool showBytes = false, Func<int, string>? formatWasmOffset = null)
    {
        formatWasmOffset ??= offset => "0x" + offset.ToString("x", CultureInfo.InvariantCulture);
        if (module is null) throw new ArgumentNullException(nameof(module));
        if (function is null) throw new ArgumentNullException(nameof(function));
        var wasm = module.Module;
        var text = new StringBuilder();
        text.Append("function ").Append(function.FunctionIndex.ToString(CultureInfo.InvariantCulture));
        if (wasm.Names.GetFunctionName((uint)function.FunctionIndex) is { } name) text.Append(" $").Append(name);
        text.Append(' ').Append(function.Type).Append(": ").Append(function.Size.ToString(CultureInfo.InvariantCulture)).Append(" bytes\n");

        var definedIndex = function.FunctionIndex - wasm.ImportedFunctionCount;
        var instructions = new Dictionary<int, WasmInstruction>();
        if ((uint)definedIndex < (uint)wasm.Functions.Length)
        {
            foreach (var instruction in wasm.Functions[definedIndex].Instructions) instructions[instruction.Offset] = instruction;
        }

        // The trap and call sites of this function, by return offset relative to the function.
        var traps = new Dictionary<int, TrapSite>();
        foreach (var site in module.TrapSites)
        {
            if (site.FunctionIndex == function.FunctionIndex && site.ReturnOffset > function.Offset && site.ReturnOffset <= function.Offset + function.Size) traps[site.ReturnOffset - function.Offset] = site;
        }

        var calls = new Dictionary<int, TrapSite>();
        foreach (var site in module.CallSites)
        {
            if (site.FunctionIndex == function.FunctionIndex && site.ReturnOffset > function.Offset && site.ReturnOffset <= function.Offset + function.Size) calls[site.ReturnOffset - function.Offset] = site;
        }

        if (module.Options.Architecture == TargetArchitecture.Arm64) return FormatArm64Function(text, module, function, showBytes, instructions, traps, calls, formatWasmOffset);

        var code = module.Code.AsSpan().Slice(function.Offset, function.Size).ToArray();
        var decoded = new List<Instruction>();
        var decoder = Iced.Intel.Decoder.Create(64, new ByteArrayCodeReader(code), 0);
        while (decoder.IP < (ulong)code.Length)
        {
            decoder.Decode(out var instruction);
            decoded.Add(instruction);
        }

        // A trap site is `mov eax, kind; call trap_stub`; the branches of the inline check jump to the mov.
        var comments = new Dictionary<int, string>();
        var trapBlocks = new Dictionary<ulong, string>();
        for (var i = 0; i < decoded.Count; i++)
        {
            var end = (int)decoded[i].NextIP;
            if (decoded[i].Mnemonic != Mnemonic.Call) continue;
            if (traps.TryGetValue(end, out var trap))
            {
                var comment = "wasm " + Describe(trap.WasmOffset, trap.Kind, instructions, wasm, formatWasmOffset);
                var start = i > 0 && decoded[i - 1].Mnemonic == Mnemonic.Mov && decoded[i - 1].Op0Register == Register.EAX ? i - 1 : i;
                trapBlocks[decoded[start].IP] = comment;
                comments[i] = comment;
            }
            else if (calls.TryGetValue(end, out var call))
            {
                comments[i] = "wasm " + Describe(call.WasmOffset, null, instructions, wasm, formatWasmOffset);
            }
        }

        for (var i = 0; i < decoded.Count; i++)
        {
            if (decoded[i].FlowControl is FlowControl.ConditionalBranch or FlowControl.UnconditionalBranch
                && decoded[i].Op0Kind is OpKind.NearBranch16 or OpKind.NearBranch32 or OpKind.NearBranch64
                && trapBlocks.TryGetValue(decoded[i].NearBranchTarget, out var comment))
            {
                comments[i] = comment;
            }
        }

        var formatter = CreateFormatter(new FunctionSymbols(module, function.Offset));
        formatter.Options.UppercaseHex = false;
        formatter.Options.BranchLeadingZeros = false;
        formatter.Options.ShowBranchSize = false;
        var output = new StringOutput();
        for (var i = 0; i < decoded.Count; i++)
        {
            var instruction = decoded[i];
            var line = new StringBuilder("  ");
            line.Append(instruction.IP.ToString("x4", CultureInfo.InvariantCulture)).Append("  ");
            if (showBytes)
            {
                for (var b = 0; b < instruction.Length; b++) line.Append(code[(int)instruction.IP + b].ToString("x2", CultureInfo.InvariantCulture));
                line.Append(' ', Math.Max(1, 24 - (2 * instruction.Length)));
            }

            formatter.Format(instruction, output);
            line.Append(output.ToStringAndReset());
            if (comments.TryGetValue(i, out var note))
            {
                line.Append(' ', Math.Max(1, (showBytes ? 70 : 46) - line.Length)).Append("; ").Append(note);
            }

            text.Append(line.ToString().TrimEnd()).Append('\n');
        }

        return text.ToString();
    }

    /// <summary><c>0x2a i32.div_s: integer divide by zero</c> for a trap site, <c>0x30 call 1 $f</c> for a call.</summary>
    private static string Describe(int wasmOffset, TrapKind? kind, Dictionary<int, WasmInstruction> instructions, Module module, Func<int, string> formatWasmOffset)
    {
        var text = new StringBuilder(formatWasmOffset(wasmOffset)).Append(' ');

        // The stack check and the stub of an uncompiled function carry the offset of the body's first instruction.
        if (kind is TrapKind.CallStackExhausted) text.Append("function entry");
        else if (kind is TrapKind.UnsupportedFunction) text.Append("function body");
        else if (instructions.TryGetValue(wasmOffset, out var instruction)) text.Append(FormatWasmInstruction(instruction, module));
        else text.Append('?');
        if (kind is { } k) text.Append(": ").Append(k.GetMessage());
        return text.ToString();
    }

    /// <summary>A wasm instruction with the immediates that matter for reading code (indices, constants, memory offsets).</summary>
    private static string FormatWasmInstruction(WasmInstruction instruction, Module module)
    {
        var name = OpcodeTable.GetName(instruction.Opcode);
        var info = OpcodeTable.Get(instruction.Opcode);
        switch (info?.Immediate)
        {
            case ImmediateKind.Func:
                var callee = module.Names.GetFunctionName(instruction.Index);
                return name + " " + instruction.Index.ToString(CultureInfo.InvariantCulture) + (callee is null ? "" : " $" + callee);
            case ImmediateKind.Local:
            case ImmediateKind.Global:
            case ImmediateKind.Label:
                return name + " " + instruction.Index.ToString(CultureInfo.InvariantCulture);
            case ImmediateKind.I32:
                return name + " " + instruction.I32Value.ToString(CultureInfo.InvariantCulture);
            case ImmediateKind.I64:
                return name + " " + instruction.I64Value.ToString(CultureInfo.InvariantCulture);
            case ImmediateKind.Memarg:
                return instruction.MemArg.Offset == 0 ? name : name + " offset=" + instruction.MemArg.Offset.ToString(CultureInfo.InvariantCulture);
            default:
                return name;
        }
    }

    private static NasmFormatter CreateFormatter(ISymbolResolver? symbols = null)
    {
        var formatter = new NasmFormatter(symbols);
        formatter.Options.FirstOperandCharIndex = 8;
        formatter.Options.HexPrefix = "0x";
        formatter.Options.HexSuffix = "";
        return formatter;
    }

    /// <summary>Names call targets outside the function; decoding starts at 0, so targets are function-relative.</summary>
    private sealed class FunctionSymbols : ISymbolResolver
    {
        private readonly Dictionary<long, string> _names = new();
        private readonly int _functionOffset;

        public FunctionSymbols(CompiledModule module, int functionOffset)
        {
            _functionOffset = functionOffset;
            _names[module.TrapStubOffset] = "trap_stub";
            foreach (var f in module.Functions)
            {
                var name = module.Module.Names.GetFunctionName((uint)f.FunctionIndex);
                _names[f.Offset] = "func[" + f.FunctionIndex.ToString(CultureInfo.InvariantCulture) + "]" + (name is null ? "" : " $" + name);
            }
        }

        public bool TryGetSymbol(in Instruction instruction, int operand, int instructionOperand, ulong address, int addressSize, out SymbolResult symbol)
        {
            if (instruction.FlowControl == FlowControl.Call && _names.TryGetValue(unchecked((long)address + _functionOffset), out var name))
            {
                symbol = new SymbolResult(address, name);
                return true;
            }

            symbol = default;
            return false;
        }
    }

    /// <summary>
    /// <see cref="FormatFunction"/> for ARM64 code: our printer (<see cref="Arm64.Arm64Disassembler"/>, objdump's syntax) at
    /// function-relative addresses, <c>bl</c> targets named, and the same wasm annotations: a trap site is
    /// <c>mov w0, #kind; bl trap_stub</c>, reached by the conditional branches of its inline check.
    /// </summary>
    private static string FormatArm64Function(
        StringBuilder text, CompiledModule module, CompiledFunction function, bool showBytes, Dictionary<int, WasmInstruction> instructions,
        Dictionary<int, TrapSite> traps, Dictionary<int, TrapSite> calls, Func<int, string> formatWasmOffset)
    {
        var wasm = module.Module;
        var code = module.Code.AsSpan().Slice(function.Offset, function.Size);
        var count = code.Length / 4;
        var words = new uint[count];
        for (var i = 0; i < count; i++) words[i] = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(code.Slice(4 * i));

        var symbols = new Dictionary<long, string> { [module.TrapStubOffset] = "trap_stub" };
        foreach (var f in module.Functions)
        {
            var fname = wasm.Names.GetFunctionName((uint)f.FunctionIndex);
            symbols[f.Offset] = "func[" + f.FunctionIndex.ToString(CultureInfo.InvariantCulture) + "]" + (fname is null ? "" : " $" + fname);
        }

        var comments = new Dictionary<int, string>();
        var trapBlocks = new Dictionary<int, string>();
        for (var i = 0; i < count; i++)
        {
            var end = (4 * i) + 4;
            var isCall = (words[i] & 0xFC00_0000) == 0x9400_0000 || (words[i] & 0xFFFF_FC1F) == 0xD63F_0000; // bl, blr
            if (!isCall) continue;
            if (traps.TryGetValue(end, out var trap))
            {
                var comment = "wasm " + Describe(trap.WasmOffset, trap.Kind, instructions, wasm, formatWasmOffset);
                var start = i > 0 && (words[i - 1] & 0xFFE0_001F) == 0x5280_0000 ? i - 1 : i; // movz w0, #kind
                trapBlocks[4 * start] = comment;
                comments[i] = comment;
            }
            else if (calls.TryGetValue(end, out var call))
            {
                comments[i] = "wasm " + Describe(call.WasmOffset, null, instructions, wasm, formatWasmOffset);
            }
        }

        for (var i = 0; i < count; i++)
        {
            if (Arm64BranchTarget(words[i], 4 * i) is { } target && trapBlocks.TryGetValue(target, out var comment)) comments[i] = comment;
        }

        for (var i = 0; i < count; i++)
        {
            var at = 4 * i;
            var line = new StringBuilder("  ");
            line.Append(at.ToString("x4", CultureInfo.InvariantCulture)).Append("  ");
            if (showBytes) line.Append(words[i].ToString("x8", CultureInfo.InvariantCulture)).Append(' ', 16);
            if ((words[i] & 0xFC00_0000) == 0x9400_0000 && symbols.TryGetValue(function.Offset + Arm64BranchTarget(words[i], at)!.Value, out var name))
            {
                line.Append("bl ").Append(name);
            }
            else
            {
                line.Append(Arm64.Arm64Disassembler.Format(words[i], (ulong)at));
            }

            if (comments.TryGetValue(i, out var note)) line.Append(' ', Math.Max(1, (showBytes ? 70 : 46) - line.Length)).Append("; ").Append(note);
            text.Append(line.ToString().TrimEnd()).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The target offset of an A64 <c>b</c>, <c>bl</c>, <c>b.cond</c>, <c>cbz</c>/<c>cbnz</c> or <c>tbz</c>/<c>tbnz</c> at <paramref name="at"/>; null for other words.</summary>
    private static int? Arm64BranchTarget(uint word, int at)
    {
        if ((word & 0x7C00_0000) == 0x1400_0000) return at + (((int)(word << 6)) >> 4); // b, bl: imm26
        if ((word & 0xFF00_0010) == 0x5400_0000 || (word & 0x7E00_0000) == 0x3400_0000) return at + (((int)(word << 8)) >> 13 << 2); // b.cond, cbz/cbnz: imm19
        if ((word & 0x7E00_0000) == 0x3600_0000) return at + (((int)(word << 13)) >> 18 << 2); // tbz/tbnz: imm14
        return null;
    }

    private static List<string> Disassemble(CompiledModule module, int offset, int size, bool showBytes, bool trimPadding = false)
    {
        if (module.Options.Architecture == TargetArchitecture.Arm64) return DisassembleArm64(module, offset, size, showBytes, trimPadding);

        var code = module.Code.AsSpan().Slice(offset, size).ToArray();
        var decoder = Iced.Intel.Decoder.Create(64, new ByteArrayCodeReader(code), (ulong)offset);
        var formatter = CreateFormatter();
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

    private static List<string> DisassembleArm64(CompiledModule module, int offset, int size, bool showBytes, bool trimPadding)
    {
        var lines = new List<string>();
        var code = module.Code.AsSpan().Slice(offset, Math.Min(size, module.Code.Length - offset));
        for (var at = 0; at + 4 <= code.Length; at += 4)
        {
            var word = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(code.Slice(at));

            // Padding is zero words (udf #0).
            if (trimPadding && word == 0) break;
            var line = new StringBuilder();
            line.Append((offset + at).ToString("x6", CultureInfo.InvariantCulture)).Append("  ");
            if (showBytes) line.Append(word.ToString("x8", CultureInfo.InvariantCulture)).Append(' ', 16);
            line.Append(Arm64.Arm64Disassembler.Format(word, (ulong)(offset + at)));
            lines.Add(line.ToString());
        }

        return lines;
    }
}
