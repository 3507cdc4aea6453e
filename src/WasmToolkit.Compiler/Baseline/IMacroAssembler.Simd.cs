using WasmToolkit.Instructions;

namespace WasmToolkit.Compiler.Baseline;

/// <summary>
/// The 128-bit SIMD operations (the fixed-width SIMD proposal, part of WebAssembly 2.0). v128 values live in float
/// registers (<see cref="Reg.IsFloat"/>: x64 xmm, ARM64 v) and move with <see cref="OperandSize.S128"/> through the
/// ordinary moves, frame and global accesses and <see cref="Select"/>. Each method takes the wasm opcode it lowers;
/// the compiler groups opcodes by their stack shape.
/// </summary>
/// <remarks>
/// Registers: <c>dst</c> may be any of the source registers or another one; sources other than <c>dst</c> keep their
/// values. Implementations use their own scratch registers for intermediate values (x64: xmm14, xmm15, r10, r11).
/// </remarks>
internal partial interface IMacroAssembler
{
    /// <summary>Whether this target lowers v128 values and SIMD operations; when false the compiler reports a function using them as unsupported.</summary>
    bool SupportsSimd { get; }

    /// <summary><c>v128.const</c>: dst = the 16 bytes of <paramref name="value"/>.</summary>
    void SimdConst(Reg dst, V128 value);

    /// <summary>
    /// v128 → v128: <c>v128.not</c>, integer <c>abs</c>/<c>neg</c>/<c>popcnt</c>, float <c>abs</c>/<c>neg</c>/<c>sqrt</c>/
    /// <c>ceil</c>/<c>floor</c>/<c>trunc</c>/<c>nearest</c>, the <c>extend_low</c>/<c>extend_high</c> family,
    /// <c>extadd_pairwise</c>, <c>trunc_sat</c>, <c>convert</c>, <c>demote</c>/<c>promote</c>.
    /// </summary>
    void SimdUnary(Opcode op, Reg dst, Reg src);

    /// <summary>
    /// v128 v128 → v128: bitwise <c>and</c>/<c>andnot</c>/<c>or</c>/<c>xor</c>, lane-wise arithmetic and comparisons,
    /// <c>min</c>/<c>max</c>/<c>pmin</c>/<c>pmax</c>, <c>avgr_u</c>, <c>q15mulr_sat_s</c>, <c>narrow</c>,
    /// <c>extmul</c>, <c>dot</c>, <c>i8x16.swizzle</c>.
    /// </summary>
    void SimdBinary(Opcode op, Reg dst, Reg lhs, Reg rhs);

    /// <summary><c>v128.bitselect</c>: dst = (v1 &amp; mask) | (v2 &amp; ~mask).</summary>
    void SimdBitselect(Reg dst, Reg v1, Reg v2, Reg mask);

    /// <summary>
    /// v128 i32 → v128: the <c>shl</c>/<c>shr_s</c>/<c>shr_u</c> family. <paramref name="count"/> is a general
    /// register holding an i32 or an immediate; either way it is taken modulo the lane width.
    /// </summary>
    void SimdShift(Opcode op, Reg dst, Reg lhs, RegImm count);

    /// <summary>v128 → i32 in a general register: <c>v128.any_true</c>, <c>all_true</c>, <c>bitmask</c>.</summary>
    void SimdTest(Opcode op, Reg dst, Reg src);

    /// <summary>
    /// <c>splat</c>: src is a general register for the integer shapes (an i32 for i8x16/i16x8/i32x4, an i64 for i64x2),
    /// a float register for f32x4/f64x2.
    /// </summary>
    void SimdSplat(Opcode op, Reg dst, Reg src);

    /// <summary><c>extract_lane</c>: dst is a general register for integer lanes (i32 results zero-extended as usual), a float register for f32/f64 lanes.</summary>
    void SimdExtractLane(Opcode op, Reg dst, Reg src, int lane);

    /// <summary><c>replace_lane</c>: dst = <paramref name="vector"/> with lane <paramref name="lane"/> set to <paramref name="value"/> (general or float register by shape, as for splat).</summary>
    void SimdReplaceLane(Opcode op, Reg dst, Reg vector, Reg value, int lane);

    /// <summary><c>i8x16.shuffle</c>: byte i of dst = byte lanes[i] of lhs ‖ rhs (indices 0–31, validated).</summary>
    void SimdShuffle(Reg dst, Reg lhs, Reg rhs, V128 lanes);

    /// <summary>
    /// The v128 loads from linear memory 0 (<c>v128.load</c>, <c>load8x8_s</c> … <c>load32x2_u</c>, <c>load*_splat</c>,
    /// <c>load32_zero</c>/<c>load64_zero</c>, and <c>load*_lane</c>, for which dst already holds the vector whose lane
    /// <paramref name="lane"/> is replaced). <paramref name="access"/>'s width is the bytes read; bounds as for <see cref="LoadMemory"/>.
    /// </summary>
    void SimdLoad(Opcode op, Reg dst, RegImm address, ulong offset, MemoryAccess access, AsmLabel outOfBounds, int lane);

    /// <summary><c>v128.store</c> and <c>store*_lane</c> (lane <paramref name="lane"/> of <paramref name="value"/>); bounds as for <see cref="StoreMemory"/>.</summary>
    void SimdStore(Opcode op, RegImm address, ulong offset, Reg value, MemoryAccess access, AsmLabel outOfBounds, int lane);
}
