namespace WasmToolkit.Text;

/// <summary>The type of a script value or expected result.</summary>
public enum WastValueKind : byte
{
    I32,
    I64,
    F32,
    F64,
    V128,

    /// <summary><c>ref.null func|extern</c>.</summary>
    RefNull,

    /// <summary><c>ref.extern N</c>: a host reference with a number.</summary>
    RefExtern,

    /// <summary><c>ref.func</c>: a function reference.</summary>
    RefFunc,
}
