using System.Linq;
using System.Text;
using WasmToolkit.Cli.Wast;
using WasmToolkit.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace WasmToolkit.SpecTests;

/// <summary>
/// The core group of the suite again with every module compiled lazily (<c>--compile-mode lazy</c>): validated
/// up front, each function compiled on its first call. Strict like <see cref="SpecSuiteTests"/>: on Linux x64
/// nothing may fail or skip. Round trips are left to that test (they do not depend on how code is compiled).
/// </summary>
public class LazySpecSuiteTests
{
    private readonly ITestOutputHelper _output;

    public LazySpecSuiteTests(ITestOutputHelper output) => _output = output;

    [SkippableFact]
    public void CoreGroupPassesCompiledLazily()
    {
        var files = SuiteLocator.CoreFiles(SuiteLocator.Require());
        Assert.NotEmpty(files);
        var runner = new WastRunner(new WastRunOptions { Strict = true, CheckRoundTrips = false, CompileMode = WastCompileMode.Lazy });
        var results = files.Select(runner.RunFile).ToList();
        var problems = new StringBuilder();
        foreach (var r in results)
        {
            foreach (var o in r.Outcomes.Where(o => o.Status != WastStatus.Passed).Take(20))
            {
                problems.AppendLine($"{r.Path}:{o.Line}: {o.Kind} {o.Status}: {o.Reason}");
            }
        }

        _output.WriteLine($"lazy: {results.Sum(r => r.Passed)} passed, {results.Sum(r => r.Failed)} failed, {results.Sum(r => r.Skipped)} skipped");
        Assert.True(results.Sum(r => r.Failed) == 0, "Failed commands:\n" + problems);
        var runsCode = System.OperatingSystem.IsLinux() && System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.X64;
        if (runsCode) Assert.True(results.Sum(r => r.Skipped) == 0, "Skipped commands:\n" + problems);
    }
}
