using System;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace WasmToolkit.Compiler.Arm64;

/// <summary>
/// Decodes the A64 words <see cref="Arm64Encoder"/> produces and writes them in GNU assembler syntax with exactly
/// objdump's (binutils 2.40) alias choices and number formats: <c>mov x0, x1</c>, <c>cmp w0, #0x3</c>,
/// <c>lsl w0, w1, #3</c>, <c>cset w0, eq</c>, <c>ldr x0, [x1, #8]</c>, <c>b.ne 0x1c</c>. Arithmetic immediates are hex,
/// memory offsets and shift amounts decimal, branch targets absolute addresses; objdump's trailing <c>// …</c>
/// comments are not written. Words outside the supported set print as <c>.inst 0x… ; undefined</c>.
/// </summary>
/// <remarks>
/// Alias rules follow the "preferred disassembly" conditions of the Arm ARM (e.g. <c>BFXPreferred</c>) except where
/// binutils differs (<c>mov</c> for <c>orr</c> with a bitmask immediate), because objdump is the reference. The decoder is written independently of the encoder's table so that the golden tests
/// (tests/WasmToolkit.Compiler.Tests/Arm64) check one against the other, and both against objdump.
/// </remarks>
public static partial class Arm64Disassembler
{
    private static readonly string[] BarrierNames = { "#0x0", "oshld", "oshst", "osh", "#0x4", "nshld", "nshst", "nsh", "#0x8", "ishld", "ishst", "ish", "#0xc", "ld", "st", "sy" };

    /// <summary>The text of one instruction word located at <paramref name="address"/> (used for pc-relative targets).</summary>
    public static string Format(uint word, ulong address = 0)
    {
        var builder = new StringBuilder(32);
        Format(word, address, builder);
        return builder.ToString();
    }

    /// <summary>Appends the text of one instruction word located at <paramref name="address"/> to <paramref name="output"/>.</summary>
    public static void Format(uint word, ulong address, StringBuilder output)
    {
        var start = output.Length;
        if (!TryFormat(word, address, output))
        {
            output.Length = start;
            output.Append(".inst 0x").Append(word.ToString("x8", CultureInfo.InvariantCulture)).Append(" ; undefined");
        }
    }

    /// <summary>
    /// A listing of little-endian code in objdump's layout: <c>address:\tword \ttext</c> per instruction, addresses
    /// starting at <paramref name="address"/>. A trailing partial word is listed as bytes.
    /// </summary>
    public static string Disassemble(ReadOnlySpan<byte> code, ulong address = 0)
    {
        var builder = new StringBuilder(code.Length * 8);
        var offset = 0;
        for (; offset + 4 <= code.Length; offset += 4)
        {
            var word = BinaryPrimitives.ReadUInt32LittleEndian(code.Slice(offset));
            var at = address + (ulong)offset;
            builder.Append(at.ToString("x", CultureInfo.InvariantCulture).PadLeft(4)).Append(":\t").Append(word.ToString("x8", CultureInfo.InvariantCulture)).Append(" \t");
            Format(word, at, builder);
            builder.Append('\n');
        }

        if (offset < code.Length)
        {
            builder.Append((address + (ulong)offset).ToString("x", CultureInfo.InvariantCulture).PadLeft(4)).Append(":\t.byte");
            for (; offset < code.Length; offset++) builder.Append(" 0x").Append(code[offset].ToString("x2", CultureInfo.InvariantCulture));
            builder.Append('\n');
        }

        return builder.ToString();
    }

