using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using WasmToolkit.Instructions;
using WasmToolkit.Text;
using Xunit;

namespace WasmToolkit.Tests.Printing;

/// <summary>
/// Printing to a <see cref="TextWriter"/> allocates per module and per function, not per instruction:
/// numbers and floats are formatted straight into the output buffer.
/// </summary>
public class PrinterAllocationTests
{
    [Fact]
    public void PrintingInstructionsDoesNotAllocatePerInstruction()
    {
        var body = new List<Instruction>();
        for (var i = 0; i < 20_000; i++)
        {
            body.Add(new Instruction(Opcode.LocalGet) { Index = 0 });
            body.Add(new Instruction(Opcode.I32Load) { MemArg = new MemArg(0, (ulong)i) });
            body.Add(new Instruction(Opcode.F64Const) { Value = (ulong)i * 0x9E3779B97F4A7C15 });
            body.Add(new Instruction(Opcode.I64Const) { Value = (ulong)-i });
            body.Add(new Instruction(Opcode.BrTable) { BrTableTargets = ImmutableArray.Create(0u, 0u), Index = 0 });
        }

        var module = PrinterTestModules.WithBody(body.ToArray());
        var counter = new CountingWriter();
        ModulePrinter.Print(module, counter); // warm up: JIT, static tables
        counter.Characters = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        ModulePrinter.Print(module, counter);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(counter.Characters > 1_000_000, $"printed {counter.Characters} characters");
        Assert.True(allocated < 64 * 1024, $"allocated {allocated} bytes for 100,000 instructions");
    }

    /// <summary>Counts characters and drops them, allocating nothing.</summary>
    private sealed class CountingWriter : TextWriter
    {
        public long Characters { get; set; }

        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void Write(char value) => Characters++;

        public override void Write(char[] buffer, int index, int count) => Characters += count;
    }
}
