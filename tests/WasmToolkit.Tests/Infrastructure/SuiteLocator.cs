using System;
using System.IO;
using System.Linq;

namespace WasmToolkit.Tests.Infrastructure;

/// <summary>
/// Finds the official WebAssembly 2.0 spec test suite: the folder named by <c>WASM_TESTSUITE</c>, by default
/// <c>../shared/wasm-testsuite-2.0</c> beside the repository root (the folder holding <c>Toolkit.sln</c>).
/// When it is missing, <see cref="Require"/> skips the calling test with the reason, or fails it on CI
/// (see <see cref="Prerequisite"/>).
/// </summary>
/// <remarks>Shared by the test projects (linked into <c>WasmToolkit.SpecTests</c>): the one place that knows where the suite is.</remarks>
internal static class SuiteLocator
{
    public const string Variable = "WASM_TESTSUITE";

    /// <summary>Where the suite should be (it may not exist).</summary>
    public static string Folder
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable(Variable);
            return string.IsNullOrEmpty(configured)
                ? Path.GetFullPath(Path.Combine(TestPaths.RepositoryRoot, "..", "shared", "wasm-testsuite-2.0"))
                : Path.GetFullPath(configured);
        }
    }

    /// <summary>The suite folder; skips (or on CI fails) the calling test when it has no <c>.wast</c> files.</summary>
    public static string Require()
    {
        var folder = Folder;
        if (Directory.Exists(folder) && Directory.GetFiles(folder, "*.wast").Length > 0) return folder;
        throw Prerequisite.Missing($"The WebAssembly spec test suite was not found at {folder} (no *.wast there). " +
            $"Set {Variable} to its folder (default: ../shared/wasm-testsuite-2.0 beside the repository root).");
    }

    /// <summary>The <c>.wast</c> files of the suite's top level (the core groups), sorted.</summary>
    public static string[] CoreFiles(string folder) => Sorted(Directory.GetFiles(folder, "*.wast"));

    /// <summary>The <c>.wast</c> files of the SIMD group (<c>simd/</c>), sorted; none when it is absent.</summary>
    public static string[] SimdFiles(string folder)
    {
        var simd = Path.Combine(folder, "simd");
        return Directory.Exists(simd) ? Sorted(Directory.GetFiles(simd, "*.wast")) : Array.Empty<string>();
    }

    /// <summary>Core and SIMD files together, sorted by path.</summary>
    public static string[] WastFiles(string folder) => Sorted(CoreFiles(folder).Concat(SimdFiles(folder)));

    /// <summary>A file's path relative to the suite folder, for messages.</summary>
    public static string Name(string folder, string file) => Path.GetRelativePath(folder, file);

    private static string[] Sorted(System.Collections.Generic.IEnumerable<string> files) => files.OrderBy(f => f, StringComparer.Ordinal).ToArray();
}
