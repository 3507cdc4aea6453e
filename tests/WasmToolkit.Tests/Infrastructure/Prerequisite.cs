using System;
using Xunit;

namespace WasmToolkit.Tests.Infrastructure;

/// <summary>
/// What a test needs from outside the repository (the spec test suite, the wabt tools) and is missing:
/// the test is reported as skipped with the reason, except on CI (<c>CI=true</c>), where it fails loudly,
/// because <c>.ci/run</c> provides everything. Tests that call this must be
/// <c>[SkippableFact]</c>/<c>[SkippableTheory]</c>; a plain <c>[Fact]</c> would report the skip as a failure.
/// </summary>
/// <remarks>Shared by the test projects (linked into <c>WasmToolkit.SpecTests</c>).</remarks>
internal static class Prerequisite
{
    /// <summary>True when <c>CI</c> is <c>true</c> (any case) or <c>1</c>.</summary>
    public static bool OnCI => Environment.GetEnvironmentVariable("CI") is { } ci
        && (ci == "1" || ci.Equals("true", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The exception to throw for a missing prerequisite: <see cref="SkipException"/> with <paramref name="reason"/>
    /// (the test shows as skipped), or on CI an <see cref="InvalidOperationException"/> (it fails).
    /// </summary>
    public static Exception Missing(string reason)
        => OnCI
            ? new InvalidOperationException(reason + " (CI=true: a missing prerequisite fails the test instead of skipping it.)")
            : new SkipException(reason);
}
