using System.Linq;
using WasmToolkit.Compiler;
using WasmToolkit.Text;
using Xunit;

namespace WasmToolkit.Runtime.Tests.Linking;

/// <summary>WAT text → compiled module for the linking tests (parse failures fail the test with their diagnostics).</summary>
internal static class Wat
{
    public static CompiledModule Compile(string text)
    {
        var parsed = TextModuleParser.Parse(text, "test.wat");
        Assert.True(parsed.Module is not null, string.Join("\n", parsed.Diagnostics.Select(d => d.ToString())));
        return ModuleCompiler.Compile(parsed.Module!);
    }
}
