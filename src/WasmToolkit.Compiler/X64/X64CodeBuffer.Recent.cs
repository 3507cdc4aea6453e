using Iced.Intel;

namespace WasmToolkit.Compiler.X64;

/// <summary>
/// What the last few instructions did to the general registers, for <see cref="JustWroteZeroExtended"/>. Every instruction
/// is counted through one of the <c>Emitted*</c> methods: an assembler instruction is kept as it is and looked at only
/// when asked, a directly written one says what it wrote.
/// </summary>
internal sealed partial class X64CodeBuffer
{
    /// <summary>How far back <see cref="JustWroteZeroExtended"/> looks for the instruction that wrote the register.</summary>
    private const int LookBack = 16;

    private const byte FromAssembler = 0, NoGeneralWrite = 1, Unknown = 2, Wrote32 = 3, WroteOther = 4;

    private readonly Instruction[] _recentInstruction = new Instruction[LookBack];
    private readonly byte[] _recentKind = new byte[LookBack];
    private readonly byte[] _recentRegister = new byte[LookBack];

    /// <summary>The instruction count when the last label was bound: nothing before it is known on every path.</summary>
    private int _labelAt = -1;

    private void ResetRecent() => _labelAt = -1;

    private void LabelBound() => _labelAt = _count;

    private void EmittedFromAssembler(in Instruction ins)
    {
        var i = _count++ & (LookBack - 1);
        _recentInstruction[i] = ins;
        _recentKind[i] = FromAssembler;
    }

    /// <summary>Counts an instruction that writes no general register (a store, a compare, a float operation, a conditional branch).</summary>
    private void EmittedNoGeneralWrite() => _recentKind[_count++ & (LookBack - 1)] = NoGeneralWrite;

    /// <summary>Counts an instruction whose effect on the general registers is not described (a call, a jump, anything else).</summary>
    private void EmittedUnknown() => _recentKind[_count++ & (LookBack - 1)] = Unknown;

    /// <summary>Counts an instruction that writes the 32-bit form of general register <paramref name="register"/> (clearing its upper half) and nothing else but flags.</summary>
    private void EmittedWrite32(int register) => Emitted(Wrote32, register);

    /// <summary>Counts an instruction that writes general register <paramref name="register"/> (not its 32-bit form) and nothing else but flags.</summary>
    private void EmittedWriteOther(int register) => Emitted(WroteOther, register);

    private void Emitted(byte kind, int register)
    {
        var i = _count++ & (LookBack - 1);
        _recentKind[i] = kind;
        _recentRegister[i] = (byte)register;
    }

    /// <summary>
    /// Whether one of the last few instructions emitted, with no label after it, wrote the 32-bit form of general register
    /// <paramref name="register"/> (which clears the upper half in 64-bit mode) and none since wrote it at all: a fact about
    /// these very instructions, not about how i32 values are kept in general. Only instructions whose effect on the
    /// general registers is known are crossed; anything else ends the search with false.
    /// </summary>
    public bool JustWroteZeroExtended(int register)
    {
        Drain();
        var full = Register.RAX + register;
        var stop = System.Math.Max(_labelAt, _count - LookBack);
        for (var n = _count - 1; n >= stop; n--)
        {
            var i = n & (LookBack - 1);
            switch (_recentKind[i])
            {
                case NoGeneralWrite:
                    continue;
                case Unknown:
                    return false;
                case Wrote32:
                case WroteOther:
                    if (_recentRegister[i] != register) continue;
                    return _recentKind[i] == Wrote32;
            }

            ref var ins = ref _recentInstruction[i];
            if (ins.Op0Kind == OpKind.Register && ins.Op0Register.IsGPR())
            {
                if (ins.Mnemonic is Mnemonic.Cmp or Mnemonic.Test) continue;
                if (!WritesOnlyItsFirstOperand(ins)) return false;
                if (ins.Op0Register.GetFullRegister() != full) continue;
                return ins.Op0Register == Register.EAX + register;
            }

            // Float instructions write an xmm register (or only flags); stores and compares with memory write no
            // register.
            var crosses = (ins.Op0Kind == OpKind.Register && ins.Op0Register.IsXMM() && ins.Mnemonic is not (Mnemonic.Pcmpistri or Mnemonic.Pcmpestri))
                || (ins.Op0Kind == OpKind.Memory && ins.Mnemonic is Mnemonic.Mov or Mnemonic.Movsd or Mnemonic.Movss or Mnemonic.Movq or Mnemonic.Movd or Mnemonic.Cmp or Mnemonic.Test);
            if (!crosses) return false;
        }

        return false;
    }

    /// <summary>
    /// Instructions with a general register first operand that write that register and nothing else (besides flags);
    /// a shift by cl is not one (it leaves its operand alone when the count is 0), nor the one-operand imul.
    /// </summary>
    private static bool WritesOnlyItsFirstOperand(in Instruction ins) => ins.Mnemonic switch
    {
        Mnemonic.Mov or Mnemonic.Movzx or Mnemonic.Movsx or Mnemonic.Movsxd or Mnemonic.Lea or Mnemonic.Add or Mnemonic.Sub
            or Mnemonic.And or Mnemonic.Or or Mnemonic.Xor or Mnemonic.Neg or Mnemonic.Not or Mnemonic.Popcnt or Mnemonic.Lzcnt
            or Mnemonic.Tzcnt => true,
        Mnemonic.Imul => ins.OpCount >= 2,
        Mnemonic.Shl or Mnemonic.Shr or Mnemonic.Sar or Mnemonic.Rol or Mnemonic.Ror => ins.Op1Kind == OpKind.Immediate8 && (ins.Immediate8 & 31) != 0,
        _ => false,
    };
}
