namespace WasmToolkit.Compiler.Arm64;

/// <summary>How a load or store forms its address from an <see cref="Arm64Memory"/> operand.</summary>
public enum Arm64AddressingMode : byte
{
    /// <summary>
    /// <c>[base, #imm]</c>: base plus an immediate. For <c>ldr</c>/<c>str</c> the immediate is unsigned and scaled
    /// by the access size (12 bits); for <c>ldur</c>/<c>stur</c> it is signed and unscaled (9 bits); for pairs it is
    /// signed and scaled (7 bits).
    /// </summary>
    Offset = 0,

    /// <summary><c>[base, #imm]!</c>: the base is updated to base + imm before the access.</summary>
    PreIndex,

    /// <summary><c>[base], #imm</c>: the access uses base, then base is updated to base + imm.</summary>
    PostIndex,

    /// <summary><c>[base, index{, extend {#amount}}]</c>: base plus an extended, optionally scaled index register.</summary>
    RegisterOffset,
}
