using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using WasmToolkit.Tests;
using WasmToolkit.Tests.Infrastructure;
using Xunit;

namespace WasmToolkit.Compiler.Tests.Arm64;

/// <summary>
/// The ARM64 conformance pass: <c>eng/arm64/run-wast.sh</c> publishes <c>wasmtk</c> for linux-arm64 and runs
/// <c>wasmtk wast</c> under qemu on every file of the 2.0 suite outside <c>simd/</c>, so the ARM64 backend's code is
/// compiled and executed by an arm64 process; every command must pass (0 failed, 0 skipped). About a minute of emulation
/// plus the publish (incremental after the first). Skipped with the reason when qemu, the arm64 libc or the suite is
/// missing (fails under <c>CI=true</c>).
/// </summary>
public class Arm64QemuWastTests
{
    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public Arm64QemuWastTests(Xunit.Abstractions.ITestOutputHelper output) => _output = output;

    [SkippableFact]
    public void TheSpecSuiteOutsideSimdPassesOnEmulatedArm64()
    {
        var folder = SuiteLocator.Require();
        if (Arm64GoldenTests.FindTool("qemu-aarch64-static") is null)
            throw Prerequisite.Missing("qemu-aarch64-static is not installed (Debian package qemu-user-static); the ARM64 conformance pass did not run.");

        var script = Path.Combine(TestPaths.RepositoryRoot, "eng", "arm64", "run-wast.sh");
        var key = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(TestPaths.RepositoryRoot)), 0, 4);
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        foreach (var file in SuiteLocator.CoreFiles(folder)) start.ArgumentList.Add(file);
        start.Environment["WASMTK_ARM64_OUT"] = Path.Combine(Path.GetTempPath(), "wasmtk-arm64-wast-" + key.ToLowerInvariant());
        foreach (var inherited in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "MSBuildLoadMicrosoftTargetsReadOnly" }) start.Environment.Remove(inherited);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(30)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("run-wast.sh did not finish in 30 minutes:\n" + stdout);
        }

        var all = stdout + stderr.Result;
        if (process.ExitCode == 77) throw Prerequisite.Missing(all.Trim());
        var total = stdout.Split('\n').LastOrDefault(l => l.Length > 0) ?? "";
        _output.WriteLine(total);
        Assert.True(process.ExitCode == 0, $"run-wast.sh exited with {process.ExitCode}:\n{all}");
        var counts = Regex.Match(total, @"^(\d+) passed, (\d+) failed, (\d+) skipped$");
        Assert.True(counts.Success, "no summary line:\n" + all);
        Assert.True(int.Parse(counts.Groups[1].Value) > 20000, total);
        Assert.Equal("0 failed, 0 skipped", $"{counts.Groups[2].Value} failed, {counts.Groups[3].Value} skipped");
    }
}
