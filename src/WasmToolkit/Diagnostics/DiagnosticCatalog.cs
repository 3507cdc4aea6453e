using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;

namespace WasmToolkit.Diagnostics;

/// <summary>
/// Every diagnostic the toolkit reports, by stable id (after Roslyn's <c>ErrorCode.cs</c>).
/// </summary>
/// <remarks>
/// Number ranges per layer: WASM0001–0999 binary format (malformed), WASM1000–1999 text format,
/// WASM2000–2999 validation (invalid), WASM3000–3999 linking, WASM4000–4999 compilation,
/// WASM5000–5999 build-time (generator and analyzers). Ids are never reused; retired ones stay
/// listed with a "retired" title. Each layer's descriptors sit in a partial file of this class;
/// <c>docs/diagnostics.md</c> lists them all and a test keeps it in step.
/// Messages of malformed/invalid diagnostics start with the spec test suite's phrase, so spec
/// expectations match by substring.
/// </remarks>
public static partial class DiagnosticCatalog
{
    private static ImmutableArray<DiagnosticDescriptor> s_all;

    /// <summary>All descriptors, ordered by id.</summary>
    public static ImmutableArray<DiagnosticDescriptor> All
    {
        get
        {
            if (s_all.IsDefault)
            {
                s_all = typeof(DiagnosticCatalog)
                    .GetProperties(BindingFlags.Public | BindingFlags.Static)
                    .Where(p => p.PropertyType == typeof(DiagnosticDescriptor))
                    .Select(p => (DiagnosticDescriptor)p.GetValue(null)!)
                    .OrderBy(d => d.Id, System.StringComparer.Ordinal)
                    .ToImmutableArray();
            }

            return s_all;
        }
    }

    /// <summary>The descriptor with <paramref name="id"/>, or null.</summary>
    public static DiagnosticDescriptor? Find(string id)
    {
        foreach (var d in All)
        {
            if (d.Id == id) return d;
        }

        return null;
    }

    private static DiagnosticDescriptor Error(string id, string category, string title, string? format = null)
        => new(id, title, format ?? title, category, DiagnosticSeverity.Error);

    private static DiagnosticDescriptor Warning(string id, string category, string title, string? format = null)
        => new(id, title, format ?? title, category, DiagnosticSeverity.Warning);

    internal static IEnumerable<DiagnosticDescriptor> Enumerate() => All;
}
