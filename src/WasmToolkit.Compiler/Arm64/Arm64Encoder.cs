using WasmToolkit.Compiler.Arm64.Internal;

namespace WasmToolkit.Compiler.Arm64;

/// <summary>
/// Encodes one <see cref="Arm64Instruction"/> into its 32-bit word. Table-driven: <c>Internal/Arm64OpTable</c> gives each
/// code's encoding class and base word; this class validates the operands of each class and inserts their fields.
/// </summary>
/// <remarks>
/// <see cref="TryEncode"/> returns false with a message for operands that cannot be encoded; <see cref="Encode"/> throws
/// <see cref="Arm64EncodingException"/> with the same message (the pattern of Iced's <c>Encoder.TryEncode</c>/<c>Encode</c>).
/// Nothing allocates unless an error message is made. Field layouts cite the Arm ARM (DDI 0487) section C4.1 groups.
/// </remarks>
public static partial class Arm64Encoder
{
    /// <summary>Encodes <paramref name="instruction"/>, throwing <see cref="Arm64EncodingException"/> when its operands are invalid.</summary>
    public static uint Encode(in Arm64Instruction instruction)
        => TryEncode(instruction, out var word, out var error) ? word : throw new Arm64EncodingException(error!);

    /// <summary>Encodes <paramref name="instruction"/>; on failure returns false and a message naming the instruction and operand.</summary>
    public static bool TryEncode(in Arm64Instruction instruction, out uint word, out string? error)
    {
        word = 0;
        error = null;
        var code = instruction.Code;
        var form = Arm64OpTable.Form(code);
        if (form == Arm64Form.Invalid) return Fail(code, "is not an instruction code", out error);
        var b = Arm64OpTable.Base(code);
        ref readonly var i = ref instruction;
        switch (form)
        {
            // C4.1.92 Add/subtract (immediate): sf op S 100010 sh imm12 Rn Rd.
            case Arm64Form.AddSubImm:
            {
                var setsFlags = (b & 0x2000_0000) != 0;
                if (!General(code, i.Rd, "rd", allowSp: !setsFlags, allowZr: setsFlags, out error)) return false;
                if (!General(code, i.Rn, "rn", allowSp: true, allowZr: false, out error)) return false;
                if (!SameWidth(code, i.Rd, i.Rn, out error)) return false;
                if (i.Shift != Arm64Shift.Lsl || (i.ShiftAmount != 0 && i.ShiftAmount != 12)) return Fail(code, "takes an immediate shifted by lsl #0 or lsl #12 only", out error);
                if ((ulong)i.Immediate > 0xFFF) return Fail(code, $"immediate {i.Immediate} is outside 0..4095 (use lsl #12 or a register)", out error);
                word = b | Sf(i.Rd) | (i.ShiftAmount == 12 ? 1u << 22 : 0) | ((uint)i.Immediate << 10) | Rn(i.Rn) | Rd(i.Rd);
                return true;
            }

            // C4.1.95 Add/subtract (shifted register): sf op S 01011 shift 0 Rm imm6 Rn Rd.
            case Arm64Form.AddSubShifted:
                if (!ThreeGeneral(code, i, out error)) return false;
                if (i.Shift == Arm64Shift.Ror) return Fail(code, "cannot shift by ror", out error);
                if (!ShiftAmountFits(code, i, out error)) return false;
                word = b | Sf(i.Rd) | ((uint)i.Shift << 22) | Rm(i.Rm) | ((uint)i.ShiftAmount << 10) | Rn(i.Rn) | Rd(i.Rd);
                return true;

            // C4.1.95 Add/subtract (extended register): sf op S 01011 00 1 Rm option imm3 Rn Rd.
            case Arm64Form.AddSubExtended:
            {
                var setsFlags = (b & 0x2000_0000) != 0;
                if (!General(code, i.Rd, "rd", allowSp: !setsFlags, allowZr: setsFlags, out error)) return false;
                if (!General(code, i.Rn, "rn", allowSp: true, allowZr: false, out error)) return false;
                if (!SameWidth(code, i.Rd, i.Rn, out error)) return false;
                if (!General(code, i.Rm, "rm", allowSp: false, allowZr: true, out error)) return false;
                var wantX = i.Rd.Is64Bit && (i.Extend is Arm64Extend.Uxtx or Arm64Extend.Sxtx);
                if (i.Rm.Is64Bit != wantX) return Fail(code, $"extend {i.Extend.ToString().ToLowerInvariant()} takes a {(wantX ? "64" : "32")}-bit rm, not {i.Rm}", out error);
                if ((uint)i.ShiftAmount > 4) return Fail(code, $"extend amount {i.ShiftAmount} is outside 0..4", out error);
                word = b | Sf(i.Rd) | Rm(i.Rm) | ((uint)i.Extend << 13) | ((uint)i.ShiftAmount << 10) | Rn(i.Rn) | Rd(i.Rd);
                return true;
            }

            // C4.1.93 Logical (immediate): sf opc 100100 N immr imms Rn Rd.
            case Arm64Form.LogicalImm:
            {
                var setsFlags = (b & 0x6000_0000) == 0x6000_0000;
                if (!General(code, i.Rd, "rd", allowSp: !setsFlags, allowZr: setsFlags, out error)) return false;
                if (!General(code, i.Rn, "rn", allowSp: false, allowZr: true, out error)) return false;
                if (!SameWidth(code, i.Rd, i.Rn, out error)) return false;
                if (!Arm64Immediates.TryEncodeLogical((ulong)i.Immediate, i.Rd.Is64Bit, out var bits))
                    return Fail(code, $"0x{(ulong)i.Immediate:x} is not a {(i.Rd.Is64Bit ? 64 : 32)}-bit bitmask immediate (use a register)", out error);
                word = b | Sf(i.Rd) | (bits << 10) | Rn(i.Rn) | Rd(i.Rd);
                return true;
            }

            // C4.1.95 Logical (shifted register): sf opc 01010 shift N Rm imm6 Rn Rd.
            case Arm64Form.LogicalShifted:
                if (!ThreeGeneral(code, i, out error)) return false;
                if (!ShiftAmountFits(code, i, out error)) return false;
                word = b | Sf(i.Rd) | ((uint)i.Shift << 22) | Rm(i.Rm) | ((uint)i.ShiftAmount << 10) | Rn(i.Rn) | Rd(i.Rd);
                return true;

            // C4.1.93 Move wide (immediate): sf opc 100101 hw imm16 Rd.
            case Arm64Form.MoveWide:
                if (!General(code, i.Rd, "rd", allowSp: false, allowZr: true, out error)) return false;
                if ((ulong)i.Immediate > 0xFFFF) return Fail(code, $"immediate {i.Immediate} is outside 0..65535", out error);
                if (i.Shift != Arm64Shift.Lsl || (i.ShiftAmount & 15) != 0 || (uint)i.ShiftAmount >= (i.Rd.Is64Bit ? 64u : 32u))
                    return Fail(code, $"shift lsl #{i.ShiftAmount} is not one of 0, 16{(i.Rd.Is64Bit ? ", 32, 48" : "")}", out error);
                word = b | Sf(i.Rd) | ((uint)(i.ShiftAmount / 16) << 21) | ((uint)i.Immediate << 5) | Rd(i.Rd);
                return true;

            // C4.1.93 Bitfield: sf opc 100110 N immr imms Rn Rd (N = sf).
            case Arm64Form.Bitfield:
                if (!TwoGeneral(code, i, out error)) return false;
                if (!BitPosition(code, i.Rd, i.Immediate, "immr", out error) || !BitPosition(code, i.Rd, i.Immediate2, "imms", out error)) return false;
                word = b | Sf(i.Rd) | (i.Rd.Is64Bit ? 1u << 22 : 0) | ((uint)i.Immediate << 16) | ((uint)i.Immediate2 << 10) | Rn(i.Rn) | Rd(i.Rd);
                return true;

            // C4.1.93 Extract: sf 00 100111 N 0 Rm imms Rn Rd.
            case Arm64Form.Extract:
                if (!ThreeGeneral(code, i, out error)) return false;
                if (!BitPosition(code, i.Rd, i.Immediate, "lsb", out error)) return false;
                word = b | Sf(i.Rd) | (i.Rd.Is64Bit ? 1u << 22 : 0) | Rm(i.Rm) | ((uint)i.Immediate << 10) | Rn(i.Rn) | Rd(i.Rd);
                return true;

            // C4.1.95 Data-processing (2 source): sf 0 0 11010110 Rm opcode Rn Rd.
            case Arm64Form.DataProc2:
                if (!ThreeGeneral(code, i, out error)) return false;
                word = b | Sf(i.Rd) | Rm(i.Rm) | Rn(i.Rn) | Rd(i.Rd);
                return true;

            // C4.1.95 Data-processing (1 source): sf 1 0 11010110 00000 opcode Rn Rd; rev's opcode is 2 (32-bit) or 3 (64-bit).
            case Arm64Form.DataProc1:
                if (!TwoGeneral(code, i, out error)) return false;
                word = b | Sf(i.Rd) | (code == Arm64Code.Rev && i.Rd.Is64Bit ? 0x400u : 0) | Rn(i.Rn) | Rd(i.Rd);
                return true;

            // C4.1.95 Data-processing (3 source): sf 00 11011 000 Rm o0 Ra Rn Rd.
            case Arm64Form.DataProc3:
                if (!ThreeGeneral(code, i, out error)) return false;
                if (!General(code, i.Ra, "ra", allowSp: false, allowZr: true, out error) || !SameWidth(code, i.Rd, i.Ra, out error)) return false;
                word = b | Sf(i.Rd) | Rm(i.Rm) | ((uint)i.Ra.Number << 10) | Rn(i.Rn) | Rd(i.Rd);
                return true;

            case Arm64Form.MulHigh:
                if (!ThreeGeneral(code, i, out error)) return false;
                if (!i.Rd.Is64Bit) return Fail(code, "operates on 64-bit registers only", out error);
                word = b | Rm(i.Rm) | Rn(i.Rn) | Rd(i.Rd);
                return true;

            // C4.1.95 Conditional select: sf op S 11010100 Rm cond op2 Rn Rd.
            case Arm64Form.CondSelect:
                if (!ThreeGeneral(code, i, out error)) return false;
                word = b | Sf(i.Rd) | Rm(i.Rm) | ((uint)i.Condition << 12) | Rn(i.Rn) | Rd(i.Rd);
                return true;

            // C4.1.95 Conditional compare (register/immediate): sf op 1 11010010 Rm|imm5 cond 0|1 0 Rn 0 nzcv.
            case Arm64Form.CondCompareReg:
                if (!General(code, i.Rn, "rn", allowSp: false, allowZr: true, out error)) return false;
                if (!General(code, i.Rm, "rm", allowSp: false, allowZr: true, out error) || !SameWidth(code, i.Rn, i.Rm, out error)) return false;
                if ((ulong)i.Immediate > 15) return Fail(code, $"nzcv {i.Immediate} is outside 0..15", out error);
                word = b | Sf(i.Rn) | Rm(i.Rm) | ((uint)i.Condition << 12) | Rn(i.Rn) | (uint)i.Immediate;
                return true;

            case Arm64Form.CondCompareImm:
                if (!General(code, i.Rn, "rn", allowSp: false, allowZr: true, out error)) return false;
                if ((ulong)i.Immediate > 31) return Fail(code, $"immediate {i.Immediate} is outside 0..31", out error);
                if ((ulong)i.Immediate2 > 15) return Fail(code, $"nzcv {i.Immediate2} is outside 0..15", out error);
                word = b | Sf(i.Rn) | ((uint)i.Immediate << 16) | ((uint)i.Condition << 12) | Rn(i.Rn) | (uint)i.Immediate2;
                return true;

            case Arm64Form.LoadStore:
            case Arm64Form.LoadStoreUnscaled:
                return EncodeLoadStore(code, b, form == Arm64Form.LoadStoreUnscaled, i, out word, out error);

            // C4.1.94 Load register (literal): opc 011 V 00 imm19 Rt.
            case Arm64Form.LoadLiteral:
            {
                uint opcV = i.Rd.Kind switch
                {
                    Arm64RegisterKind.W => 0x0000_0000,
                    Arm64RegisterKind.X => 0x4000_0000,
                    Arm64RegisterKind.S => 0x0400_0000,
                    Arm64RegisterKind.D => 0x4400_0000,
                    _ => 1,
                };
                if (opcV == 1) return Fail(code, "needs a w, x, s or d register", out error);
                if (!PcRelative(code, i.BranchOffset, 19, out var imm19, out error)) return false;
                word = b | opcV | (imm19 << 5) | (uint)i.Rd.Number;
                return true;
            }

            case Arm64Form.LoadStorePair:
                return EncodePair(code, b, i, out word, out error);

            // C4.1.91 Unconditional branch (immediate): op 00101 imm26.
            case Arm64Form.Branch:
            {
                if (!PcRelative(code, i.BranchOffset, 26, out var imm26, out error)) return false;
                word = b | imm26;
                return true;
            }

            // C4.1.91 Conditional branch (immediate): 0101010 0 imm19 0 cond.
            case Arm64Form.BranchCond:
            {
                if (!PcRelative(code, i.BranchOffset, 19, out var imm19, out error)) return false;
                word = b | (imm19 << 5) | (uint)i.Condition;
                return true;
            }

            // C4.1.91 Compare and branch: sf 011010 op imm19 Rt.
            case Arm64Form.CompareBranch:
            {
                if (!General(code, i.Rd, "rt", allowSp: false, allowZr: true, out error)) return false;
                if (!PcRelative(code, i.BranchOffset, 19, out var imm19, out error)) return false;
                word = b | Sf(i.Rd) | (imm19 << 5) | Rd(i.Rd);
                return true;
            }

            // C4.1.91 Test and branch: b5 011011 op b40 imm14 Rt.
            case Arm64Form.TestBranch:
            {
                if (!General(code, i.Rd, "rt", allowSp: false, allowZr: true, out error)) return false;
                if ((ulong)i.Immediate >= (i.Rd.Is64Bit ? 64u : 32u)) return Fail(code, $"bit number {i.Immediate} is outside the {(i.Rd.Is64Bit ? 64 : 32)}-bit register {i.Rd}", out error);
                if (!PcRelative(code, i.BranchOffset, 14, out var imm14, out error)) return false;
                var bit = (uint)i.Immediate;
                word = b | ((bit >> 5) << 31) | ((bit & 31) << 19) | (imm14 << 5) | Rd(i.Rd);
                return true;
            }

            // C4.1.91 Unconditional branch (register): 1101011 opc op2 op3 Rn op4.
            case Arm64Form.BranchReg:
            {
                var target = code == Arm64Code.Ret && !i.Rn.IsValid ? Arm64Register.Lr : i.Rn;
                if (!General(code, target, "rn", allowSp: false, allowZr: true, out error)) return false;
                if (!target.Is64Bit) return Fail(code, $"needs a 64-bit register, not {target}", out error);
                word = b | Rn(target);
                return true;
            }

            // C4.1.92 PC-rel. addressing: op immlo 10000 immhi Rd.
            case Arm64Form.PcRel:
            {
                if (!General(code, i.Rd, "rd", allowSp: false, allowZr: true, out error)) return false;
                if (!i.Rd.Is64Bit) return Fail(code, $"needs a 64-bit register, not {i.Rd}", out error);
                var offset = i.BranchOffset;
                if (code == Arm64Code.Adrp)
                {
                    if ((offset & 0xFFF) != 0) return Fail(code, $"page offset {offset} is not a multiple of 4096", out error);
                    offset >>= 12;
                }

                if (offset < -(1L << 20) || offset >= 1L << 20)
                    return Fail(code, $"offset {i.BranchOffset} is out of range (±{(code == Arm64Code.Adrp ? "4 GiB" : "1 MiB")})", out error);
                var imm21 = (uint)offset & 0x1F_FFFF;
                word = b | ((imm21 & 3) << 29) | ((imm21 >> 2) << 5) | Rd(i.Rd);
                return true;
            }

            // C4.1.96 Floating-point data-processing (2 source): M 0 S 11110 ftype 1 Rm opcode 10 Rn Rd.
            case Arm64Form.FpBinary:
                if (!SameFloat(code, i.Rd, i.Rn, out error) || !SameFloat(code, i.Rd, i.Rm, out error)) return false;
                word = b | FType(i.Rd) | Rm(i.Rm) | Rn(i.Rn) | Rd(i.Rd);
                return true;

            // C4.1.96 Floating-point data-processing (1 source): M 0 S 11110 ftype 1 opcode 10000 Rn Rd.
            case Arm64Form.FpUnary:
                if (!SameFloat(code, i.Rd, i.Rn, out error)) return false;
                word = b | FType(i.Rd) | Rn(i.Rn) | Rd(i.Rd);
                return true;

            case Arm64Form.FpMove:
                if (i.Rd.IsFloat && i.Rn.IsFloat)
                {
                    if (!SameFloat(code, i.Rd, i.Rn, out error)) return false;
                    word = b | FType(i.Rd) | Rn(i.Rn) | Rd(i.Rd);
                    return true;
                }

                // C4.1.96 Conversion between floating-point and integer: fmov general, opcode 110 (to general) or 111 (from).
                if (i.Rd.IsGeneral && i.Rn.IsFloat && !i.Rd.IsStackPointer && i.Rd.Is64Bit == i.Rn.Is64Bit)
                {
                    word = (i.Rd.Is64Bit ? 0x9E66_0000u : 0x1E26_0000u) | Rn(i.Rn) | Rd(i.Rd);
                    return true;
                }

                if (i.Rd.IsFloat && i.Rn.IsGeneral && !i.Rn.IsStackPointer && i.Rd.Is64Bit == i.Rn.Is64Bit)
                {
                    word = (i.Rd.Is64Bit ? 0x9E67_0000u : 0x1E27_0000u) | Rn(i.Rn) | Rd(i.Rd);
                    return true;
                }

                return Fail(code, $"cannot move {i.Rn} to {i.Rd} (fp to fp of one size, or w<->s, x<->d)", out error);

            // C4.1.96 Floating-point immediate: M 0 S 11110 ftype 1 imm8 100 imm5 Rd.
            case Arm64Form.FpImm:
                if (!i.Rd.IsFloat) return Fail(code, $"needs an s or d register, not {i.Rd}", out error);
                if (!Arm64Immediates.TryEncodeFloat(i.FloatImmediate, out var imm8))
                    return Fail(code, $"{i.FloatImmediate} is not an 8-bit floating-point immediate (±(16..31)/16 × 2^(-3..4))", out error);
                word = b | FType(i.Rd) | ((uint)imm8 << 13) | Rd(i.Rd);
                return true;

            // C4.1.96 fcvt: ftype is the source size, opc (bits 16:15) the destination size.
            case Arm64Form.FpConvert:
                if (!i.Rd.IsFloat || !i.Rn.IsFloat || i.Rd.Kind == i.Rn.Kind) return Fail(code, $"converts between s and d, not {i.Rn} to {i.Rd}", out error);
                word = b | FType(i.Rn) | (i.Rd.Is64Bit ? 1u << 15 : 0) | Rn(i.Rn) | Rd(i.Rd);
                return true;

            // C4.1.96 Floating-point compare: M 0 S 11110 ftype 1 Rm op 1000 Rn opcode2.
            case Arm64Form.FpCompare:
                if (!SameFloat(code, i.Rn, i.Rm, out error)) return false;
                word = b | FType(i.Rn) | Rm(i.Rm) | Rn(i.Rn);
                return true;

            case Arm64Form.FpCompareZero:
                if (!i.Rn.IsFloat) return Fail(code, $"needs an s or d register, not {i.Rn}", out error);
                word = b | FType(i.Rn) | Rn(i.Rn);
                return true;

            // C4.1.96 Floating-point conditional select: M 0 S 11110 ftype 1 Rm cond 11 Rn Rd.
            case Arm64Form.FpCondSelect:
                if (!SameFloat(code, i.Rd, i.Rn, out error) || !SameFloat(code, i.Rd, i.Rm, out error)) return false;
                word = b | FType(i.Rd) | Rm(i.Rm) | ((uint)i.Condition << 12) | Rn(i.Rn) | Rd(i.Rd);
                return true;

            // C4.1.96 Conversion between floating-point and integer: sf 0 S 11110 ftype 1 rmode opcode 000000 Rn Rd.
            case Arm64Form.FpToInt:
                if (!General(code, i.Rd, "rd", allowSp: false, allowZr: true, out error)) return false;
                if (!i.Rn.IsFloat) return Fail(code, $"converts from an s or d register, not {i.Rn}", out error);
                word = b | Sf(i.Rd) | FType(i.Rn) | Rn(i.Rn) | Rd(i.Rd);
                return true;

            case Arm64Form.IntToFp:
                if (!i.Rd.IsFloat) return Fail(code, $"converts to an s or d register, not {i.Rd}", out error);
                if (!General(code, i.Rn, "rn", allowSp: false, allowZr: true, out error)) return false;
                word = b | Sf(i.Rn) | FType(i.Rd) | Rn(i.Rn) | Rd(i.Rd);
                return true;

            case Arm64Form.NoOperands:
                word = b;
                return true;

            // C4.1.90 Barriers: 1101010100 0 00 011 0011 CRm op2 11111.
            case Arm64Form.Barrier:
                if ((uint)i.Barrier > 15) return Fail(code, $"barrier option {(int)i.Barrier} is outside 0..15", out error);
                word = b | ((uint)i.Barrier << 8);
                return true;

            // C4.1.90 Exception generation: 11010100 opc imm16 op2 LL.
            case Arm64Form.Exception:
                if ((ulong)i.Immediate > 0xFFFF) return Fail(code, $"immediate {i.Immediate} is outside 0..65535", out error);
                word = b | ((uint)i.Immediate << 5);
                return true;

            case Arm64Form.Udf:
                if ((ulong)i.Immediate > 0xFFFF) return Fail(code, $"immediate {i.Immediate} is outside 0..65535", out error);
                word = b | (uint)i.Immediate;
                return true;

            // C4.1.90 System instructions (sys alias dc/ic): Rt is a 64-bit register.
            case Arm64Form.SysRt:
            case Arm64Form.Mrs:
            case Arm64Form.Msr:
                if (!General(code, i.Rd, "rt", allowSp: false, allowZr: true, out error)) return false;
                if (!i.Rd.Is64Bit) return Fail(code, $"needs a 64-bit register, not {i.Rd}", out error);
                word = b | (form == Arm64Form.SysRt ? 0 : (uint)i.SystemRegister << 5) | Rd(i.Rd);
                if (form != Arm64Form.SysRt && (ushort)i.SystemRegister is < 0x4000 or > 0x7FFF) return Fail(code, $"system register 0x{(int)i.SystemRegister:x} is not an op0=2/3 register", out error);
                return true;

            default:
                return EncodeSimd(form, code, b, i, out word, out error);
        }
    }

