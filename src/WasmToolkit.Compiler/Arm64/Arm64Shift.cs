namespace WasmToolkit.Compiler.Arm64;

/// <summary>The shift applied to a shifted-register operand, valued as encoded in the <c>shift</c> field.</summary>
public enum Arm64Shift : byte
{
    /// <summary>Logical shift left.</summary>
    Lsl = 0,
    /// <summary>Logical shift right.</summary>
    Lsr = 1,
    /// <summary>Arithmetic shift right.</summary>
    Asr = 2,
    /// <summary>Rotate right (logical instructions only).</summary>
    Ror = 3,
}
