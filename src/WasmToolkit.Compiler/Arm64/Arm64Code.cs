namespace WasmToolkit.Compiler.Arm64;

/// <summary>
/// The instructions <see cref="Arm64Encoder"/> encodes: one member per encoding (aliases such as <c>mov</c>, <c>cmp</c>,
/// <c>lsl</c> or <c>cset</c> are <see cref="Arm64Assembler"/> methods and printer output, not codes). The encoding class
/// and base word of each code are in one table (<c>Internal/Arm64OpTable.cs</c>).
/// </summary>
public enum Arm64Code : ushort
{
    /// <summary>No instruction (the default).</summary>
    Invalid = 0,

    /// <summary>Add (immediate): rd (x/sp), rn (x/sp), imm12, optional lsl #12.</summary>
    AddImm,

    /// <summary>Adds (immediate), flags; cmn when rd is the zero register.</summary>
    AddsImm,

    /// <summary>Sub (immediate).</summary>
    SubImm,

    /// <summary>Subs (immediate), flags; cmp when rd is the zero register.</summary>
    SubsImm,

    /// <summary>Add (shifted register).</summary>
    Add,

    /// <summary>Adds (shifted register).</summary>
    Adds,

    /// <summary>Sub (shifted register); neg when rn is the zero register.</summary>
    Sub,

    /// <summary>Subs (shifted register); cmp when rd is the zero register.</summary>
    Subs,

    /// <summary>Add (extended register), rd/rn may be sp.</summary>
    AddExt,

    /// <summary>Adds (extended register).</summary>
    AddsExt,

    /// <summary>Sub (extended register), rd/rn may be sp.</summary>
    SubExt,

    /// <summary>Subs (extended register).</summary>
    SubsExt,

    /// <summary>And (bitmask immediate).</summary>
    AndImm,

    /// <summary>Orr (bitmask immediate).</summary>
    OrrImm,

    /// <summary>Eor (bitmask immediate).</summary>
    EorImm,

    /// <summary>Ands (bitmask immediate); tst when rd is the zero register.</summary>
    AndsImm,

    /// <summary>And (shifted register).</summary>
    And,

    /// <summary>Bic (shifted register).</summary>
    Bic,

    /// <summary>Orr (shifted register); mov when rn is the zero register.</summary>
    Orr,

    /// <summary>Orn (shifted register); mvn when rn is the zero register.</summary>
    Orn,

    /// <summary>Eor (shifted register).</summary>
    Eor,

    /// <summary>Eon (shifted register).</summary>
    Eon,

    /// <summary>Ands (shifted register); tst when rd is the zero register.</summary>
    Ands,

    /// <summary>Bics (shifted register).</summary>
    Bics,

    /// <summary>Movn: rd = ~(imm16 lsl shift).</summary>
    Movn,

    /// <summary>Movz: rd = imm16 lsl shift.</summary>
    Movz,

    /// <summary>Movk: replaces one halfword of rd.</summary>
    Movk,

    /// <summary>Sbfm rd, rn, #immr, #imms (asr, sbfx, sbfiz, sxtb, sxth, sxtw).</summary>
    Sbfm,

    /// <summary>Bfm rd, rn, #immr, #imms (bfi, bfxil, bfc).</summary>
    Bfm,

    /// <summary>Ubfm rd, rn, #immr, #imms (lsl, lsr, ubfx, ubfiz, uxtb, uxth).</summary>
    Ubfm,

    /// <summary>Extr rd, rn, rm, #lsb (ror when rn equals rm).</summary>
    Extr,

    /// <summary>Udiv (x/0 = 0).</summary>
    Udiv,

    /// <summary>Sdiv (x/0 = 0, MIN/-1 = MIN).</summary>
    Sdiv,

    /// <summary>Lslv (count modulo width).</summary>
    Lslv,

    /// <summary>Lsrv (count modulo width).</summary>
    Lsrv,

    /// <summary>Asrv (count modulo width).</summary>
    Asrv,

    /// <summary>Rorv (count modulo width).</summary>
    Rorv,

