using System.Collections.Immutable;
using WasmToolkit.Diagnostics;

namespace WasmToolkit.Text;

/// <summary>A parsed WAST script: its commands in order.</summary>
public sealed class WastScript
{
    internal WastScript(SourceText source, ImmutableArray<WastCommand> commands)
    {
        Source = source;
        Commands = commands;
    }

    /// <summary>The script's text and path.</summary>
    public SourceText Source { get; }

    public string? Path => Source.Path;

    public ImmutableArray<WastCommand> Commands { get; }
}
