using System.IO;
using System.Linq;
using System.Text;
using WasmToolkit.Cli.Wast;
using WasmToolkit.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace WasmToolkit.Runtime.Tests;

/// <summary>
/// The float scripts of the official spec suite on the x64 backend, through <c>wasmtk wast</c>'s runner in strict
/// mode: every module must compile in full (no lenient fallback), f32/f64 results are compared bit for bit and
/// <c>nan:canonical</c> / <c>nan:arithmetic</c> patterns checked, and nothing may fail or skip.
/// </summary>
public class FloatSpecSuiteTests
{
    internal static readonly string[] Scripts =
    {
        "f32", "f64", "f32_bitwise", "f64_bitwise", "f32_cmp", "f64_cmp", "conversions", "float_exprs", "float_misc",
        "float_literals", "float_memory",
    };

    private readonly ITestOutputHelper _output;

    public FloatSpecSuiteTests(ITestOutputHelper output) => _output = output;

    [SkippableFact]
    public void FloatScriptsRunOnTheRuntime()
    {
        var suite = SuiteLocator.Require();
        var runner = new WastRunner(new WastRunOptions { Strict = true, CheckRoundTrips = false });
        var problems = new StringBuilder();
        var passed = 0;
        foreach (var script in Scripts)
        {
            var path = Path.Combine(suite, script + ".wast");
            Assert.True(File.Exists(path), "missing " + path);
            var result = runner.RunFile(path);
            _output.WriteLine($"{script}.wast: {result.Passed} passed, {result.Failed} failed, {result.Skipped} skipped");
            passed += result.Passed;
            foreach (var o in result.Outcomes.Where(o => o.Status != WastStatus.Passed)) problems.AppendLine($"{script}.wast:{o.Line}: {o.Kind} {o.Status}: {o.Reason}");
        }

        Assert.True(problems.Length == 0, "Commands that did not pass:\n" + problems);
        Assert.True(passed > 3000, $"only {passed} commands passed");
    }
}