    // C4.1.94 Load/store register (unsigned immediate | unscaled | pre/post-indexed | register offset):
    // size 111 V 0x opc ..., with the access's size, V and opc bits in the table's base.
    private static bool EncodeLoadStore(Arm64Code code, uint b, bool unscaled, in Arm64Instruction i, out uint word, out string? error)
    {
        word = 0;
        error = null;
        var rt = i.Rd;
        var sizeFromRegister = code is Arm64Code.Ldr or Arm64Code.Str or Arm64Code.Ldur or Arm64Code.Stur;
        var signExtending = (b & 0x0080_0000) != 0;
        uint size;
        uint v = 0;
        var scaleLog2 = 0;
        if (sizeFromRegister)
        {
            if (!rt.IsValid || rt.IsStackPointer || rt.IsVector) return Fail(code, $"needs a w, x, b, h, s, d or q register, not {rt}", out error);
            scaleLog2 = rt.IsGeneral ? rt.Is64Bit ? 3 : 2 : rt.ElementSizeLog2;
            v = rt.IsGeneral ? 0u : 1u;

            // A q register is size 00 with opc's high bit set (C4.1.94: "size = 00, opc = 1x" is the 128-bit variant).
            size = scaleLog2 == 4 ? 0u : (uint)scaleLog2;
            if (scaleLog2 == 4) b |= 0x0080_0000;
        }
        else
        {
            size = b >> 30;
            scaleLog2 = (int)size;
            if (!General(code, rt, "rt", allowSp: false, allowZr: true, out error)) return false;
            if (code is Arm64Code.Ldrsw or Arm64Code.Ldursw)
            {
                if (!rt.Is64Bit) return Fail(code, "loads into a 64-bit register only", out error);
            }
            else if (!signExtending && rt.Is64Bit)
            {
                return Fail(code, $"takes a 32-bit register, not {rt}", out error);
            }
        }

        var opc = (b >> 22) & 3;
        if (signExtending && code is not (Arm64Code.Ldrsw or Arm64Code.Ldursw)) opc = rt.Is64Bit ? 2u : 3u;
        var fixedBits = 0x3800_0000u | (size << 30) | (v << 26) | (opc << 22);
        var m = i.Memory;
        if (!m.Base.IsValid || !m.Base.Is64Bit || !m.Base.IsGeneral || m.Base.IsZeroRegister) return Fail(code, $"needs an x register or sp as base, not {m.Base}", out error);
        var baseField = (uint)m.Base.Number << 5;
        var rtField = (uint)rt.Number;
        if (unscaled)
        {
            if (m.Mode != Arm64AddressingMode.Offset) return Fail(code, "takes [base, #imm9] only (pre/post-index and register offsets are ldr/str forms)", out error);
            if (m.Offset < -256 || m.Offset > 255) return Fail(code, $"offset {m.Offset} is outside -256..255", out error);
            word = fixedBits | (((uint)m.Offset & 0x1FF) << 12) | baseField | rtField;
            return true;
        }

        switch (m.Mode)
        {
            case Arm64AddressingMode.Offset:
            {
                var scale = 1L << scaleLog2;
                if (m.Offset < 0 || m.Offset % scale != 0 || m.Offset / scale > 0xFFF)
                    return Fail(code, $"offset {m.Offset} is not a multiple of {scale} in 0..{scale * 0xFFF} (use ldur/stur or a register offset)", out error);
                word = fixedBits | 0x0100_0000 | ((uint)(m.Offset / scale) << 10) | baseField | rtField;
                return true;
            }

            case Arm64AddressingMode.PreIndex:
            case Arm64AddressingMode.PostIndex:
                if (m.Offset < -256 || m.Offset > 255) return Fail(code, $"{(m.Mode == Arm64AddressingMode.PreIndex ? "pre" : "post")}-index offset {m.Offset} is outside -256..255", out error);
                // Write-back to the transfer register is unpredictable (Arm ARM C6.2, "Rn == Rt && wback").
                if (rt.IsGeneral && rt.Number == m.Base.Number && rt.Number != 31)
                    return Fail(code, $"writes back to {m.Base}, which is also the transfer register (unpredictable)", out error);

                word = fixedBits | (((uint)m.Offset & 0x1FF) << 12) | (m.Mode == Arm64AddressingMode.PreIndex ? 0xC00u : 0x400u) | baseField | rtField;
                return true;

            case Arm64AddressingMode.RegisterOffset:
            {
                var ix = m.Index;
                if (!ix.IsGeneral || ix.IsStackPointer) return Fail(code, $"index must be a general register, not {ix}", out error);
                var wantX = m.Extend is Arm64Extend.Uxtx or Arm64Extend.Sxtx;
                if (m.Extend is not (Arm64Extend.Uxtw or Arm64Extend.Uxtx or Arm64Extend.Sxtw or Arm64Extend.Sxtx))
                    return Fail(code, $"index extend must be uxtw, lsl, sxtw or sxtx, not {m.Extend.ToString().ToLowerInvariant()}", out error);
                if (ix.Is64Bit != wantX) return Fail(code, $"index {ix} does not match extend {(m.Extend == Arm64Extend.Uxtx ? "lsl" : m.Extend.ToString().ToLowerInvariant())}", out error);
                var s = 0u;
                if (m.Amount >= 0)
                {
                    if (m.Amount != 0 && m.Amount != scaleLog2) return Fail(code, $"index shift #{m.Amount} must be 0 or {scaleLog2} for a {1 << scaleLog2}-byte access", out error);
                    if (m.Amount == 0 && scaleLog2 != 0) return Fail(code, $"index shift #0 is only written for byte accesses; omit it", out error);
                    s = 1;
                }

                word = fixedBits | 0x0020_0800 | ((uint)ix.Number << 16) | ((uint)m.Extend << 13) | (s << 12) | baseField | rtField;
                return true;
            }

            default:
                return Fail(code, $"addressing mode {m.Mode} is not supported", out error);
        }
    }

