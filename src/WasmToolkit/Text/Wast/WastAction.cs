using System.Collections.Immutable;

namespace WasmToolkit.Text;

/// <summary>An action of a script: invoke an export with arguments, or get an exported global.</summary>
public sealed class WastAction
{
    internal WastAction(WastActionKind kind, string? moduleId, string name, ImmutableArray<WastValue> arguments)
    {
        Kind = kind;
        ModuleId = moduleId;
        Name = name;
        Arguments = arguments.IsDefault ? ImmutableArray<WastValue>.Empty : arguments;
    }

    public WastActionKind Kind { get; }

    /// <summary>The <c>$id</c> of the target module, or null for the most recent one.</summary>
    public string? ModuleId { get; }

    /// <summary>The export name.</summary>
    public string Name { get; }

    /// <summary>For <see cref="WastActionKind.Invoke"/>: the arguments.</summary>
    public ImmutableArray<WastValue> Arguments { get; }

    public override string ToString() => (Kind == WastActionKind.Invoke ? "invoke " : "get ") + (ModuleId is null ? "" : ModuleId + " ") + "\"" + Name + "\"";
}