    private static bool TryFormat(uint w, ulong address, StringBuilder o)
    {
        var rd = (int)(w & 31);
        var rn = (int)((w >> 5) & 31);
        var rm = (int)((w >> 16) & 31);
        var sf = (w >> 31) != 0;

        // Add/subtract (immediate).
        if ((w & 0x1F80_0000) == 0x1100_0000)
        {
            var op = (w >> 30) & 1;
            var s = (w >> 29) & 1;
            var shifted = ((w >> 22) & 1) != 0;
            var imm = (w >> 10) & 0xFFF;
            if (op == 0 && s == 0 && !shifted && imm == 0 && (rd == 31 || rn == 31))
            {
                Op(o, "mov").Reg(rd, sf, sp: true).Comma().Reg(rn, sf, sp: true);
                return true;
            }

            if (s == 1 && rd == 31) Op(o, op == 0 ? "cmn" : "cmp");
            else Op(o, op == 0 ? s == 0 ? "add" : "adds" : s == 0 ? "sub" : "subs").Reg(rd, sf, sp: s == 0).Comma();
            Reg(o, rn, sf, sp: true).Comma().Hex(imm);
            if (shifted) o.Append(", lsl #12");
            return true;
        }

        // Logical (immediate).
        if ((w & 0x1F80_0000) == 0x1200_0000)
        {
            var opc = (w >> 29) & 3;
            var n = (w >> 22) & 1;
            var immr = (int)((w >> 16) & 63);
            var imms = (int)((w >> 10) & 63);
            if (!Arm64Immediates.TryDecodeLogical((n << 12) | ((uint)immr << 6) | (uint)imms, sf, out var value)) return false;
            if (opc == 1 && rn == 31 && (rd == 31 || !(IsWideConstant(value, sf) || IsWideConstant(~value, sf))))
            {
                Op(o, "mov").Reg(rd, sf, sp: true).Comma().Hex(value);
                return true;
            }

            if (opc == 3 && rd == 31) Op(o, "tst");
            else Op(o, opc switch { 0 => "and", 1 => "orr", 2 => "eor", _ => "ands" }).Reg(rd, sf, sp: opc != 3).Comma();
            Reg(o, rn, sf).Comma().Hex(value);
            return true;
        }

        // Move wide (immediate).
        if ((w & 0x1F80_0000) == 0x1280_0000)
        {
            var opc = (w >> 29) & 3;
            var hw = (int)((w >> 21) & 3);
            var imm = (ulong)((w >> 5) & 0xFFFF);
            if (opc == 1 || (!sf && hw >= 2)) return false;
            var shift = hw * 16;
            if (opc == 2 && !(imm == 0 && hw != 0))
            {
                Op(o, "mov").Reg(rd, sf).Comma().Hex(imm << shift);
                return true;
            }

            if (opc == 0 && !(imm == 0 && hw != 0) && (sf || imm != 0xFFFF))
            {
                var value = ~(imm << shift);
                Op(o, "mov").Reg(rd, sf).Comma().Hex(sf ? value : value & 0xFFFF_FFFF);
                return true;
            }

            Op(o, opc switch { 0 => "movn", 2 => "movz", _ => "movk" }).Reg(rd, sf).Comma().Hex(imm);
            if (shift != 0) o.Append(", lsl #").Append(shift);
            return true;
        }

        // Bitfield.
        if ((w & 0x1F80_0000) == 0x1300_0000)
        {
            var opc = (w >> 29) & 3;
            var n = (w >> 22) & 1;
            var immr = (int)((w >> 16) & 63);
            var imms = (int)((w >> 10) & 63);
            var width = sf ? 64 : 32;
            if (opc == 3 || n != (sf ? 1u : 0u) || (!sf && (immr >= 32 || imms >= 32))) return false;
            var bfx = BfxPreferred(sf, opc == 2, imms, immr);
            if (opc == 0)
            {
                if (imms == width - 1) return Three(o, "asr", rd, rn, sf, immr);
                if (imms < immr) return Four(o, "sbfiz", rd, rn, sf, (width - immr) & (width - 1), imms + 1);
                if (bfx) return Four(o, "sbfx", rd, rn, sf, immr, imms - immr + 1);
                if (immr == 0 && (imms == 7 || imms == 15 || (sf && imms == 31)))
                {
                    Op(o, imms == 7 ? "sxtb" : imms == 15 ? "sxth" : "sxtw").Reg(rd, sf).Comma().Reg(rn, false);
                    return true;
                }

                return Four(o, "sbfm", rd, rn, sf, immr, imms);
            }

            if (opc == 1)
            {
                if (rn == 31 && imms < immr)
                {
                    Op(o, "bfc").Reg(rd, sf).Append(", #").Append((width - immr) & (width - 1)).Append(", #").Append(imms + 1);
                    return true;
                }

                if (imms < immr) return Four(o, "bfi", rd, rn, sf, (width - immr) & (width - 1), imms + 1);
                return Four(o, "bfxil", rd, rn, sf, immr, imms - immr + 1);
            }

            if (imms != width - 1 && imms + 1 == immr) return Three(o, "lsl", rd, rn, sf, width - 1 - imms);
            if (imms == width - 1) return Three(o, "lsr", rd, rn, sf, immr);
            if (imms < immr) return Four(o, "ubfiz", rd, rn, sf, (width - immr) & (width - 1), imms + 1);
            if (bfx) return Four(o, "ubfx", rd, rn, sf, immr, imms - immr + 1);
            if (immr == 0 && !sf && (imms == 7 || imms == 15))
            {
                Op(o, imms == 7 ? "uxtb" : "uxth").Reg(rd, false).Comma().Reg(rn, false);
                return true;
            }

            return Four(o, "ubfm", rd, rn, sf, immr, imms);
        }

        // Extract.
        if ((w & 0x7FA0_0000) == 0x1380_0000)
        {
            var n = (w >> 22) & 1;
            var imms = (int)((w >> 10) & 63);
            if (n != (sf ? 1u : 0u) || (!sf && imms >= 32)) return false;
            if (rn == rm) return Three(o, "ror", rd, rn, sf, imms);
            Op(o, "extr").Reg(rd, sf).Comma().Reg(rn, sf).Comma().Reg(rm, sf).Append(", #").Append(imms);
            return true;
        }

        // Logical (shifted register).
        if ((w & 0x1F00_0000) == 0x0A00_0000)
        {
            var opc = (w >> 29) & 3;
            var n = (w >> 21) & 1;
            var shift = (int)((w >> 22) & 3);
            var amount = (int)((w >> 10) & 63);
            if (!sf && amount >= 32) return false;
            if (opc == 1 && n == 0 && shift == 0 && amount == 0 && rn == 31)
            {
                Op(o, "mov").Reg(rd, sf).Comma().Reg(rm, sf);
                return true;
            }

            if (opc == 1 && n == 1 && rn == 31) Op(o, "mvn").Reg(rd, sf).Comma();
            else if (opc == 3 && n == 0 && rd == 31) Op(o, "tst").Reg(rn, sf).Comma();
            else Op(o, (opc << 1 | n) switch { 0 => "and", 1 => "bic", 2 => "orr", 3 => "orn", 4 => "eor", 5 => "eon", 6 => "ands", _ => "bics" }).Reg(rd, sf).Comma().Reg(rn, sf).Comma();
            Reg(o, rm, sf);
            AppendShift(o, shift, amount);
            return true;
        }

        // Add/subtract (shifted register).
        if ((w & 0x1F20_0000) == 0x0B00_0000)
        {
            var op = (w >> 30) & 1;
            var s = (w >> 29) & 1;
            var shift = (int)((w >> 22) & 3);
            var amount = (int)((w >> 10) & 63);
            if (shift == 3 || (!sf && amount >= 32)) return false;
            if (s == 1 && rd == 31) Op(o, op == 0 ? "cmn" : "cmp").Reg(rn, sf).Comma();
            else if (op == 1 && rn == 31) Op(o, s == 0 ? "neg" : "negs").Reg(rd, sf).Comma();
            else Op(o, op == 0 ? s == 0 ? "add" : "adds" : s == 0 ? "sub" : "subs").Reg(rd, sf).Comma().Reg(rn, sf).Comma();
            Reg(o, rm, sf);
            AppendShift(o, shift, amount);
            return true;
        }

        // Add/subtract (extended register).
        if ((w & 0x1F20_0000) == 0x0B20_0000)
        {
            var op = (w >> 30) & 1;
            var s = (w >> 29) & 1;
            var option = (int)((w >> 13) & 7);
            var amount = (int)((w >> 10) & 7);
            if (((w >> 22) & 3) != 0 || amount > 4) return false;
            if (s == 1 && rd == 31) Op(o, op == 0 ? "cmn" : "cmp");
            else Op(o, op == 0 ? s == 0 ? "add" : "adds" : s == 0 ? "sub" : "subs").Reg(rd, sf, sp: s == 0).Comma();
            Reg(o, rn, sf, sp: true).Comma().Reg(rm, sf && (option & 3) == 3);
            var spInvolved = rn == 31 || (s == 0 && rd == 31);
            if (spInvolved && option == (sf ? 3 : 2))
            {
                if (amount != 0) o.Append(", lsl #").Append(amount);
            }
            else
            {
                o.Append(", ").Append(ExtendName(option));
                if (amount != 0) o.Append(" #").Append(amount);
            }

            return true;
        }

        // Data-processing (2 source).
        if ((w & 0x7FE0_0000) == 0x1AC0_0000)
        {
            var name = ((w >> 10) & 63) switch { 2 => "udiv", 3 => "sdiv", 8 => "lsl", 9 => "lsr", 10 => "asr", 11 => "ror", _ => null };
            if (name is null) return false;
            Op(o, name).Reg(rd, sf).Comma().Reg(rn, sf).Comma().Reg(rm, sf);
            return true;
        }

        // Data-processing (1 source).
        if ((w & 0x7FFF_0000) == 0x5AC0_0000)
        {
            var name = ((w >> 10) & 63) switch { 0 => "rbit", 1 => "rev16", 2 => sf ? "rev32" : "rev", 3 => sf ? "rev" : null, 4 => "clz", 5 => "cls", _ => null };
            if (name is null) return false;
            Op(o, name).Reg(rd, sf).Comma().Reg(rn, sf);
            return true;
        }

        // Data-processing (3 source).
        if ((w & 0x7F00_0000) == 0x1B00_0000)
        {
            var op31 = (w >> 21) & 7;
            var o0 = (w >> 15) & 1;
            var ra = (int)((w >> 10) & 31);
            if (op31 == 0)
            {
                if (ra == 31) Op(o, o0 == 0 ? "mul" : "mneg").Reg(rd, sf).Comma().Reg(rn, sf).Comma().Reg(rm, sf);
                else Op(o, o0 == 0 ? "madd" : "msub").Reg(rd, sf).Comma().Reg(rn, sf).Comma().Reg(rm, sf).Comma().Reg(ra, sf);
                return true;
            }

            if (sf && o0 == 0 && ra == 31 && (op31 == 2 || op31 == 6))
            {
                Op(o, op31 == 2 ? "smulh" : "umulh").Reg(rd, true).Comma().Reg(rn, true).Comma().Reg(rm, true);
                return true;
            }

            return false;
        }

        // Conditional select.
        if ((w & 0x3FE0_0800) == 0x1A80_0000)
        {
            var op = (w >> 30) & 1;
            var o2 = (w >> 10) & 1;
            var cond = (Arm64Condition)((w >> 12) & 15);
            var inverted = cond.Invert().ToAssemblyName();
            if ((o2 == 1 || op == 1) && rm == rn && (int)cond < 14)
            {
                // cset/csetm when both sources are the zero register (csneg has no such alias: cneg rd, zr), else cinc/cinv/cneg.
                if (rn == 31 && !(op == 1 && o2 == 1)) Op(o, op == 0 ? "cset" : "csetm").Reg(rd, sf).Comma().Append(inverted);
                else Op(o, op == 0 ? "cinc" : o2 == 0 ? "cinv" : "cneg").Reg(rd, sf).Comma().Reg(rn, sf).Comma().Append(inverted);
                return true;
            }

            Op(o, op == 0 ? o2 == 0 ? "csel" : "csinc" : o2 == 0 ? "csinv" : "csneg").Reg(rd, sf).Comma().Reg(rn, sf).Comma().Reg(rm, sf).Comma().Append(cond.ToAssemblyName());
            return true;
        }

        // Conditional compare (register and immediate).
        if ((w & 0x3FE0_0410) == 0x3A40_0000)
        {
            var op = (w >> 30) & 1;
            var cond = (Arm64Condition)((w >> 12) & 15);
            Op(o, op == 0 ? "ccmn" : "ccmp").Reg(rn, sf).Comma();
            if (((w >> 11) & 1) != 0) Hex(o, (ulong)rm);
            else Reg(o, rm, sf);
            o.Append(", ");
            Hex(o, w & 15).Comma().Append(cond.ToAssemblyName());
            return true;
        }

        // Load/store pair.
        if ((w & 0x3A00_0000) == 0x2800_0000)
        {
            var opc = w >> 30;
            var v = (w >> 26) & 1;
            var mode = (w >> 23) & 3;
            var load = ((w >> 22) & 1) != 0;
            var rt2 = (int)((w >> 10) & 31);
            if (mode == 0) return false;
            char kind;
            int scale;
            if (v == 0 && opc == 0) (kind, scale) = ('w', 4);
            else if (v == 0 && opc == 2) (kind, scale) = ('x', 8);
            else if (v == 1 && opc == 0) (kind, scale) = ('s', 4);
            else if (v == 1 && opc == 1) (kind, scale) = ('d', 8);
            else return false;
            var imm7 = (int)((w >> 15) & 0x7F);
            var offset = ((imm7 << 25) >> 25) * scale;
            Op(o, load ? "ldp" : "stp");
            PairRegister(o, kind, rd).Append(", ");
            PairRegister(o, kind, rt2).Append(", ");
            AppendImmediateAddress(o, rn, offset, mode == 1 ? 2 : mode == 3 ? 1 : 0);
            return true;
        }

        // Load register (literal).
        if ((w & 0x3B00_0000) == 0x1800_0000)
        {
            var opc = w >> 30;
            var v = (w >> 26) & 1;
            var target = address + (ulong)(long)(((int)(w << 8) >> 13) * 4);
            if (v == 0 && opc == 2) Op(o, "ldrsw").Reg(rd, true);
            else if (v == 0 && opc <= 1) Op(o, "ldr").Reg(rd, opc == 1);
            else if (v == 1 && opc <= 1) Op(o, "ldr").Append(opc == 0 ? 's' : 'd').Append(rd);
            else return false;
            o.Append(", ");
            Target(o, target);
            return true;
        }

        // Load/store register: unsigned offset, unscaled, pre/post-indexed, register offset.
        if ((w & 0x3A00_0000) == 0x3800_0000)
        {
            return FormatLoadStore(w, rd, rn, rm, o);
        }

        // Unconditional branch (immediate).
        if ((w & 0x7C00_0000) == 0x1400_0000)
        {
            Op(o, sf ? "bl" : "b");
            Target(o, address + (ulong)(long)(((int)(w << 6) >> 6) * 4));
            return true;
        }

        // Conditional branch (immediate).
        if ((w & 0xFF00_0010) == 0x5400_0000)
        {
            o.Append("b.").Append(((Arm64Condition)(w & 15)).ToAssemblyName()).Append(' ');
            Target(o, address + (ulong)(long)(((int)(w << 8) >> 13) * 4));
            return true;
        }

        // Compare and branch.
        if ((w & 0x7E00_0000) == 0x3400_0000)
        {
            Op(o, ((w >> 24) & 1) == 0 ? "cbz" : "cbnz").Reg(rd, sf).Comma();
            Target(o, address + (ulong)(long)(((int)(w << 8) >> 13) * 4));
            return true;
        }

        // Test and branch.
        if ((w & 0x7E00_0000) == 0x3600_0000)
        {
            var bit = (int)(((w >> 31) << 5) | ((w >> 19) & 31));
            Op(o, ((w >> 24) & 1) == 0 ? "tbz" : "tbnz").Reg(rd, sf).Append(", #").Append(bit).Append(", ");
            Target(o, address + (ulong)(long)(((int)(w << 13) >> 18) * 4));
            return true;
        }

        // Unconditional branch (register).
        if ((w & 0xFF9F_FC1F) == 0xD61F_0000 || (w & 0xFFFF_FC1F) == 0xD65F_0000)
        {
            var opc = (w >> 21) & 3;
            if (opc == 2 && rn == 30)
            {
                o.Append("ret");
                return true;
            }

            Op(o, opc switch { 0 => "br", 1 => "blr", _ => "ret" }).Reg(rn, true);
            return true;
        }

        // PC-rel. addressing.
        if ((w & 0x1F00_0000) == 0x1000_0000)
        {
            var imm = (long)((((int)(w << 8) >> 13) << 2) | (int)((w >> 29) & 3));
            Op(o, sf ? "adrp" : "adr").Reg(rd, true).Comma();
            Target(o, sf ? (address & ~0xFFFUL) + (ulong)(imm << 12) : address + (ulong)imm);
            return true;
        }

        // Scalar floating point.
        if ((w & 0x7F20_0000) == 0x1E20_0000)
        {
            return FormatFloat(w, rd, rn, rm, sf, o);
        }

        // Advanced SIMD (vectors): Arm64Disassembler.Simd.cs.
        if (TryFormatSimd(w, rd, rn, rm, o)) return true;

        // System, exceptions, barriers.
        if (w == 0xD503_201F)
        {
            o.Append("nop");
            return true;
        }

        if (w == 0xD503_3FDF)
        {
            o.Append("isb");
            return true;
        }

        if ((w & 0xFFFF_F0FF) == 0xD503_30BF || (w & 0xFFFF_F0FF) == 0xD503_309F)
        {
            var crm = (int)((w >> 8) & 15);
            if (((w >> 5) & 7) == 4 && (crm == 0 || crm == 4)) return false; // ssbb / pssbb
            Op(o, ((w >> 5) & 7) == 5 ? "dmb" : "dsb").Append(BarrierNames[crm]);
            return true;
        }

        if ((w & 0xFFE0_001F) == 0xD420_0000)
        {
            Op(o, "brk");
            Hex(o, (w >> 5) & 0xFFFF);
            return true;
        }

        if ((w & 0xFFFF_0000) == 0)
        {
            o.Append("udf #").Append(w & 0xFFFF);
            return true;
        }

        if ((w & 0xFFFF_FFE0) == 0xD50B_7B20 || (w & 0xFFFF_FFE0) == 0xD50B_7520)
        {
            o.Append((w & 0xFFFF_FFE0) == 0xD50B_7B20 ? "dc cvau, " : "ic ivau, ");
            Reg(o, rd, true);
            return true;
        }

        if ((w & 0xFFF0_0000) == 0xD530_0000 || (w & 0xFFF0_0000) == 0xD510_0000)
        {
            var field = (w >> 5) & 0x7FFF;
            var name = SystemRegisterName(field);
            if ((w & 0xFFF0_0000) == 0xD530_0000) Op(o, "mrs").Reg(rd, true).Comma().Append(name);
            else Op(o, "msr").Append(name).Append(", ").Reg(rd, true);
            return true;
        }

        return false;
    }

