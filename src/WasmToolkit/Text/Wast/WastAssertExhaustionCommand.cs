using WasmToolkit.Diagnostics;

namespace WasmToolkit.Text;

/// <summary><c>(assert_exhaustion action "message")</c>: the action exhausts the call stack.</summary>
public sealed class WastAssertExhaustionCommand : WastCommand
{
    internal WastAssertExhaustionCommand(int line, TextSpan span, WastAction action, string message)
        : base(WastCommandKind.AssertExhaustion, line, span)
    {
        Action = action;
        Message = message;
    }

    public WastAction Action { get; }

    public string Message { get; }
}
