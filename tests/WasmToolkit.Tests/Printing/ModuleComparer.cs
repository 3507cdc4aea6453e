using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using WasmToolkit.Instructions;

namespace WasmToolkit.Tests.Printing;

/// <summary>
/// Compares two modules section by section for the print → re-parse round trip and lists the differences.
/// </summary>
/// <remarks>
/// Exact where the text format fixes the binary: types, imports, function types, expanded local types,
/// body bytes, tables, memories, globals, exports, start, data bytes. Where the text format leaves the
/// encoding to the assembler it compares meaning: the element segment flags (wabt picks them from the
/// contents, so <c>(ref.func 3)</c> items equal function index 3) and the data segment flags; LEB128 widths
/// (a body whose bytes differ but whose decoded instructions are equal counts as equal and is listed in
/// <see cref="EncodingOnly"/>); and wabt's short encoding of <c>(type x)</c> block types whose signature is
/// <c>[] → [t?]</c> (also listed there). Custom sections and the data count section are not compared.
/// </remarks>
internal sealed class ModuleComparer
{
    private readonly List<string> _differences = new();

    private ModuleComparer()
    {
    }

    public IReadOnlyList<string> Differences => _differences;

    /// <summary>Bodies or expressions equal only after decoding (e.g. non-minimal LEB128 in the original).</summary>
    public List<string> EncodingOnly { get; } = new();

    public static ModuleComparer Compare(Module expected, Module actual)
    {
        var c = new ModuleComparer();
        c.Run(expected, actual);
        return c;
    }

    private void Run(Module e, Module a)
    {
        Seq("type", e.Types, a.Types, (x, y) => x.Equals(y), t => t.ToString());
        Seq("import", e.Imports, a.Imports, ImportEquals, i => i.ToString());
        if (e.Functions.Length != a.Functions.Length)
        {
            Add($"function count {e.Functions.Length} != {a.Functions.Length}");
        }
        else
        {
            for (var i = 0; i < e.Functions.Length; i++) CompareFunction(i, e.Functions[i], a.Functions[i], e.Types);
        }

        Seq("table", e.Tables, a.Tables, (x, y) => x.Type.Equals(y.Type) && ExprEquals("table init", x.Init, y.Init), t => t.Type.ToString());
        Seq("memory", e.Memories, a.Memories, (x, y) => x.Type.Equals(y.Type), m => m.Type.ToString());
        Seq("global", e.Globals, a.Globals, (x, y) => x.Type.Equals(y.Type) && ExprEquals("global init", x.Init, y.Init), g => g.Type.ToString());
        Seq("export", e.Exports, a.Exports, (x, y) => x.Name == y.Name && x.Kind == y.Kind && x.Index == y.Index, x => x.ToString());
        if (e.Start != a.Start) Add($"start {e.Start} != {a.Start}");
        Seq("elem", e.Elements, a.Elements, ElementEquals, DescribeElement);
        Seq("data", e.Data, a.Data, DataEquals, d => $"{d.Mode} mem {d.Memory} {d.Data.Length} bytes");
    }

    private void CompareFunction(int i, FunctionDefinition e, FunctionDefinition a, ImmutableArray<FuncType> types)
    {
        if (e.Type != a.Type) Add($"func {i}: type {e.Type} != {a.Type}");
        if (!ExpandLocals(e).SequenceEqual(ExpandLocals(a))) Add($"func {i}: locals differ");
        if (e.Code.Span.SequenceEqual(a.Code.Span)) return;
        if (e.Instructions.SequenceEqual(a.Instructions))
        {
            EncodingOnly.Add($"func {i}");
            return;
        }

        var ei = CanonicalBlockTypes(e.Instructions, types);
        var ai = CanonicalBlockTypes(a.Instructions, types);
        if (ei.SequenceEqual(ai))
        {
            EncodingOnly.Add($"func {i} (block types)");
            return;
        }

        var k = 0;
        while (k < ei.Length && k < ai.Length && ei[k].Equals(ai[k])) k++;
        Add($"func {i}: body differs at instruction {k}: {Describe(ei, k)} != {Describe(ai, k)}");
    }

