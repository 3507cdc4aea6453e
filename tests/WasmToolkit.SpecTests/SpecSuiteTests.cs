using System.Collections.Generic;
using System.Linq;
using System.Text;
using WasmToolkit.Cli.Wast;
using WasmToolkit.Tests.Infrastructure;
using WasmToolkit.Text;
using Xunit;
using Xunit.Abstractions;

namespace WasmToolkit.SpecTests;

/// <summary>
/// Runs every <c>.wast</c> of the suite in this one process with the project's runner: module decoding
/// and validation, <c>assert_malformed</c>, <c>assert_invalid</c>, and binary and text round trips of
/// every valid module; on Linux x64 the runner also executes every command (invoke, get, assert_return,
/// assert_trap, assert_exhaustion, instantiation traps), and elsewhere skips what needs the runtime with the
/// reason ("needs …"). Anything else that does not pass fails the test, listing the commands.
/// </summary>
public class SpecSuiteTests
{
    private readonly ITestOutputHelper _output;

    public SpecSuiteTests(ITestOutputHelper output) => _output = output;

    [SkippableFact]
    public void CoreGroupsPassEveryModuleCommand() => RunGroup("core", SuiteLocator.CoreFiles(SuiteLocator.Require()), strict: true);

    /// <summary>
    /// The core group again in the other compile modes (the fact above is <see cref="WastCompileMode.Parallel"/>, the
    /// default): sequential compilation, lazy compilation (each function on its first call), and every module run from a compiled-module cache it was serialised to and
    /// loaded back from. Same bar: nothing fails, nothing skips on Linux x64.
    /// </summary>
    [SkippableTheory]
    [InlineData(WastCompileMode.Sequential)]
    [InlineData(WastCompileMode.Lazy)]
    [InlineData(WastCompileMode.Cached)]
    public void CoreGroupsPassEveryModuleCommandInEachCompileMode(WastCompileMode mode)
        => RunGroup("core", SuiteLocator.CoreFiles(SuiteLocator.Require()), strict: true, mode);

    /// <summary>The SIMD files (128-bit SIMD, part of 2.0), compiled for x64 and run, with the core group's bar.</summary>
    [SkippableFact]
    public void SimdGroupPassesEveryModuleCommand() => RunGroup("simd", SuiteLocator.SimdFiles(SuiteLocator.Require()), strict: true);

    [SkippableTheory]
    [InlineData(WastCompileMode.Sequential)]
    [InlineData(WastCompileMode.Lazy)]
    [InlineData(WastCompileMode.Cached)]
    public void SimdGroupPassesEveryModuleCommandInEachCompileMode(WastCompileMode mode)
        => RunGroup("simd", SuiteLocator.SimdFiles(SuiteLocator.Require()), strict: true, mode);

    /// <param name="strict">Every module compiles in full, and on Linux x64 (where the runtime runs code) nothing may skip.</param>
    /// <param name="mode">How modules are compiled.</param>
    private void RunGroup(string group, string[] files, bool strict = false, WastCompileMode mode = WastCompileMode.Parallel)
    {
        Assert.NotEmpty(files);
        var runner = new WastRunner(new WastRunOptions { Strict = strict, CompileMode = mode });
        var results = files.Select(runner.RunFile).ToList();
        var failures = new StringBuilder();
        foreach (var r in results)
        {
            _output.WriteLine($"{System.IO.Path.GetFileName(r.Path)}: {r.Passed} passed, {r.Failed} failed, {r.Skipped} skipped");
            foreach (var o in r.Outcomes.Where(o => o.Status == WastStatus.Failed).Take(20))
            {
                failures.AppendLine($"{r.Path}:{o.Line}: {o.Kind}: {o.Reason}");
            }
        }

        var byKind = new Dictionary<WastCommandKind, int>();
        foreach (var o in results.SelectMany(r => r.Outcomes).Where(o => o.Status == WastStatus.Passed))
        {
            byKind[o.Kind] = byKind.TryGetValue(o.Kind, out var n) ? n + 1 : 1;
        }

        _output.WriteLine($"{group} ({mode}): " + string.Join(", ", byKind.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}")));
        var skipReasons = results.SelectMany(r => r.Outcomes).Where(o => o.Status == WastStatus.Skipped).GroupBy(o => o.Reason);
        foreach (var g in skipReasons) _output.WriteLine($"{group}: skipped {g.Count()} ({g.Key})");
        _output.WriteLine($"{results.Sum(r => r.Passed)} passed, {results.Sum(r => r.Failed)} failed, {results.Sum(r => r.Skipped)} skipped");

        Assert.True(failures.Length == 0, "Failed commands:\n" + failures);
        Assert.All(results.SelectMany(r => r.Outcomes).Where(o => o.Status == WastStatus.Skipped),
            o => Assert.StartsWith("needs ", o.Reason));
        var runsCode = System.OperatingSystem.IsLinux() && System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.X64;
        if (strict && runsCode) Assert.Equal(0, results.Sum(r => r.Skipped));
    }
}
