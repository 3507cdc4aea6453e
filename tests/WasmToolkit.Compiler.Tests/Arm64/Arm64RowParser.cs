using System;
using System.Collections.Generic;
using System.Globalization;
using WasmToolkit.Compiler.Arm64;

namespace WasmToolkit.Compiler.Tests.Arm64;

/// <summary>
/// Parses the instruction column of <c>Arm64EncodingTable.txt</c>: an <see cref="Arm64Code"/> name and operands in
/// assembler-like syntax, assigned to <see cref="Arm64Instruction"/> fields by kind and order — registers to
/// Rd, Rn, Rm, Ra (Rn, Rm for codes without a destination: compares, <c>br</c>, <c>blr</c>, <c>ret</c>); integers (<c>#</c> optional) to Immediate then Immediate2; a number with a dot to
/// FloatImmediate; <c>eq</c>… to Condition; <c>lsl #n</c>… to Shift/ShiftAmount; <c>sxtw #n</c>… to Extend/ShiftAmount;
/// <c>ish</c>… to Barrier; <c>fpcr</c>… to SystemRegister; <c>[…]</c> (with <c>!</c> or a following <c>#n</c> for
/// pre/post-index) to Memory; <c>@+8</c>/<c>@-4</c> to BranchOffset. Vector registers are written with their arrangement
/// (<c>v0.16b</c>); a lane (<c>v0.s[1]</c>) is the 128-bit arrangement of its element size and its index the next
/// immediate; a table list (<c>{v1.16b, v2.16b}</c>) is its first register.
/// </summary>
internal static class Arm64RowParser
{
    public static Arm64Instruction Parse(string text)
    {
        text = text.Trim();
        var space = text.IndexOf(' ');
        var name = space < 0 ? text : text.Substring(0, space);
        var instruction = new Arm64Instruction { Code = Enum.Parse<Arm64Code>(name, ignoreCase: false) };
        if (space < 0) return instruction;
        var operands = SplitTopLevel(text.Substring(space + 1));
        // Codes without a destination take their first register in rn (compares, register branches).
        var registers = NoDestination.Contains(instruction.Code) ? 1 : 0;
        var immediates = 0;
        for (var i = 0; i < operands.Count; i++)
        {
            var op = operands[i];
            if (op.StartsWith('['))
            {
                var preIndex = op.EndsWith('!');
                var inner = op.TrimEnd('!');
                if (!inner.EndsWith(']')) throw new FormatException($"Bad memory operand '{op}'.");
                var parts = SplitTopLevel(inner.Substring(1, inner.Length - 2));
                var baseRegister = Register(parts[0]) ?? throw new FormatException($"Bad base in '{op}'.");
                if (parts.Count == 1 && i + 1 < operands.Count && IsInteger(operands[i + 1]))
                {
                    instruction.Memory = Arm64Memory.PostIndex(baseRegister, Integer(operands[++i]));
                }
                else if (parts.Count >= 2 && Register(parts[1]) is { } index)
                {
                    var extend = Arm64Extend.Uxtx;
                    var amount = -1;
                    if (parts.Count == 3)
                    {
                        var words = parts[2].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                        extend = words[0] == "lsl" ? Arm64Extend.Uxtx : Enum.Parse<Arm64Extend>(words[0], ignoreCase: true);
                        if (words.Length > 1) amount = (int)Integer(words[1]);
                    }

                    instruction.Memory = Arm64Memory.Indexed(baseRegister, index, extend, amount);
                }
                else
                {
                    var offset = parts.Count >= 2 ? Integer(parts[1]) : 0;
                    instruction.Memory = preIndex ? Arm64Memory.PreIndex(baseRegister, offset) : Arm64Memory.At(baseRegister, offset);
                }

                continue;
            }

            if (op.StartsWith('{'))
            {
                var first = SplitTopLevel(op.Trim('{', '}'))[0];
                op = first;
            }

            if (op.StartsWith('v') && op.EndsWith(']') && op.IndexOf('[') is > 0 and var open)
            {
                var lane = Register(op.Substring(0, open)) ?? throw new FormatException($"Bad lane operand '{op}'.");
                AddRegister(ref instruction, ref registers, lane);
                var index = Integer(op.Substring(open + 1, op.Length - open - 2));
                if (immediates++ == 0) instruction.Immediate = index;
                else instruction.Immediate2 = index;
                continue;
            }

            if (op.StartsWith('@'))
            {
                instruction.BranchOffset = Integer(op.Substring(1));
                continue;
            }

            if (Register(op) is { } register)
            {
                AddRegister(ref instruction, ref registers, register);
                continue;
            }

            var firstWord = op.Split(' ')[0];
            if (firstWord is "lsl" or "lsr" or "asr" or "ror")
            {
                instruction.Shift = Enum.Parse<Arm64Shift>(firstWord, ignoreCase: true);
                instruction.ShiftAmount = (int)Integer(op.Substring(4));
                continue;
            }

            if (Enum.TryParse<Arm64Extend>(firstWord, ignoreCase: true, out var ext) && firstWord.Length == 4 && !IsInteger(firstWord))
            {
                instruction.Extend = ext;
                instruction.ShiftAmount = op.Length > 4 ? (int)Integer(op.Substring(5)) : 0;
                continue;
            }

            if (Conditions.TryGetValue(op, out var condition))
            {
                instruction.Condition = condition;
                continue;
            }

            if (Enum.TryParse<Arm64Barrier>(op, ignoreCase: true, out var barrier) && !IsInteger(op))
            {
                instruction.Barrier = barrier;
                continue;
            }

            if (SystemRegisters.TryGetValue(op, out var systemRegister))
            {
                instruction.SystemRegister = systemRegister;
                continue;
            }

            var number = op.TrimStart('#');
            if (!number.StartsWith("0x", StringComparison.Ordinal) && !number.StartsWith("-0x", StringComparison.Ordinal) && (number.Contains('.') || number.Contains('e')))
            {
                instruction.FloatImmediate = double.Parse(number, CultureInfo.InvariantCulture);
                continue;
            }

            if (immediates++ == 0) instruction.Immediate = Integer(op);
            else instruction.Immediate2 = Integer(op);
        }

        return instruction;
    }

