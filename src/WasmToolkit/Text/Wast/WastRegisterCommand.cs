using WasmToolkit.Diagnostics;

namespace WasmToolkit.Text;

/// <summary><c>(register "name" $module?)</c>: make a module's exports importable under a name.</summary>
public sealed class WastRegisterCommand : WastCommand
{
    internal WastRegisterCommand(int line, TextSpan span, string name, string? moduleId)
        : base(WastCommandKind.Register, line, span)
    {
        Name = name;
        ModuleId = moduleId;
    }

    /// <summary>The module name imports will use.</summary>
    public string Name { get; }

    /// <summary>The <c>$id</c> of the module to register, or null for the current module.</summary>
    public string? ModuleId { get; }
}
