namespace WasmToolkit.Compiler.Arm64;

/// <summary>
/// The extension applied to an extended-register operand, valued as encoded in the <c>option</c> field.
/// In a register-offset address <see cref="Uxtx"/> is written <c>lsl</c>.
/// </summary>
public enum Arm64Extend : byte
{
    /// <summary>Zero-extend the low byte.</summary>
    Uxtb = 0,
    /// <summary>Zero-extend the low halfword.</summary>
    Uxth = 1,
    /// <summary>Zero-extend the low word.</summary>
    Uxtw = 2,
    /// <summary>The whole 64-bit register (<c>lsl</c> in addresses and when a stack-pointer operand makes it the preferred form).</summary>
    Uxtx = 3,
    /// <summary>Sign-extend the low byte.</summary>
    Sxtb = 4,
    /// <summary>Sign-extend the low halfword.</summary>
    Sxth = 5,
    /// <summary>Sign-extend the low word.</summary>
    Sxtw = 6,
    /// <summary>The whole 64-bit register, signed.</summary>
    Sxtx = 7,
}
