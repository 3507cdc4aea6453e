using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using WasmToolkit.Diagnostics;
using WasmToolkit.Tests.Infrastructure;
using Xunit;

namespace WasmToolkit.Tests.Diagnostics;

/// <summary>
/// The catalogue's rules: ids are WASM + four digits, unique, in their layer's range; and
/// docs/diagnostics.md, the one table documenting them, is generated from the catalogue
/// (VERIFY_ACCEPT=1 regenerates it).
/// </summary>
public class DiagnosticCatalogTests
{
    private static readonly Dictionary<string, (int Low, int High)> s_ranges = new()
    {
        ["Binary"] = (1, 999),
        ["Text"] = (1000, 1999),
        ["Validation"] = (2000, 2999),
        ["Link"] = (3000, 3999),
        ["Compile"] = (4000, 4999),
        ["Build"] = (5000, 5999),
    };

    [Fact]
    public void IdsAreWellFormedUniqueAndInTheirLayersRange()
    {
        var all = DiagnosticCatalog.All;
        Assert.NotEmpty(all);
        Assert.Equal(all.Length, all.Select(d => d.Id).Distinct().Count());
        foreach (var d in all)
        {
            Assert.Matches(new Regex("^WASM[0-9]{4}$"), d.Id);
            Assert.True(s_ranges.TryGetValue(d.Category, out var range), $"{d.Id}: unknown category {d.Category}");
            var number = int.Parse(d.Id.Substring(4));
            Assert.InRange(number, range.Low, range.High);
        }
    }

    [Fact]
    public void DocumentationTableIsCurrent()
    {
        var sb = new StringBuilder();
        sb.Append("# Diagnostics\n\n");
        sb.Append("Every diagnostic WasmToolkit reports, generated from `DiagnosticCatalog` ");
        sb.Append("(`tests/WasmToolkit.Tests/Diagnostics/DiagnosticCatalogTests.cs` keeps this file current; ");
        sb.Append("run the tests with `VERIFY_ACCEPT=1` to regenerate it). Ids are never reused. Ranges: ");
        sb.Append("WASM0001–0999 binary format (malformed), WASM1000–1999 text format, WASM2000–2999 validation (invalid), ");
        sb.Append("WASM3000–3999 linking, WASM4000–4999 compilation, WASM5000–5999 build time.\n\n");
        sb.Append("| id | severity | category | title | message format |\n|---|---|---|---|---|\n");
        foreach (var d in DiagnosticCatalog.All)
        {
            sb.Append($"| <a id=\"{d.Id.ToLowerInvariant()}\"></a>{d.Id} | {d.DefaultSeverity} | {d.Category} | {Escape(d.Title)} | {Escape(d.MessageFormat)} |\n");
        }

        Snapshot.MatchFile(sb.ToString(), Path.Combine(TestPaths.RepositoryRoot, "docs", "diagnostics.md"));
    }

    private static string Escape(string s) => s.Replace("|", "\\|");
}
