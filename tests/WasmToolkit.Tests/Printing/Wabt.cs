using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;

namespace WasmToolkit.Tests.Printing;

/// <summary>
/// Runs the wabt tools (<c>wat2wasm</c>, <c>wast2json</c>) that serve as the reference text parser of the
/// printer tests. Tests that need them print a reason and pass when they are not on the PATH.
/// </summary>
internal static class Wabt
{
    private static readonly Lazy<string?> s_wat2wasm = new(() => Find("wat2wasm"));
    private static readonly Lazy<string?> s_wast2json = new(() => Find("wast2json"));

    public static string? Wat2Wasm => s_wat2wasm.Value;

    public static string? Wast2Json => s_wast2json.Value;

    /// <summary>Why wabt-based tests cannot run, or null when they can.</summary>
    public static string? MissingReason
        => Wat2Wasm is null || Wast2Json is null ? "wabt (wat2wasm, wast2json) is not installed; skipped." : null;

    /// <summary>
    /// Assembles <paramref name="wat"/> with all features and without validation (the printer's job is to
    /// reproduce the module, valid or not). Returns the bytes, or throws with wat2wasm's message.
    /// </summary>
    public static byte[] Assemble(string wat)
    {
        var dir = Path.Combine(Path.GetTempPath(), "wasmtk-printer-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var input = Path.Combine(dir, "m.wat");
            var output = Path.Combine(dir, "m.wasm");
            File.WriteAllText(input, wat);
            var (code, _, error) = Run(Wat2Wasm!, $"--enable-all --no-check \"{input}\" -o \"{output}\"");
            if (code != 0) throw new InvalidOperationException("wat2wasm failed: " + error + "\n--- text ---\n" + wat);
            return File.ReadAllBytes(output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Parallelism for loops that start wabt processes.</summary>
    public static ParallelOptions Parallelism { get; } = new() { MaxDegreeOfParallelism = Math.Max(2, Environment.ProcessorCount) };

    public static (int ExitCode, string Output, string Error) Run(string tool, string arguments, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(tool, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        using var process = Process.Start(info)!;

        // stderr on a thread of its own, not a thread-pool continuation: callers run this from
        // Parallel.ForEach, whose blocked workers would otherwise starve the pool.
        var stderr = Task.Factory.StartNew(() => process.StandardError.ReadToEnd(), TaskCreationOptions.LongRunning);
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.Result);
    }

    private static string? Find(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator)
            .Where(d => d.Length > 0)
            .Select(d => Path.Combine(d, name))
            .FirstOrDefault(File.Exists);
    }
}
