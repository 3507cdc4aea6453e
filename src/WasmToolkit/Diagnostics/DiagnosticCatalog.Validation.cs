namespace WasmToolkit.Diagnostics;

// WASM2000–WASM2999: validation (spec chapter 3 and the appendix "Validation Algorithm"). "Invalid" in
// the spec's terms. Messages start with the phrase the spec test suite's assert_invalid expects, so an
// expectation matches by prefix; what follows the phrase is detail for people.
public static partial class DiagnosticCatalog
{
    private const string Validation = "Validation";

    /// <summary>An operand, block result or initialiser has the wrong type, or the operand stack has the wrong height.</summary>
    public static DiagnosticDescriptor TypeMismatch { get; } = Error("WASM2001", Validation, "type mismatch", "type mismatch: {0}");

    /// <summary>A local index is out of range.</summary>
    public static DiagnosticDescriptor UnknownLocal { get; } = Error("WASM2002", Validation, "unknown local", "unknown local {0}");

    /// <summary>A function index is out of range.</summary>
    public static DiagnosticDescriptor UnknownFunction { get; } = Error("WASM2003", Validation, "unknown function", "unknown function {0}");

    /// <summary>A table index is out of range.</summary>
    public static DiagnosticDescriptor UnknownTable { get; } = Error("WASM2004", Validation, "unknown table", "unknown table {0}");

    /// <summary>A memory index is out of range (in 2.0: the module has no memory).</summary>
    public static DiagnosticDescriptor UnknownMemory { get; } = Error("WASM2005", Validation, "unknown memory", "unknown memory {0}");

    /// <summary>A global index is out of range; in constant expressions only imported globals count (2.0).</summary>
    public static DiagnosticDescriptor UnknownGlobal { get; } = Error("WASM2006", Validation, "unknown global", "unknown global {0}");

    /// <summary>A type index is out of range.</summary>
    public static DiagnosticDescriptor UnknownType { get; } = Error("WASM2007", Validation, "unknown type", "unknown type {0}");

    /// <summary>A branch depth is deeper than the enclosing blocks.</summary>
    public static DiagnosticDescriptor UnknownLabel { get; } = Error("WASM2008", Validation, "unknown label", "unknown label {0}");

    /// <summary>A data segment index is out of range.</summary>
    public static DiagnosticDescriptor UnknownDataSegment { get; } = Error("WASM2009", Validation, "unknown data segment", "unknown data segment {0}");

    /// <summary>An element segment index is out of range.</summary>
    public static DiagnosticDescriptor UnknownElemSegment { get; } = Error("WASM2010", Validation, "unknown elem segment", "unknown elem segment {0}");

    /// <summary>More results than the enabled features allow, or a typed <c>select</c> without exactly one type.</summary>
    public static DiagnosticDescriptor InvalidResultArity { get; } = Error("WASM2011", Validation, "invalid result arity", "invalid result arity: {0}");

    /// <summary><c>global.set</c> of an immutable global.</summary>
    public static DiagnosticDescriptor GlobalIsImmutable { get; } = Error("WASM2012", Validation, "global is immutable", "global is immutable: global {0}");

    /// <summary>A memory immediate's alignment exceeds the access size.</summary>
    public static DiagnosticDescriptor AlignmentTooLarge { get; } = Error(
        "WASM2013", Validation, "alignment must not be larger than natural", "alignment must not be larger than natural: 2^{0} > {1} bytes in {2}");

    /// <summary>A lane index is not below the number of lanes.</summary>
    public static DiagnosticDescriptor InvalidLaneIndex { get; } = Error("WASM2014", Validation, "invalid lane index", "invalid lane index {0} in {1}");

    /// <summary><c>memory.init</c> or <c>data.drop</c> in a module without a data count section.</summary>
    public static DiagnosticDescriptor DataCountSectionRequired { get; } = Error("WASM2015", Validation, "data count section required", "data count section required by {0}");

    /// <summary><c>ref.func</c> in a body names a function no element segment, export or global initialiser mentions.</summary>
    public static DiagnosticDescriptor UndeclaredFunctionReference { get; } = Error(
        "WASM2016", Validation, "undeclared function reference", "undeclared function reference {0}");