    /// <summary>
    /// wabt encodes a block whose <c>(type x)</c> is <c>[] → [t?]</c> with the short form (<c>0x40</c> or
    /// the value type) instead of the index the text names; both mean the same block type.
    /// </summary>
    private static ImmutableArray<Instruction> CanonicalBlockTypes(ImmutableArray<Instruction> body, ImmutableArray<FuncType> types)
        => body.Select(i =>
        {
            if (i.BlockType.Kind != BlockTypeKind.TypeIndex || i.BlockType.TypeIndex >= (uint)types.Length) return i;
            var t = types[(int)i.BlockType.TypeIndex];
            if (t.Parameters.Length != 0 || t.Results.Length > 1) return i;
            return new Instruction(i.Opcode) { BlockType = t.Results.Length == 0 ? BlockType.Empty : BlockType.FromValue(t.Results[0]) };
        }).ToImmutableArray();

    private static string Describe(ImmutableArray<Instruction> list, int k)
        => k < list.Length ? $"{list[k].Info.Name} idx={list[k].Index} idx2={list[k].Index2} value=0x{list[k].Value:x} bt={list[k].BlockType}" : "<end>";

    private static IEnumerable<ValType> ExpandLocals(FunctionDefinition f)
        => f.Locals.SelectMany(g => Enumerable.Repeat(g.Type, (int)Math.Min(g.Count, 1_000_000)));

    private static bool ImportEquals(Import x, Import y)
        => x.Module == y.Module && x.Name == y.Name && x.Kind == y.Kind && x.FunctionType == y.FunctionType
           && x.Table.Equals(y.Table) && x.Memory.Equals(y.Memory) && x.Global.Equals(y.Global);

    private bool ElementEquals(ElementSegment x, ElementSegment y)
    {
        if (x.Mode != y.Mode || x.ElementType != y.ElementType || x.Count != y.Count) return false;
        if (x.Mode == SegmentMode.Active && (x.Table != y.Table || !ExprEquals("elem offset", x.Offset, y.Offset))) return false;
        var xs = Items(x);
        var ys = Items(y);
        for (var i = 0; i < xs.Length; i++)
        {
            if (!ExprEquals("elem item", xs[i], ys[i])) return false;
        }

        return true;
    }

    /// <summary>Items as expressions: function index <c>f</c> is <c>ref.func f</c>.</summary>
    private static ImmutableArray<ConstantExpression> Items(ElementSegment s)
        => s.UsesExpressions ? s.Expressions : s.FunctionIndices.Select(f => ConstantExpression.RefFunc(f)).ToImmutableArray();

    private static string DescribeElement(ElementSegment s)
        => $"{s.Mode} table {s.Table} {s.ElementType} {s.Count} items (flags {s.Encoding})";

    private bool DataEquals(DataSegment x, DataSegment y)
        => x.Mode == y.Mode && x.Data.Span.SequenceEqual(y.Data.Span)
           && (x.Mode != SegmentMode.Active || (x.Memory == y.Memory && ExprEquals("data offset", x.Offset, y.Offset)));

    private bool ExprEquals(string what, ConstantExpression? x, ConstantExpression? y)
    {
        if (x is null || y is null) return x is null && y is null;
        if (x.Equals(y)) return true;
        if (x.Instructions.SequenceEqual(y.Instructions) && x.Instructions.Length > 0)
        {
            EncodingOnly.Add(what);
            return true;
        }

        return false;
    }

    private void Seq<T>(string what, ImmutableArray<T> e, ImmutableArray<T> a, Func<T, T, bool> equals, Func<T, string> describe)
    {
        if (e.Length != a.Length)
        {
            Add($"{what} count {e.Length} != {a.Length}");
            return;
        }

        for (var i = 0; i < e.Length; i++)
        {
            if (!equals(e[i], a[i])) Add($"{what} {i}: {describe(e[i])} != {describe(a[i])}");
        }
    }

    private void Add(string difference) => _differences.Add(difference);
}
