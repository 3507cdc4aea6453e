using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace WasmToolkit.Tests.Text;

/// <summary>
/// Finds the WebAssembly 2.0 spec test suite: <c>WASM_TESTSUITE</c>, else
/// <c>../shared/wasm-testsuite-2.0</c> beside the repository root. When it is missing, tests skip
/// with a printed reason, except on CI (<c>CI=true</c>) where they fail.
/// </summary>
internal static class SpecSuite
{
    public static string Directory { get; } = Environment.GetEnvironmentVariable("WASM_TESTSUITE") is { Length: > 0 } configured
        ? configured
        : Path.GetFullPath(Path.Combine(TestPaths.RepositoryRoot, "..", "shared", "wasm-testsuite-2.0"));

    /// <summary>True when the suite is there; otherwise the reason to print (throws on CI).</summary>
    public static bool IsAvailable(out string reason)
    {
        if (System.IO.Directory.Exists(Directory) && System.IO.Directory.GetFiles(Directory, "*.wast").Length > 0)
        {
            reason = "";
            return true;
        }

        reason = $"Spec test suite not found at {Directory} (set WASM_TESTSUITE); skipping.";
        if (Environment.GetEnvironmentVariable("CI") is "true" or "1") throw new InvalidOperationException(reason);
        return false;
    }

    /// <summary>Every <c>.wast</c> of the suite and its <c>simd/</c> folder, sorted.</summary>
    public static IReadOnlyList<string> WastFiles()
    {
        var files = System.IO.Directory.GetFiles(Directory, "*.wast").ToList();
        var simd = Path.Combine(Directory, "simd");
        if (System.IO.Directory.Exists(simd)) files.AddRange(System.IO.Directory.GetFiles(simd, "*.wast"));
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    /// <summary>A file's name relative to the suite, for messages.</summary>
    public static string Name(string file) => Path.GetRelativePath(Directory, file);
}