    // C4.1.94 Load/store register pair: opc 101 V 0 mode(2) L imm7 Rt2 Rn Rt.
    private static bool EncodePair(Arm64Code code, uint b, in Arm64Instruction i, out uint word, out string? error)
    {
        word = 0;
        error = null;
        var rt = i.Rd;
        var rt2 = i.Rn;
        if (!rt.IsValid || rt.IsStackPointer || rt.Kind != rt2.Kind || rt2.IsStackPointer)
            return Fail(code, $"needs two registers of one kind (w, x, s, d), not {rt} and {rt2}", out error);
        uint opcV = rt.Kind switch
        {
            Arm64RegisterKind.W => 0,
            Arm64RegisterKind.X => 0x8000_0000,
            Arm64RegisterKind.S => 0x0400_0000,
            _ => 0x4400_0000,
        };
        var scale = rt.Is64Bit ? 8 : 4;
        var m = i.Memory;
        if (!m.Base.IsValid || !m.Base.Is64Bit || !m.Base.IsGeneral || m.Base.IsZeroRegister) return Fail(code, $"needs an x register or sp as base, not {m.Base}", out error);
        uint mode = m.Mode switch
        {
            Arm64AddressingMode.PostIndex => 1u << 23,
            Arm64AddressingMode.Offset => 2u << 23,
            Arm64AddressingMode.PreIndex => 3u << 23,
            _ => 0,
        };
        if (mode == 0) return Fail(code, "takes [base, #imm], [base, #imm]! or [base], #imm", out error);
        if (m.Offset % scale != 0 || m.Offset / scale < -64 || m.Offset / scale > 63)
            return Fail(code, $"offset {m.Offset} is not a multiple of {scale} in {-64 * scale}..{63 * scale}", out error);
        if (code == Arm64Code.Ldp && rt == rt2) return Fail(code, $"loads {rt} twice (unpredictable)", out error);
        word = b | opcV | mode | (((uint)(m.Offset / scale) & 0x7F) << 15) | ((uint)rt2.Number << 10) | ((uint)m.Base.Number << 5) | (uint)rt.Number;
        return true;
    }