    private static bool FormatLoadStore(uint w, int rt, int rn, int rm, StringBuilder o)
    {
        var size = (int)(w >> 30);
        var v = (w >> 26) & 1;
        var opc = (w >> 22) & 3;
        var unsignedOffset = ((w >> 24) & 1) != 0;
        int kindMode; // 0 unsigned offset, 1 unscaled, 2 post, 3 pre, 4 register
        if (unsignedOffset) kindMode = 0;
        else if (((w >> 21) & 1) == 0)
        {
            kindMode = ((w >> 10) & 3) switch { 0 => 1, 1 => 2, 3 => 3, _ => -1 };
            if (kindMode < 0) return false;
        }
        else
        {
            if (((w >> 10) & 3) != 2) return false;
            kindMode = 4;
        }

        string mnemonic;
        char reg;
        if (v == 0)
        {
            var suffix = size switch { 0 => "b", 1 => "h", 2 => "w", _ => "" };
            if (opc == 0 || opc == 1)
            {
                mnemonic = (opc == 0 ? "st" : "ld") + (kindMode == 1 ? "ur" : "r") + (size < 2 ? suffix : "");
                reg = size == 3 ? 'x' : 'w';
            }
            else
            {
                if (size == 3 || (size == 2 && opc == 3)) return false; // prfm and unallocated
                mnemonic = "ld" + (kindMode == 1 ? "urs" : "rs") + suffix;
                reg = opc == 2 ? 'x' : 'w';
            }
        }
        else
        {
            // SIMD&FP registers: b, h, s, d by size with opc 0x; q is size 00 with opc 1x.
            if (opc > 1 && size != 0) return false;
            mnemonic = ((opc & 1) == 0 ? "st" : "ld") + (kindMode == 1 ? "ur" : "r");
            reg = opc > 1 ? 'q' : "bhsd"[size];
            if (opc > 1) size = 4;
        }

        o.Append(mnemonic).Append(' ');
        if (rt == 31 && reg is 'w' or 'x') o.Append(reg == 'w' ? "wzr" : "xzr");
        else o.Append(reg).Append(rt);
        o.Append(", ");
        switch (kindMode)
        {
            case 0:
                AppendImmediateAddress(o, rn, (int)((w >> 10) & 0xFFF) << size, 0);
                return true;
            case 1:
            case 2:
            case 3:
            {
                var imm9 = ((int)(w << 11)) >> 23;
                AppendImmediateAddress(o, rn, imm9, kindMode == 1 ? 0 : kindMode == 2 ? 2 : 1);
                return true;
            }

            default:
            {
                var option = (int)((w >> 13) & 7);
                var s = (w >> 12) & 1;
                if ((option & 2) == 0) return false;
                o.Append('[');
                BaseReg(o, rn).Append(", ");
                Reg(o, rm, (option & 1) != 0);
                if (option == 3)
                {
                    if (s == 1) o.Append(", lsl #").Append(size);
                }
                else
                {
                    o.Append(", ").Append(ExtendName(option));
                    if (s == 1) o.Append(" #").Append(size);
                }

                o.Append(']');
                return true;
            }
        }
    }

