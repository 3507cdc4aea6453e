using System.Collections.Generic;
using WasmToolkit.Diagnostics;

namespace WasmToolkit.Runtime;

/// <summary>Checks externs against a module's imports (spec 4.5.4 "import matching", the 2.0 subtyping of limits).</summary>
internal static class ImportMatcher
{
    /// <summary>Diagnostics for every import <paramref name="imports"/> does not satisfy (a null entry is a missing definition).</summary>
    public static List<Diagnostic> Check(Module module, IReadOnlyList<Extern?> imports)
    {
        var problems = new List<Diagnostic>();
        for (var i = 0; i < module.Imports.Length; i++)
        {
            var import = module.Imports[i];
            var location = new BinaryLocation(import.Span);
            var what = $"\"{import.Module}\" \"{import.Name}\"";
            var actual = i < imports.Count ? imports[i] : null;
            if (actual is null)
            {
                problems.Add(Diagnostic.Create(DiagnosticCatalog.UnknownImport, location, what));
                continue;
            }

            var mismatch = Mismatch(module, import, actual);
            if (mismatch is not null) problems.Add(Diagnostic.Create(DiagnosticCatalog.IncompatibleImportType, location, what + ": " + mismatch));
        }

        if (imports.Count > module.Imports.Length) problems.Add(Diagnostic.Create(DiagnosticCatalog.IncompatibleImportType, Location.None, $"{imports.Count} imports given, the module has {module.Imports.Length}"));
        return problems;
    }

    private static string? Mismatch(Module module, Import import, Extern actual)
    {
        if (actual.Kind != import.Kind) return $"expected a {Name(import.Kind)}, got a {Name(actual.Kind)}";
        switch (actual)
        {
            case Function f:
                var typeIndex = import.FunctionType.Value;
                var expected = typeIndex < (uint)module.Types.Length ? module.Types[(int)typeIndex] : null;
                return expected is not null && expected.Equals(f.Type) ? null : $"expected function type {expected}, got {f.Type}";
            case Table t:
                if (t.Type.ElementType != import.Table.ElementType) return $"expected {import.Table.ElementType} elements, got {t.Type.ElementType}";
                return LimitsMismatch(import.Table.Limits, t.Length, t.Type.Limits.Maximum);
            case Memory m:
                return LimitsMismatch(import.Memory.Limits, m.PageCount, m.DeclaredMaximum);
            case Global g:
                return g.Type.Equals(import.Global) ? null : $"expected global type {import.Global}, got {g.Type}";
            default:
                return "unknown extern";
        }
    }

    /// <summary>The actual limits {min = current size, max} must lie within the import's.</summary>
    private static string? LimitsMismatch(Limits expected, ulong actualMinimum, ulong? actualMaximum)
    {
        if (actualMinimum < expected.Minimum) return $"minimum {actualMinimum} is below the import's {expected.Minimum}";
        if (expected.Maximum is { } max && (actualMaximum is null || actualMaximum > max))
        {
            return $"maximum {(actualMaximum is null ? "none" : actualMaximum.ToString())} exceeds the import's {max}";
        }

        return null;
    }

    private static string Name(ExternalKind kind) => kind.ToString().ToLowerInvariant();
}
