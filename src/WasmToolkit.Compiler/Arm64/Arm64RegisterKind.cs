namespace WasmToolkit.Compiler.Arm64;

/// <summary>
/// The view of a register an instruction names: a general register at 32 or 64 bits, a scalar view of a SIMD&amp;FP
/// register (<c>b</c>, <c>h</c>, <c>s</c>, <c>d</c>, <c>q</c>), or a vector arrangement (<c>v0.16b</c> … <c>v0.2d</c>).
/// Lane operands (<c>v0.s[1]</c>) use the 128-bit arrangement of their element size with the index as an immediate.
/// </summary>
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

    /// <summary>The low 8 bits of a SIMD&amp;FP register (<c>b0</c>…<c>b31</c>).</summary>
    B,

    /// <summary>The low 16 bits of a SIMD&amp;FP register (<c>h0</c>…<c>h31</c>).</summary>
    H,

    /// <summary>A whole SIMD&amp;FP register as a 128-bit scalar (<c>q0</c>…<c>q31</c>), for loads and stores.</summary>
    Q,

    /// <summary>Eight bytes, the low half (<c>v0.8b</c>).</summary>
    V8B,

    /// <summary>Sixteen bytes (<c>v0.16b</c>).</summary>
    V16B,

    /// <summary>Four halfwords, the low half (<c>v0.4h</c>).</summary>
    V4H,

    /// <summary>Eight halfwords (<c>v0.8h</c>).</summary>
    V8H,

    /// <summary>Two words, the low half (<c>v0.2s</c>).</summary>
    V2S,

    /// <summary>Four words (<c>v0.4s</c>).</summary>
    V4S,

    /// <summary>Two doublewords (<c>v0.2d</c>).</summary>
    V2D,
}
