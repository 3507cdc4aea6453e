using WasmToolkit.Diagnostics;

namespace WasmToolkit.Text;

/// <summary>
/// An assertion about a module: <c>assert_invalid</c>, <c>assert_malformed</c>,
/// <c>assert_unlinkable</c> or <c>assert_uninstantiable</c> (see <see cref="WastCommand.Kind"/>).
/// </summary>
/// <remarks>
/// For <c>assert_malformed</c> a text module is not parsed while reading the script (it is
/// expected to fail); <see cref="WastModuleDefinition.Load"/> parses it on demand.
/// </remarks>
public sealed class WastAssertModuleCommand : WastCommand
{
    internal WastAssertModuleCommand(WastCommandKind kind, int line, TextSpan span, WastModuleDefinition module, string message)
        : base(kind, line, span)
    {
        Module = module;
        Message = message;
    }

    public WastModuleDefinition Module { get; }

    /// <summary>The expected error message (runners match it as a substring of the diagnostic).</summary>
    public string Message { get; }
}
