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

public static partial class DiagnosticCatalog
{
    /// <summary>The first four bytes are not <c>\0asm</c>.</summary>
    public static DiagnosticDescriptor MagicHeaderNotDetected { get; } = Error("WASM0002", Binary, "magic header not detected");

    /// <summary>The version field is not 1.</summary>
    public static DiagnosticDescriptor UnknownBinaryVersion { get; } = Error("WASM0003", Binary, "unknown binary version", "unknown binary version {0}");

    /// <summary>A section id no known section has.</summary>
    public static DiagnosticDescriptor MalformedSectionId { get; } = Error("WASM0006", Binary, "malformed section id", "malformed section id {0}");

    /// <summary>A section's contents end before or after its declared size.</summary>
    public static DiagnosticDescriptor SectionSizeMismatch { get; } = Error("WASM0007", Binary, "section size mismatch", "section size mismatch: {0}");

    /// <summary>A known section appears twice or out of order.</summary>
    public static DiagnosticDescriptor UnexpectedContentAfterLastSection { get; } = Error("WASM0008", Binary, "unexpected content after last section", "unexpected content after last section: {0}");

    /// <summary>Function and code sections declare different counts.</summary>
    public static DiagnosticDescriptor FunctionAndCodeInconsistent { get; } = Error("WASM0009", Binary, "function and code section have inconsistent lengths", "function and code section have inconsistent lengths ({0} and {1})");

    /// <summary>Data count section and data section disagree.</summary>
    public static DiagnosticDescriptor DataCountInconsistent { get; } = Error("WASM0010", Binary, "data count and data section have inconsistent lengths", "data count and data section have inconsistent lengths ({0} and {1})");

    /// <summary><c>memory.init</c> or <c>data.drop</c> without a data count section.</summary>
    public static DiagnosticDescriptor DataCountRequired { get; } = Error("WASM0011", Binary, "data count section required");

    /// <summary>A name is not valid UTF-8.</summary>
    public static DiagnosticDescriptor MalformedUtf8 { get; } = Error("WASM0012", Binary, "malformed UTF-8 encoding");

    /// <summary>A function declares more locals than the limit.</summary>
    public static DiagnosticDescriptor TooManyLocals { get; } = Error("WASM0013", Binary, "too many locals", "too many locals: {0} (limit {1})");

    /// <summary>An import or export kind byte that is not one.</summary>
    public static DiagnosticDescriptor MalformedImportKind { get; } = Error("WASM0017", Binary, "malformed import kind", "malformed import kind 0x{0:x2}");

    /// <summary>A global's mutability byte is neither 0 nor 1.</summary>
    public static DiagnosticDescriptor MalformedMutability { get; } = Error("WASM0018", Binary, "malformed mutability", "malformed mutability 0x{0:x2}");

    /// <summary>A limits flags byte the enabled features do not define.</summary>
    public static DiagnosticDescriptor MalformedLimitsFlags { get; } = Error("WASM0019", Binary, "integer too large", "integer too large: limits flags 0x{0:x2}");

    /// <summary>A vector count or length exceeds the bytes that remain, or an implementation limit.</summary>
    public static DiagnosticDescriptor LengthOutOfBounds { get; } = Error("WASM0021", Binary, "length out of bounds", "length out of bounds: {0}");

    /// <summary>An element segment's flags are not 0–7.</summary>
    public static DiagnosticDescriptor MalformedElementsSegmentKind { get; } = Error("WASM0023", Binary, "malformed elements segment kind", "malformed elements segment kind {0}");

    /// <summary>A data segment's flags are not 0–2.</summary>
    public static DiagnosticDescriptor MalformedDataSegmentKind { get; } = Error("WASM0024", Binary, "malformed data segment kind", "malformed data segment kind {0}");

    /// <summary>A function body or constant expression does not end with <c>end</c> at its last byte.</summary>
    public static DiagnosticDescriptor EndOpcodeExpected { get; } = Error("WASM0025", Binary, "END opcode expected");

    /// <summary>A function body or section ended inside an instruction.</summary>
    public static DiagnosticDescriptor UnexpectedEndOfSectionOrFunction { get; } = Error("WASM0026", Binary, "unexpected end of section or function");

    /// <summary>A function type does not start with 0x60.</summary>
    public static DiagnosticDescriptor MalformedFunctionType { get; } = Error("WASM0028", Binary, "malformed function type", "malformed function type: form 0x{0:x2}, expected 0x60");

    /// <summary>The module exceeds an implementation limit.</summary>
    public static DiagnosticDescriptor ImplementationLimit { get; } = Error("WASM0029", Binary, "implementation limit exceeded", "implementation limit exceeded: {0}");

    /// <summary>A well-formed custom section whose contents could not be decoded (e.g. a broken name section); a warning.</summary>
    public static DiagnosticDescriptor MalformedCustomSection { get; } = Warning("WASM0030", Binary, "malformed custom section", "custom section '{0}' is malformed and was kept as bytes: {1}");
}