    /// <summary>
    /// Checks that a pc-relative byte <paramref name="offset"/> is a multiple of 4 that fits a signed field of
    /// <paramref name="bits"/> words, and returns the field value.
    /// </summary>
    internal static bool PcRelative(Arm64Code code, long offset, int bits, out uint field, out string? error)
    {
        field = 0;
        error = null;
        if ((offset & 3) != 0) return Fail(code, $"target offset {offset} is not a multiple of 4", out error);
        var words = offset >> 2;
        var limit = 1L << (bits - 1);
        if (words < -limit || words >= limit)
            return Fail(code, $"target offset {offset} is out of range (±{Describe(limit * 4)})", out error);
        field = (uint)words & (uint)((1L << bits) - 1);
        return true;
    }

    private static string Describe(long bytes) => bytes >= 1 << 20 ? $"{bytes >> 20} MiB" : $"{bytes >> 10} KiB";

    private static bool General(Arm64Code code, Arm64Register r, string field, bool allowSp, bool allowZr, out string? error)
    {
        error = null;
        if (!r.IsValid) return Fail(code, $"{field} is missing", out error);
        if (!r.IsGeneral) return Fail(code, $"{field} must be a general register, not {r}", out error);
        if (r.Number == 31)
        {
            if (r.IsStackPointer && !allowSp) return Fail(code, $"{field} cannot be the stack pointer", out error);
            if (!r.IsStackPointer && !allowZr) return Fail(code, $"{field} cannot be the zero register (number 31 means sp there)", out error);
        }

        return true;
    }

