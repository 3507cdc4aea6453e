using WasmToolkit.Diagnostics;

namespace WasmToolkit.Text;

/// <summary>A bare action (<c>invoke</c> or <c>get</c>) whose result is ignored.</summary>
public sealed class WastActionCommand : WastCommand
{
    internal WastActionCommand(int line, TextSpan span, WastAction action)
        : base(WastCommandKind.Action, line, span)
    {
        Action = action;
    }

    public WastAction Action { get; }
}