    private static void AddRegister(ref Arm64Instruction instruction, ref int registers, Arm64Register register)
    {
        switch (registers++)
        {
            case 0: instruction.Rd = register; break;
            case 1: instruction.Rn = register; break;
            case 2: instruction.Rm = register; break;
            default: instruction.Ra = register; break;
        }
    }

    private static readonly Dictionary<string, Arm64RegisterKind> VectorArrangements = new(StringComparer.Ordinal)
    {
        ["8b"] = Arm64RegisterKind.V8B, ["16b"] = Arm64RegisterKind.V16B, ["4h"] = Arm64RegisterKind.V4H, ["8h"] = Arm64RegisterKind.V8H,
        ["2s"] = Arm64RegisterKind.V2S, ["4s"] = Arm64RegisterKind.V4S, ["2d"] = Arm64RegisterKind.V2D,
        ["b"] = Arm64RegisterKind.V16B, ["h"] = Arm64RegisterKind.V8H, ["s"] = Arm64RegisterKind.V4S, ["d"] = Arm64RegisterKind.V2D,
    };

    private static readonly HashSet<Arm64Code> NoDestination = new()
    {
        Arm64Code.Ccmn, Arm64Code.Ccmp, Arm64Code.CcmnImm, Arm64Code.CcmpImm, Arm64Code.Br, Arm64Code.Blr, Arm64Code.Ret,
        Arm64Code.Fcmp, Arm64Code.Fcmpe, Arm64Code.FcmpZero, Arm64Code.FcmpeZero,
    };

    private static readonly Dictionary<string, Arm64Condition> Conditions = new(StringComparer.Ordinal)
    {
        ["eq"] = Arm64Condition.Eq, ["ne"] = Arm64Condition.Ne, ["hs"] = Arm64Condition.Hs, ["cs"] = Arm64Condition.Hs,
        ["lo"] = Arm64Condition.Lo, ["cc"] = Arm64Condition.Lo, ["mi"] = Arm64Condition.Mi, ["pl"] = Arm64Condition.Pl,
        ["vs"] = Arm64Condition.Vs, ["vc"] = Arm64Condition.Vc, ["hi"] = Arm64Condition.Hi, ["ls"] = Arm64Condition.Ls,
        ["ge"] = Arm64Condition.Ge, ["lt"] = Arm64Condition.Lt, ["gt"] = Arm64Condition.Gt, ["le"] = Arm64Condition.Le,
        ["al"] = Arm64Condition.Al, ["nv"] = Arm64Condition.Nv,
    };

    private static readonly Dictionary<string, Arm64SystemRegister> SystemRegisters = new(StringComparer.Ordinal)
    {
        ["fpcr"] = Arm64SystemRegister.Fpcr, ["fpsr"] = Arm64SystemRegister.Fpsr, ["nzcv"] = Arm64SystemRegister.Nzcv,
        ["tpidr_el0"] = Arm64SystemRegister.TpidrEl0, ["cntvct_el0"] = Arm64SystemRegister.CntvctEl0,
    };

    private static Arm64Register? Register(string s)
    {
        switch (s)
        {
            case "sp": return Arm64Register.Sp;
            case "wsp": return Arm64Register.Wsp;
            case "xzr": return Arm64Register.Xzr;
            case "wzr": return Arm64Register.Wzr;
        }

        var dot = s.IndexOf('.');
        if (s.StartsWith('v') && dot > 1)
        {
            if (!int.TryParse(s.AsSpan(1, dot - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var v) || v > 31) return null;
            return VectorArrangements.TryGetValue(s.Substring(dot + 1), out var arrangement) ? Arm64Register.V(v, arrangement) : null;
        }

        if (s.Length < 2 || !int.TryParse(s.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > 31) return null;
        return s[0] switch
        {
            'x' when n < 31 => Arm64Register.X(n),
            'w' when n < 31 => Arm64Register.W(n),
            's' => Arm64Register.S(n),
            'd' => Arm64Register.D(n),
            'b' => Arm64Register.B(n),
            'h' => Arm64Register.H(n),
            'q' => Arm64Register.Q(n),
            _ => null,
        };
    }

    private static bool IsInteger(string s)
    {
        s = s.Trim().TrimStart('#');
        if (s.StartsWith('-') || s.StartsWith('+')) s = s.Substring(1);
        return s.Length > 0 && (char.IsDigit(s[0]) && !s.Contains('.') && !(s.Contains('e') && !s.StartsWith("0x", StringComparison.Ordinal)));
    }

    private static long Integer(string s)
    {
        s = s.Trim().TrimStart('#');
        var negative = s.StartsWith('-');
        if (negative || s.StartsWith('+')) s = s.Substring(1);
        var value = s.StartsWith("0x", StringComparison.Ordinal)
            ? (long)ulong.Parse(s.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)
            : long.Parse(s, CultureInfo.InvariantCulture);
        return negative ? -value : value;
    }

    private static List<string> SplitTopLevel(string s)
    {
        var result = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] is '[' or '{') depth++;
            else if (s[i] is ']' or '}') depth--;
            else if (s[i] == ',' && depth == 0)
            {
                result.Add(s.Substring(start, i - start).Trim());
                start = i + 1;
            }
        }

        var last = s.Substring(start).Trim();
        if (last.Length > 0) result.Add(last);
        return result;
    }
}
