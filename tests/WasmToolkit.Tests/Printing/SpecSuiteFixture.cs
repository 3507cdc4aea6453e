using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;

namespace WasmToolkit.Tests.Printing;

/// <summary>
/// The spec suite's <c>module</c> commands as <c>.wasm</c> files, converted once per test class by
/// <c>wast2json --debug-names</c> (so modules carry name sections) into a temporary folder.
/// </summary>
/// <remarks>
/// Suite folder: <c>WASM_TESTSUITE</c>, default <c>../shared/wasm-testsuite-2.0</c> beside the repository
/// root, with its <c>simd/</c>. wabt 1.0.32 rejects a few scripts over single forms it does not know;
/// their <c>module</c> commands are then split out (<see cref="WastSplitter"/>) and converted one by one.
/// </remarks>
public sealed class SpecSuiteFixture : IDisposable
{
    public SpecSuiteFixture()
    {
        SuiteDirectory = Environment.GetEnvironmentVariable("WASM_TESTSUITE") is { Length: > 0 } fromEnv
            ? fromEnv
            : Path.GetFullPath(Path.Combine(TestPaths.RepositoryRoot, "..", "shared", "wasm-testsuite-2.0"));
        if (!Directory.Exists(SuiteDirectory))
        {
            SkipReason = $"Spec suite not found at {SuiteDirectory} (set WASM_TESTSUITE); skipped.";
            return;
        }

        if (Wabt.MissingReason is { } missing)
        {
            SkipReason = missing;
            return;
        }

        var simd = Path.Combine(SuiteDirectory, "simd");
        var scripts = Directory.GetFiles(SuiteDirectory, "*.wast")
            .Concat(Directory.Exists(simd) ? Directory.GetFiles(simd, "*.wast") : Array.Empty<string>())
            .OrderBy(p => p, StringComparer.Ordinal)
            .ToArray();
        WorkDirectory = Path.Combine(Path.GetTempPath(), "wasmtk-printer-suite-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(WorkDirectory);
        var converted = new ConcurrentBag<SuiteScript>();
        Parallel.ForEach(scripts, Wabt.Parallelism, script => converted.Add(Convert(script, WorkDirectory)));
        Scripts = converted.OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
    }

    public string SuiteDirectory { get; }

    /// <summary>Why the suite tests cannot run, or null.</summary>
    public string? SkipReason { get; }

    public string? WorkDirectory { get; }

    public IReadOnlyList<SuiteScript> Scripts { get; } = Array.Empty<SuiteScript>();

    public void Dispose()
    {
        if (WorkDirectory is not null && Directory.Exists(WorkDirectory)) Directory.Delete(WorkDirectory, recursive: true);
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

    private static SuiteScript Convert(string script, string work)
    {
        var name = Path.GetFileNameWithoutExtension(script);
        var dir = Path.Combine(work, name);
        Directory.CreateDirectory(dir);
        var files = new List<string>();
        var (code, _, error) = Wabt.Run(Wabt.Wast2Json!, $"--debug-names \"{script}\" -o \"{Path.Combine(dir, "source.json")}\"", dir);
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
            var (c, _, _) = Wabt.Run(Wabt.Wast2Json!, $"--debug-names \"{single}\" -o \"{Path.Combine(dir, $"form{i}.json")}\"", dir);
            if (c == 0) files.AddRange(ModuleFiles(Path.Combine(dir, $"form{i}.json")).Select(f => Path.Combine(dir, f)));
            else unconvertible++;
        }

        return new SuiteScript(name, dir, files, FirstLine(error), unconvertible);
    }
}

/// <summary>One converted script: its module binaries, and why wast2json rejected it whole, if it did.</summary>
public sealed record SuiteScript(string Name, string Directory, IReadOnlyList<string> ModuleFiles, string? SourceError, int Unconvertible);
