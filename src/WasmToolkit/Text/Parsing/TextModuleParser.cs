using System;
using System.Collections.Generic;
using WasmToolkit.Diagnostics;

namespace WasmToolkit.Text;

/// <summary>
/// Parses the WebAssembly text format (spec chapter 6) into a <see cref="Module"/>: either
/// <c>(module $id? field*)</c> or a bare sequence of module fields.
/// </summary>
/// <remarks>
/// Never throws on bad input: every problem is a <see cref="Diagnostic"/> with a
/// <see cref="TextLocation"/>. Function bodies are encoded to bytes; identifiers become a
/// <c>name</c> section. The model nodes carry spans of a virtual binary layout that
/// <see cref="TextParseResult.SourceMap"/> maps back to the text, so the validator's diagnostics can
/// point at lines and columns.
/// </remarks>
public static class TextModuleParser
{
    /// <summary>Parses <paramref name="text"/>; <paramref name="path"/> only labels locations.</summary>
    public static TextParseResult Parse(string text, string? path = null, WasmFeatures features = WasmFeatures.V2)
    {
        if (text is null) throw new ArgumentNullException(nameof(text));
        return Parse(new SourceText(text, path), new List<Diagnostic>(), features);
    }

    /// <summary>Parses UTF-8 bytes, e.g. a file's contents; invalid UTF-8 is a diagnostic.</summary>
    public static TextParseResult Parse(ReadOnlySpan<byte> utf8, string? path = null, WasmFeatures features = WasmFeatures.V2)
    {
        var diagnostics = new List<Diagnostic>();
        var source = TextDecoding.Decode(utf8, path, diagnostics);
        return Parse(source, diagnostics, features);
    }

    internal static TextParseResult Parse(SourceText source, List<Diagnostic> diagnostics, WasmFeatures features)
        => Parse(source, 0, source.Text.Length, diagnostics, features);

    /// <summary>Parses the module in characters <c>[start, end)</c> of <paramref name="source"/>.</summary>
    internal static TextParseResult Parse(SourceText source, int start, int end, List<Diagnostic> diagnostics, WasmFeatures features)
    {
        var errorsBefore = diagnostics.Count;
        var tokens = Lexer.Tokenize(source, start, end, diagnostics);
        var parser = new ModuleParser(source, tokens, diagnostics, features);
        Module? module;
        try
        {
            module = parser.ParseModuleOrFields();
        }
        catch (ParseAbort)
        {
            module = null;
        }

        if (diagnostics.Count > errorsBefore) module = null;
        return new TextParseResult(module, diagnostics.ToArray().AsImmutable(), module is null ? TextSourceMap.Empty : parser.GetSourceMap());
    }

    private static System.Collections.Immutable.ImmutableArray<Diagnostic> AsImmutable(this Diagnostic[] array)
        => System.Collections.Immutable.ImmutableArray.Create(array);
}
