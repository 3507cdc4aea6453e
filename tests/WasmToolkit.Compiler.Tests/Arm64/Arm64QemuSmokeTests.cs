using System;
using System.Diagnostics;
using System.IO;
using WasmToolkit.Tests;
using WasmToolkit.Tests.Infrastructure;
using Xunit;

namespace WasmToolkit.Compiler.Tests.Arm64;

/// <summary>
/// End to end on emulated arm64: runs <c>eng/arm64/run-smoke.sh</c>, which publishes <c>eng/arm64/Arm64Smoke</c>
/// self-contained for linux-arm64 and runs it under <c>qemu-aarch64-static</c>; the program maps memory RW, writes code
/// from <see cref="WasmToolkit.Compiler.Arm64.Arm64Assembler"/>, flips it to RX, flushes the instruction cache and
/// calls it. One publish (about 1.5 minutes cold, seconds when incremental) and a few seconds of emulation. Skipped
/// with the reason when qemu-user-static or the arm64 libc is missing (fails under <c>CI=true</c>).
/// </summary>
public class Arm64QemuSmokeTests
{
    [SkippableFact]
    public void PublishedArm64Program_RunsEncoderOutput()
    {
        if (Arm64GoldenTests.FindTool("qemu-aarch64-static") is null)
            throw Prerequisite.Missing("qemu-aarch64-static is not installed (Debian package qemu-user-static); generated arm64 code was not run.");
        if (!File.Exists("/lib/ld-linux-aarch64.so.1") || !File.Exists("/usr/lib/aarch64-linux-gnu/libstdc++.so.6"))
            throw Prerequisite.Missing("the arm64 libc is not installed (dpkg --add-architecture arm64; apt-get install libc6:arm64 libstdc++6:arm64 libssl3:arm64); generated arm64 code was not run.");

        var script = Path.Combine(TestPaths.RepositoryRoot, "eng", "arm64", "run-smoke.sh");
        // A stable folder per checkout, so a second run publishes incrementally (string hash codes are randomised per process).
        var key = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(TestPaths.RepositoryRoot)), 0, 4);
        var output = Path.Combine(Path.GetTempPath(), "wasmtk-arm64-smoke-" + key.ToLowerInvariant());
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(output);
        foreach (var inherited in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "MSBuildLoadMicrosoftTargetsReadOnly" }) start.Environment.Remove(inherited);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("run-smoke.sh did not finish in 10 minutes:\n" + stdout);
        }

        var all = stdout + stderr.Result;
        if (process.ExitCode == 77) throw Prerequisite.Missing(all.Trim());
        Assert.True(process.ExitCode == 0, $"run-smoke.sh exited with {process.ExitCode}:\n{all}");
        Assert.Contains("add(40, 2) = 42", stdout);
        Assert.Contains("div(int.MinValue, -1) = -2147483648", stdout);
        Assert.Contains("sum(100000) = 5000050000", stdout);
        Assert.Contains("entry stub: add(40, 2) = 42", stdout);
        Assert.Contains("entry stub: outer() -> inner() -> unreachable = Unreachable", stdout);
        Assert.Contains("entry stub: recurse() until the stack limit = CallStackExhausted", stdout);
        Assert.Contains("host stub: callHost(6, 7) = 6 * 7 + 0x1000 + 1 = 4139", stdout);
        Assert.Contains("host stub: failing host function = HostException", stdout);
        Assert.Contains("arm64 smoke: OK", stdout);
        Assert.Contains("cbnz x1, 0x14", stdout); // the listing from Arm64Disassembler, printed by the arm64 process
    }
}
