using WasmToolkit.Text;

namespace WasmToolkit.Cli.Wast;

/// <summary>How one script command fared.</summary>
public enum WastStatus
{
    Passed,
    Failed,
    Skipped,
}

/// <summary>The result of one command of a script, with the reason when it did not pass.</summary>
public sealed record WastOutcome(int Line, WastCommandKind Kind, WastStatus Status, string? Reason);
