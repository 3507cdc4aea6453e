namespace WasmToolkit.Compiler.Arm64;

/// <summary>
/// System registers reachable with <c>mrs</c>/<c>msr</c> from user code, valued as the 15-bit
/// <c>o0:op1:CRn:CRm:op2</c> field (bits 19:5 of the instruction, without <c>op0</c>'s high bit).
/// </summary>
public enum Arm64SystemRegister : ushort
{
    /// <summary>Floating-point control register (rounding mode, flush-to-zero, default NaN).</summary>
    Fpcr = 0x5A20,
    /// <summary>Floating-point status register (cumulative exception flags).</summary>
    Fpsr = 0x5A21,
    /// <summary>Condition flags.</summary>
    Nzcv = 0x5A10,
    /// <summary>User read/write thread pointer.</summary>
    TpidrEl0 = 0x5E82,
    /// <summary>Virtual counter (a cheap monotonic clock).</summary>
    CntvctEl0 = 0x5F02,
}
