using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using WasmToolkit.Binary;
using WasmToolkit.Text;
using Xunit;
using Xunit.Abstractions;

namespace WasmToolkit.Tests.Printing;

/// <summary>
/// The printer's oracle: every module of the spec suite survives binary → text → binary.
/// </summary>
/// <remarks>
/// <para>How it works: <c>wast2json --debug-names</c> turns each <c>.wast</c> of the suite (folder from
/// <c>WASM_TESTSUITE</c>, default <c>../shared/wasm-testsuite-2.0</c> beside the repository root, plus its
/// <c>simd/</c>) into one <c>.wasm</c> per <c>module</c> command (assertion modules are not used), with a
/// name section so that names get printed too. Each is read with <see cref="ModuleReader"/>, printed
/// with <see cref="ModulePrinter"/>, the printed modules of one script are assembled together by
/// <c>wast2json --no-check</c> (one process per script keeps the test at a few seconds; when that fails
/// each module goes through <c>wat2wasm</c> alone to name the culprit), read back, and compared with
/// <see cref="ModuleComparer"/>.</para>
/// <para>Nothing to bless: the expected output is the input. Without wabt or the suite the test prints why
/// and passes. Scripts that wabt 1.0.32 itself cannot convert are listed in the output.</para>
/// </remarks>
public class SpecSuiteRoundTripTests
{
    private readonly ITestOutputHelper _output;

    public SpecSuiteRoundTripTests(ITestOutputHelper output) => _output = output;

    internal static string SuiteDirectory
        => Environment.GetEnvironmentVariable("WASM_TESTSUITE") is { Length: > 0 } fromEnv
            ? fromEnv
            : Path.GetFullPath(Path.Combine(TestPaths.RepositoryRoot, "..", "shared", "wasm-testsuite-2.0"));

