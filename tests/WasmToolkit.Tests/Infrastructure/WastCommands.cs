using WasmToolkit.Text;

namespace WasmToolkit.Tests.Infrastructure;

/// <summary>Helpers over the commands of a parsed <c>.wast</c> script.</summary>
internal static class WastCommands
{
    /// <summary>
    /// The module a command defines or makes an assertion about, when that module is expected to be well formed:
    /// <c>module</c>, <c>assert_invalid</c>/<c>assert_unlinkable</c>/<c>assert_uninstantiable</c> and the module form
    /// of <c>assert_trap</c>; null for <c>assert_malformed</c> and for commands without a module.
    /// </summary>
    public static WastModuleDefinition? WellFormedModule(WastCommand command) => command switch
    {
        WastModuleCommand m => m.Module,
        WastAssertModuleCommand a when a.Kind != WastCommandKind.AssertMalformed => a.Module,
        WastAssertTrapCommand t => t.Module,
        _ => null,
    };
}
