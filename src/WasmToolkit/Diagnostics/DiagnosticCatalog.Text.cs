namespace WasmToolkit.Diagnostics;

// WASM1000–WASM1999: the text format (spec chapter 6) and WAST scripts. "Malformed" in the spec's
// terms. Messages start with the phrase the spec test suite's assert_malformed expects, so
// expectations match by substring.
public static partial class DiagnosticCatalog
{
    private const string Text = "Text";

    /// <summary>A character that cannot start any token (spec 6.2.1), e.g. a control character outside strings and comments.</summary>
    public static DiagnosticDescriptor UnexpectedCharacter { get; } = Error("WASM1000", Text, "unexpected character", "unexpected character U+{0:X4}");

    /// <summary>The input is not valid UTF-8, or a name is not valid UTF-8 (spec 6.3.4).</summary>
    public static DiagnosticDescriptor TextMalformedUtf8 { get; } = Error("WASM1001", Text, "malformed UTF-8 encoding");

    /// <summary>A string literal without its closing quote.</summary>
    public static DiagnosticDescriptor UnclosedString { get; } = Error("WASM1002", Text, "unclosed string");

    /// <summary>A block comment without its closing <c>;)</c>.</summary>
    public static DiagnosticDescriptor UnclosedComment { get; } = Error("WASM1003", Text, "unclosed comment");

    /// <summary>An escape sequence the text format does not define (spec 6.3.3).</summary>
    public static DiagnosticDescriptor IllegalEscape { get; } = Error("WASM1004", Text, "illegal escape", "illegal escape \"{0}\"");

    /// <summary>A control character inside a string literal (spec 6.3.3).</summary>
    public static DiagnosticDescriptor IllegalCharacterInString { get; } = Error("WASM1005", Text, "illegal character in string", "illegal character in string U+{0:X4}");

    /// <summary>A keyword or reserved token that is no instruction or keyword of the format.</summary>
    public static DiagnosticDescriptor UnknownOperator { get; } = Error("WASM1006", Text, "unknown operator", "unknown operator {0}");

    /// <summary>A token that does not fit the grammar at this place.</summary>
    public static DiagnosticDescriptor UnexpectedToken { get; } = Error("WASM1007", Text, "unexpected token", "unexpected token {0}, expected {1}");

    /// <summary>The input ended where more was expected.</summary>
    public static DiagnosticDescriptor UnexpectedEndOfInput { get; } = Error("WASM1008", Text, "unexpected end of input", "unexpected end of input, expected {0}");

    /// <summary>A numeric literal outside its type's range, or a float literal that rounds to infinity (spec 6.3.2).</summary>
    public static DiagnosticDescriptor ConstantOutOfRange { get; } = Error("WASM1009", Text, "constant out of range", "{0} constant out of range: {1}");

    /// <summary>A symbolic identifier that names nothing in its index space (spec 6.6.1).</summary>
    public static DiagnosticDescriptor UnknownIdentifier { get; } = Error("WASM1010", Text, "unknown identifier", "unknown {0} {1}");

    /// <summary>An identifier bound twice in one index space (spec 6.6.1).</summary>
    public static DiagnosticDescriptor DuplicateIdentifier { get; } = Error("WASM1011", Text, "duplicate identifier", "duplicate {0} {1}");

    /// <summary>An import after a function, table, memory or global definition (spec 6.6.15).</summary>
    public static DiagnosticDescriptor ImportAfterDefinition { get; } = Error("WASM1012", Text, "import after definition", "import after {0}");

    /// <summary>The label after <c>end</c> or <c>else</c> is not the block's label (spec 6.5.2).</summary>
    public static DiagnosticDescriptor MismatchingLabel { get; } = Error("WASM1013", Text, "mismatching label", "mismatching label {0}");

    /// <summary>Inline parameters and results that differ from the referenced type (spec 6.6.5).</summary>
    public static DiagnosticDescriptor InlineFunctionTypeMismatch { get; } = Error("WASM1014", Text, "inline function type", "inline function type does not match type {0}");

    /// <summary>An <c>align=</c> value that is not a power of two (spec 6.5.6).</summary>
    public static DiagnosticDescriptor AlignmentNotPowerOfTwo { get; } = Error("WASM1015", Text, "alignment must be a power of two", "alignment must be a power of two: {0}");

    /// <summary>A lane index that does not fit in a byte (spec 6.5.7).</summary>
    public static DiagnosticDescriptor MalformedLaneIndex { get; } = Error("WASM1016", Text, "malformed lane index", "malformed lane index {0}");

    /// <summary>A <c>v128.const</c> with fewer literals than its shape has lanes.</summary>
    public static DiagnosticDescriptor WrongNumberOfLaneLiterals { get; } = Error("WASM1017", Text, "wrong number of lane literals", "wrong number of lane literals: {0} needs {1}");

    /// <summary>An <c>i8x16.shuffle</c> without exactly sixteen lane indices.</summary>
    public static DiagnosticDescriptor InvalidLaneLength { get; } = Error("WASM1018", Text, "invalid lane length", "invalid lane length {0}, expected 16");

    /// <summary>More than one <c>start</c> field (spec 6.6.10).</summary>
    public static DiagnosticDescriptor MultipleStart { get; } = Error("WASM1019", Text, "multiple start sections");

    /// <summary>An instruction or type of a proposal the enabled features exclude.</summary>
    public static DiagnosticDescriptor FeatureNotEnabled { get; } = Error("WASM1020", Text, "feature not enabled", "unknown operator {0}: requires {1}");

    /// <summary>A <c>(type x)</c> with inline declarations whose index is out of range.</summary>
    public static DiagnosticDescriptor UnknownTypeIndex { get; } = Error("WASM1021", Text, "unknown type", "unknown type {0}");

    /// <summary>A script command the WAST parser does not know.</summary>
    public static DiagnosticDescriptor UnknownScriptCommand { get; } = Error("WASM1100", Text, "unknown script command", "unknown operator {0}: not a script command");
}
