using System.Collections.Immutable;
using WasmToolkit.Diagnostics;

namespace WasmToolkit.Text;

/// <summary>The outcome of parsing a WAST script: the commands that parsed, and diagnostics for those that did not.</summary>
public sealed class WastParseResult
{
    internal WastParseResult(WastScript script, ImmutableArray<Diagnostic> diagnostics)
    {
        Script = script;
        Diagnostics = diagnostics;
    }

    /// <summary>The script; a command with errors is left out of it.</summary>
    public WastScript Script { get; }

    /// <summary>Script-level problems, and problems of text modules parsed with the script (not of deferred ones).</summary>
    public ImmutableArray<Diagnostic> Diagnostics { get; }
}
