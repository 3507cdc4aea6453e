namespace WasmToolkit.Diagnostics;

// WASM3000–WASM3999: linking (instantiation's import checks, spec 4.5.4; "unlinkable" in the spec
// suite's terms). Messages start with the phrase the suite's assert_unlinkable expects.
public static partial class DiagnosticCatalog
{
    private const string Linking = "Link";

    /// <summary>Nothing is defined under an import's module and name.</summary>
    public static DiagnosticDescriptor UnknownImport { get; } = Error("WASM3001", Linking, "unknown import", "unknown import: {0}");

    /// <summary>What is defined under an import's name has another kind, or a type or limits that do not match.</summary>
    public static DiagnosticDescriptor IncompatibleImportType { get; } = Error("WASM3002", Linking, "incompatible import type", "incompatible import type: {0}");
}
