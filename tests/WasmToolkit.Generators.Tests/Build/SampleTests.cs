using System;
using System.IO;
using WasmToolkit.Tests;
using WasmToolkit.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace WasmToolkit.Generators.Tests.Build;

/// <summary>
/// Each program under <c>samples/</c> runs and prints what its <c>output.verified.txt</c> says (Verify's conventions:
/// a mismatch writes <c>output.received.txt</c> beside it; <c>VERIFY_ACCEPT=1</c> accepts). The samples are built
/// with the real <c>dotnet build</c> before these tests run (this project references them without using their
/// assemblies, and Toolkit.sln lists them), so TypedBindings also checks the generator and the <c>WasmModule</c>
/// MSBuild support (<c>.wat</c> and <c>.wasm</c>) in a real build.
/// </summary>
public class SampleTests
{
    private readonly ITestOutputHelper _output;

    public SampleTests(ITestOutputHelper output) => _output = output;

    [Theory]
    [InlineData("TypedBindings")]
    [InlineData("HostPlugins")]
    [InlineData("Inspection")]
    public void SamplePrintsItsExpectedOutput(string name)
    {
        var directory = Path.Combine(TestPaths.RepositoryRoot, "samples", name);
        var program = Path.Combine(directory, "bin", DotNetCli.Configuration, "net10.0", name + ".dll");
        Assert.True(File.Exists(program), program + " is missing: build the sample (this test project references it, so building the tests builds it)");

        var result = DotNetCli.Run(directory, new[] { program }, TimeSpan.FromMinutes(2));
        _output.WriteLine(result.ToString());
        Assert.True(result.ExitCode == 0, result.ToString());
        Snapshot.MatchFile(result.Output, Path.Combine(directory, "output.verified.txt"));
    }
}
