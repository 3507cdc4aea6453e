using System;
using System.IO;
using System.Linq;
using Xunit;

namespace WasmToolkit.SpecTests;

/// <summary>
/// Finds the official WebAssembly test suite: the folder named by <c>WASM_TESTSUITE</c>, by default
/// <c>../shared/wasm-testsuite-2.0</c> beside the repository. When it is missing, tests are skipped with
/// the reason printed, except on CI (<c>CI=true</c>) where they fail loudly.
/// </summary>
internal static class SpecSuite
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Folder
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable("WASM_TESTSUITE");
            return string.IsNullOrEmpty(configured)
                ? Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "wasm-testsuite-2.0"))
                : Path.GetFullPath(configured);
        }
    }

    /// <summary>The suite folder; skips (or on CI fails) the calling test when it is missing.</summary>
    public static string Require()
    {
        var folder = Folder;
        if (Directory.Exists(folder) && Directory.GetFiles(folder, "*.wast").Length > 0) return folder;
        var message = $"The WebAssembly spec test suite was not found at {folder}. Set WASM_TESTSUITE to its folder.";
        if (Environment.GetEnvironmentVariable("CI") is "true" or "1") throw new InvalidOperationException(message);
        Skip.If(true, message);
        return folder;
    }

    /// <summary>The <c>.wast</c> files of the suite's top level (the core groups).</summary>
    public static string[] CoreFiles(string folder) => Directory.GetFiles(folder, "*.wast").OrderBy(f => f, StringComparer.Ordinal).ToArray();

    /// <summary>The <c>.wast</c> files of the SIMD group.</summary>
    public static string[] SimdFiles(string folder)
    {
        var simd = Path.Combine(folder, "simd");
        return Directory.Exists(simd) ? Directory.GetFiles(simd, "*.wast").OrderBy(f => f, StringComparer.Ordinal).ToArray() : Array.Empty<string>();
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Toolkit.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Toolkit.sln not found above " + AppContext.BaseDirectory);
    }
}
