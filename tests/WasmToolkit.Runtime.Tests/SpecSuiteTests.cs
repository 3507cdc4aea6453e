using System;
using System.IO;
using System.Linq;
using System.Text;
using WasmToolkit.Cli.Wast;
using WasmToolkit.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace WasmToolkit.Runtime.Tests;

/// <summary>
/// Runs the integer subset of the official spec suite (../shared/wasm-testsuite-2.0, or <c>WASM_TESTSUITE</c>)
/// through the compiler and runtime, parsed with the project's own WAST parser (see <see cref="WasmToolkit.Cli.Wast.WastRunner"/>, the runner behind <c>wasmtk wast</c>
/// for what runs and what is skipped with which reason). Any command that fails fails the test.
/// </summary>
/// <remarks>
/// Without the suite the test is reported as skipped with the reason, and fails when <c>CI=true</c>
/// (<see cref="SuiteLocator.Require"/>). The unit tests beside it never need the suite.
/// </remarks>
public class SpecSuiteTests
{
    /// <summary>
    /// The scripts of the integer subset. if.wast, which the wast2json of Debian 12 cannot parse, runs too now that
    /// scripts are parsed in process; so does comments.wast, whose newline tests check that a line comment ends at a
    /// bare carriage return.
    /// </summary>
    internal static readonly string[] Scripts =
    {
        "address", "align", "block", "br", "br_if", "br_table", "call", "call_indirect", "comments", "endianness", "fac",
        "forward", "func", "global", "i32", "i64", "if", "int_exprs", "int_literals", "labels", "left-to-right", "load",
        "local_get", "local_set", "local_tee", "loop", "memory", "memory_grow", "memory_redundancy", "memory_size",
        "memory_trap", "nop", "return", "select", "skip-stack-guard-page", "stack", "store", "switch", "traps", "unreachable",
        "unwind",
    };

    private readonly ITestOutputHelper _output;

    public SpecSuiteTests(ITestOutputHelper output) => _output = output;

    [SkippableFact]
    public void IntegerSubsetRunsOnTheRuntime()
    {
        var suite = SuiteLocator.Require();
        var missing = Scripts.Where(s => !File.Exists(Path.Combine(suite, s + ".wast"))).ToList();
        Assert.True(missing.Count == 0, $"The suite at {suite} lacks {string.Join(", ", missing.Select(m => m + ".wast"))}.");

        var runner = new WastRunner();
        var results = Scripts.Select(s => runner.RunFile(Path.Combine(suite, s + ".wast"))).ToList();
        var failures = new StringBuilder();
        foreach (var r in results)
        {
            var name = Path.GetFileName(r.Path);
            _output.WriteLine($"{name}: {r.Passed} passed, {r.Failed} failed, {r.Skipped} skipped");
            foreach (var o in r.Outcomes.Where(o => o.Status == WastStatus.Failed))
            {
                var line = $"{name}:{o.Line}: {o.Kind}: {o.Reason}";
                _output.WriteLine("  FAILED " + line);
                failures.AppendLine(line);
            }
        }

        var all = results.SelectMany(r => r.Outcomes).ToList();
        _output.WriteLine("");
        _output.WriteLine($"total ({results.Count} files): {all.Count(o => o.Status == WastStatus.Passed)} passed, " +
            $"{all.Count(o => o.Status == WastStatus.Failed)} failed, {all.Count(o => o.Status == WastStatus.Skipped)} skipped");
        foreach (var g in all.Where(o => o.Status == WastStatus.Skipped).GroupBy(o => o.Reason).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            _output.WriteLine($"  skipped {g.Count(),5}: {g.Key}");
        }

        Assert.True(failures.Length == 0, "Failed commands:\n" + failures);
    }
}
