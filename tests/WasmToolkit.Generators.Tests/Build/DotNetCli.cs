using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Reflection;
using System.Text;

namespace WasmToolkit.Generators.Tests.Build;

/// <summary>
/// Runs the real <c>dotnet</c> (the host running these tests, or the one on PATH) as a child process for the tests that
/// build, pack and run projects: telemetry and logo off, no build servers or node reuse left behind, output captured
/// (stdout and stderr interleaved) and a timeout that kills the whole process tree.
/// </summary>
internal static class DotNetCli
{
    /// <summary>The configuration these tests were built in; projects they run were built the same way.</summary>
    public static string Configuration { get; } =
        typeof(DotNetCli).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    /// <summary>The <c>dotnet</c> host: the SDK exports it to the processes it starts as DOTNET_HOST_PATH.</summary>
    public static string Host { get; } =
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>
    /// Arguments that keep a child build from leaving servers behind (MSBuild nodes, the compiler server).
    /// </summary>
    public static readonly string[] NoServers = { "-nodeReuse:false", "--disable-build-servers", "-p:UseSharedCompilation=false" };

    public sealed record Result(int ExitCode, string Output, TimeSpan Elapsed)
    {
        public override string ToString() => $"exit code {ExitCode} after {Elapsed.TotalSeconds:F1} s\n{Output}";
    }

    /// <summary>Runs <c>dotnet</c> with <paramref name="arguments"/> in <paramref name="workingDirectory"/>.</summary>
    public static Result Run(string workingDirectory, IEnumerable<string> arguments, TimeSpan timeout, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(Host)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        // The test host's own MSBuild and test-platform variables must not leak into child builds.
        start.Environment.Remove("MSBuildExtensionsPath");
        start.Environment.Remove("MSBuildSDKsPath");
        start.Environment.Remove("MSBUILD_EXE_PATH");
        if (environment is not null)
        {
            foreach (var (key, value) in environment) start.Environment[key] = value;
        }

        var output = new StringBuilder();
        var stopwatch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.Append(e.Data).Append('\n'); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.Append(e.Data).Append('\n'); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit((int)timeout.TotalMilliseconds))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            lock (output) output.Append("[killed: no exit within " + timeout.TotalSeconds + " s]\n");
            return new Result(-1, output.ToString(), stopwatch.Elapsed);
        }

        process.WaitForExit(); // flushes the asynchronous readers
        lock (output) return new Result(process.ExitCode, output.ToString(), stopwatch.Elapsed);
    }

    /// <summary>A fresh directory under the system's temp folder, deleted by <see cref="TempDirectory.Dispose"/>.</summary>
    public static TempDirectory CreateTempDirectory(string prefix) => new(Path.Combine(Path.GetTempPath(), prefix + "-" + Guid.NewGuid().ToString("N")[..12]));

    internal sealed class TempDirectory : IDisposable
    {
        public TempDirectory(string path)
        {
            Path = path;
            Directory.CreateDirectory(path);
        }

        public string Path { get; }

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
                // A child process may still hold a file for a moment; the temp folder is cleaned by the system later.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
