using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using WasmToolkit.Binary;

namespace WasmToolkit.Benchmarks;

/// <summary>
/// The module every benchmark reads (<c>Inputs/large.wasm</c>, made by <c>Inputs/make-large-module.sh</c>) and
/// its sizes, which the throughput columns divide by.
/// </summary>
/// <remarks>
/// The file is looked up in <c>WASMTK_BENCH_INPUT</c> when set, else beside the executable (the project copies it
/// to its output), else in the source tree above it. BenchmarkDotNet runs each benchmark in a child process built
/// from a generated project in a sub-folder of the output, so the last two may both be needed.
/// </remarks>
internal static class BenchmarkInput
{
    private const string EnvironmentVariable = "WASMTK_BENCH_INPUT";
    private static readonly Lazy<Sizes> s_sizes = new(Measure);

    /// <summary>Full path of the benchmark module.</summary>
    public static string Path { get; } = Find();

    /// <summary>Size of the whole module in bytes.</summary>
    public static long ModuleBytes => s_sizes.Value.Module;

    /// <summary>Size of the code section's contents in bytes (all function bodies).</summary>
    public static long CodeSectionBytes => s_sizes.Value.Code;

    /// <summary>Number of function bodies (defined functions).</summary>
    public static int FunctionCount => s_sizes.Value.Functions;

    /// <summary>One line describing the input, printed before the benchmarks run.</summary>
    public static string Describe()
    {
        byte[] bytes = File.ReadAllBytes(Path);
        string hash = Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();
        return $"Input {Path}: {ModuleBytes:N0} bytes ({ModuleBytes / 1e6:F2} MB), code section {CodeSectionBytes:N0} bytes " +
               $"({CodeSectionBytes / 1e6:F2} MB), {FunctionCount:N0} function bodies, sha256 {hash}";
    }

    private static string Find()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment)) return System.IO.Path.GetFullPath(fromEnvironment);

        string besideExe = System.IO.Path.Combine(AppContext.BaseDirectory, "Inputs", "large.wasm");
        if (File.Exists(besideExe)) return besideExe;

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = System.IO.Path.Combine(dir.FullName, "tests", "WasmToolkit.Benchmarks", "Inputs", "large.wasm");
            if (File.Exists(candidate)) return candidate;
        }

        throw new FileNotFoundException(
            $"Benchmark input large.wasm not found beside {AppContext.BaseDirectory} or in the source tree above it; " +
            $"run tests/WasmToolkit.Benchmarks/Inputs/make-large-module.sh or set {EnvironmentVariable}.");
    }

    private static Sizes Measure()
    {
        byte[] bytes = File.ReadAllBytes(Path);
        ModuleReadResult result = ModuleReader.Read(bytes, Path);
        if (result.Module is null)
        {
            throw new InvalidOperationException("Benchmark input is malformed: " + string.Join("; ", result.Diagnostics));
        }

        SectionInfo code = result.Sections.Single(s => s.Id == SectionId.Code);
        return new Sizes(bytes.Length, code.ContentSpan.Length, result.Module.Functions.Length);
    }

    private readonly record struct Sizes(long Module, long Code, int Functions);
}
