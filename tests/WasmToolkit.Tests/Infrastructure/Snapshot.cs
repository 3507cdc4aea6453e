using System;
using System.IO;
using System.Runtime.CompilerServices;
using Xunit.Sdk;

namespace WasmToolkit.Tests.Infrastructure;

/// <summary>
/// Snapshot assertions with Verify's conventions, so a later switch to Verify is a one-line change:
/// the expected text lives in <c>{TestFile}.{Method}[_{parameter}].verified.txt</c> beside the test's
/// source file; on a mismatch the actual text is written to the matching <c>.received.txt</c> and the
/// test fails with a diff hint. Set <c>VERIFY_ACCEPT=1</c> to accept: received text overwrites verified.
/// </summary>
/// <remarks>Shared by the test projects (linked into <c>WasmToolkit.Compiler.Tests</c>).</remarks>
internal static class Snapshot
{
    public static bool Accepting => Environment.GetEnvironmentVariable("VERIFY_ACCEPT") is "1" or "true";

    public static void Match(string actual, string? parameter = null, string extension = "txt", [CallerFilePath] string sourceFile = "", [CallerMemberName] string member = "")
    {
        var directory = Path.GetDirectoryName(ResolveSourcePath(sourceFile))!;
        var name = Path.GetFileNameWithoutExtension(sourceFile) + "." + member + (parameter is null ? "" : "_" + Sanitize(parameter));
        MatchFile(actual, Path.Combine(directory, name + ".verified." + extension));
    }

    /// <summary>
    /// Compares <paramref name="actual"/> with <c>{relativeName}.verified.{extension}</c> under the calling test's
    /// folder (e.g. <c>Disassembly/i32_add</c>), for snapshots named after their input rather than the test.
    /// </summary>
    public static void MatchBeside(string actual, string relativeName, string extension = "txt", [CallerFilePath] string sourceFile = "")
    {
        var directory = Path.GetDirectoryName(ResolveSourcePath(sourceFile))!;
        MatchFile(actual, Path.Combine(directory, relativeName + ".verified." + extension));
    }

    /// <summary>Compares <paramref name="actual"/> with the file at <paramref name="verifiedPath"/>.</summary>
    public static void MatchFile(string actual, string verifiedPath)
    {
        actual = actual.Replace("\r\n", "\n");
        var receivedPath = verifiedPath.Contains(".verified.")
            ? verifiedPath.Replace(".verified.", ".received.")
            : Path.ChangeExtension(verifiedPath, ".received" + Path.GetExtension(verifiedPath));
        var expected = File.Exists(verifiedPath) ? File.ReadAllText(verifiedPath).Replace("\r\n", "\n") : null;
        if (expected == actual)
        {
            if (File.Exists(receivedPath)) File.Delete(receivedPath);
            return;
        }

        if (Accepting)
        {
            File.WriteAllText(verifiedPath, actual);
            if (File.Exists(receivedPath)) File.Delete(receivedPath);
            return;
        }

        File.WriteAllText(receivedPath, actual);
        throw new XunitException(
            (expected is null ? "No verified snapshot yet: " : "Snapshot differs: ") + verifiedPath + Environment.NewLine +
            "Received text written to " + receivedPath + "; review the diff and run with VERIFY_ACCEPT=1 to accept." + Environment.NewLine +
            FirstDifference(expected ?? "", actual));
    }

    private static string FirstDifference(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        for (var i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            var el = i < e.Length ? e[i] : "<end>";
            var al = i < a.Length ? a[i] : "<end>";
            if (el != al) return $"First difference at line {i + 1}:{Environment.NewLine}  expected: {el}{Environment.NewLine}  received: {al}";
        }

        return "";
    }

    /// <summary>
    /// CI builds are deterministic (ContinuousIntegrationBuild), which maps source paths to <c>/_/</c>;
    /// snapshots live beside the sources, so map such paths back into the repository.
    /// </summary>
    private static string ResolveSourcePath(string sourceFile)
    {
        if (File.Exists(sourceFile)) return sourceFile;
        var normalized = sourceFile.Replace('\\', '/');
        return normalized.StartsWith("/_/", StringComparison.Ordinal)
            ? Path.Combine(TestPaths.RepositoryRoot, normalized.Substring(3))
            : sourceFile;
    }

    private static string Sanitize(string s)
    {
        var chars = s.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (!char.IsLetterOrDigit(chars[i]) && chars[i] != '-' && chars[i] != '.') chars[i] = '_';
        }

        return new string(chars);
    }
}
