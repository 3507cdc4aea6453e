using System;
using System.IO;

namespace WasmToolkit.Tests;

/// <summary>Locations the tests read from: the repository and the spec test suite beside it.</summary>
internal static class TestPaths
{
    /// <summary>The folder holding Toolkit.sln.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Toolkit.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Toolkit.sln not found above " + AppContext.BaseDirectory);
    }
}
