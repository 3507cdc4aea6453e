using System;
using System.Collections.Immutable;
using System.Linq;
using WasmToolkit.Binary;
using WasmToolkit.Instructions;
using WasmToolkit.Text;
using WasmToolkit.Tests.Infrastructure;

namespace WasmToolkit.Tests.Printing;

/// <summary>Modules built in code for the printer tests, and helpers to look at their text.</summary>
internal static class PrinterTestModules
{
    /// <summary>
    /// A module with enough of everything for any instruction's immediates to refer to: two types, two
    /// functions, two tables, a memory, two globals, two passive element and two passive data segments;
    /// function 1 (type 0, <c>[i32] → []</c>, one i64 local) has <paramref name="body"/> as its body.
    /// </summary>
    public static Module WithBody(params Instruction[] body)
    {
        var b = new ModuleBuilder();
        b.AddType(new FuncType(ImmutableArray.Create(ValType.I32), ImmutableArray<ValType>.Empty));
        b.AddType(new FuncType(ImmutableArray.Create(ValType.I32, ValType.I64), ImmutableArray.Create(ValType.F32, ValType.F64)));
        b.AddFunction(b.Types[0], ImmutableArray<LocalGroup>.Empty);
        b.AddFunction(b.Types[0], ImmutableArray.Create(new LocalGroup(1, ValType.I64)), body);
        b.AddTable(new TableType(ValType.FuncRef, new Limits(2)));
        b.AddTable(new TableType(ValType.ExternRef, new Limits(1, 3)));
        b.AddMemory(new MemoryType(new Limits(1)));
        b.AddGlobal(new GlobalType(ValType.I32, mutable: true), ConstantExpression.I32Const(0));
        b.AddGlobal(new GlobalType(ValType.I64, mutable: true), ConstantExpression.I64Const(0));
        b.Elements.Add(new ElementSegment(SegmentMode.Passive, ValType.FuncRef, ImmutableArray.Create<FuncIndex>(0), default));
        b.Elements.Add(new ElementSegment(SegmentMode.Passive, ValType.FuncRef, ImmutableArray.Create<FuncIndex>(1), default));
        b.DataCount = 2;
        b.Data.Add(DataSegment.Passive(new byte[] { 1 }));
        b.Data.Add(DataSegment.Passive(new byte[] { 2 }));
        return b.ToModule();
    }

    /// <summary>The lines of function 1's body (local declarations skipped), trimmed, as printed with <paramref name="options"/>.</summary>
    public static string[] BodyLines(Module module, TextPrinterOptions? options = null)
    {
        var lines = ModulePrinter.Print(module, options).Split('\n');
        var header = Array.FindIndex(lines, l => l.StartsWith("  (func", StringComparison.Ordinal));
        header = Array.FindIndex(lines, header + 1, l => l.StartsWith("  (func", StringComparison.Ordinal));
        var body = lines.Skip(header + 1)
            .TakeWhile(l => l.StartsWith("   ", StringComparison.Ordinal))
            .Select(l => l.Trim())
            .Where(l => !l.StartsWith("(local", StringComparison.Ordinal))
            .ToList();
        if (body.Count > 0 && body[^1].EndsWith(")", StringComparison.Ordinal)) body[^1] = body[^1].Substring(0, body[^1].Length - 1);
        return body.ToArray();
    }

    /// <summary>Prints, assembles with wat2wasm and reads back.</summary>
    public static Module RoundTrip(Module module, TextPrinterOptions? options = null)
    {
        var text = ModulePrinter.Print(module, options);
        var read = ModuleReader.Read(WabtTools.Assemble(text));
        return read.Module ?? throw new InvalidOperationException("reassembled module unreadable: " + read.Diagnostics.FirstOrDefault() + "\n" + text);
    }
}