    /// <summary>The body's bytes end before the function's final <c>end</c>.</summary>
    public static DiagnosticDescriptor BodyEndExpected { get; } = Error("WASM2017", Validation, "END opcode expected", "END opcode expected: {0}");

    /// <summary>Instructions follow the <c>end</c> that closes the function (or constant expression).</summary>
    public static DiagnosticDescriptor OperatorsAfterEnd { get; } = Error("WASM2018", Validation, "operators remaining after end of function");

    /// <summary><c>else</c> outside an <c>if</c>, or a second <c>else</c>.</summary>
    public static DiagnosticDescriptor ElseWithoutIf { get; } = Error("WASM2019", Validation, "else found outside of an if block");

    /// <summary>An initialiser or offset uses an instruction (or global) constant expressions may not use.</summary>
    public static DiagnosticDescriptor ConstantExpressionRequired { get; } = Error(
        "WASM2020", Validation, "constant expression required", "constant expression required: {0}");

    /// <summary>More than one memory without the multi-memory feature.</summary>
    public static DiagnosticDescriptor MultipleMemories { get; } = Error("WASM2021", Validation, "multiple memories");

    /// <summary>A memory's limits exceed 65536 pages.</summary>
    public static DiagnosticDescriptor MemorySizeTooLarge { get; } = Error(
        "WASM2022", Validation, "memory size must be at most 65536 pages (4GiB)");

    /// <summary>Limits whose minimum exceeds their maximum.</summary>
    public static DiagnosticDescriptor LimitsMinimumGreaterThanMaximum { get; } = Error(
        "WASM2023", Validation, "size minimum must not be greater than maximum");

    /// <summary>Two exports with the same name.</summary>
    public static DiagnosticDescriptor DuplicateExportName { get; } = Error("WASM2024", Validation, "duplicate export name", "duplicate export name \"{0}\"");

    /// <summary>The start function does not have type <c>[] → []</c>.</summary>
    public static DiagnosticDescriptor StartFunctionType { get; } = Error(
        "WASM2025", Validation, "start function", "start function must have type [] -> []: function {0} has type {1}");

    /// <summary>The data count section disagrees with the number of data segments.</summary>
    public static DiagnosticDescriptor DataCountMismatch { get; } = Error(
        "WASM2026", Validation, "data count and data section have inconsistent lengths", "data count and data section have inconsistent lengths: {0} and {1}");

    /// <summary>A table's limits exceed 2^32 − 1 elements.</summary>
    public static DiagnosticDescriptor TableSizeTooLarge { get; } = Error("WASM2027", Validation, "table size must be at most 2^32-1");

    /// <summary>A value type the enabled features do not define (a typed reference, or <c>v128</c> without SIMD).</summary>
    public static DiagnosticDescriptor InvalidValueType { get; } = Error("WASM2028", Validation, "invalid value type", "invalid value type {0}");

    /// <summary>An instruction or construct of a proposal that is not enabled.</summary>
    public static DiagnosticDescriptor ProposalNotEnabled { get; } = Error("WASM2029", Validation, "feature not enabled", "{0} requires the {1} feature");

    /// <summary>More than 2^32 − 1 locals.</summary>
    public static DiagnosticDescriptor LocalCountTooLarge { get; } = Error("WASM2030", Validation, "too many locals");

    /// <summary>A table's element type is not a reference type.</summary>
    public static DiagnosticDescriptor ReferenceTypeExpected { get; } = Error("WASM2031", Validation, "reference type expected", "type mismatch: reference type expected, found {0}");

    /// <summary>An export or import of a kind the enabled features do not define.</summary>
    public static DiagnosticDescriptor UnknownExternalKind { get; } = Error("WASM2032", Validation, "unknown external kind", "unknown external kind {0}");

    /// <summary>A shared memory without a maximum (threads proposal).</summary>
    public static DiagnosticDescriptor SharedMemoryNeedsMaximum { get; } = Error("WASM2033", Validation, "shared memory must have maximum");
}