    private static bool SameWidth(Arm64Code code, Arm64Register a, Arm64Register b, out string? error)
    {
        error = null;
        return a.Is64Bit == b.Is64Bit || Fail(code, $"mixes register widths ({a}, {b})", out error);
    }

    private static bool TwoGeneral(Arm64Code code, in Arm64Instruction i, out string? error)
        => General(code, i.Rd, "rd", false, true, out error) && General(code, i.Rn, "rn", false, true, out error) && SameWidth(code, i.Rd, i.Rn, out error);

    private static bool ThreeGeneral(Arm64Code code, in Arm64Instruction i, out string? error)
        => TwoGeneral(code, i, out error) && General(code, i.Rm, "rm", false, true, out error) && SameWidth(code, i.Rd, i.Rm, out error);

    private static bool ShiftAmountFits(Arm64Code code, in Arm64Instruction i, out string? error)
    {
        error = null;
        var width = i.Rd.Is64Bit ? 64 : 32;
        return (uint)i.ShiftAmount < (uint)width || Fail(code, $"shift amount {i.ShiftAmount} is outside 0..{width - 1}", out error);
    }

    private static bool BitPosition(Arm64Code code, Arm64Register rd, long value, string name, out string? error)
    {
        error = null;
        var width = rd.Is64Bit ? 64 : 32;
        return (ulong)value < (ulong)width || Fail(code, $"{name} {value} is outside 0..{width - 1}", out error);
    }

    private static bool SameFloat(Arm64Code code, Arm64Register a, Arm64Register b, out string? error)
    {
        error = null;
        if (!a.IsFloat || !b.IsFloat) return Fail(code, $"needs s or d registers, not {a}, {b}", out error);
        return a.Kind == b.Kind || Fail(code, $"mixes precisions ({a}, {b})", out error);
    }

    private static uint Sf(Arm64Register r) => r.Is64Bit ? 0x8000_0000u : 0;

    private static uint FType(Arm64Register r) => r.Kind == Arm64RegisterKind.D ? 1u << 22 : 0;

    private static uint Rd(Arm64Register r) => (uint)r.Number;

    private static uint Rn(Arm64Register r) => (uint)r.Number << 5;

    private static uint Rm(Arm64Register r) => (uint)r.Number << 16;

    private static bool Fail(Arm64Code code, string message, out string? error)
    {
        error = code.ToString().ToLowerInvariant() + ": " + message;
        return false;
    }
}
