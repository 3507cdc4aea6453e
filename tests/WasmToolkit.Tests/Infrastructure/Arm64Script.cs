using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Xunit;

namespace WasmToolkit.Tests.Infrastructure;

/// <summary>
/// Runs one of the <c>eng/arm64/*.sh</c> scripts that publish a .NET program for linux-arm64 and run it under
/// <c>qemu-aarch64-static</c>: checks qemu and the arm64 libc first (a missing one is a <see cref="Prerequisite"/>, as is
/// the scripts' exit code 77), keeps the publish in a stable folder per checkout (so a second run publishes
/// incrementally), and keeps the test host's MSBuild variables from the nested <c>dotnet publish</c>.
/// </summary>
/// <remarks>Shared by the ARM64 tests of <c>WasmToolkit.Compiler.Tests</c> and <c>WasmToolkit.Runtime.Tests</c> (linked).</remarks>
internal static class Arm64Script
{
    /// <summary>
    /// Runs <c>eng/arm64/<paramref name="script"/></c> with <paramref name="arguments"/>; <paramref name="outputFolder"/> (a
    /// folder under the temp directory named after <paramref name="outputName"/> and this checkout) goes to the script as
    /// <paramref name="outputVariable"/> in its environment, or as its first argument when that is null. Fails the test when
    /// the script runs longer than <paramref name="timeout"/>. Returns the exit code, standard output and both streams.
    /// </summary>
    public static (int ExitCode, string Stdout, string All) Run(string script, string outputName, string? outputVariable, IEnumerable<string> arguments, TimeSpan timeout)
    {
        if (!OnPath("qemu-aarch64-static"))
            throw Prerequisite.Missing("qemu-aarch64-static is not installed (Debian package qemu-user-static); generated arm64 code was not run.");
        if (!File.Exists("/lib/ld-linux-aarch64.so.1") || !File.Exists("/usr/lib/aarch64-linux-gnu/libstdc++.so.6"))
            throw Prerequisite.Missing("the arm64 libc is not installed (dpkg --add-architecture arm64; apt-get install libc6:arm64 libstdc++6:arm64 libssl3:arm64); generated arm64 code was not run.");

        // A stable folder per checkout (string hash codes are randomised per process).
        var key = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(TestPaths.RepositoryRoot)), 0, 4);
        var output = Path.Combine(Path.GetTempPath(), outputName + "-" + key.ToLowerInvariant());
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(TestPaths.RepositoryRoot, "eng", "arm64", script));
        if (outputVariable is null) start.ArgumentList.Add(output);
        else start.Environment[outputVariable] = output;
        foreach (var argument in arguments) start.ArgumentList.Add(argument);

        // The test host's MSBuild variables would point the nested dotnet publish at the wrong SDK pieces.
        foreach (var inherited in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "MSBuildLoadMicrosoftTargetsReadOnly" }) start.Environment.Remove(inherited);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{script} did not finish in {timeout.TotalMinutes} minutes:\n{stdout}");
        }

        var all = stdout + stderr.Result;
        if (process.ExitCode == 77) throw Prerequisite.Missing(all.Trim());
        return (process.ExitCode, stdout, all);
    }

    private static bool OnPath(string tool)
        => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(dir => dir.Length > 0 && File.Exists(Path.Combine(dir, tool)));
}
