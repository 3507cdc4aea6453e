namespace WasmToolkit.Diagnostics;

// WASM5000–WASM5999: build time, reported by the source generator (analyzers/WasmToolkit.Generators)
// while it binds a [WasmModule] class to its module. The module's own problems keep the front end's
// ids (WASM0xxx–2xxx), forwarded at their line and column in the .wat file; these are the binding's.
// analyzers/WasmToolkit.Generators/AnalyzerReleases.*.md track them as Roslyn's release tracking asks.
public static partial class DiagnosticCatalog
{
    private const string Build = "Build";

    /// <summary>No additional file matches the path given to <c>[WasmModule]</c> (matched by path suffix).</summary>
    public static DiagnosticDescriptor ModuleFileNotFound { get; } = Error("WASM5001", Build, "module file not found", "no module file matches \"{0}\" for '{1}': list it in the project as <WasmModule Include=\"...\" /> (a .wat may also be an AdditionalFiles item)");

    /// <summary>The class that carries <c>[WasmModule]</c> is not declared <c>partial</c>.</summary>
    public static DiagnosticDescriptor ModuleClassNotPartial { get; } = Error("WASM5002", Build, "class must be partial", "'{0}' must be declared partial to receive the bindings of \"{1}\"");

    /// <summary>Retired: was an export whose type had no C# binding (<c>v128</c>, bound as <c>Vector128&lt;byte&gt;</c> since); no longer reported, the id stays reserved.</summary>
    public static DiagnosticDescriptor UnsupportedExportType { get; } = Warning("WASM5003", Build, "retired: unsupported export type", "export \"{0}\" is not bound: {1}");

    /// <summary>Two exports or imports map to one C# name, or one maps to a name the generated class already uses.</summary>
    public static DiagnosticDescriptor BindingNameCollision { get; } = Error("WASM5004", Build, "binding name collision", "{0} \"{1}\" maps to the C# name '{2}', which {3}");

    /// <summary>Retired: was an import whose type had no C# binding (<c>v128</c>, bound as <c>Vector128&lt;byte&gt;</c> since); no longer reported, the id stays reserved.</summary>
    public static DiagnosticDescriptor UnsupportedImportType { get; } = Error("WASM5005", Build, "retired: unsupported import type", "import \"{0}\" \"{1}\" cannot be bound: {2}");

    /// <summary>More than one additional file matches the path given to <c>[WasmModule]</c>.</summary>
    public static DiagnosticDescriptor AmbiguousModuleFile { get; } = Error("WASM5006", Build, "ambiguous module file", "\"{0}\" matches more than one additional file: {1}");

    /// <summary>The class is nested or generic, which the generator does not bind yet.</summary>
    public static DiagnosticDescriptor UnsupportedModuleClass { get; } = Error("WASM5007", Build, "unsupported module class", "'{0}' cannot bind a module: {1}");

    /// <summary>A binary module input cannot be read: a <c>.wasm</c> listed as AdditionalFiles instead of WasmModule, or a damaged sidecar.</summary>
    public static DiagnosticDescriptor BinaryModuleNotReadable { get; } = Error("WASM5008", Build, "binary module not readable", "\"{0}\" cannot be read as a binary module: {1}");
}
