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
    /// <c>cnt vd.8b, vn.8b</c> or <c>.16b</c>: population count of each byte (with <see cref="Addv"/>, wasm's
    /// <c>popcnt</c>). Operands may be given as <c>d</c> registers, the 8-byte vector view.
    /// </summary>
    Cnt,

    /// <summary>
    /// <c>addv bd, vn.8b</c>: sum of the lanes into a scalar b/h/s (the rest of the register is zeroed); arrangements
    /// 8b, 16b, 4h, 8h, 4s. Two <c>d</c> registers mean <c>bd, vn.8b</c>.
    /// </summary>
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

    /// <summary>Add (vector): lane-wise add, any arrangement.</summary>
    VAdd,

    /// <summary>Sub (vector).</summary>
    VSub,

    /// <summary>Mul (vector): b, h, s lanes (no 2d).</summary>
    VMul,

    /// <summary>Cmeq (register): all ones where equal.</summary>
    Cmeq,

    /// <summary>Cmgt (register): signed greater than.</summary>
    Cmgt,

    /// <summary>Cmge (register): signed greater or equal.</summary>
    Cmge,

    /// <summary>Cmhi (register): unsigned greater than.</summary>
    Cmhi,

    /// <summary>Cmhs (register): unsigned greater or equal.</summary>
    Cmhs,

    /// <summary>Smax (vector): b, h, s lanes.</summary>
    Smax,

    /// <summary>Smin (vector): b, h, s lanes.</summary>
    Smin,

    /// <summary>Umax (vector): b, h, s lanes.</summary>
    Umax,

    /// <summary>Umin (vector): b, h, s lanes.</summary>
    Umin,

    /// <summary>Sqadd (vector): signed saturating add.</summary>
    Sqadd,

    /// <summary>Uqadd (vector): unsigned saturating add.</summary>
    Uqadd,

    /// <summary>Sqsub (vector): signed saturating subtract.</summary>
    Sqsub,

    /// <summary>Uqsub (vector): unsigned saturating subtract.</summary>
    Uqsub,

    /// <summary>Urhadd (vector): unsigned rounding halving add, (a + b + 1) &gt;&gt; 1 without overflow; b, h, s lanes.</summary>
    Urhadd,

    /// <summary>Sshl (register): shift each lane by the signed low byte of rm's lane (negative: arithmetic right).</summary>
    Sshl,

    /// <summary>Ushl (register): as sshl with logical right shifts.</summary>
    Ushl,

    /// <summary>Sqrdmulh (vector): signed saturating rounding doubling multiply high; h and s lanes.</summary>
    Sqrdmulh,

    /// <summary>Addp (vector): pairwise add of rn ‖ rm.</summary>
    Addp,

    /// <summary>And (vector), 8b/16b.</summary>
    VAnd,

    /// <summary>Bic (vector): rn and not rm.</summary>
    VBic,

    /// <summary>Orr (vector); mov when rn = rm.</summary>
    VOrr,

    /// <summary>Orn (vector).</summary>
    VOrn,

    /// <summary>Eor (vector).</summary>
    VEor,

    /// <summary>Bsl: rd = (rd and rn) or (not rd and rm), rd the mask.</summary>
    Bsl,

    /// <summary>Bit: insert rn's bits where rm is set.</summary>
    Bit,

    /// <summary>Bif: insert rn's bits where rm is clear.</summary>
    Bif,

    /// <summary>Fadd (vector), 2s/4s/2d.</summary>
    VFadd,

    /// <summary>Fsub (vector).</summary>
    VFsub,

    /// <summary>Fmul (vector).</summary>
    VFmul,

    /// <summary>Fdiv (vector).</summary>
    VFdiv,

    /// <summary>Fmax (vector): NaN-propagating, -0 &lt; +0 (wasm's max).</summary>
    VFmax,

    /// <summary>Fmin (vector): NaN-propagating, -0 &lt; +0 (wasm's min).</summary>
    VFmin,

    /// <summary>Fcmeq (register): all ones where equal (false for NaN).</summary>
    Fcmeq,

    /// <summary>Fcmge (register): greater or equal (false for NaN).</summary>
    Fcmge,

    /// <summary>Fcmgt (register): greater than (false for NaN).</summary>
    Fcmgt,

    /// <summary>Abs (vector): wrapping (the most negative value stays).</summary>
    VAbs,

    /// <summary>Neg (vector).</summary>
    VNeg,

    /// <summary>Not (printed mvn), 8b/16b.</summary>
    Not,

    /// <summary>Cmeq (zero): all ones where the lane is 0.</summary>
    CmeqZero,

    /// <summary>Saddlp: signed add of adjacent lane pairs into lanes of twice the width.</summary>
    Saddlp,

    /// <summary>Uaddlp: unsigned add of adjacent lane pairs into lanes of twice the width.</summary>
    Uaddlp,

    /// <summary>Xtn/xtn2: truncate each lane of rn to half width into the low (8b/4h/2s rd) or high (16b/8h/4s rd, xtn2) half.</summary>
    Xtn,

    /// <summary>Sqxtn/sqxtn2: signed saturating narrow.</summary>
    Sqxtn,

    /// <summary>Sqxtun/sqxtun2: signed to unsigned saturating narrow.</summary>
    Sqxtun,

    /// <summary>Uqxtn/uqxtn2: unsigned saturating narrow.</summary>
    Uqxtn,

    /// <summary>Fcvtn/fcvtn2: 2d to 2s (4s rd: fcvtn2, the high half).</summary>
    Fcvtn,

    /// <summary>Fcvtl/fcvtl2: the low (2s rn) or high (4s rn) two singles to 2d.</summary>
    Fcvtl,

    /// <summary>Fabs (vector).</summary>
    VFabs,

    /// <summary>Fneg (vector).</summary>
    VFneg,

    /// <summary>Fsqrt (vector).</summary>
    VFsqrt,

    /// <summary>Frintn (vector): to nearest, ties to even.</summary>
    VFrintn,

    /// <summary>Frintp (vector): toward +infinity.</summary>
    VFrintp,

    /// <summary>Frintm (vector): toward -infinity.</summary>
    VFrintm,

    /// <summary>Frintz (vector): toward zero.</summary>
    VFrintz,

    /// <summary>Fcvtzs (vector): saturating, NaN to 0.</summary>
    VFcvtzs,

    /// <summary>Fcvtzu (vector): saturating, NaN to 0.</summary>
    VFcvtzu,

    /// <summary>Scvtf (vector).</summary>
    VScvtf,

    /// <summary>Ucvtf (vector).</summary>
    VUcvtf,

    /// <summary>Umaxv: the largest unsigned lane into a scalar b/h/s (8b/16b/4h/8h/4s).</summary>
    Umaxv,

    /// <summary>Uminv: the smallest unsigned lane into a scalar b/h/s.</summary>
    Uminv,

    /// <summary>Dup (element): every lane of rd = lane Immediate of rn (rn given in the 128-bit arrangement of its element size).</summary>
    DupElement,

    /// <summary>Dup (general): every lane of rd = the low bits of a w register (x for 2d).</summary>
    DupGeneral,

    /// <summary>Smov: sign-extend lane Immediate of rn (b or h; s into x) into a general register.</summary>
    Smov,

    /// <summary>Umov: zero-extend lane Immediate of rn into w (b, h, s) or x (d); printed mov for s and d.</summary>
    Umov,

    /// <summary>Ins (general), printed mov: lane Immediate of rd = a w (x for d lanes) register; other lanes kept.</summary>
    InsGeneral,

    /// <summary>Ins (element), printed mov: lane Immediate of rd = lane Immediate2 of rn; other lanes kept.</summary>
    InsElement,

    /// <summary>Shl (immediate): shift each lane left by Immediate (0..lane bits - 1).</summary>
    VShl,

    /// <summary>Sshr (immediate): arithmetic right shift by Immediate (1..lane bits).</summary>
    Sshr,

    /// <summary>Ushr (immediate): logical right shift by Immediate (1..lane bits).</summary>
    Ushr,

    /// <summary>Sshll/sshll2: sign-extend the low (8b/4h/2s rn) or high (16b/8h/4s rn) half to double width, shifted left by Immediate; sxtl when 0.</summary>
    Sshll,

    /// <summary>Ushll/ushll2: as sshll, zero-extending; uxtl when 0.</summary>
    Ushll,

    /// <summary>Smull/smull2: signed multiply of the low (8b/4h/2s) or high (16b/8h/4s) halves into double-width lanes.</summary>
    Smull,

    /// <summary>Umull/umull2: unsigned multiply long.</summary>
    Umull,

    /// <summary>Tbl with one table register: byte i of rd = byte rm[i] of rn, 0 for indices above 15 (16b).</summary>
    Tbl,

    /// <summary>Tbl with two table registers rn, rn+1: byte i of rd = byte rm[i] of rn ‖ rn+1, 0 for indices above 31.</summary>
    Tbl2,
}
