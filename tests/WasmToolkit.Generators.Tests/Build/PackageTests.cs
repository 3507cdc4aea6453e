using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml.Linq;
using WasmToolkit.Tests;
using Xunit;
using Xunit.Abstractions;

namespace WasmToolkit.Generators.Tests.Build;

/// <summary>
/// The NuGet packages, as a user gets them: <c>dotnet pack</c> (of the outputs the test build already made, with a
/// unique version) into a temporary folder feed, checks of each package's layout, then a consumer project outside the
/// repository with one <c>PackageReference</c> to WasmToolkit.Runtime, built with the real <c>dotnet build</c> and run.
/// The consumer is the TypedBindings sample (a <c>.wat</c> and a <c>.wasm</c> through <c>&lt;WasmModule&gt;</c>), so
/// it must print the sample's <c>output.verified.txt</c>. A second build checks that an unchanged <c>.wasm</c> is not
/// encoded again (the MSBuild step's Inputs/Outputs), a third that a changed one is, and that a broken one fails the
/// build with the front end's diagnostic at its byte offset in the <c>.wasm</c> file.
/// </summary>
/// <remarks>
/// Restore goes to a temporary packages folder (the global cache never sees the test versions); the consumer's
/// nuget.config adds the feed and the machine's global packages folder as a local source, so restore needs no
/// network for packages the repository's own restore already fetched. Child builds use no build servers. Takes about
/// a minute on two idle cores.
/// </remarks>
public class PackageTests
{
    private static readonly string[] s_packageProjects =
    {
        "src/WasmToolkit/WasmToolkit.csproj",
        "src/WasmToolkit.Compiler/WasmToolkit.Compiler.csproj",
        "src/WasmToolkit.Runtime/WasmToolkit.Runtime.csproj",
        "src/WasmToolkit.Cli/WasmToolkit.Cli.csproj",
    };

    private readonly ITestOutputHelper _output;

    public PackageTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void PackagesBuildAndRunAConsumer()
    {
        var root = TestPaths.RepositoryRoot;
        var version = "0.1.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmss") + "." + Guid.NewGuid().ToString("N")[..6];
        using var temp = DotNetCli.CreateTempDirectory("wasmtoolkit-pack");
        var feed = Path.Combine(temp.Path, "feed");

        // 1. Pack the four packable projects from the existing build outputs, in one MSBuild run (a solution filter).
        var filter = Path.Combine(temp.Path, "packages.slnf");
        File.WriteAllText(filter, new System.Text.Json.Nodes.JsonObject
        {
            ["solution"] = new System.Text.Json.Nodes.JsonObject
            {
                ["path"] = Path.Combine(root, "Toolkit.sln"),
                ["projects"] = new System.Text.Json.Nodes.JsonArray(s_packageProjects.Select(p => (System.Text.Json.Nodes.JsonNode?)p.Replace('/', '\\')).ToArray()),
            },
        }.ToJsonString());
        Run(temp.Path, new[] { "pack", filter, "-c", DotNetCli.Configuration, "--no-build", "-p:Version=" + version, "-p:PackageOutputPath=" + feed + "/" }, "pack");

        // 2. The packages' layout.
        var runtime = Entries(feed, "WasmToolkit.Runtime", version);
        foreach (var expected in new[]
        {
            "lib/net10.0/WasmToolkit.Runtime.dll",
            "analyzers/dotnet/cs/WasmToolkit.Generators.dll",
            "analyzers/dotnet/cs/WasmToolkit.dll",
            "build/WasmToolkit.Runtime.props",
            "build/WasmToolkit.Runtime.targets",
            "buildTransitive/WasmToolkit.Runtime.props",
            "buildTransitive/WasmToolkit.Runtime.targets",
        })
        {
            Assert.Contains(expected, runtime.Keys);
        }

