using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using WasmToolkit.Tests.Infrastructure;

namespace WasmToolkit.Tests.Printing;

/// <summary>
/// The spec suite's <c>module</c> commands as <c>.wasm</c> files, converted once per test class by
/// <c>wast2json --debug-names</c> (so modules carry name sections) into a temporary folder.
/// </summary>
/// <remarks>
/// The suite is found by <see cref="SuiteLocator"/> and wast2json by <see cref="WabtTools"/>; the conversion
/// runs on the first <see cref="Require"/>, so a missing suite or wabt skips each test (fails it on CI)
/// instead of breaking the fixture. wabt 1.0.32 rejects a few scripts over single forms it does not know;
/// their <c>module</c> commands are then split out (<see cref="WastSplitter"/>) and converted one by one.
/// </remarks>
public sealed class SpecSuiteFixture : IDisposable
{
    private readonly Lazy<IReadOnlyList<SuiteScript>> _scripts;
    private string? _workDirectory;

    public SpecSuiteFixture() => _scripts = new(ConvertSuite, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// The converted scripts, sorted by name; skips (or on CI fails) the calling test when the suite or
    /// wast2json is missing.
    /// </summary>
    public IReadOnlyList<SuiteScript> Require()
    {
        SuiteLocator.Require();
        WabtTools.RequireWast2Json();
        return _scripts.Value;
    }

    public void Dispose()
    {
        if (_workDirectory is not null && Directory.Exists(_workDirectory)) Directory.Delete(_workDirectory, recursive: true);
    }

    private IReadOnlyList<SuiteScript> ConvertSuite()
    {
        var scripts = SuiteLocator.WastFiles(SuiteLocator.Require());
        var wast2json = WabtTools.RequireWast2Json();
        var work = Path.Combine(Path.GetTempPath(), "wasmtk-printer-suite-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        _workDirectory = work;
        var converted = new ConcurrentBag<SuiteScript>();
        Parallel.ForEach(scripts, WabtTools.Parallelism, script => converted.Add(Convert(wast2json, script, work)));
        return converted.OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>The <c>.wasm</c> files of the <c>module</c> commands of a wast2json output, in order.</summary>
    internal static IEnumerable<string> ModuleFiles(string json)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        foreach (var command in doc.RootElement.GetProperty("commands").EnumerateArray())
        {
            if (command.GetProperty("type").GetString() == "module" && command.TryGetProperty("filename", out var file))
            {
                yield return file.GetString()!;
            }
        }
    }

    internal static string FirstLine(string text)
    {
        var line = text.Split('\n').FirstOrDefault(l => l.Trim().Length > 0) ?? "";
        return line.Length > 200 ? line.Substring(0, 200) : line;
    }

    private static SuiteScript Convert(string wast2json, string script, string work)
    {
        var name = Path.GetFileNameWithoutExtension(script);
        var dir = Path.Combine(work, name);
        Directory.CreateDirectory(dir);
        var files = new List<string>();
        var (code, _, error) = WabtTools.Run(wast2json, $"--debug-names \"{script}\" -o \"{Path.Combine(dir, "source.json")}\"", dir);
        if (code == 0)
        {
            files.AddRange(ModuleFiles(Path.Combine(dir, "source.json")).Select(f => Path.Combine(dir, f)));
            return new SuiteScript(name, dir, files, null, 0);
        }

        var unconvertible = 0;
        var forms = WastSplitter.Split(File.ReadAllText(script));
        for (var i = 0; i < forms.Count; i++)
        {
            if (forms[i].Keyword != "module") continue;
            var single = Path.Combine(dir, $"form{i}.wast");
            File.WriteAllText(single, forms[i].Text);
            var (c, _, _) = WabtTools.Run(wast2json, $"--debug-names \"{single}\" -o \"{Path.Combine(dir, $"form{i}.json")}\"", dir);
            if (c == 0) files.AddRange(ModuleFiles(Path.Combine(dir, $"form{i}.json")).Select(f => Path.Combine(dir, f)));
            else unconvertible++;
        }

        return new SuiteScript(name, dir, files, FirstLine(error), unconvertible);
    }
}

/// <summary>One converted script: its module binaries, and why wast2json rejected it whole, if it did.</summary>
public sealed record SuiteScript(string Name, string Directory, IReadOnlyList<string> ModuleFiles, string? SourceError, int Unconvertible);
