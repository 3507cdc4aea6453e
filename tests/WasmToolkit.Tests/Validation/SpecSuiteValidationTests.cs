using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using WasmToolkit.Binary;
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
/// The suite is found through the <c>WASM_TESTSUITE</c> environment variable, else in
/// <c>../shared/wasm-testsuite-2.0</c> beside the repository root. Without <c>wast2json</c> on the PATH
/// or without the suite the test prints why and passes (xunit 2 has no run-time skip).
/// </remarks>
public class SpecSuiteValidationTests
{
    private readonly ITestOutputHelper _output;

    public SpecSuiteValidationTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void ValidModulesAreAcceptedAndInvalidModulesRejected()
    {
        var suite = Environment.GetEnvironmentVariable("WASM_TESTSUITE")
            ?? Path.GetFullPath(Path.Combine(TestPaths.RepositoryRoot, "..", "shared", "wasm-testsuite-2.0"));
        if (!Directory.Exists(suite))
        {
            _output.WriteLine($"SKIPPED: spec test suite not found at {suite} (set WASM_TESTSUITE)");
            return;
        }

        if (!TryRun("wast2json", "--version", out _))
        {
            _output.WriteLine("SKIPPED: wast2json (wabt) is not on the PATH");
            return;
        }

        var files = Directory.GetFiles(suite, "*.wast").Concat(Directory.Exists(Path.Combine(suite, "simd"))
            ? Directory.GetFiles(Path.Combine(suite, "simd"), "*.wast") : Array.Empty<string>()).OrderBy(f => f, StringComparer.Ordinal).ToList();
        var work = Path.Combine(Path.GetTempPath(), "wasmtk-spec-validation-" + Environment.ProcessId);
        Directory.CreateDirectory(work);
        var stats = new Stats();
        try
        {
            // Files in parallel (most of the time is wast2json); each has its own counters, merged in file order.
            var perFile = new Stats[files.Count];
            System.Threading.Tasks.Parallel.For(0, files.Count, i =>
            {
                perFile[i] = new Stats();
                RunFile(files[i], work, perFile[i]);
            });
            foreach (var s in perFile) stats.Add(s);
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }

        _output.WriteLine($"{files.Count} wast files ({stats.Conversions} converted whole by wast2json, the rest command by command; {stats.CommandsNotConverted} module commands wast2json could not convert)");
        _output.WriteLine($"valid modules accepted:   {stats.ValidAccepted}/{stats.Valid}");
        _output.WriteLine($"invalid modules rejected: {stats.InvalidRejected}/{stats.Invalid} ({stats.RejectedByReader} already by the reader, {stats.PhraseMatched} by the validator with the expected phrase)");
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
        if (TryRun("wast2json", $"\"{wast}\" -o \"{json}\"", out var error))
        {
            stats.Conversions++;
            RunCommands(wast, json, folder, stats);
            return;
        }

        // wabt 1.0.32 does not parse some newer syntax (e.g. table.get without a table index). Fall back
        // to converting the module commands one at a time, so one unparsable command costs only itself.
        stats.ConversionFailures.Add($"{Path.GetFileName(wast)}: {error.Split('\n')[0]} (converting command by command)");
        var text = File.ReadAllText(wast);
        var index = 0;
        foreach (var (start, length) in TopLevelForms(text))
        {
            var form = text.Substring(start, length);
            var keyword = form.Substring(1).TrimStart().Split(' ', '\n', '\r', '\t', '(', ')')[0];
            if (keyword is not ("module" or "assert_invalid" or "assert_unlinkable" or "assert_uninstantiable")) continue;
            var line = 1 + text.Take(start).Count(c => c == '\n');
            var one = Path.Combine(folder, $"cmd{index++}");
            Directory.CreateDirectory(one);
            var piece = Path.Combine(one, name + ".wast");
            File.WriteAllText(piece, new string('\n', line - 1) + form + "\n"); // keep line numbers
            if (!TryRun("wast2json", $"\"{piece}\" -o \"{Path.Combine(one, name + ".json")}\"", out var pieceError))
            {
                stats.CommandsNotConverted++;
                continue;
            }

            RunCommands(wast, Path.Combine(one, name + ".json"), one, stats);
        }
    }

    /// <summary>Start and length of each top-level parenthesised form, skipping comments and strings.</summary>
    private static IEnumerable<(int Start, int Length)> TopLevelForms(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == ';' && i + 1 < text.Length && text[i + 1] == ';')
            {
                while (i < text.Length && text[i] != '\n') i++;
            }
            else if (c == '(' && i + 1 < text.Length && text[i + 1] == ';')
            {
                var nest = 1;
                i += 2;
                while (i < text.Length && nest > 0)
                {
                    if (text[i] == '(' && i + 1 < text.Length && text[i + 1] == ';') { nest++; i += 2; }
                    else if (text[i] == ';' && i + 1 < text.Length && text[i + 1] == ')') { nest--; i += 2; }
                    else i++;
                }

                i--;
            }
            else if (c == '"')
            {
                for (i++; i < text.Length && text[i] != '"'; i++)
                {
                    if (text[i] == '\\') i++;
                }
            }
            else if (c == '(')
            {
                if (depth++ == 0) start = i;
            }
            else if (c == ')' && depth > 0 && --depth == 0)
            {
                yield return (start, i + 1 - start);
            }
        }
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

    private static bool TryRun(string program, string arguments, out string stderr)
    {
        try
        {
            var info = new ProcessStartInfo(program, arguments)
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(info)!;
            var errorTask = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            stderr = errorTask.Result;
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            stderr = e.Message;
            return false;
        }
    }

    private sealed class Stats
    {
        public int Conversions;
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

        public void Add(Stats other)
        {
            Conversions += other.Conversions;
            CommandsNotConverted += other.CommandsNotConverted;
            Valid += other.Valid;
            ValidAccepted += other.ValidAccepted;
            Invalid += other.Invalid;
            InvalidRejected += other.InvalidRejected;
            RejectedByReader += other.RejectedByReader;
            PhraseMatched += other.PhraseMatched;
            Failures.AddRange(other.Failures);
            PhraseMismatches.AddRange(other.PhraseMismatches);
            ConversionFailures.AddRange(other.ConversionFailures);
        }
    }
}
