namespace WasmToolkit.Compiler;

/// <summary>Why generated code stopped (spec 4.4.1 "trap"); the values are the codes entry stubs return.</summary>
/// <remarks>0 means "returned normally", so no trap kind is 0. Values are part of the code ABI: never renumber.</remarks>
public enum TrapKind
{
    /// <summary>The <c>unreachable</c> instruction.</summary>
    Unreachable = 1,

    /// <summary>A load or store outside linear memory.</summary>
    MemoryOutOfBounds = 2,

    /// <summary>Integer division or remainder by zero.</summary>
    IntegerDivideByZero = 3,

    /// <summary>Signed division of the minimum value by -1.</summary>
    IntegerOverflow = 4,

    /// <summary>Recursion reached the stack limit.</summary>
    CallStackExhausted = 5,

    /// <summary>The function was not compiled (see <see cref="CompilerOptions.TrapOnUnsupportedFunctions"/>).</summary>
    UnsupportedFunction = 6,

    /// <summary>A trapping float-to-integer truncation of NaN.</summary>
    InvalidConversionToInteger = 7,

    /// <summary><c>table.get</c>/<c>set</c>/<c>fill</c>/<c>copy</c>/<c>init</c> or an element segment outside a table.</summary>
    TableOutOfBounds = 8,

    /// <summary><c>call_indirect</c> with an index outside the table.</summary>
    UndefinedElement = 9,

    /// <summary><c>call_indirect</c> of a null table element.</summary>
    UninitializedElement = 10,

    /// <summary><c>call_indirect</c> of a function whose type differs from the expected one.</summary>
    IndirectCallTypeMismatch = 11,

    /// <summary>Not a trap: a host function threw; the runtime rethrows that exception to the caller of wasm.</summary>
    HostException = 12,
}

/// <summary>Spec-suite phrases for trap kinds (spec tests match <c>assert_trap</c> messages by these).</summary>
public static class TrapKindExtensions
{
    /// <summary>The message the spec test suite expects for <paramref name="kind"/>.</summary>
    public static string GetMessage(this TrapKind kind) => kind switch
    {
        TrapKind.Unreachable => "unreachable",
        TrapKind.MemoryOutOfBounds => "out of bounds memory access",
        TrapKind.IntegerDivideByZero => "integer divide by zero",
        TrapKind.IntegerOverflow => "integer overflow",
        TrapKind.CallStackExhausted => "call stack exhausted",
        TrapKind.UnsupportedFunction => "function not supported by the compiler",
        TrapKind.InvalidConversionToInteger => "invalid conversion to integer",
        TrapKind.TableOutOfBounds => "out of bounds table access",
        TrapKind.UndefinedElement => "undefined element",
        TrapKind.UninitializedElement => "uninitialized element",
        TrapKind.IndirectCallTypeMismatch => "indirect call type mismatch",
        TrapKind.HostException => "host function threw an exception",
        _ => "unknown trap " + (int)kind,
    };
}
