using System.Collections.Immutable;
using WasmToolkit.Diagnostics;

namespace WasmToolkit.Text;

/// <summary>The outcome of parsing a text module: the module (when the text is well-formed) and diagnostics.</summary>
public sealed class TextParseResult
{
    internal TextParseResult(Module? module, ImmutableArray<Diagnostic> diagnostics, TextSourceMap sourceMap)
    {
        Module = module;
        Diagnostics = diagnostics.IsDefault ? ImmutableArray<Diagnostic>.Empty : diagnostics;
        SourceMap = sourceMap;
    }

    /// <summary>The parsed module; null when errors prevented building one (any error makes the text malformed).</summary>
    public Module? Module { get; }

    /// <summary>Problems found, in text order within each pass; each has a <see cref="TextLocation"/>.</summary>
    public ImmutableArray<Diagnostic> Diagnostics { get; }

    /// <summary>
    /// Maps the locations of diagnostics about <see cref="Module"/> (e.g. from
    /// <see cref="Validation.ModuleValidator"/>) to line and column in the text:
    /// <c>result.SourceMap.Remap(validated.Diagnostics)</c>. <see cref="TextSourceMap.Empty"/> when there is no module.
    /// </summary>
    public TextSourceMap SourceMap { get; }

    /// <summary>True when some diagnostic is an error.</summary>
    public bool HasErrors
    {
        get
        {
            foreach (var d in Diagnostics)
            {
                if (d.IsError) return true;
            }

            return false;
        }
    }
}
