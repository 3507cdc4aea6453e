namespace WasmToolkit.Diagnostics;

// WASM4000–WASM4999: compilation to machine code (WasmToolkit.Compiler). WASM4001–4049 are the compile
// pipeline's: a CompileError of each kind as a diagnostic, so a failed compile reports malformed, invalid
// and uncompilable modules in one shape (CompileException.Diagnostics).
public static partial class DiagnosticCatalog
{
    private const string Compilation = "Compile";

    /// <summary>A valid construct the compiler does not handle yet (a <c>CompileErrorKind.Unsupported</c> error).</summary>
    public static DiagnosticDescriptor CompilerUnsupported { get; } = Error("WASM4001", Compilation, "not supported by the compiler", "not supported by the compiler: {0}");

    /// <summary>The compiler met input that validation should have rejected (<c>CompileErrorKind.InvalidInput</c>).</summary>
    public static DiagnosticDescriptor CompilerInvalidInput { get; } = Error("WASM4002", Compilation, "invalid compiler input", "invalid compiler input: {0}");

    /// <summary>A compiler bug: an internal invariant failed (<c>CompileErrorKind.Internal</c>).</summary>
    public static DiagnosticDescriptor CompilerInternalError { get; } = Error("WASM4003", Compilation, "internal compiler error", "internal compiler error: {0}");
}
