namespace WasmToolkit.Diagnostics;

// WASM0001–WASM0999: the binary format (spec chapter 5). "Malformed" in the spec's terms.
public static partial class DiagnosticCatalog
{
    private const string Binary = "Binary";

    /// <summary>The input ended inside an item.</summary>
    public static DiagnosticDescriptor UnexpectedEnd { get; } = Error("WASM0001", Binary, "unexpected end", "unexpected end: {0}");

    /// <summary>A LEB128 integer uses more bytes than its width allows.</summary>
    public static DiagnosticDescriptor IntegerRepresentationTooLong { get; } = Error("WASM0004", Binary, "integer representation too long");

    /// <summary>A LEB128 integer's last byte has unused bits that are not a sign extension.</summary>
    public static DiagnosticDescriptor IntegerTooLarge { get; } = Error("WASM0005", Binary, "integer too large");

    /// <summary>An opcode byte (or prefixed sub-opcode) that is not an instruction.</summary>
    public static DiagnosticDescriptor IllegalOpcode { get; } = Error("WASM0014", Binary, "illegal opcode", "illegal opcode {0}");

    /// <summary>A byte that should be a reference type is not one.</summary>
    public static DiagnosticDescriptor MalformedReferenceType { get; } = Error("WASM0015", Binary, "malformed reference type", "malformed reference type 0x{0:x2}");

    /// <summary>A reserved byte (e.g. memory index of <c>memory.size</c> in 2.0) is not zero.</summary>
    public static DiagnosticDescriptor ZeroByteExpected { get; } = Error("WASM0016", Binary, "zero byte expected");

    /// <summary>A value type byte that is not one.</summary>
    public static DiagnosticDescriptor MalformedValueType { get; } = Error("WASM0022", Binary, "malformed value type", "malformed value type 0x{0:x2}");

    /// <summary>The alignment field of a memory immediate uses flag bits the enabled features do not define.</summary>
    public static DiagnosticDescriptor MalformedMemopFlags { get; } = Error("WASM0027", Binary, "malformed memop flags");
}
