using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using WasmToolkit.Diagnostics;

namespace WasmToolkit.Text;

/// <summary>
/// A module as a script gives it: text (<c>(module field*)</c>), binary (<c>(module binary "…")</c>)
/// or quoted text (<c>(module quote "…")</c>), with its optional <c>$id</c>.
/// </summary>
/// <remarks>
/// Text modules are parsed while reading the script, except inside <c>assert_malformed</c>, where
/// they are expected to fail: those, and quoted modules, are parsed by <see cref="Load"/>.
/// </remarks>
public sealed class WastModuleDefinition
{
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly SourceText _source;
    private readonly bool _parsed;
    private readonly TextSourceMap _sourceMap;

    internal WastModuleDefinition(WastModuleKind kind, string? id, SourceText source, TextSpan span, Module? module, ImmutableArray<Diagnostic> diagnostics, byte[]? bytes, bool parsed, TextSourceMap? sourceMap = null)
    {
        _sourceMap = sourceMap ?? TextSourceMap.Empty;
        Kind = kind;
        Id = id;
        _source = source;
        Span = span;
        Line = source.GetLinePosition(span.Start).Line + 1;
        Module = module;
        Diagnostics = diagnostics.IsDefault ? ImmutableArray<Diagnostic>.Empty : diagnostics;
        Bytes = bytes ?? Array.Empty<byte>();
        _parsed = parsed;
    }

    public WastModuleKind Kind { get; }

    /// <summary>The module's <c>$id</c> (with the <c>$</c>), or null.</summary>
    public string? Id { get; }

    /// <summary>The <c>(module …)</c> form's characters in the script.</summary>
    public TextSpan Span { get; }

    /// <summary>1-based line of the <c>(module</c>.</summary>
    public int Line { get; }

    /// <summary>The module's text as written in the script.</summary>
    public string SourceText => _source.Text.Substring(Span.Start, Span.Length);

    /// <summary>For text modules parsed with the script: the module (null when deferred or malformed).</summary>
    public Module? Module { get; }

    /// <summary>Diagnostics of parsing a text module with the script (empty when deferred).</summary>
    public ImmutableArray<Diagnostic> Diagnostics { get; }

    /// <summary>For binary modules the module's bytes; for quoted modules the concatenated strings' bytes.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>For quoted modules: the text the strings spell, or null when it is not valid UTF-8.</summary>
    public string? QuoteText
    {
        get
        {
            if (Kind != WastModuleKind.Quote) return null;
            try
            {
                return s_strictUtf8.GetString(Bytes.ToArray());
            }
            catch (DecoderFallbackException)
            {
                return null;
            }
        }
    }

    /// <summary>
    /// The module: text modules parsed (again only if needed), quoted modules' strings
    /// concatenated and parsed as a module, binary modules' bytes for the binary reader.
    /// </summary>
    public WastModuleContent Load(WasmFeatures features = WasmFeatures.V2)
    {
        switch (Kind)
        {
            case WastModuleKind.Binary:
                return new WastModuleContent(Kind, null, Bytes, ImmutableArray<Diagnostic>.Empty);
            case WastModuleKind.Text:
            {
                if (_parsed && features == WasmFeatures.V2) return new WastModuleContent(Kind, Module, default, Diagnostics, _sourceMap);
                var result = TextModuleParser.Parse(_source, Span.Start, Span.End, new List<Diagnostic>(), features);
                return new WastModuleContent(Kind, result.Module, default, result.Diagnostics, result.SourceMap);
            }

            default:
            {
                var text = QuoteText;
                if (text is null)
                {
                    var diagnostic = Diagnostic.Create(DiagnosticCatalog.TextMalformedUtf8, new TextLocation(_source, Span));
                    return new WastModuleContent(Kind, null, default, ImmutableArray.Create(diagnostic));
                }

                var path = (_source.Path ?? "") + ":" + Line.ToString(CultureInfo.InvariantCulture) + " (quote)";
                var result = TextModuleParser.Parse(new SourceText(text, path), new List<Diagnostic>(), features);
                return new WastModuleContent(Kind, result.Module, default, result.Diagnostics, result.SourceMap);
            }
        }
    }

    public override string ToString() => "module " + (Id is null ? "" : Id + " ") + Kind.ToString().ToLowerInvariant() + " at line " + Line;
}