    private static bool FormatFloat(uint w, int rd, int rn, int rm, bool sf, StringBuilder o)
    {
        var ftype = (w >> 22) & 3;
        if (ftype > 1) return false;
        var p = ftype == 0 ? 's' : 'd';
        if ((w & 0xFF20_0C00) == 0x1E20_0800)
        {
            var name = ((w >> 12) & 15) switch { 0 => "fmul", 1 => "fdiv", 2 => "fadd", 3 => "fsub", 4 => "fmax", 5 => "fmin", 6 => "fmaxnm", 7 => "fminnm", 8 => "fnmul", _ => null };
            if (name is null) return false;
            Op(o, name).Append(p).Append(rd).Append(", ").Append(p).Append(rn).Append(", ").Append(p).Append(rm);
            return true;
        }

        if ((w & 0xFF20_0C00) == 0x1E20_0C00)
        {
            Op(o, "fcsel").Append(p).Append(rd).Append(", ").Append(p).Append(rn).Append(", ").Append(p).Append(rm).Append(", ").Append(((Arm64Condition)((w >> 12) & 15)).ToAssemblyName());
            return true;
        }

        if ((w & 0xFF20_7C00) == 0x1E20_4000)
        {
            var opcode = (w >> 15) & 63;
            if (opcode is 4 or 5)
            {
                var to = opcode == 4 ? 's' : 'd';
                if (to == p) return false;
                Op(o, "fcvt").Append(to).Append(rd).Append(", ").Append(p).Append(rn);
                return true;
            }

            var name = opcode switch
            {
                0 => "fmov", 1 => "fabs", 2 => "fneg", 3 => "fsqrt", 8 => "frintn", 9 => "frintp", 10 => "frintm", 11 => "frintz",
                12 => "frinta", 14 => "frintx", 15 => "frinti", _ => null,
            };
            if (name is null) return false;
            Op(o, name).Append(p).Append(rd).Append(", ").Append(p).Append(rn);
            return true;
        }

        if ((w & 0xFF20_3C07) == 0x1E20_2000)
        {
            var opcode2 = (w >> 3) & 3;
            Op(o, (opcode2 & 2) == 0 ? "fcmp" : "fcmpe").Append(p).Append(rn).Append(", ");
            if ((opcode2 & 1) != 0)
            {
                if (rm != 0) return false;
                o.Append("#0.0");
            }
            else o.Append(p).Append(rm);
            return true;
        }

        if ((w & 0xFF20_1FE0) == 0x1E20_1000)
        {
            var value = Arm64Immediates.DecodeFloat((byte)((w >> 13) & 0xFF));
            Op(o, "fmov").Append(p).Append(rd).Append(", #").Append(value.ToString("0.000000000000000000e+00", CultureInfo.InvariantCulture));
            return true;
        }

        if ((w & 0x7F20_FC00) == 0x1E20_0000)
        {
            var rmode = (w >> 19) & 3;
            var opcode = (w >> 16) & 7;
            if (rmode == 3 && opcode <= 1)
            {
                Op(o, opcode == 0 ? "fcvtzs" : "fcvtzu").Reg(rd, sf).Comma().Append(p).Append(rn);
                return true;
            }

            if (rmode == 0 && opcode is 2 or 3)
            {
                Op(o, opcode == 2 ? "scvtf" : "ucvtf").Append(p).Append(rd).Append(", ");
                Reg(o, rn, sf);
                return true;
            }

            if (rmode == 0 && opcode is 6 or 7 && sf == (ftype == 1))
            {
                if (opcode == 6) Op(o, "fmov").Reg(rd, sf).Comma().Append(p).Append(rn);
                else Op(o, "fmov").Append(p).Append(rd).Append(", ").Reg(rn, sf);
                return true;
            }
        }

        return false;
    }

