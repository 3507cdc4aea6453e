using System;
using System.CommandLine;
using WasmToolkit.Compiler;

namespace WasmToolkit.Cli;

/// <summary>
/// <c>--x64-features</c>: which x64 extensions generated code may use (Cranelift's target flags, Wasmtime's <c>-C</c>),
/// e.g. to compile a cache for an older processor or to see what code looks like without AVX.
/// </summary>
internal static class X64FeatureOption
{
    public const string Help = "x64 extensions the code may use: host (this processor's), none, or a comma list of popcnt, sse41, avx. Without sse41 SIMD is unsupported.";

    public static Option<string?> Create() => new("--x64-features") { Description = Help };

    /// <summary>Parses the option's value; null (not given) gives <paramref name="fallback"/>.</summary>
    public static bool TryParse(string? value, X64Features fallback, out X64Features features, out string? problem)
    {
        features = fallback;
        problem = null;
        if (value is null) return true;
        if (value == "host")
        {
            features = Runtime.HostFeatures.X64;
            return true;
        }

        features = X64Features.None;
        if (value == "none") return true;
        foreach (var name in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            switch (name)
            {
                case "popcnt": features |= X64Features.Popcnt; break;
                case "sse41": features |= X64Features.Sse41; break;
                case "avx": features |= X64Features.Avx; break;
                default:
                    problem = $"unknown x64 feature \"{name}\" (expected host, none, or popcnt, sse41, avx)";
                    return false;
            }
        }

        return true;
    }
}
