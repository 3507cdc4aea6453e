using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using WasmToolkit.Binary;
using WasmToolkit.Diagnostics;
using WasmToolkit.Tests.Infrastructure;
using WasmToolkit.Validation;
using Xunit;

namespace WasmToolkit.Tests.Diagnostics;

/// <summary>
/// The diagnostics catalogue by example. Each file under <c>Cases/binary</c> (<c>.hex</c>: hex bytes,
/// <c>;;</c> comments) and <c>Cases/text</c> (<c>.wat</c>) is read, parsed and validated; the rendered
/// diagnostics (id, severity, location, message) must equal the <c>.verified.txt</c> beside it, so any
/// change in wording or location shows in review. VERIFY_ACCEPT=1 accepts changes. Every error id of the
/// binary, text and validation layers must be produced by at least one case.
/// </summary>
/// <remarks>
/// Cases run with WebAssembly 2.0 and a reader that decodes function bodies, unless a comment line of
/// the case says otherwise: <c>;; features: V1</c> (a <see cref="WasmFeatures"/> value such as
/// <c>V2, Threads</c>, for parsing, reading and validating) or <c>;; bodies: lazy</c> (binary cases: the
/// reader's default, which leaves function bodies to the validator). A <c>.wast</c> case under
/// <c>Cases/text</c> is parsed as a script, for the ids only scripts produce; it is not validated.
/// Validation diagnostics of <c>.wat</c> cases are put at line and column through the parse's source map,
/// as <c>wasmtk validate</c> prints them; binary cases keep their byte offsets.
/// </remarks>
public class DiagnosticSnapshotTests
{
    private static string CasesDirectory => Path.Combine(TestPaths.RepositoryRoot, "tests", "WasmToolkit.Tests", "Diagnostics", "Cases");

    public static IEnumerable<object[]> Cases()
        => Directory.GetFiles(CasesDirectory, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".hex", StringComparison.Ordinal) || f.EndsWith(".wat", StringComparison.Ordinal) || f.EndsWith(".wast", StringComparison.Ordinal))
            .Select(f => new object[] { Path.GetRelativePath(CasesDirectory, f).Replace('\\', '/') })
            .OrderBy(a => (string)a[0], StringComparer.Ordinal);

    [Theory]
    [MemberData(nameof(Cases))]
    public void RenderedDiagnosticsMatchSnapshot(string relativePath)
    {
        var path = Path.Combine(CasesDirectory, relativePath);
        var rendered = string.Join("\n", Diagnose(path, relativePath).Select(d => d.ToString())) + "\n";
        Snapshot.MatchFile(rendered, Path.ChangeExtension(path, ".verified.txt"));
    }

    [Fact]
    public void EveryErrorIdHasACase()
    {
        var seen = new HashSet<string>();
        foreach (var c in Cases())
        {
            var relative = (string)c[0];
            foreach (var d in Diagnose(Path.Combine(CasesDirectory, relative), relative)) seen.Add(d.Id);
        }

        // Ids only modules built in code can reach (see CodeBuiltDiagnosticCases).
        foreach (var name in CodeBuiltDiagnosticCases.Builders.Keys)
        {
            foreach (var d in CodeBuiltDiagnosticCases.Diagnose(name)) seen.Add(d.Id);
        }

        var missing = DiagnosticCatalog.All
            .Where(d => d.Category is "Binary" or "Text" or "Validation" && !seen.Contains(d.Id))
            .Select(d => d.Id + " " + d.Title)
            .ToList();
        Assert.True(missing.Count == 0, "No case produces: " + string.Join(", ", missing));
    }

    internal static IReadOnlyList<Diagnostic> Diagnose(string path, string displayPath)
    {
        var diagnostics = new List<Diagnostic>();
        var text = new UTF8Encoding(false, false).GetString(File.ReadAllBytes(path));
        var features = Option(text, "features") is { } f ? Enum.Parse<WasmFeatures>(f) : WasmFeatures.V2;
        Module? module;
        var sourceMap = WasmToolkit.Text.TextSourceMap.Empty;
        if (path.EndsWith(".hex", StringComparison.Ordinal))
        {
            var options = new ReadOptions { Path = displayPath, Features = features, DecodeFunctionBodies = Option(text, "bodies") != "lazy" };
            var result = ModuleReader.Read(ParseHex(text), options);
            diagnostics.AddRange(result.Diagnostics);
            module = result.Module;
        }
        else if (path.EndsWith(".wast", StringComparison.Ordinal))
        {
            return WasmToolkit.Text.WastParser.Parse(text, displayPath).Diagnostics;
        }
        else
        {
            var result = WasmToolkit.Text.TextModuleParser.Parse(text, displayPath, features);
            diagnostics.AddRange(result.Diagnostics);
            module = result.Module;
            sourceMap = result.SourceMap;
        }

        if (module is not null && !diagnostics.Any(d => d.IsError))
        {
            diagnostics.AddRange(sourceMap.Remap(ModuleValidator.Validate(module, features, displayPath).Diagnostics));
        }

        return diagnostics;
    }

    /// <summary>The value of a <c>;; name: value</c> comment line of a case, or null.</summary>
    private static string? Option(string text, string name)
    {
        var prefix = ";; " + name + ":";
        return text.Split('\n')
            .Select(line => line.Trim())
            .FirstOrDefault(line => line.StartsWith(prefix, StringComparison.Ordinal))?
            .Substring(prefix.Length).Trim();
    }

    /// <summary>Hex bytes separated by white space; <c>;;</c> starts a comment; <c>"text"</c> is ASCII.</summary>
    internal static byte[] ParseHex(string text)
    {
        var bytes = new List<byte>();
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine;
            var comment = line.IndexOf(";;", StringComparison.Ordinal);
            if (comment >= 0) line = line.Substring(0, comment);
            var i = 0;
            while (i < line.Length)
            {
                if (char.IsWhiteSpace(line[i]))
                {
                    i++;
                }
                else if (line[i] == '"')
                {
                    var end = line.IndexOf('"', i + 1);
                    bytes.AddRange(Encoding.ASCII.GetBytes(line.Substring(i + 1, end - i - 1)));
                    i = end + 1;
                }
                else
                {
                    bytes.Add(byte.Parse(line.Substring(i, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 2;
                }
            }
        }

        return bytes.ToArray();
    }
}
