using WasmToolkit.Diagnostics;

namespace WasmToolkit.Text;

/// <summary>
/// <c>(assert_trap action "message")</c>, or <c>(assert_trap module "message")</c>: instantiating
/// the module traps (running its start function or applying segments).
/// </summary>
public sealed class WastAssertTrapCommand : WastCommand
{
    internal WastAssertTrapCommand(int line, TextSpan span, WastAction? action, WastModuleDefinition? module, string message)
        : base(WastCommandKind.AssertTrap, line, span)
    {
        Action = action;
        Module = module;
        Message = message;
    }

    /// <summary>The action that traps; null when <see cref="Module"/> is given.</summary>
    public WastAction? Action { get; }

    /// <summary>The module whose instantiation traps; null when <see cref="Action"/> is given.</summary>
    public WastModuleDefinition? Module { get; }

    /// <summary>The expected trap message (matched by prefix or substring by runners).</summary>
    public string Message { get; }
}
