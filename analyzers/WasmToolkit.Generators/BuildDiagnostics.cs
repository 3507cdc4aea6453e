using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace WasmToolkit.Generators;

/// <summary>
/// The generator's own diagnostics (WASM5000–5999) as Roslyn descriptors with constant ids, so Roslyn's
/// release tracking (AnalyzerReleases.*.md) sees them. They mirror <c>DiagnosticCatalog</c>'s Build
/// category, which documents them in docs/diagnostics.md; a test checks the two agree. Retired ids
/// (WASM5003, WASM5005: exports and imports with v128 values, bound since the runtime runs SIMD) stay
/// in the catalogue only, so their numbers are never reused.
/// </summary>
internal static class BuildDiagnostics
{
    private const string Category = "Build";

    public static readonly DiagnosticDescriptor ModuleFileNotFound = Error("WASM5001", "module file not found", "no module file matches \"{0}\" for '{1}': list it in the project as <WasmModule Include=\"...\" /> (a .wat may also be an AdditionalFiles item)");

    public static readonly DiagnosticDescriptor ModuleClassNotPartial = Error("WASM5002", "class must be partial", "'{0}' must be declared partial to receive the bindings of \"{1}\"");

    public static readonly DiagnosticDescriptor BindingNameCollision = Error("WASM5004", "binding name collision", "{0} \"{1}\" maps to the C# name '{2}', which {3}");

    public static readonly DiagnosticDescriptor AmbiguousModuleFile = Error("WASM5006", "ambiguous module file", "\"{0}\" matches more than one additional file: {1}");

    public static readonly DiagnosticDescriptor UnsupportedModuleClass = Error("WASM5007", "unsupported module class", "'{0}' cannot bind a module: {1}");

    public static readonly DiagnosticDescriptor BinaryModuleNotReadable = Error("WASM5008", "binary module not readable", "\"{0}\" cannot be read as a binary module: {1}");

    /// <summary>All of them, by id.</summary>
    public static IReadOnlyDictionary<string, DiagnosticDescriptor> ById { get; } = new Dictionary<string, DiagnosticDescriptor>
    {
        [ModuleFileNotFound.Id] = ModuleFileNotFound,
        [ModuleClassNotPartial.Id] = ModuleClassNotPartial,
        [BindingNameCollision.Id] = BindingNameCollision,
        [AmbiguousModuleFile.Id] = AmbiguousModuleFile,
        [UnsupportedModuleClass.Id] = UnsupportedModuleClass,
        [BinaryModuleNotReadable.Id] = BinaryModuleNotReadable,
    };

    private static DiagnosticDescriptor Error(string id, string title, string format)
        => new(id, title, format, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: Help(id));

    private static string Help(string id) => "docs/diagnostics.md#" + id.ToLowerInvariant();
}
