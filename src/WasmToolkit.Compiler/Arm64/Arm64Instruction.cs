namespace WasmToolkit.Compiler.Arm64;

/// <summary>
/// One A64 instruction as data: a <see cref="Arm64Code"/> and its operands, after Iced's <c>Instruction</c>. Which fields
/// an instruction uses depends on its code (see each <see cref="Arm64Code"/> member and <c>docs/arm64-backend.md</c>);
/// <see cref="Arm64Encoder"/> validates them. A mutable struct so the assembler builds one on the stack per instruction
/// without allocating.
/// </summary>
public struct Arm64Instruction
{
    /// <summary>The instruction.</summary>
    public Arm64Code Code;

    /// <summary>The destination, or the transfer register <c>rt</c> of loads, stores, <c>cbz</c>, <c>tbz</c>, <c>mrs</c>, <c>msr</c>, <c>dc</c>, <c>ic</c>.</summary>
    public Arm64Register Rd;

    /// <summary>The first source; the second transfer register <c>rt2</c> of <c>ldp</c>/<c>stp</c>; the target of <c>br</c>/<c>blr</c>/<c>ret</c>.</summary>
    public Arm64Register Rn;

    /// <summary>The second source.</summary>
    public Arm64Register Rm;

    /// <summary>The addend of <c>madd</c>/<c>msub</c>.</summary>
    public Arm64Register Ra;

    /// <summary>
    /// The first immediate: the value of add/sub, logical, move-wide, <c>brk</c>/<c>udf</c> and compare immediates; <c>immr</c> of
    /// bitfield moves; the lsb of <c>extr</c>; the bit number of <c>tbz</c>; <c>nzcv</c> of register <c>ccmp</c>.
    /// </summary>
    public long Immediate;

    /// <summary>The second immediate: <c>imms</c> of bitfield moves; <c>nzcv</c> of immediate <c>ccmp</c>.</summary>
    public long Immediate2;

    /// <summary>The value of <see cref="Arm64Code.FmovImm"/>.</summary>
    public double FloatImmediate;

    /// <summary>The shift of a shifted-register operand, or <c>lsl</c> for the shifted immediates of add/sub (0 or 12) and move-wide (0, 16, 32, 48).</summary>
    public Arm64Shift Shift;

    /// <summary>The amount of <see cref="Shift"/>, or of <see cref="Extend"/> for extended-register add/sub (0–4).</summary>
    public int ShiftAmount;

    /// <summary>The extension of an extended-register add/sub.</summary>
    public Arm64Extend Extend;

    /// <summary>The condition of <c>b.cond</c>, conditional selects and compares, <c>fcsel</c>.</summary>
    public Arm64Condition Condition;

    /// <summary>The address of a load or store.</summary>
    public Arm64Memory Memory;

    /// <summary>The byte offset of a pc-relative target from this instruction's address (branches, <c>adr</c>, <c>adrp</c> (a multiple of 4096), literal loads).</summary>
    public long BranchOffset;

    /// <summary>The option of <c>dmb</c>/<c>dsb</c>.</summary>
    public Arm64Barrier Barrier;

    /// <summary>The system register of <c>mrs</c>/<c>msr</c>.</summary>
    public Arm64SystemRegister SystemRegister;

    /// <summary>An instruction of <paramref name="code"/> with up to four registers (in the order <see cref="Rd"/>, <see cref="Rn"/>, <see cref="Rm"/>, <see cref="Ra"/>).</summary>
    public static Arm64Instruction Create(Arm64Code code, Arm64Register rd = default, Arm64Register rn = default, Arm64Register rm = default, Arm64Register ra = default)
        => new() { Code = code, Rd = rd, Rn = rn, Rm = rm, Ra = ra };
}
