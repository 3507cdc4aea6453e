using System.Text;

namespace WasmToolkit.Compiler.Arm64;

// The Advanced SIMD vector classes the backend emits (Arm ARM C4.1.99), printed as objdump does: arrangements as
// v0.16b, lanes as v0.s[1], tables in braces, and its aliases (mov for orr of one register, ins and the s/d umov;
// mvn for not; sxtl/uxtl for a shift-long by 0).
public static partial class Arm64Disassembler
{
    private static readonly string[] Arrangements = { "8b", "16b", "4h", "8h", "2s", "4s", "1d", "2d" };

    private static bool TryFormatSimd(uint w, int rd, int rn, int rm, StringBuilder o)
    {
        var q = (int)((w >> 30) & 1);
        var u = (w >> 29) & 1;
        var size = (int)((w >> 22) & 3);

        // Three same: 0 Q U 01110 size 1 Rm opcode 1 Rn Rd.
        if ((w & 0x9F20_0400) == 0x0E20_0400)
        {
            var opcode = (w >> 11) & 31;
            if (opcode == 0b00011)
            {
                var name = (u << 2 | (uint)size) switch { 0 => "and", 1 => "bic", 2 => "orr", 3 => "orn", 4 => "eor", 5 => "bsl", 6 => "bit", _ => "bif" };
                var t = q == 0 ? "8b" : "16b";
                if (name == "orr" && rn == rm) return Written(Vectors(o, "mov", t, rd, rn));
                return Written(Vectors(o, name, t, rd, rn, rm));
            }

            if (opcode >= 0b11000)
            {
                var a = size >> 1;
                var name = (opcode, u, a) switch
                {
                    (0b11010, 0, 0) => "fadd",
                    (0b11010, 0, 1) => "fsub",
                    (0b11011, 1, 0) => "fmul",
                    (0b11111, 1, 0) => "fdiv",
                    (0b11110, 0, 0) => "fmax",
                    (0b11110, 0, 1) => "fmin",
                    (0b11100, 0, 0) => "fcmeq",
                    (0b11100, 1, 0) => "fcmge",
                    (0b11100, 1, 1) => "fcmgt",
                    _ => null,
                };
                var t = FloatArrangement(q, size & 1);
                if (name is null || t is null) return false;
                return Written(Vectors(o, name, t, rd, rn, rm));
            }

            var integer = (u, opcode) switch
            {
                (0, 0b10000) => "add",
                (1, 0b10000) => "sub",
                (0, 0b10011) => "mul",
                (1, 0b10001) => "cmeq",
                (0, 0b00110) => "cmgt",
                (0, 0b00111) => "cmge",
                (1, 0b00110) => "cmhi",
                (1, 0b00111) => "cmhs",
                (0, 0b01100) => "smax",
                (0, 0b01101) => "smin",
                (1, 0b01100) => "umax",
                (1, 0b01101) => "umin",
                (0, 0b00001) => "sqadd",
                (1, 0b00001) => "uqadd",
                (0, 0b00101) => "sqsub",
                (1, 0b00101) => "uqsub",
                (1, 0b00010) => "urhadd",
                (0, 0b01000) => "sshl",
                (1, 0b01000) => "ushl",
                (1, 0b10110) => "sqrdmulh",
                (0, 0b10111) => "addp",
                _ => null,
            };
            if (integer is null || (size == 3 && q == 0)) return false;
            if (size == 3 && integer is "mul" or "smax" or "smin" or "umax" or "umin" or "urhadd") return false;
            if (integer == "sqrdmulh" && size is 0 or 3) return false;
            return Written(Vectors(o, integer, Arrangements[(size * 2) + q], rd, rn, rm));
        }

        // Two-register miscellaneous: 0 Q U 01110 size 10000 opcode 10 Rn Rd.
        if ((w & 0x9F3E_0C00) == 0x0E20_0800)
        {
            var opcode = (w >> 12) & 31;
            var t = Arrangements[(size * 2) + q];
            switch (u, opcode)
            {
                case (0, 0b00101) when size == 0: return Written(Vectors(o, "cnt", t, rd, rn));
                case (1, 0b00101) when size == 0: return Written(Vectors(o, "mvn", t, rd, rn));
                case (0, 0b01011) when size != 3 || q == 1: return Written(Vectors(o, "abs", t, rd, rn));
                case (1, 0b01011) when size != 3 || q == 1: return Written(Vectors(o, "neg", t, rd, rn));
                case (0, 0b01001) when size != 3 || q == 1:
                    Vectors(o, "cmeq", t, rd, rn).Append(", #0");
                    return true;
                case (_, 0b00010) when size != 3:
                    Op(o, u == 0 ? "saddlp" : "uaddlp").V(rd, Arrangements[((size + 1) * 2) + q]).Comma().V(rn, t);
                    return true;
                case (_, 0b10010) when size != 3:
                case (_, 0b10100) when size != 3:
                {
                    var name = (u, opcode) switch { (0, 0b10010) => "xtn", (0, _) => "sqxtn", (1, 0b10010) => "sqxtun", _ => "uqxtn" };
                    Op(o, q == 1 ? name + "2" : name).V(rd, t).Comma().V(rn, Arrangements[((size + 1) * 2) + 1]);
                    return true;
                }

                case (0, 0b10110) when size == 1:
                    Op(o, q == 1 ? "fcvtn2" : "fcvtn").V(rd, q == 1 ? "4s" : "2s").Comma().V(rn, "2d");
                    return true;
                case (0, 0b10111) when size == 1:
                    Op(o, q == 1 ? "fcvtl2" : "fcvtl").V(rd, "2d").Comma().V(rn, q == 1 ? "4s" : "2s");
                    return true;
            }

            var a = size >> 1;
            var floatName = (u, opcode, a) switch
            {
                (0, 0b01111, 1) => "fabs",
                (1, 0b01111, 1) => "fneg",
                (1, 0b11111, 1) => "fsqrt",
                (0, 0b11000, 0) => "frintn",
                (0, 0b11001, 0) => "frintm",
                (0, 0b11000, 1) => "frintp",
                (0, 0b11001, 1) => "frintz",
                (0, 0b11011, 1) => "fcvtzs",
                (1, 0b11011, 1) => "fcvtzu",
                (0, 0b11101, 0) => "scvtf",
                (1, 0b11101, 0) => "ucvtf",
                _ => null,
            };
            var ft = FloatArrangement(q, size & 1);
            if (floatName is null || ft is null) return false;
            return Written(Vectors(o, floatName, ft, rd, rn));
        }

        // Across lanes: 0 Q U 01110 size 11000 opcode 10 Rn Rd.
        if ((w & 0x9F3E_0C00) == 0x0E30_0800)
        {
            var opcode = (w >> 12) & 31;
            var name = (u, opcode) switch { (0, 0b11011) => "addv", (1, 0b01010) => "umaxv", (1, 0b11010) => "uminv", _ => null };
            if (name is null || size == 3 || (size == 2 && q == 0)) return false;
            Op(o, name).Append("bhs"[size]).Append(rd).Comma().V(rn, Arrangements[(size * 2) + q]);
            return true;
        }

        // Copy: 0 Q op 01110000 imm5 0 imm4 1 Rn Rd.
        if ((w & 0x9FE0_8400) == 0x0E00_0400)
        {
            var imm5 = (int)((w >> 16) & 31);
            var imm4 = (int)((w >> 11) & 15);
            var lane = imm5 & -imm5;
            if (lane == 0 || lane > 8) return false;
            var esize = lane switch { 1 => 0, 2 => 1, 4 => 2, _ => 3 };
            var index = imm5 >> (esize + 1);
            var e = "bhsd"[esize];
            if (u == 1)
            {
                if (q == 0) return false;
                Op(o, "mov").Lane(rd, e, index).Comma().Lane(rn, e, imm4 >> esize);
                return true;
            }

            switch (imm4)
            {
                case 0b0000 when esize != 3 || q == 1:
                    Op(o, "dup").V(rd, Arrangements[(esize * 2) + q]).Comma().Lane(rn, e, index);
                    return true;
                case 0b0001 when esize != 3 || q == 1:
                    Op(o, "dup").V(rd, Arrangements[(esize * 2) + q]).Comma().Reg(rn, esize == 3);
                    return true;
                case 0b0101 when esize < 2 + q:
                    Op(o, "smov").Reg(rd, q == 1).Comma().Lane(rn, e, index);
                    return true;
                case 0b0111 when (esize == 3) == (q == 1):
                    Op(o, esize >= 2 ? "mov" : "umov").Reg(rd, q == 1).Comma().Lane(rn, e, index);
                    return true;
                case 0b0011 when q == 1:
                    Op(o, "mov").Lane(rd, e, index).Comma().Reg(rn, esize == 3);
                    return true;
                default:
                    return false;
            }
        }

        // Shift by immediate: 0 Q U 011110 immh immb opcode 1 Rn Rd (immh = 0 is the modified-immediate class).
        if ((w & 0x9F80_0400) == 0x0F00_0400 && ((w >> 19) & 15) != 0)
        {
            var immh = (int)((w >> 19) & 15);
            var immhb = (int)((w >> 16) & 127);
            var esize = immh >= 8 ? 3 : immh >= 4 ? 2 : immh >= 2 ? 1 : 0;
            var bits = 8 << esize;
            var opcode = (w >> 11) & 31;
            var t = Arrangements[(esize * 2) + q];
            if (opcode == 0b10100)
            {
                if (esize == 3) return false;
                var shift = immhb - bits;
                var wide = Arrangements[((esize + 1) * 2) + 1];
                var name = shift == 0 ? u == 0 ? "sxtl" : "uxtl" : u == 0 ? "sshll" : "ushll";
                Op(o, q == 1 ? name + "2" : name).V(rd, wide).Comma().V(rn, t);
                if (shift != 0) o.Append(", #").Append(shift);
                return true;
            }

            if (esize == 3 && q == 0) return false;
            if (opcode == 0b01010 && u == 0)
            {
                Vectors(o, "shl", t, rd, rn).Append(", #").Append(immhb - bits);
                return true;
            }

            if (opcode == 0)
            {
                Vectors(o, u == 0 ? "sshr" : "ushr", t, rd, rn).Append(", #").Append((2 * bits) - immhb);
                return true;
            }

            return false;
        }

        // Three different: 0 Q U 01110 size 1 Rm opcode 00 Rn Rd (the multiply-long forms).
        if ((w & 0x9F20_FC00) == 0x0E20_C000 && size != 3)
        {
            var name = u == 0 ? "smull" : "umull";
            var narrow = Arrangements[(size * 2) + q];
            Op(o, q == 1 ? name + "2" : name).V(rd, Arrangements[((size + 1) * 2) + 1]).Comma().V(rn, narrow).Comma().V(rm, narrow);
            return true;
        }

        // Table lookup: 0 Q 001110 000 Rm 0 len op 00 Rn Rd.
        if ((w & 0xBFE0_9C00) == 0x0E00_0000)
        {
            var t = q == 0 ? "8b" : "16b";
            var count = (int)((w >> 13) & 3) + 1;
            Op(o, "tbl").V(rd, t).Append(", {");
            for (var k = 0; k < count; k++)
            {
                if (k > 0) o.Append(", ");
                o.V((rn + k) & 31, "16b");
            }

            o.Append("}, ").V(rm, t);
            return true;
        }

        return false;
    }

    private static string? FloatArrangement(int q, int sz) => (q, sz) switch { (0, 0) => "2s", (1, 0) => "4s", (1, 1) => "2d", _ => null };

    private static StringBuilder Vectors(StringBuilder o, string name, string arrangement, int rd, int rn)
        => Op(o, name).V(rd, arrangement).Comma().V(rn, arrangement);

    private static StringBuilder Vectors(StringBuilder o, string name, string arrangement, int rd, int rn, int rm)
        => Op(o, name).V(rd, arrangement).Comma().V(rn, arrangement).Comma().V(rm, arrangement);

    /// <summary>True, after the text was written (so a decoded case can be one return statement).</summary>
    private static bool Written(StringBuilder _) => true;

    private static StringBuilder V(this StringBuilder o, int n, string arrangement) => o.Append('v').Append(n).Append('.').Append(arrangement);

    private static StringBuilder Lane(this StringBuilder o, int n, char element, int index) => o.Append('v').Append(n).Append('.').Append(element).Append('[').Append(index).Append(']');
}