    // binutils prints orr with a zero register as mov only when neither the value nor its complement is a single
    // movz halfword (aarch64_wide_constant_p), or when the destination is sp, which movz cannot write. This is
    // not the Arm ARM's MoveWidePreferred: objdump is the reference here.
    private static bool IsWideConstant(ulong value, bool sf)
    {
        if (!sf) value &= 0xFFFF_FFFF;
        for (var shift = 0; shift < (sf ? 64 : 32); shift += 16)
        {
            if ((value & ~(0xFFFFUL << shift)) == 0) return true;
        }

        return false;
    }

    private static bool BfxPreferred(bool sf, bool unsigned, int imms, int immr)
    {
        if (imms < immr) return false;
        if (imms == (sf ? 63 : 31)) return false;
        if (immr == 0)
        {
            if (!sf && (imms == 7 || imms == 15)) return false;
            if (sf && !unsigned && (imms == 7 || imms == 15 || imms == 31)) return false;
        }

        return true;
    }

    private static string ExtendName(int option) => option switch
    {
        0 => "uxtb", 1 => "uxth", 2 => "uxtw", 3 => "uxtx", 4 => "sxtb", 5 => "sxth", 6 => "sxtw", _ => "sxtx",
    };

    private static string SystemRegisterName(uint field) => (Arm64SystemRegister)field switch
    {
        Arm64SystemRegister.Fpcr => "fpcr",
        Arm64SystemRegister.Fpsr => "fpsr",
        Arm64SystemRegister.Nzcv => "nzcv",
        Arm64SystemRegister.TpidrEl0 => "tpidr_el0",
        Arm64SystemRegister.CntvctEl0 => "cntvct_el0",
        _ => string.Create(CultureInfo.InvariantCulture, $"s{2 + (field >> 14)}_{(field >> 11) & 7}_c{(field >> 7) & 15}_c{(field >> 3) & 15}_{field & 7}"),
    };

