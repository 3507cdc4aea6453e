using System.Collections.Generic;
using System.IO;
using System.Linq;
using WasmToolkit.Diagnostics;
using WasmToolkit.Tests;
using WasmToolkit.Tests.Infrastructure;
using Xunit;

namespace WasmToolkit.Generators.Tests;

/// <summary>
/// One case per problem the generator reports: its diagnostics, one per line as
/// <c>id severity file(line,col): message</c>, are compared with
/// <c>DiagnosticTests.Reports_{case}.verified.txt</c> beside this file (<c>VERIFY_ACCEPT=1</c> accepts).
/// </summary>
public class DiagnosticTests
{
    private const string Bind = """
        using WasmToolkit.Runtime;
        namespace Demo;
        [WasmModule("m.wat")]
        public partial class M { }
        """;

    public static IEnumerable<object[]> Cases => s_cases.Keys.Select(k => new object[] { k });

    private static readonly Dictionary<string, (string Source, (string, string)[] Files)> s_cases = new()
    {
        // The front end's diagnostics, forwarded with their ids at line and column in the .wat file.
        ["malformed"] = (Bind, new[] { ("/p/m.wat", "(module\n  (func (result i32)\n    (bogus)))") }),
        ["invalid"] = (Bind, new[] { ("/p/m.wat", "(module\n  (func (export \"f\") (result i32)\n    (i64.const 1)))") }),
        ["missing file"] = (Bind, new[] { ("/p/other.wat", "(module)") }),
        ["suffix must start at a separator"] = (Bind, new[] { ("/p/mm.wat", "(module)") }),
        ["ambiguous file"] = (Bind, new[] { ("/p/a/m.wat", "(module)"), ("/p/b/m.wat", "(module)") }),
        ["not partial"] = ("""
            namespace Demo;
            [WasmToolkit.Runtime.WasmModule("m.wat")]
            public class M { }
            """, new[] { ("/p/m.wat", "(module)") }),
        ["nested class"] = ("""
            namespace Demo;
            public partial class Outer
            {
                [WasmToolkit.Runtime.WasmModule("m.wat")]
                public partial class M { }
            }
            """, new[] { ("/p/m.wat", "(module)") }),
        ["name collisions"] = (Bind, new[] { ("/p/m.wat", """
            (module
              (import "a-b" "f" (func))
              (import "a_b" "g" (func))
              (import "env" "x-y" (func))
              (import "env" "x_y" (func (param i32)))
              (func (export "foo"))
              (func (export "Foo"))
              (func (export "instance"))
              (func (export "m"))
              (func (export "to_string") (result i32) (i32.const 0)))
            """) }),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reports(string name)
    {
        var (source, files) = s_cases[name];
        var (result, _) = GeneratorHarness.Run(source, files);
        Snapshot.Match(GeneratorHarness.Render(result.Diagnostics), name);
    }

    /// <summary>
    /// The generator's own ids are the catalogue's Build category, with the same texts, and release-tracked; retired ones
    /// stay in the catalogue only (neither declared by the generator nor listed as rules).
    /// </summary>
    [Fact]
    public void BuildDiagnosticsMatchTheCatalogueAndReleaseTracking()
    {
        var build = DiagnosticCatalog.All.Where(d => d.Category == "Build").ToList();
        var retired = build.Where(d => d.Title.StartsWith("retired", System.StringComparison.Ordinal)).ToList();
        var catalogue = build.Except(retired).ToList();
        Assert.Equal(new[] { "WASM5003", "WASM5005" }, retired.Select(d => d.Id));
        Assert.Equal(catalogue.Select(d => d.Id).OrderBy(x => x), BuildDiagnostics.ById.Keys.OrderBy(x => x));
        var unshipped = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "analyzers", "WasmToolkit.Generators", "AnalyzerReleases.Unshipped.md"));
        foreach (var d in retired) Assert.DoesNotContain(d.Id + " | Build", unshipped);
        foreach (var d in catalogue)
        {
            var roslyn = BuildDiagnostics.ById[d.Id];
            Assert.Equal(d.Title, roslyn.Title.ToString());
            Assert.Equal(d.MessageFormat, roslyn.MessageFormat.ToString());
            Assert.Equal(d.DefaultSeverity.ToString(), roslyn.DefaultSeverity.ToString());
            Assert.Equal("Build", roslyn.Category);
            Assert.Contains(d.Id + " | Build | " + d.DefaultSeverity + " | " + d.Title, unshipped);
        }
    }
}
