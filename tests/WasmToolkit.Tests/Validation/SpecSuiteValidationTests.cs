using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using WasmToolkit.Binary;
using WasmToolkit.Tests.Infrastructure;
using WasmToolkit.Validation;
using Xunit;
using Xunit.Abstractions;

namespace WasmToolkit.Tests.Validation;

/// <summary>
/// Runs the validator over every module of the official WebAssembly 2.0 test suite.
/// </summary>
/// <remarks>
/// How it works: each <c>*.wast</c> of the suite (and <c>simd/*.wast</c>) is converted by wabt's
/// <c>wast2json</c> into a JSON command list plus one <c>.wasm</c> per module, in a temporary folder.
/// Every <c>module</c> (and the modules of <c>assert_unlinkable</c>/<c>assert_uninstantiable</c>, which
/// are valid) must read and validate without diagnostics; every <c>assert_invalid</c> module must be
/// rejected, by the reader or the validator, and the validator's first message should start with
/// the expected phrase (mismatching phrases are listed, not failed: wabt and the reference interpreter
/// sometimes disagree on which of two errors comes first).
/// The suite is found by <see cref="SuiteLocator"/> (<c>WASM_TESTSUITE</c>), wast2json by <see cref="WabtTools"/>;
/// without either the test is skipped with the reason (on CI it fails).
/// </remarks>
public class SpecSuiteValidationTests
{
    private readonly ITestOutputHelper _output;

    public SpecSuiteValidationTests(ITestOutputHelper output) => _output = output;

    [SkippableFact]
    public void ValidModulesAreAcceptedAndInvalidModulesRejected()
    {
        var suite = SuiteLocator.Require();
        WabtTools.RequireWast2Json();
        var files = SuiteLocator.WastFiles(suite);
        var work = Path.Combine(Path.GetTempPath(), "wasmtk-spec-validation-" + Environment.ProcessId);
        Directory.CreateDirectory(work);
        var stats = new Stats();
        try
        {
            foreach (var file in files) RunFile(file, work, stats);
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }

        _output.WriteLine($"{files.Length} wast files ({stats.Conversions} converted whole by wast2json, the rest without the commands it cannot parse: {stats.CommandsNotConverted} module commands wast2json could not convert)");
        _output.WriteLine($"valid modules accepted:   {stats.ValidAccepted}/{stats.Valid}");
        _output.WriteLine($"invalid modules rejected: {stats.InvalidRejected}/{stats.Invalid} ({stats.RejectedByReader} already by the reader, {stats.PhraseMatched} by the validator with the expected phrase)");
        _output.WriteLine($"binary assert_malformed modules: {stats.Malformed}, rejected by the reader {stats.MalformedRejected}, by the validator {stats.MalformedRejectedByValidator}, accepted {stats.MalformedAccepted.Count}");
        foreach (var line in stats.MalformedAccepted) _output.WriteLine("malformed but accepted: " + line);
        foreach (var line in stats.MalformedByValidator) _output.WriteLine("malformed, caught in a body by the validator: " + line);
        foreach (var line in stats.PhraseMismatches) _output.WriteLine("phrase: " + line);
        foreach (var line in stats.ConversionFailures) _output.WriteLine("wast2json: " + line);
        foreach (var line in stats.Failures) _output.WriteLine("FAIL: " + line);
        Assert.True(stats.Failures.Count == 0, stats.Failures.Count + " failures:\n" + string.Join("\n", stats.Failures.Take(50)));
    }

    private static void RunFile(string wast, string work, Stats stats)
    {
        var name = Path.GetFileNameWithoutExtension(wast);
        var folder = Path.Combine(work, Path.GetFileName(Path.GetDirectoryName(wast)!) + "-" + name);
        Directory.CreateDirectory(folder);
        var json = Path.Combine(folder, name + ".json");
        if (TryWast2Json(wast, json, out var error))
        {
            stats.Conversions++;
            RunCommands(wast, json, folder, stats);
            return;
        }

        // wabt 1.0.32 does not parse some newer syntax (e.g. table.get without a table index). Keep only
        // the module commands, blank out (spaces, newlines kept so line numbers stay) each command
        // wast2json names in its error, and retry; a failure without a line number falls back to one
        // command at a time.
        stats.ConversionFailures.Add($"{Path.GetFileName(wast)}: {error.Split('\n')[0]}");
        var text = File.ReadAllText(wast);
        var forms = WastSplitter.Split(text)
            .Where(f => f.Keyword is "module" or "assert_invalid" or "assert_unlinkable" or "assert_uninstantiable")
            .ToList();

        var lineStarts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n') lineStarts.Add(i + 1);
        }

