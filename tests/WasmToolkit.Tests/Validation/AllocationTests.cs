using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using WasmToolkit.Instructions;
using WasmToolkit.Validation;
using Xunit;
using Xunit.Abstractions;
using static WasmToolkit.Tests.Validation.V;

namespace WasmToolkit.Tests.Validation;

/// <summary>
/// Validation allocates nothing per instruction (DESIGN.md invariant 2): a second validation of a large
/// module, after the reusable stacks have grown, allocates a small amount independent of the body sizes.
/// </summary>
public class AllocationTests
{
    private readonly ITestOutputHelper _output;

    public AllocationTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void SecondValidationAllocatesFarLessThanOneBytePerInstruction()
    {
        const int functions = 4;
        const int repetitions = 4_000;
        var (module, instructions) = BuildLargeModule(functions, repetitions);

        var first = ModuleValidator.Validate(module);
        Assert.True(first.IsValid, string.Join("; ", first.Diagnostics));

        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var second = ModuleValidator.Validate(module);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        stopwatch.Stop();

        Assert.True(second.IsValid);
        var counted = 0L;
        foreach (var f in second.Functions) counted += f.InstructionCount;
        Assert.Equal(instructions, counted);
        _output.WriteLine($"{instructions} instructions, {allocated} bytes allocated ({(double)allocated / instructions:F4} bytes/instruction), {stopwatch.Elapsed.TotalMilliseconds:F0} ms");

        // Per-module and per-function objects only: a few KB, whatever the instruction count.
        // One object per instruction would be at least 24 bytes each (megabytes here); the bounds leave room for the
        // runtime's own allocations on this thread (tiered compilation, seen at ~18 KB on a loaded machine).
        Assert.True(allocated < 64 * 1024, $"allocated {allocated} bytes for {instructions} instructions");
        Assert.True(allocated * 8 < instructions, $"allocated {allocated} bytes for {instructions} instructions");
    }

    private static (Module Module, long Instructions) BuildLargeModule(int functions, int repetitions)
    {
        var builder = WithMemory();
        builder.AddTable(new TableType(ValType.FuncRef, new Limits(1)));
        builder.AddExport("f0", ExternalKind.Function, 0);
        var pair = builder.AddType(Type(new[] { I32 }, new[] { I32, I64 }));
        var pattern = new List<Instruction>
        {
            // The stack holds one i32 before and after the pattern.
            Block(Opcode.Block, I32),
            Op(Opcode.LocalGet, 0), I32Const(1), Op(Opcode.I32Add), Op(Opcode.LocalTee, 1),
            I32Const(0), Op(Opcode.BrIf, 0),
            Op(Opcode.Drop), I32Const(0), Mem(Opcode.I32Load, 2),
            Op(Opcode.End),
            Block(Opcode.Loop, pair.Value), I32Const(0), Op(Opcode.BrIf, 0), I64Const(7), Op(Opcode.End), Op(Opcode.Drop),
            Block(Opcode.Block), Block(Opcode.Block), Op(Opcode.LocalGet, 1), BrTable(0, 1, 0, 1), Op(Opcode.End), Op(Opcode.End),
            V128Const(), Lane(Opcode.I32x4ExtractLane, 3), Op(Opcode.I32Add),
            F64Const(), Op(Opcode.I64TruncSatF64S), Op(Opcode.LocalSet, 2),
            Op(Opcode.RefFunc, 0), Op(Opcode.RefIsNull), Op(Opcode.Select),
            Op(Opcode.Call, 0),
        };
        var chunk = Instruction.Encode(pattern.ToArray());
        var prefix = Instruction.Encode(I32Const(0));
        var suffix = Instruction.Encode(Op(Opcode.Drop), Op(Opcode.LocalGet, 0), Op(Opcode.End));
        var code = new byte[prefix.Length + (chunk.Length * repetitions) + suffix.Length];
        prefix.CopyTo(code, 0);
        for (var r = 0; r < repetitions; r++) chunk.CopyTo(code, prefix.Length + (r * chunk.Length));
        suffix.CopyTo(code, code.Length - suffix.Length);

        var type = Type(new[] { I32 }, new[] { I32 });
        var locals = ImmutableArray.Create(new LocalGroup(1, I32), new LocalGroup(1, I64));
        for (var f = 0; f < functions; f++) builder.AddFunction(type, locals, (ReadOnlyMemory<byte>)code);

        var perFunction = 4L + (pattern.Count * (long)repetitions);
        return (builder.ToModule(), perFunction * functions);
    }
}
