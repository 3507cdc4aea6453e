using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using WasmToolkit.Tests.Infrastructure;
using Xunit;

namespace WasmToolkit.Generators.Tests;

/// <summary>
/// Generated source as snapshots: each test binds a module from <c>Modules/</c> and compares the generated
/// file with <c>GeneratorTests.{Test}.verified.cs</c> beside this file (Verify's conventions; run with
/// <c>VERIFY_ACCEPT=1</c> to accept, then review the diff). The output must also compile without diagnostics.
/// </summary>
public class GeneratorTests
{
    internal static string Module(string name) => File.ReadAllText(Path.Combine(System.AppContext.BaseDirectory, "Modules", name));

    internal const string MathSource = """
        using WasmToolkit.Runtime;

        namespace Demo;

        [WasmModule("math.wat")]
        public partial class MathModule;
        """;

    internal const string ImportsSource = """
        using WasmToolkit.Runtime;

        namespace Demo;

        [WasmModule("modules/imports.wat")]
        internal partial class Plugin
        {
        }
        """;

    [Fact]
    public void ExportsImportsGlobalsMemoryAndTable()
    {
        var (result, output) = GeneratorHarness.Run(MathSource, ("/project/wasm/math.wat", Module("math.wat")));
        AssertClean(result, output);
        Snapshot.Match(result.GeneratedTrees.Single().ToString(), extension: "cs");
    }

    [Fact]
    public void ImportsWithoutATypedPath()
    {
        var (result, output) = GeneratorHarness.Run(ImportsSource, ("C:\\project\\modules\\imports.wat", Module("imports.wat")));
        AssertClean(result, output);
        Snapshot.Match(result.GeneratedTrees.Single().ToString(), extension: "cs");
    }

    internal const string VectorsSource = """
        using WasmToolkit.Runtime;

        namespace Demo;

        [WasmModule("vectors.wat")]
        public partial class Vectors;
        """;

    /// <summary>v128 as <c>Vector128&lt;byte&gt;</c>: typed handles, two slots per vector in the slot path, boxing beside references, globals.</summary>
    [Fact]
    public void V128ExportsImportsAndGlobals()
    {
        var (result, output) = GeneratorHarness.Run(VectorsSource, ("/project/wasm/vectors.wat", Module("vectors.wat")));
        AssertClean(result, output);
        Snapshot.Match(result.GeneratedTrees.Single().ToString(), extension: "cs");
    }

    [Fact]
    public void GlobalNamespaceClass()
    {
        var (result, output) = GeneratorHarness.Run("""
            [WasmToolkit.Runtime.WasmModule("tiny.wat")]
            partial class Tiny { }
            """, ("tiny.wat", """(module (func (export "f") (result i32) (i32.const 7)))"""));
        AssertClean(result, output);
        Assert.Equal("Tiny.g.cs", Path.GetFileName(result.GeneratedTrees.Single().FilePath));
    }

    private static void AssertClean(GeneratorDriverRunResult result, Compilation output)
    {
        Assert.Empty(GeneratorHarness.Render(result.Diagnostics));
        Assert.Empty(GeneratorHarness.Render(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning)));
    }
}
