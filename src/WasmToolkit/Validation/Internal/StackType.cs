namespace WasmToolkit.Validation.Internal;

/// <summary>
/// The validator's one-byte view of a value type (spec appendix "Validation Algorithm": <c>val_type</c>
/// with <c>Unknown</c> for the polymorphic stack of unreachable code).
/// </summary>
/// <remarks>
/// The operand stack holds these rather than <see cref="ValType"/> (12 bytes) to keep the hot loop small.
/// The first five values equal <see cref="ValTypeKind"/> so number types convert by a cast.
/// </remarks>
internal enum StackType : byte
{
    I32 = ValTypeKind.I32,
    I64 = ValTypeKind.I64,
    F32 = ValTypeKind.F32,
    F64 = ValTypeKind.F64,
    V128 = ValTypeKind.V128,
    FuncRef,
    ExternRef,

    /// <summary>The bottom type of unreachable code: matches every type.</summary>
    Unknown,

    /// <summary>A value type the enabled features do not define; reported where it is declared, and matches nothing.</summary>
    Invalid,
}