        var attempt = 0;
        while (forms.Count > 0)
        {
            var sub = Path.Combine(folder, $"try{attempt++}");
            Directory.CreateDirectory(sub);
            var piece = Path.Combine(sub, name + ".wast");
            File.WriteAllText(piece, Keep(text, forms));
            var pieceJson = Path.Combine(sub, name + ".json");
            if (TryWast2Json(piece, pieceJson, out var pieceError))
            {
                RunCommands(wast, pieceJson, sub, stats);
                return;
            }

            var match = System.Text.RegularExpressions.Regex.Match(pieceError, @"\.wast:(\d+):\d+: error");
            var culprit = -1;
            if (match.Success)
            {
                var offset = lineStarts[Math.Min(int.Parse(match.Groups[1].Value) - 1, lineStarts.Count - 1)];
                culprit = forms.FindIndex(f => offset >= lineStarts[LineOf(lineStarts, f.Start)] && offset < f.Start + f.Length);
            }

            if (culprit < 0)
            {
                // No usable line number: one command per conversion.
                foreach (var form in forms)
                {
                    var one = Path.Combine(folder, $"cmd{attempt++}");
                    Directory.CreateDirectory(one);
                    File.WriteAllText(Path.Combine(one, name + ".wast"), Keep(text, new List<WastForm> { form }));
                    if (TryWast2Json(Path.Combine(one, name + ".wast"), Path.Combine(one, name + ".json"), out _)) RunCommands(wast, Path.Combine(one, name + ".json"), one, stats);
                    else stats.CommandsNotConverted++;
                }

                return;
            }

            forms.RemoveAt(culprit);
            stats.CommandsNotConverted++;
        }
    }

    private static int LineOf(List<int> lineStarts, int offset)
    {
        var index = lineStarts.BinarySearch(offset);
        return index >= 0 ? index : ~index - 1;
    }

    /// <summary>The text with everything but <paramref name="forms"/> blanked, newlines kept.</summary>
    private static string Keep(string text, List<WastForm> forms)
    {
        var chars = text.ToCharArray();
        var keep = new bool[chars.Length];
        foreach (var form in forms)
        {
            for (var i = form.Start; i < form.Start + form.Length; i++) keep[i] = true;
        }

        for (var i = 0; i < chars.Length; i++)
        {
            if (!keep[i] && chars[i] != '\n') chars[i] = ' ';
        }

        return new string(chars);
    }

    private static void RunCommands(string wast, string json, string folder, Stats stats)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(json));
        foreach (var command in document.RootElement.GetProperty("commands").EnumerateArray())
        {
            var type = command.GetProperty("type").GetString();
            var line = command.GetProperty("line").GetInt32();
            var where = $"{Path.GetFileName(wast)}:{line}";
            switch (type)
            {
                case "module":
                case "assert_unlinkable":
                case "assert_uninstantiable":
                {
                    if (!command.TryGetProperty("filename", out var f) || command.TryGetProperty("module_type", out var mt) && mt.GetString() != "binary") break;
                    stats.Valid++;
                    var bytes = File.ReadAllBytes(Path.Combine(folder, f.GetString()!));
                    var read = ModuleReader.Read(bytes, where);
                    if (read.Module is null)
                    {
                        stats.Failures.Add($"{where}: valid module not read: {read.Diagnostics.FirstOrDefault()}");
                        break;
                    }

                    var result = ModuleValidator.Validate(read.Module, WasmFeatures.V2, where);
                    if (result.IsValid && result.Diagnostics.IsEmpty) stats.ValidAccepted++;
                    else stats.Failures.Add($"{where}: valid module rejected: {result.Diagnostics.First()}");
                    break;
                }

                case "assert_malformed":
                {
                    // Not the validator's job, counted for information: malformed binaries should not get past reader + validator.
                    if (command.GetProperty("module_type").GetString() != "binary") break;
                    stats.Malformed++;
                    var bytes = File.ReadAllBytes(Path.Combine(folder, command.GetProperty("filename").GetString()!));
                    var read = ModuleReader.Read(bytes, where);
                    if (read.Module is null || read.Diagnostics.Any(d => d.IsError)) stats.MalformedRejected++;
                    else if (ModuleValidator.Validate(read.Module, WasmFeatures.V2, where) is { IsValid: false } v) { stats.MalformedRejectedByValidator++; stats.MalformedByValidator.Add($"{where}: expected \"{command.GetProperty("text").GetString()}\", validator: {v.Diagnostics[0].Message}"); }
                    else stats.MalformedAccepted.Add($"{where}: \"{command.GetProperty("text").GetString()}\"");
                    break;
                }

                case "assert_invalid":
                {
                    if (command.GetProperty("module_type").GetString() != "binary") break;
                    stats.Invalid++;
                    var expected = command.GetProperty("text").GetString() ?? "";
                    var bytes = File.ReadAllBytes(Path.Combine(folder, command.GetProperty("filename").GetString()!));
                    var read = ModuleReader.Read(bytes, where);
                    if (read.Module is null || read.Diagnostics.Any(d => d.IsError))
                    {
                        stats.InvalidRejected++;
                        stats.RejectedByReader++;
                        break;
                    }

                    var result = ModuleValidator.Validate(read.Module, WasmFeatures.V2, where);
                    if (result.IsValid)
                    {
                        stats.Failures.Add($"{where}: invalid module accepted (expected \"{expected}\")");
                        break;
                    }

                    stats.InvalidRejected++;
                    if (result.Diagnostics.Any(d => d.Message.StartsWith(expected, StringComparison.Ordinal))) stats.PhraseMatched++;
                    else stats.PhraseMismatches.Add($"{where}: expected \"{expected}\", got \"{result.Diagnostics.First().Message}\"");
                    break;
                }
            }
        }
    }

    private static bool TryWast2Json(string wast, string json, out string stderr)
    {
        var (code, _, error) = WabtTools.Run(WabtTools.RequireWast2Json(), $"\"{wast}\" -o \"{json}\"");
        stderr = error;
        return code == 0;
    }

    private sealed class Stats
    {
        public int Conversions;
        public int Malformed;
        public int MalformedRejected;
        public int MalformedRejectedByValidator;
        public List<string> MalformedAccepted { get; } = new();
        public List<string> MalformedByValidator { get; } = new();
        public int CommandsNotConverted;
        public int Valid;
        public int ValidAccepted;
        public int Invalid;
        public int InvalidRejected;
        public int RejectedByReader;
        public int PhraseMatched;
        public List<string> Failures { get; } = new();
        public List<string> PhraseMismatches { get; } = new();
        public List<string> ConversionFailures { get; } = new();
    }
}
