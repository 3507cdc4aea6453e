using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;

namespace WasmToolkit.Tests.Infrastructure;

/// <summary>
/// The wabt tools (<c>wat2wasm</c>, <c>wast2json</c>, <c>wasm-validate</c>, <c>wasm2wat</c>) that serve as
/// reference implementations in oracle tests, found on the <c>PATH</c>. <c>Require…</c> returns a tool's path,
/// or skips the calling test with the reason (on CI, where <c>.ci/run</c> installs wabt, fails it: see
/// <see cref="Prerequisite"/>).
/// </summary>
/// <remarks>
/// <c>WASMTK_NO_WABT=1</c> hides the tools, to check how the tests behave on a machine without wabt.
/// </remarks>
internal static class WabtTools
{
    public const string DisableVariable = "WASMTK_NO_WABT";

    private static readonly Lazy<string?> s_wat2wasm = new(() => Find("wat2wasm"));
    private static readonly Lazy<string?> s_wast2json = new(() => Find("wast2json"));
    private static readonly Lazy<string?> s_wasmValidate = new(() => Find("wasm-validate"));
    private static readonly Lazy<string?> s_wasm2wat = new(() => Find("wasm2wat"));

    /// <summary>Path of <c>wat2wasm</c>, or null.</summary>
    public static string? Wat2Wasm => s_wat2wasm.Value;

    /// <summary>Path of <c>wast2json</c>, or null.</summary>
    public static string? Wast2Json => s_wast2json.Value;

    /// <summary>Path of <c>wasm-validate</c>, or null.</summary>
    public static string? WasmValidate => s_wasmValidate.Value;

    /// <summary>Path of <c>wasm2wat</c>, or null (only used to show failing modules as text).</summary>
    public static string? Wasm2Wat => s_wasm2wat.Value;

    /// <summary>Parallelism for loops that start wabt processes.</summary>
    public static ParallelOptions Parallelism { get; } = new() { MaxDegreeOfParallelism = Math.Max(2, Environment.ProcessorCount) };

    /// <summary>The path of <c>wat2wasm</c>; skips (on CI fails) the calling test without it, <paramref name="note"/> added to the reason.</summary>
    public static string RequireWat2Wasm(string? note = null) => Require("wat2wasm", Wat2Wasm, note);

    /// <summary>The path of <c>wast2json</c>; skips (on CI fails) the calling test without it.</summary>
    public static string RequireWast2Json(string? note = null) => Require("wast2json", Wast2Json, note);

    /// <summary>The path of <c>wasm-validate</c>; skips (on CI fails) the calling test without it.</summary>
    public static string RequireWasmValidate(string? note = null) => Require("wasm-validate", WasmValidate, note);

    private static string Require(string tool, string? path, string? note)
        => path ?? throw Prerequisite.Missing(MissingReason(tool) + (note is null ? "" : " " + note));

    /// <summary>Why <paramref name="tool"/> is not available.</summary>
    public static string MissingReason(string tool)
        => Disabled
            ? $"{tool} (wabt) is hidden by {DisableVariable}=1."
            : $"{tool} (wabt) was not found on the PATH; install wabt (Debian: apt-get install wabt; .ci/run does).";

    private static bool Disabled => Environment.GetEnvironmentVariable(DisableVariable) is "1" or "true";

    /// <summary>The tool's full path from the <c>PATH</c>, or null (always null under <c>WASMTK_NO_WABT=1</c>).</summary>
    public static string? Find(string name)
    {
        if (Disabled) return null;
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator)
            .Where(d => d.Length > 0)
            .Select(d => Path.Combine(d, name))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// Runs <paramref name="tool"/> (a path from this class) and returns its exit code and output. After
    /// <paramref name="timeout"/> the process is killed and the exit code is -1.
    /// </summary>
    public static (int ExitCode, string Output, string Error) Run(string tool, string arguments, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(tool, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        using var process = Process.Start(info)!;

        // Both streams on threads of their own, not thread-pool continuations: callers run this from
        // Parallel.ForEach, whose blocked workers would otherwise starve the pool.
        var stdout = Task.Factory.StartNew(() => process.StandardOutput.ReadToEnd(), TaskCreationOptions.LongRunning);
        var stderr = Task.Factory.StartNew(() => process.StandardError.ReadToEnd(), TaskCreationOptions.LongRunning);
        if (timeout is { } limit && !process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return (-1, stdout.Result, $"{Path.GetFileName(tool)} timed out after {limit.TotalSeconds:0} s. " + stderr.Result);
        }

        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>
    /// Assembles <paramref name="wat"/> with <c>wat2wasm</c>, all features and without validation (the printer's job
    /// is to reproduce the module, valid or not). Returns the bytes, or throws with wat2wasm's message.
    /// </summary>
    public static byte[] Assemble(string wat)
    {
        var wat2wasm = RequireWat2Wasm();
        var dir = Path.Combine(Path.GetTempPath(), "wasmtk-printer-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var input = Path.Combine(dir, "m.wat");
            var output = Path.Combine(dir, "m.wasm");
            File.WriteAllText(input, wat);
            var (code, _, error) = Run(wat2wasm, $"--enable-all --no-check \"{input}\" -o \"{output}\"");
            if (code != 0) throw new InvalidOperationException("wat2wasm failed: " + error + "\n--- text ---\n" + wat);
            return File.ReadAllBytes(output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
