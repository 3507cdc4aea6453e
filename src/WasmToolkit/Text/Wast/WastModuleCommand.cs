using WasmToolkit.Diagnostics;

namespace WasmToolkit.Text;

/// <summary><c>(module …)</c>: define (and instantiate) a module, making it the current one.</summary>
public sealed class WastModuleCommand : WastCommand
{
    internal WastModuleCommand(int line, TextSpan span, WastModuleDefinition module)
        : base(WastCommandKind.Module, line, span)
    {
        Module = module;
    }

    public WastModuleDefinition Module { get; }
}
