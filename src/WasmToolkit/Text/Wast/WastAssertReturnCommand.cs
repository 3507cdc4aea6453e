using System.Collections.Immutable;
using WasmToolkit.Diagnostics;

namespace WasmToolkit.Text;

/// <summary><c>(assert_return action result*)</c>: the action returns values matching the results.</summary>
public sealed class WastAssertReturnCommand : WastCommand
{
    internal WastAssertReturnCommand(int line, TextSpan span, WastAction action, ImmutableArray<WastResult> results)
        : base(WastCommandKind.AssertReturn, line, span)
    {
        Action = action;
        Results = results;
    }

    public WastAction Action { get; }

    public ImmutableArray<WastResult> Results { get; }
}