    /// <summary>Rbit.</summary>
    Rbit,

    /// <summary>Rev16.</summary>
    Rev16,

    /// <summary>Rev (byte reverse of the whole register).</summary>
    Rev,

    /// <summary>Clz.</summary>
    Clz,

    /// <summary>Cls.</summary>
    Cls,

    /// <summary>Madd rd, rn, rm, ra (mul when ra is the zero register).</summary>
    Madd,

    /// <summary>Msub rd, rn, rm, ra (mneg when ra is the zero register).</summary>
    Msub,

    /// <summary>Smulh (64-bit only).</summary>
    Smulh,

    /// <summary>Umulh (64-bit only).</summary>
    Umulh,

    /// <summary>Csel rd, rn, rm, cond.</summary>
    Csel,

    /// <summary>Csinc (cset, cinc).</summary>
    Csinc,

    /// <summary>Csinv (csetm, cinv).</summary>
    Csinv,

    /// <summary>Csneg (cneg).</summary>
    Csneg,

    /// <summary>Ccmn rn, rm, #nzcv, cond.</summary>
    Ccmn,

    /// <summary>Ccmp rn, rm, #nzcv, cond.</summary>
    Ccmp,

    /// <summary>Ccmn rn, #imm5, #nzcv, cond.</summary>
    CcmnImm,

    /// <summary>Ccmp rn, #imm5, #nzcv, cond.</summary>
    CcmpImm,

    /// <summary>Strb (32-bit register).</summary>
    Strb,

    /// <summary>Ldrb (zero-extends).</summary>
    Ldrb,

    /// <summary>Ldrsb (sign-extends to the register's width).</summary>
    Ldrsb,

    /// <summary>Strh.</summary>
    Strh,

    /// <summary>Ldrh.</summary>
    Ldrh,

    /// <summary>Ldrsh.</summary>
    Ldrsh,

    /// <summary>Str (w, x, s, d: the size follows the register).</summary>
    Str,

    /// <summary>Ldr (w, x, s, d).</summary>
    Ldr,

    /// <summary>Ldrsw (64-bit register).</summary>
    Ldrsw,

    /// <summary>Sturb: signed 9-bit unscaled offset.</summary>
    Sturb,

    /// <summary>Ldurb.</summary>
    Ldurb,

    /// <summary>Ldursb.</summary>
    Ldursb,

    /// <summary>Sturh.</summary>
    Sturh,

    /// <summary>Ldurh.</summary>
    Ldurh,

    /// <summary>Ldursh.</summary>
    Ldursh,

    /// <summary>Stur.</summary>
    Stur,

    /// <summary>Ldur.</summary>
    Ldur,

    /// <summary>Ldursw.</summary>
    Ldursw,

    /// <summary>Ldr (literal): pc-relative, +-1 MiB.</summary>
    LdrLiteral,

    /// <summary>Stp rt, rt2, [..].</summary>
    Stp,

    /// <summary>Ldp rt, rt2, [..].</summary>
    Ldp,

    /// <summary>B: pc-relative, +-128 MiB.</summary>
    B,

    /// <summary>Bl: pc-relative, +-128 MiB.</summary>
    Bl,

    /// <summary>B.cond: pc-relative, +-1 MiB.</summary>
    BCond,

    /// <summary>Cbz: pc-relative, +-1 MiB.</summary>
    Cbz,

    /// <summary>Cbnz: pc-relative, +-1 MiB.</summary>
    Cbnz,

    /// <summary>Tbz rt, #bit: pc-relative, +-32 KiB.</summary>
    Tbz,

    /// <summary>Tbnz rt, #bit: pc-relative, +-32 KiB.</summary>
    Tbnz,

    /// <summary>Br xn.</summary>
    Br,

    /// <summary>Blr xn.</summary>
    Blr,

    /// <summary>Ret {xn} (x30 by default).</summary>
    Ret,

    /// <summary>Adr: pc-relative, +-1 MiB.</summary>
    Adr,

