namespace WasmToolkit;

/// <summary>The shape of a value type (spec 2.3.4 "Value Types").</summary>
public enum ValTypeKind : byte
{
    I32,
    I64,
    F32,
    F64,
    V128,
    /// <summary>A reference type; <see cref="ValType.Heap"/> says to what.</summary>
    Ref,
}