        // The generator carries only the front end: Immutable, Memory and Roslyn come from the compiler that loads it.
        Assert.Equal(new[] { "WasmToolkit.Generators.dll", "WasmToolkit.dll" }, runtime.Keys.Where(k => k.StartsWith("analyzers/", StringComparison.Ordinal)).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var dependencies = Dependencies(runtime.Single(e => e.Key.EndsWith(".nuspec", StringComparison.Ordinal)).Value!);
        Assert.Contains(("WasmToolkit", version), dependencies);
        Assert.Contains(("WasmToolkit.Compiler", version), dependencies);
        Assert.DoesNotContain(dependencies, d => d.Id.Contains("Generators", StringComparison.Ordinal));

        var front = Entries(feed, "WasmToolkit", version);
        Assert.Contains("lib/netstandard2.0/WasmToolkit.dll", front.Keys);
        Assert.Contains("lib/net10.0/WasmToolkit.dll", front.Keys);
        Assert.Contains("lib/net10.0/WasmToolkit.Compiler.dll", Entries(feed, "WasmToolkit.Compiler", version).Keys);

        var tool = Entries(feed, "WasmToolkit.Cli", version);
        var settings = XDocument.Parse(tool["tools/net10.0/any/DotnetToolSettings.xml"]!);
        Assert.Equal("wasmtk", settings.Descendants("Command").Single().Attribute("Name")!.Value);
        Assert.Contains("tools/net10.0/any/wasmtk.dll", tool.Keys);

        // The tool runs from its package: without arguments it inspects and validates its embedded sample module.
        var toolDirectory = Path.Combine(temp.Path, "tool");
        ZipFile.ExtractToDirectory(Path.Combine(feed, "WasmToolkit.Cli." + version + ".nupkg"), toolDirectory);
        var wasmtk = Run(toolDirectory, new[] { Path.Combine(toolDirectory, "tools", "net10.0", "any", "wasmtk.dll") }, "wasmtk");
        Assert.Contains("valid", wasmtk.Output, StringComparison.OrdinalIgnoreCase);

        // 3. A consumer outside the repository: the TypedBindings sample with a PackageReference instead of project references.
        var consumer = Path.Combine(temp.Path, "consumer");
        var sample = Path.Combine(root, "samples", "TypedBindings");
        Directory.CreateDirectory(Path.Combine(consumer, "wasm"));
        foreach (var file in new[] { "Program.cs", "Modules.cs", "wasm/calc.wat", "wasm/checksum.wasm" }) File.Copy(Path.Combine(sample, file), Path.Combine(consumer, file));
        File.WriteAllText(Path.Combine(temp.Path, "Directory.Build.props"), "<Project />");   // stop MSBuild's upward search here
        File.WriteAllText(Path.Combine(temp.Path, "Directory.Build.targets"), "<Project />");
        File.WriteAllText(Path.Combine(temp.Path, "Directory.Packages.props"), "<Project />");
        File.WriteAllText(Path.Combine(temp.Path, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="wasmtoolkit-test-feed" value="{feed}" />
                <add key="machine-global-packages" value="{GlobalPackagesFolder()}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(consumer, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <RestorePackagesPath>{Path.Combine(temp.Path, "packages")}</RestorePackagesPath>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="WasmToolkit.Runtime" Version="{version}" />
              </ItemGroup>
              <ItemGroup>
                <WasmModule Include="wasm/calc.wat" />
                <WasmModule Include="wasm/checksum.wasm" />
              </ItemGroup>
            </Project>
            """);
        Run(consumer, new[] { "build", "-c", "Release" }, "first build");
        var sidecar = Directory.GetFiles(Path.Combine(consumer, "obj"), "checksum-*.wasm.b64", SearchOption.AllDirectories).Single();
        Assert.Equal(Convert.ToBase64String(File.ReadAllBytes(Path.Combine(consumer, "wasm", "checksum.wasm"))), File.ReadAllText(sidecar));
        var written = File.GetLastWriteTimeUtc(sidecar);

        var run = Run(consumer, new[] { Path.Combine(consumer, "bin", "Release", "net10.0", "Consumer.dll") }, "run");
        Assert.Equal(File.ReadAllText(Path.Combine(sample, "output.verified.txt")), run.Output);

        // 4. Incremental: an unchanged .wasm is not encoded again.
        Run(consumer, new[] { "build", "-c", "Release", "--no-restore" }, "second build");
        Assert.Equal(written, File.GetLastWriteTimeUtc(sidecar));

        // 5. A changed .wasm is: cut short, it fails the build with the front end's diagnostic at its byte offset in the .wasm file.
        var wasm = Path.Combine(consumer, "wasm", "checksum.wasm");
        var bytes = File.ReadAllBytes(wasm);
        File.WriteAllBytes(wasm, bytes[..^1]);
        File.SetLastWriteTimeUtc(wasm, written.AddSeconds(2));
        var broken = DotNetCli.Run(consumer, new[] { "build", "-c", "Release", "--no-restore" }.Concat(DotNetCli.NoServers), TimeSpan.FromMinutes(5));
        _output.WriteLine($"== third build (broken .wasm): exit code {broken.ExitCode}, {broken.Elapsed.TotalSeconds:F1} s");
        Assert.True(broken.ExitCode != 0, "the build of a truncated .wasm succeeded:\n" + broken);
        Assert.Matches(@"wasm/checksum\.wasm\(1,\d+\): error WASM0\d{3}: .* at offset 0x[0-9a-f]+", broken.Output);
        Assert.NotEqual(written, File.GetLastWriteTimeUtc(sidecar));
    }

    /// <summary>Runs dotnet (builds without servers); fails with the whole log when it fails.</summary>
    private DotNetCli.Result Run(string directory, IReadOnlyList<string> arguments, string step)
    {
        var isBuild = arguments[0] is "build" or "pack";
        var result = DotNetCli.Run(directory, isBuild ? arguments.Concat(DotNetCli.NoServers) : arguments, TimeSpan.FromMinutes(5));
        _output.WriteLine($"== {step}: dotnet {string.Join(' ', arguments)}: exit code {result.ExitCode}, {result.Elapsed.TotalSeconds:F1} s");
        Assert.True(result.ExitCode == 0, $"{step} failed: {result}");
        return result;
    }

    /// <summary>The entries of package <paramref name="id"/> by path, with the text of its XML files (nuspec, tool settings).</summary>
    private static Dictionary<string, string?> Entries(string feed, string id, string version)
    {
        var path = Path.Combine(feed, id + "." + version + ".nupkg");
        Assert.True(File.Exists(path), path + " was not packed; the feed holds: " + string.Join(", ", Directory.GetFiles(feed).Select(Path.GetFileName)));
        using var archive = ZipFile.OpenRead(path);
        return archive.Entries.ToDictionary(
            e => e.FullName,
            e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal) || e.FullName.EndsWith(".xml", StringComparison.Ordinal) ? new StreamReader(e.Open()).ReadToEnd() : null,
            StringComparer.Ordinal);
    }

    private static List<(string Id, string Version)> Dependencies(string nuspec)
        => XDocument.Parse(nuspec).Descendants().Where(e => e.Name.LocalName == "dependency")
            .Select(e => (e.Attribute("id")!.Value, e.Attribute("version")!.Value)).ToList();

    /// <summary>The machine's global packages folder (NUGET_PACKAGES, else ~/.nuget/packages), used as a read-only local source.</summary>
    private static string GlobalPackagesFolder()
        => Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
}
