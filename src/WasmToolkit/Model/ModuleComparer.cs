using System;
using System.Collections.Generic;
using System.Collections.Immutable;

namespace WasmToolkit;

/// <summary>
/// Structural equality of modules: same types, imports, functions (locals and body bytes), tables,
/// memories, globals, exports, start, segments, data count and custom sections. Byte spans (where
/// nodes were read from) are ignored, so a module equals itself after a trip through bytes or text.
/// </summary>
public static class ModuleComparer
{
    /// <summary>True when <paramref name="a"/> and <paramref name="b"/> are structurally equal.</summary>
    public static bool AreEqual(Module a, Module b) => FindDifference(a, b) is null;

    /// <summary>A description of the first difference, or null when the modules are equal.</summary>
    /// <param name="a">One module.</param>
    /// <param name="b">The other.</param>
    /// <param name="compareCustomSections">Whether custom sections (names included) take part.</param>
    /// <param name="compareDataCount">Whether the data count section takes part (the text format has none: parsers derive it).</param>
    public static string? FindDifference(Module a, Module b, bool compareCustomSections = true, bool compareDataCount = true)
    {
        if (a is null) throw new ArgumentNullException(nameof(a));
        if (b is null) throw new ArgumentNullException(nameof(b));
        return List("type", a.Types, b.Types, (x, y) => x.Equals(y) ? null : $"{x} vs {y}")
            ?? List("import", a.Imports, b.Imports, CompareImport)
            ?? List("function", a.Functions, b.Functions, CompareFunction)
            ?? List("table", a.Tables, b.Tables, (x, y) => x.Type.Equals(y.Type) && Equal(x.Init, y.Init) ? null : $"{x.Type} vs {y.Type}")
            ?? List("memory", a.Memories, b.Memories, (x, y) => x.Type.Equals(y.Type) ? null : $"{x.Type} vs {y.Type}")
            ?? List("global", a.Globals, b.Globals, (x, y) => !x.Type.Equals(y.Type) ? $"{x.Type} vs {y.Type}" : Equal(x.Init, y.Init) ? null : "initialisers differ")
            ?? List("export", a.Exports, b.Exports, (x, y) => x.Name == y.Name && x.Kind == y.Kind && x.Index == y.Index ? null : $"{x} vs {y}")
            ?? (a.Start == b.Start ? null : $"start: {a.Start} vs {b.Start}")
            ?? List("element segment", a.Elements, b.Elements, CompareElement)
            ?? (!compareDataCount || a.DataCount == b.DataCount ? null : $"data count: {a.DataCount} vs {b.DataCount}")
            ?? List("data segment", a.Data, b.Data, CompareData)
            ?? (compareCustomSections ? List("custom section", a.CustomSections, b.CustomSections, CompareCustom) : null);
    }

    private static string? List<T>(string what, ImmutableArray<T> a, ImmutableArray<T> b, Func<T, T, string?> compare)
    {
        if (a.Length != b.Length) return $"{what} count: {a.Length} vs {b.Length}";
        for (var i = 0; i < a.Length; i++)
        {
            if (compare(a[i], b[i]) is { } difference) return $"{what} {i}: {difference}";
        }

        return null;
    }

    private static string? CompareImport(Import x, Import y)
    {
        if (x.Module != y.Module || x.Name != y.Name || x.Kind != y.Kind) return $"{x} vs {y}";
        var same = x.Kind switch
        {
            ExternalKind.Function => x.FunctionType == y.FunctionType,
            ExternalKind.Table => x.Table.Equals(y.Table),
            ExternalKind.Memory => x.Memory.Equals(y.Memory),
            ExternalKind.Global => x.Global.Equals(y.Global),
            _ => true,
        };
        return same ? null : $"{x} types differ";
    }

    private static string? CompareFunction(FunctionDefinition x, FunctionDefinition y)
    {
        if (x.Type != y.Type) return $"type {x.Type} vs {y.Type}";
        if (!System.Linq.Enumerable.SequenceEqual(Locals(x.Locals), Locals(y.Locals))) return "locals differ";
        return SameCode(x.Code.Span, y.Code.Span) ? null : "body differs";
    }

    // Locals compare as the flat list of types: (local i32 i32) and (local i32) (local i32) declare the same.
    private static List<ValType> Locals(ImmutableArray<LocalGroup> groups)
    {
        var list = new List<ValType>();
        foreach (var g in groups)
        {
            for (var i = 0u; i < g.Count && list.Count < 1_000_000; i++) list.Add(g.Type);
        }

        return list;
    }

    private static string? CompareElement(ElementSegment x, ElementSegment y)
    {
        if (x.Mode != y.Mode || x.ElementType != y.ElementType || x.Table != y.Table || !Equal(x.Offset, y.Offset)) return "mode, type, table or offset differ";
        if (x.Count != y.Count) return $"item count {x.Count} vs {y.Count}";

        // Function indices and ref.func expressions describe the same items.
        for (var i = 0; i < x.Count; i++)
        {
            if (!Equal(Item(x, i), Item(y, i))) return $"item {i} differs";
        }

        return null;
    }

    private static ConstantExpression Item(ElementSegment e, int i) => e.UsesExpressions ? e.Expressions[i] : ConstantExpression.RefFunc(e.FunctionIndices[i]);

    private static string? CompareData(DataSegment x, DataSegment y)
    {
        if (x.Mode != y.Mode || x.Memory != y.Memory || !Equal(x.Offset, y.Offset)) return "mode, memory or offset differ";
        return x.Data.Span.SequenceEqual(y.Data.Span) ? null : "bytes differ";
    }

    private static string? CompareCustom(CustomSection x, CustomSection y)
        => x.Name == y.Name && x.Data.Span.SequenceEqual(y.Data.Span) ? null : $"\"{x.Name}\" vs \"{y.Name}\"";

    private static bool Equal(ConstantExpression? x, ConstantExpression? y) => x is null ? y is null : y is not null && SameCode(x.Code.Span, y.Code.Span);

    /// <summary>
    /// Same bytes, or the same instructions: a body read with over-long LEB128 immediates equals its
    /// canonical re-encoding.
    /// </summary>
    private static bool SameCode(ReadOnlySpan<byte> x, ReadOnlySpan<byte> y)
    {
        if (x.SequenceEqual(y)) return true;
        var a = Instructions.Instruction.DecodeAll(x);
        var b = Instructions.Instruction.DecodeAll(y);
        if (a.Length != b.Length) return false;
        for (var i = 0; i < a.Length; i++)
        {
            if (!a[i].Equals(b[i])) return false;
        }

        // Both must decode completely: a malformed tail is not "the same instructions".
        return a.Length > 0 && a[a.Length - 1].Opcode == Instructions.Opcode.End && b[b.Length - 1].Opcode == Instructions.Opcode.End;
    }
}