    private static void AppendShift(StringBuilder o, int shift, int amount)
    {
        if (shift == 0 && amount == 0) return;
        o.Append(", ").Append(shift switch { 0 => "lsl", 1 => "lsr", 2 => "asr", _ => "ror" }).Append(" #").Append(amount);
    }

    // mode: 0 offset (omitted when 0), 1 pre-index, 2 post-index.
    private static void AppendImmediateAddress(StringBuilder o, int rn, int offset, int mode)
    {
        o.Append('[');
        BaseReg(o, rn);
        if (mode == 2)
        {
            o.Append("], #").Append(offset);
            return;
        }

        if (offset != 0 || mode == 1) o.Append(", #").Append(offset);
        o.Append(']');
        if (mode == 1) o.Append('!');
    }

    private static bool Three(StringBuilder o, string name, int rd, int rn, bool sf, int imm)
    {
        Op(o, name).Reg(rd, sf).Comma().Reg(rn, sf).Append(", #").Append(imm);
        return true;
    }

    private static bool Four(StringBuilder o, string name, int rd, int rn, bool sf, int a, int b)
    {
        Op(o, name).Reg(rd, sf).Comma().Reg(rn, sf).Append(", #").Append(a).Append(", #").Append(b);
        return true;
    }

    private static StringBuilder Op(StringBuilder o, string mnemonic) => o.Append(mnemonic).Append(' ');

    private static StringBuilder PairRegister(StringBuilder o, char kind, int n)
        => kind is 'w' or 'x' ? Reg(o, n, kind == 'x') : o.Append(kind).Append(n);

    private static StringBuilder BaseReg(StringBuilder o, int n) => n == 31 ? o.Append("sp") : o.Append('x').Append(n);

    private static StringBuilder Reg(this StringBuilder o, int n, bool x, bool sp = false)
    {
        if (n != 31) return o.Append(x ? 'x' : 'w').Append(n);
        return o.Append(sp ? x ? "sp" : "wsp" : x ? "xzr" : "wzr");
    }

    private static StringBuilder Comma(this StringBuilder o) => o.Append(", ");

    private static StringBuilder Target(this StringBuilder o, ulong address) => o.Append("0x").Append(address.ToString("x", CultureInfo.InvariantCulture));

    private static StringBuilder Hex(this StringBuilder o, ulong value) => o.Append("#0x").Append(value.ToString("x", CultureInfo.InvariantCulture));
}