    /// <summary>Default options; and indices only with offset comments (comments must not break parsing).</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EverySuiteModuleRoundTripsThroughText(bool indicesAndOffsets)
    {
        var options = indicesAndOffsets ? new TextPrinterOptions { UseNames = false, IncludeOffsets = true } : TextPrinterOptions.Default;
        if (!Directory.Exists(SuiteDirectory))
        {
            _output.WriteLine($"Spec suite not found at {SuiteDirectory} (set WASM_TESTSUITE); skipped.");
            return;
        }

        if (Wabt.MissingReason is { } missing)
        {
            _output.WriteLine(missing);
            return;
        }

        var scripts = Directory.GetFiles(SuiteDirectory, "*.wast")
            .Concat(Directory.Exists(Path.Combine(SuiteDirectory, "simd")) ? Directory.GetFiles(Path.Combine(SuiteDirectory, "simd"), "*.wast") : Array.Empty<string>())
            .OrderBy(p => p, StringComparer.Ordinal)
            .ToArray();
        var work = Path.Combine(Path.GetTempPath(), "wasmtk-printer-suite-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        var results = new ConcurrentBag<ScriptResult>();
        try
        {
            Parallel.ForEach(scripts, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, script => results.Add(RoundTripScript(script, work, options)));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }

        var ordered = results.OrderBy(r => r.Script, StringComparer.Ordinal).ToList();
        var modules = ordered.Sum(r => r.Modules);
        var passed = ordered.Sum(r => r.Passed);
        var encodingOnly = ordered.Sum(r => r.EncodingOnly);
        var failures = ordered.SelectMany(r => r.Failures.Select(f => r.Script + ": " + f)).ToList();
        var unconvertible = ordered.Where(r => r.SourceError is not null).ToList();
        _output.WriteLine($"{scripts.Length} scripts, {modules} modules: {passed} round-trip, {failures.Count} fail " +
                          $"({encodingOnly} of the passes differ only in LEB128 widths of the original).");
        foreach (var u in unconvertible)
        {
            _output.WriteLine($"wast2json 1.0.32 rejects {u.Script}.wast ({u.SourceError}); converted its modules one by one, {u.Unconvertible} of them not convertible.");
        }
        foreach (var f in failures.Take(50)) _output.WriteLine("FAIL " + f);
        Assert.True(modules > 1000, "expected the spec suite to yield over a thousand modules, got " + modules);
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }

    private static ScriptResult RoundTripScript(string script, string work, TextPrinterOptions options)
    {
        var name = Path.GetFileNameWithoutExtension(script);
        var result = new ScriptResult(name);
        var dir = Path.Combine(work, name);
        Directory.CreateDirectory(dir);

        // 1. The suite's modules as binaries.
        var sources = new List<string>();
        var (code, _, error) = Wabt.Run(Wabt.Wast2Json!, $"--debug-names \"{script}\" -o \"{Path.Combine(dir, "source.json")}\"", dir);
        if (code == 0)
        {
            sources.AddRange(ModuleFiles(Path.Combine(dir, "source.json")));
        }
        else
        {
            // wabt 1.0.32 rejects some scripts over single forms; convert the module commands one by one.
            result.SourceError = FirstLine(error);
            var forms = WastSplitter.Split(File.ReadAllText(script));
            for (var i = 0; i < forms.Count; i++)
            {
                if (forms[i].Keyword != "module") continue;
                var single = Path.Combine(dir, $"form{i}.wast");
                File.WriteAllText(single, forms[i].Text);
                var (c, _, _) = Wabt.Run(Wabt.Wast2Json!, $"--debug-names \"{single}\" -o \"{Path.Combine(dir, $"form{i}.json")}\"", dir);
                if (c == 0) sources.AddRange(ModuleFiles(Path.Combine(dir, $"form{i}.json")));
                else result.Unconvertible++;
            }
        }

        var originals = new List<(string File, Module Module, string Text)>();
        foreach (var file in sources)
        {
            result.Modules++;
            var read = ModuleReader.Read(File.ReadAllBytes(Path.Combine(dir, file)), file);
            if (read.Module is null)
            {
                result.Failures.Add($"{file}: not readable: {read.Diagnostics.FirstOrDefault()}");
                continue;
            }

            originals.Add((file, read.Module, ModulePrinter.Print(read.Module, options)));
        }

        if (originals.Count == 0) return result;

        // 2. All printed modules of the script assembled by one wast2json run.
        var batch = new StringBuilder();
        foreach (var o in originals) batch.Append(o.Text).Append('\n');
        var printedScript = Path.Combine(dir, "printed.wast");
        File.WriteAllText(printedScript, batch.ToString());
        (code, _, _) = Wabt.Run(Wabt.Wast2Json!, $"--enable-all --no-check \"{printedScript}\" -o \"{Path.Combine(dir, "printed.json")}\"", dir);
        List<string>? assembled = code == 0 ? ModuleFiles(Path.Combine(dir, "printed.json")).ToList() : null;
        if (assembled is not null && assembled.Count != originals.Count) assembled = null;

        for (var i = 0; i < originals.Count; i++)
        {
            var (file, module, text) = originals[i];
            byte[] bytes;
            if (assembled is not null)
            {
                bytes = File.ReadAllBytes(Path.Combine(dir, assembled[i]));
            }
            else
            {
                var wat = Path.Combine(dir, file + ".wat");
                var wasm = Path.Combine(dir, file + ".printed.wasm");
                File.WriteAllText(wat, text);
                var (c, _, e) = Wabt.Run(Wabt.Wat2Wasm!, $"--enable-all --no-check \"{wat}\" -o \"{wasm}\"", dir);
                if (c != 0)
                {
                    result.Failures.Add($"{file}: printed text does not assemble: {FirstLine(e)}");
                    continue;
                }

                bytes = File.ReadAllBytes(wasm);
            }

            var back = ModuleReader.Read(bytes, file);
            if (back.Module is null)
            {
                result.Failures.Add($"{file}: reassembled module not readable: {back.Diagnostics.FirstOrDefault()}");
                continue;
            }

            var comparison = ModuleComparer.Compare(module, back.Module);
            if (comparison.Differences.Count > 0)
            {
                result.Failures.Add($"{file}: {string.Join("; ", comparison.Differences.Take(3))}");
                continue;
            }

            result.Passed++;
            if (comparison.EncodingOnly.Count > 0) result.EncodingOnly++;
        }

        return result;
    }

    /// <summary>The <c>.wasm</c> files of the <c>module</c> commands of a wast2json output, in order.</summary>
    private static IEnumerable<string> ModuleFiles(string json)
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

    private static string FirstLine(string text)
    {
        var line = text.Split('\n').FirstOrDefault(l => l.Trim().Length > 0) ?? "";
        return line.Length > 200 ? line.Substring(0, 200) : line;
    }

    private sealed class ScriptResult
    {
        public ScriptResult(string script) => Script = script;

        public string Script { get; }

        public int Modules { get; set; }

        public int Passed { get; set; }

        public int EncodingOnly { get; set; }

        public string? SourceError { get; set; }

        /// <summary>Module commands wabt could not convert even alone.</summary>
        public int Unconvertible { get; set; }

        public List<string> Failures { get; } = new();
    }
}
