namespace WasmToolkit.Compiler.Arm64;

/// <summary>The view of a register an instruction names: a general register at 32 or 64 bits, or a scalar floating-point register.</summary>
public enum Arm64RegisterKind : byte
{
    /// <summary>No register (the default value of <see cref="Arm64Register"/>).</summary>
    None = 0,

    /// <summary>A 32-bit general register (<c>w0</c>…<c>w30</c>, <c>wzr</c>, <c>wsp</c>).</summary>
    W,

    /// <summary>A 64-bit general register (<c>x0</c>…<c>x30</c>, <c>xzr</c>, <c>sp</c>).</summary>
    X,

    /// <summary>The low 32 bits of a SIMD&amp;FP register as a single-precision scalar (<c>s0</c>…<c>s31</c>).</summary>
    S,

    /// <summary>The low 64 bits of a SIMD&amp;FP register as a double-precision scalar (<c>d0</c>…<c>d31</c>).</summary>
    D,
}
