using System;
using System.Collections.Immutable;
using WasmToolkit.Diagnostics;

namespace WasmToolkit.Text;

/// <summary>
/// What a <see cref="WastModuleDefinition"/> yields: a parsed <see cref="Module"/> for text and
/// quoted modules, or the bytes of a binary module for the binary reader.
/// </summary>
public sealed class WastModuleContent
{
    internal WastModuleContent(WastModuleKind kind, Module? module, ReadOnlyMemory<byte> binary, ImmutableArray<Diagnostic> diagnostics, TextSourceMap? sourceMap = null)
    {
        Kind = kind;
        Module = module;
        Binary = binary;
        Diagnostics = diagnostics.IsDefault ? ImmutableArray<Diagnostic>.Empty : diagnostics;
        SourceMap = sourceMap ?? TextSourceMap.Empty;
    }

    public WastModuleKind Kind { get; }

    /// <summary>For text and quoted modules: the module, or null when its text is malformed.</summary>
    public Module? Module { get; }

    /// <summary>For binary modules: the bytes (read them with the binary reader).</summary>
    public ReadOnlyMemory<byte> Binary { get; }

    /// <summary>Problems parsing the text (empty for binary modules: the binary reader reports theirs).</summary>
    public ImmutableArray<Diagnostic> Diagnostics { get; }

    /// <summary>For text and quoted modules: maps validation diagnostics of <see cref="Module"/> to the text (empty for binary modules).</summary>
    public TextSourceMap SourceMap { get; }
}