    /// <summary>Adrp: page-relative, +-4 GiB.</summary>
    Adrp,

    /// <summary>Fmul.</summary>
    Fmul,

    /// <summary>Fdiv.</summary>
    Fdiv,

    /// <summary>Fadd.</summary>
    Fadd,

    /// <summary>Fsub.</summary>
    Fsub,

    /// <summary>Fmax (NaN propagating, +0 &gt; -0: wasm's max).</summary>
    Fmax,

    /// <summary>Fmin (NaN propagating, -0 &lt; +0: wasm's min).</summary>
    Fmin,

    /// <summary>Fmaxnm (prefers the number to a quiet NaN: not wasm's max).</summary>
    Fmaxnm,

    /// <summary>Fminnm (prefers the number to a quiet NaN: not wasm's min).</summary>
    Fminnm,

    /// <summary>Fnmul.</summary>
    Fnmul,

    /// <summary>Fabs.</summary>
    Fabs,

    /// <summary>Fneg.</summary>
    Fneg,

    /// <summary>Fsqrt.</summary>
    Fsqrt,

    /// <summary>Frintn (to nearest, ties to even).</summary>
    Frintn,

    /// <summary>Frintp (toward +infinity).</summary>
    Frintp,

    /// <summary>Frintm (toward -infinity).</summary>
    Frintm,

    /// <summary>Frintz (toward zero).</summary>
    Frintz,

    /// <summary>Frinta (to nearest, ties away).</summary>
    Frinta,

    /// <summary>Frintx (current mode, inexact).</summary>
    Frintx,

    /// <summary>Frinti (current mode).</summary>
    Frinti,

    /// <summary>Fmov between two fp registers, or between a general and an fp register of the same width.</summary>
    Fmov,

    /// <summary>Fmov rd, #imm (the 8-bit floating-point immediates).</summary>
    FmovImm,

    /// <summary>Fcvt between single and double.</summary>
    Fcvt,

    /// <summary>Fcmp rn, rm.</summary>
    Fcmp,

    /// <summary>Fcmpe rn, rm (signals on quiet NaN).</summary>
    Fcmpe,

    /// <summary>Fcmp rn, #0.0.</summary>
    FcmpZero,

    /// <summary>Fcmpe rn, #0.0.</summary>
    FcmpeZero,

    /// <summary>Fcsel rd, rn, rm, cond.</summary>
    Fcsel,

    /// <summary>Fcvtzs (rounds toward zero, saturates, NaN to 0).</summary>
    Fcvtzs,

    /// <summary>Fcvtzu (rounds toward zero, saturates, NaN to 0).</summary>
    Fcvtzu,

    /// <summary>Scvtf.</summary>
    Scvtf,

    /// <summary>Ucvtf.</summary>
    Ucvtf,

    /// <summary>
    /// <c>cnt vd.8b, vn.8b</c>: population count of each byte of the low 64 bits (with <see cref="Addv"/>, wasm's
    /// <c>popcnt</c>). Operands are given as <c>d</c> registers, the 8-byte vector view.
    /// </summary>
    Cnt,

    /// <summary><c>addv bd, vn.8b</c>: sum of the 8 bytes into byte 0 (the rest of the register is zeroed). Operands are given as <c>d</c> registers.</summary>
    Addv,

    /// <summary>Nop.</summary>
    Nop,

    /// <summary>Isb.</summary>
    Isb,

    /// <summary>Dmb option.</summary>
    Dmb,

    /// <summary>Dsb option.</summary>
    Dsb,

    /// <summary>Brk #imm16.</summary>
    Brk,

    /// <summary>Udf #imm16 (permanently undefined).</summary>
    Udf,

    /// <summary>Dc cvau, xt (clean data cache to the point of unification).</summary>
    DcCvau,

    /// <summary>Ic ivau, xt (invalidate instruction cache to the point of unification).</summary>
    IcIvau,

    /// <summary>Mrs xt, sysreg.</summary>
    Mrs,

    /// <summary>Msr sysreg, xt.</summary>
    Msr,
}
