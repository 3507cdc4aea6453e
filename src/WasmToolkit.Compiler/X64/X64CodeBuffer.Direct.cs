using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Iced.Intel;

namespace WasmToolkit.Compiler.X64;

/// <summary>
/// The instruction forms most of the code is made of (register, frame and memory moves, ALU operations with a register
/// or an immediate, compares, <c>lea</c>, shifts, <c>imul</c>, <c>setcc</c>, <c>cmov</c>, division, scalar SSE
/// arithmetic, <c>push</c>/<c>pop</c>/<c>ret</c>), written as bytes without building an Iced <see cref="Instruction"/>.
/// </summary>
/// <remarks>
/// <para>Why: on large-direct.wasm 2.2 of the 3.0 million instructions take these forms; building each as a 40-byte
/// Iced instruction and then looking its encoding up was the largest single cost of the compile (writing the first
/// dozen forms directly took one thread from about 270 to 225 ms).</para>
/// <para>Each form writes exactly the bytes Iced's <see cref="Assembler"/> and <see cref="Encoder"/> give for the
/// same call (the same opcode choice, the shortest displacement, no redundant prefix), so the output does not
/// change; X64DirectEncodingTests compares every form with Iced over all registers and edge-case displacements and
/// immediates. A memory operand outside what is handled here (no base, a segment, a displacement outside 32 bits)
/// goes through Iced's encoder instead.</para>
/// </remarks>
internal sealed partial class X64CodeBuffer
{
    /// <summary>ALU operations with their <c>/digit</c> in the 83/81 group and their <c>r/m, r</c> opcode (digit × 8 + 1).</summary>
    public enum Alu
    {
        Add = 0,
        Or = 1,
        And = 4,
        Sub = 5,
        Xor = 6,
        Cmp = 7,
    }

    /// <summary><c>mov dst, src</c> (<c>89 /r</c>), 64-bit when <paramref name="wide"/>.</summary>
    public void MovRegReg(int dst, int src, bool wide)
    {
        RegReg(0x89, src, dst, wide);
        Wrote(dst, wide);
    }

    /// <summary><c>op dst, src</c> (<c>01/09/21/29/31/39 /r</c>); <see cref="Alu.Cmp"/> writes only flags.</summary>
    public void AluRegReg(Alu op, int dst, int src, bool wide)
    {
        RegReg(((int)op * 8) + 1, src, dst, wide);
        if (op == Alu.Cmp) EmittedNoGeneralWrite();
        else Wrote(dst, wide);
    }

    /// <summary><c>test dst, src</c> (<c>85 /r</c>).</summary>
    public void TestRegReg(int dst, int src, bool wide)
    {
        RegReg(0x85, src, dst, wide);
        EmittedNoGeneralWrite();
    }

    /// <summary><c>mov r32, imm32</c> (<c>B8+rd id</c>), which clears the upper half.</summary>
    public void MovReg32Imm(int dst, int imm)
    {
        Drain();
        var n = OpcodePlusRegister(0xB8, dst);
        Unsafe.WriteUnaligned(ref _scratch.Buffer[_scratch.Length + n], imm);
        _scratch.Length += n + 4;
        EmittedWrite32(dst);
    }

    /// <summary>
    /// <c>op dst, imm</c> as Iced's assembler chooses: the accumulator's form (<c>05/0D/25/2D/35/3D id</c>) for rax whatever
    /// the immediate, else <c>83 /digit ib</c> when it fits a signed byte, else <c>81 /digit id</c>.
    /// </summary>
    public void AluRegImm(Alu op, int dst, int imm, bool wide)
    {
        Drain();
        ref var p = ref Reserve();
        var n = 0;
        var rex = (wide ? 0x48 : 0) | (dst >= 8 ? 0x41 : 0);
        if (rex != 0) Unsafe.Add(ref p, n++) = (byte)(rex | 0x40);
        if (dst == 0)
        {
            Unsafe.Add(ref p, n++) = (byte)(((int)op * 8) + 5);
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref p, n), imm);
            n += 4;
        }
        else if (imm is >= sbyte.MinValue and <= sbyte.MaxValue)
        {
            Unsafe.Add(ref p, n++) = 0x83;
            Unsafe.Add(ref p, n++) = (byte)(0xC0 | ((int)op << 3) | (dst & 7));
            Unsafe.Add(ref p, n++) = (byte)(sbyte)imm;
        }
        else
        {
            Unsafe.Add(ref p, n++) = 0x81;
            Unsafe.Add(ref p, n++) = (byte)(0xC0 | ((int)op << 3) | (dst & 7));
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref p, n), imm);
            n += 4;
        }

        _scratch.Length += n;
        if (op == Alu.Cmp) EmittedNoGeneralWrite();
        else Wrote(dst, wide);
    }

    /// <summary><c>mov dst, [m]</c> (<c>8B /r</c>).</summary>
    public void MovRegMem(int dst, in AssemblerMemoryOperand m, bool wide)
    {
        if (RegMem(0, wide, 0x8B, dst, m)) Wrote(dst, wide);
        else Fallback(wide ? Code.Mov_r64_rm64 : Code.Mov_r32_rm32, dst, m);
    }

    /// <summary><c>lea dst, [m]</c> (<c>8D /r</c>).</summary>
    public void LeaRegMem(int dst, in AssemblerMemoryOperand m, bool wide)
    {
        if (RegMem(0, wide, 0x8D, dst, m)) Wrote(dst, wide);
        else Fallback(wide ? Code.Lea_r64_m : Code.Lea_r32_m, dst, m);
    }

    /// <summary><c>movzx r32, byte [m]</c> (<c>0F B6 /r</c>).</summary>
    public void MovzxReg32Mem8(int dst, in AssemblerMemoryOperand m)
    {
        if (RegMem(0, false, 0x0FB6, dst, m)) EmittedWrite32(dst);
        else Fallback(Code.Movzx_r32_rm8, dst, m);
    }

    /// <summary><c>cmp reg, [m]</c> (<c>3B /r</c>).</summary>
    public void CmpRegMem(int reg, in AssemblerMemoryOperand m, bool wide)
    {
        if (RegMem(0, wide, 0x3B, reg, m)) EmittedNoGeneralWrite();
        else Fallback(wide ? Code.Cmp_r64_rm64 : Code.Cmp_r32_rm32, reg, m);
    }

    /// <summary><c>mov [m], src</c> (<c>89 /r</c>).</summary>
    public void MovMemReg(in AssemblerMemoryOperand m, int src, bool wide)
    {
        if (RegMem(0, wide, 0x89, src, m)) EmittedNoGeneralWrite();
        else Fallback(wide ? Code.Mov_rm64_r64 : Code.Mov_rm32_r32, src, m);
    }

    /// <summary><c>mov qword/dword [m], imm32</c> (<c>C7 /0 id</c>, sign-extended when <paramref name="wide"/>).</summary>
    public void MovMemImm(in AssemblerMemoryOperand m, int imm, bool wide)
    {
        if (RegMem(0, wide, 0xC7, 0, m, 4))
        {
            Unsafe.WriteUnaligned(ref _scratch.Buffer[_scratch.Length - 4], imm);
        }
        else
        {
            var ins = Instruction.Create(wide ? Code.Mov_rm64_imm32 : Code.Mov_rm32_imm32, Memory(m), imm);
            Append(ref ins);
            return;
        }

        EmittedNoGeneralWrite();
    }

    /// <summary><c>movsd/movss xmm, [m]</c> (<c>F2/F3 0F 10 /r</c>).</summary>
    public void LoadFloat(int xmm, in AssemblerMemoryOperand m, bool wide)
    {
        if (!RegMem(wide ? (byte)0xF2 : (byte)0xF3, false, 0x0F10, xmm, m))
        {
            var ins = Instruction.Create(wide ? Code.Movsd_xmm_xmmm64 : Code.Movss_xmm_xmmm32, Register.XMM0 + xmm, Memory(m));
            Append(ref ins);
            return;
        }

        EmittedNoGeneralWrite();
    }

    /// <summary><c>movsd/movss [m], xmm</c> (<c>F2/F3 0F 11 /r</c>).</summary>
    public void StoreFloat(in AssemblerMemoryOperand m, int xmm, bool wide)
    {
        if (!RegMem(wide ? (byte)0xF2 : (byte)0xF3, false, 0x0F11, xmm, m))
        {
            var ins = Instruction.Create(wide ? Code.Movsd_xmmm64_xmm : Code.Movss_xmmm32_xmm, Memory(m), Register.XMM0 + xmm);
            Append(ref ins);
            return;
        }

        EmittedNoGeneralWrite();
    }

    /// <summary>Shifts and rotates by a constant, with their <c>/digit</c> in the C1 group.</summary>
    public enum Shift
    {
        Rol = 0,
        Ror = 1,
        Shl = 4,
        Shr = 5,
        Sar = 7,
    }

    /// <summary>
    /// <c>op dst, count</c>: <c>D1 /digit</c> for a count of 1, else <c>C1 /digit ib</c>, as Iced's assembler chooses. A
    /// count of 0 (mod 32) leaves the register alone, so it is not a write that zero-extends.
    /// </summary>
    public void ShiftRegImm(Shift op, int dst, byte count, bool wide)
    {
        Drain();
        ref var p = ref Reserve();
        var n = 0;
        var rex = (wide ? 0x08 : 0) | ((dst & 8) >> 3);
        if (rex != 0) Unsafe.Add(ref p, n++) = (byte)(0x40 | rex);
        Unsafe.Add(ref p, n++) = count == 1 ? (byte)0xD1 : (byte)0xC1;
        Unsafe.Add(ref p, n++) = (byte)(0xC0 | ((int)op << 3) | (dst & 7));
        if (count != 1) Unsafe.Add(ref p, n++) = count;
        _scratch.Length += n;
        if ((count & 31) != 0) Wrote(dst, wide);
        else EmittedUnknown();
    }

    /// <summary><c>imul dst, src, imm</c>: <c>6B /r ib</c> when the immediate fits a signed byte, else <c>69 /r id</c>.</summary>
    public void ImulRegRegImm(int dst, int src, int imm, bool wide)
    {
        var small = imm is >= sbyte.MinValue and <= sbyte.MaxValue;
        RegReg(small ? 0x6B : 0x69, dst, src, wide);
        ref var p = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_scratch.Buffer), _scratch.Length);
        if (small)
        {
            p = (byte)(sbyte)imm;
            _scratch.Length += 1;
        }
        else
        {
            Unsafe.WriteUnaligned(ref p, imm);
            _scratch.Length += 4;
        }

        Wrote(dst, wide);
    }

    /// <summary><c>imul dst, src</c> (<c>0F AF /r</c>).</summary>
    public void ImulRegReg(int dst, int src, bool wide)
    {
        RegReg(0x0FAF, dst, src, wide);
        Wrote(dst, wide);
    }

    /// <summary><c>setcc r8</c> (<c>0F 90+cc /0</c>; a REX prefix for spl, bpl, sil and dil).</summary>
    public void SetCc(ConditionCode condition, int dst)
    {
        if (condition is ConditionCode.None or > ConditionCode.g) throw new ArgumentOutOfRangeException(nameof(condition));
        RegReg(0x0F90 + (int)condition - 1, 0, dst, false, dst is >= 4 and < 8);
        EmittedUnknown();
    }

    /// <summary><c>movzx r32, r8</c> (<c>0F B6 /r</c>; a REX prefix for spl, bpl, sil and dil as the source).</summary>
    public void MovzxReg32Reg8(int dst, int src)
    {
        RegReg(0x0FB6, dst, src, false, src is >= 4 and < 8);
        EmittedWrite32(dst);
    }

    /// <summary><c>movd/movq xmm, r32/r64</c> (<c>66 [REX.W] 0F 6E /r</c>).</summary>
    public void MovXmmGeneral(int xmm, int src, bool wide)
    {
        RegReg(0x0F6E, xmm, src, wide, prefix: 0x66);
        EmittedNoGeneralWrite();
    }

    /// <summary><c>mov r64, imm64</c> (<c>REX.W B8+r io</c>), the form Iced's assembler takes for a 64-bit immediate.</summary>
    public void MovReg64Imm(int dst, long imm)
    {
        Drain();
        ref var p = ref Reserve();
        p = (byte)(0x48 | ((dst & 8) >> 3));
        Unsafe.Add(ref p, 1) = (byte)(0xB8 + (dst & 7));
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref p, 2), imm);
        _scratch.Length += 10;
        EmittedWriteOther(dst);
    }

    /// <summary><c>op dst, cl</c> (<c>D3 /digit</c>); a count of 0 leaves the register alone, so what it wrote is not known.</summary>
    public void ShiftRegCl(Shift op, int dst, bool wide)
    {
        RegReg(0xD3, (int)op, dst, wide);
        EmittedUnknown();
    }

    /// <summary><c>cmovcc dst, src</c> (<c>0F 40+cc /r</c>).</summary>
    public void CMov(ConditionCode condition, int dst, int src, bool wide)
    {
        if (condition is ConditionCode.None or > ConditionCode.g) throw new ArgumentOutOfRangeException(nameof(condition));
        RegReg(0x0F40 + (int)condition - 1, dst, src, wide);
        EmittedUnknown();
    }

    /// <summary><c>cdq</c> or, when <paramref name="wide"/>, <c>cqo</c> (<c>[REX.W] 99</c>): rdx = the sign of rax.</summary>
    public void SignExtendRaxIntoRdx(bool wide)
    {
        Drain();
        ref var p = ref Reserve();
        var n = 0;
        if (wide) Unsafe.Add(ref p, n++) = 0x48;
        Unsafe.Add(ref p, n++) = 0x99;
        _scratch.Length += n;
        EmittedUnknown();
    }

    /// <summary><c>idiv</c> or <c>div</c> by <paramref name="divisor"/> (<c>F7 /7</c>, <c>F7 /6</c>).</summary>
    public void Divide(bool signed, int divisor, bool wide)
    {
        RegReg(0xF7, signed ? 7 : 6, divisor, wide);
        EmittedUnknown();
    }

    /// <summary><c>push r64</c> (<c>50+r</c>).</summary>
    public void Push(int register)
    {
        Drain();
        _scratch.Length += OpcodePlusRegister(0x50, register);
        EmittedUnknown();
    }

    /// <summary><c>pop r64</c> (<c>58+r</c>).</summary>
    public void Pop(int register)
    {
        Drain();
        _scratch.Length += OpcodePlusRegister(0x58, register);
        EmittedUnknown();
    }

    /// <summary><c>ret</c> (<c>C3</c>).</summary>
    public void Ret()
    {
        Drain();
        Reserve() = 0xC3;
        _scratch.Length++;
        EmittedUnknown();
    }

    /// <summary>Writes <c>[REX.B] opcode+r</c> at the end of the run without advancing it; returns its length.</summary>
    private int OpcodePlusRegister(byte opcode, int register)
    {
        ref var p = ref Reserve();
        var n = 0;
        if (register >= 8) Unsafe.Add(ref p, n++) = 0x41;
        Unsafe.Add(ref p, n++) = (byte)(opcode + (register & 7));
        return n;
    }

    /// <summary>Scalar SSE operations between two xmm registers: mandatory prefix (0 for none) and the byte after <c>0F</c>.</summary>
    public enum Sse
    {
        Addss = 0xF358,
        Addsd = 0xF258,
        Subss = 0xF35C,
        Subsd = 0xF25C,
        Mulss = 0xF359,
        Mulsd = 0xF259,
        Divss = 0xF35E,
        Divsd = 0xF25E,
        Ucomiss = 0x002E,
        Ucomisd = 0x662E,
        Movaps = 0x0028,
        Xorps = 0x0057,
    }

    /// <summary><c>op dst, src</c> on xmm registers (<c>[prefix] [REX] 0F op /r</c>); writes no general register.</summary>
    public void SseRegReg(Sse op, int dst, int src)
    {
        RegReg(0x0F00 | ((int)op & 0xFF), dst, src, false, prefix: (byte)((int)op >> 8));
        EmittedNoGeneralWrite();
    }

    private void Wrote(int register, bool wide)
    {
        if (wide) EmittedWriteOther(register);
        else EmittedWrite32(register);
    }

    /// <summary>At least 16 writable bytes at the end of the scratch buffer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref byte Reserve()
    {
        _scratch.EnsureSlack(16);
        return ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_scratch.Buffer), _scratch.Length);
    }

    /// <summary>
    /// <c>[prefix] [REX] opcode modrm</c> with both operands registers: <paramref name="reg"/> in the reg field,
    /// <paramref name="rm"/> in r/m (a two-byte <paramref name="opcode"/> is <c>0F xx</c>); <paramref name="forceRex"/>
    /// for the byte registers spl, bpl, sil and dil, which need a REX prefix even without its bits.
    /// </summary>
    private void RegReg(int opcode, int reg, int rm, bool wide, bool forceRex = false, byte prefix = 0)
    {
        Drain();
        ref var p = ref Reserve();
        var n = 0;
        if (prefix != 0) Unsafe.Add(ref p, n++) = prefix;
        var rex = (wide ? 0x08 : 0) | ((reg & 8) >> 1) | ((rm & 8) >> 3);
        if (rex != 0 || forceRex) Unsafe.Add(ref p, n++) = (byte)(0x40 | rex);
        if (opcode > 0xFF) Unsafe.Add(ref p, n++) = (byte)(opcode >> 8);
        Unsafe.Add(ref p, n++) = (byte)opcode;
        Unsafe.Add(ref p, n++) = (byte)(0xC0 | ((reg & 7) << 3) | (rm & 7));
        _scratch.Length += n;
    }

    /// <summary>
    /// <c>[prefix] [REX] opcode modrm [sib] [disp] [imm]</c> with <paramref name="reg"/> in the reg field and memory
    /// <paramref name="m"/>, leaving <paramref name="immediateBytes"/> bytes after it for the caller; false (nothing
    /// written) when the operand is not a plain <c>[base + index * scale + disp32]</c>. A two-byte
    /// <paramref name="opcode"/> is <c>0F xx</c>.
    /// </summary>
    private bool RegMem(byte prefix, bool wide, int opcode, int reg, in AssemblerMemoryOperand m, int immediateBytes = 0)
    {
        var baseRegister = m.Base;
        var indexRegister = m.Index;
        var displacement = m.Displacement;
        if (!baseRegister.IsGPR64() || (indexRegister != Register.None && (!indexRegister.IsGPR64() || indexRegister == Register.RSP))
            || m.Segment != Register.None || displacement != (int)displacement)
        {
            return false;
        }

        Drain();
        var b = baseRegister - Register.RAX;
        var x = indexRegister == Register.None ? -1 : indexRegister - Register.RAX;
        ref var p = ref Reserve();
        var n = 0;
        if (prefix != 0) Unsafe.Add(ref p, n++) = prefix;
        var rex = (wide ? 0x08 : 0) | ((reg & 8) >> 1) | (x >= 0 ? (x & 8) >> 2 : 0) | ((b & 8) >> 3);
        if (rex != 0) Unsafe.Add(ref p, n++) = (byte)(0x40 | rex);
        if (opcode > 0xFF) Unsafe.Add(ref p, n++) = (byte)(opcode >> 8);
        Unsafe.Add(ref p, n++) = (byte)opcode;

        // mod 00 has no displacement, except that base rbp/r13 there means something else: those take a zero disp8.
        var disp = (int)displacement;
        var mod = disp == 0 && (b & 7) != 5 ? 0 : disp is >= sbyte.MinValue and <= sbyte.MaxValue ? 1 : 2;
        if (x < 0 && (b & 7) != 4)
        {
            Unsafe.Add(ref p, n++) = (byte)((mod << 6) | ((reg & 7) << 3) | (b & 7));
        }
        else
        {
            // A SIB byte: for an index, and for base rsp/r12 (whose r/m code means "SIB follows"), index 100 = none.
            var scale = m.Scale switch { 1 => 0, 2 => 1, 4 => 2, 8 => 3, _ => -1 };
            if (scale < 0) return false;
            Unsafe.Add(ref p, n++) = (byte)((mod << 6) | ((reg & 7) << 3) | 4);
            Unsafe.Add(ref p, n++) = (byte)((scale << 6) | ((x < 0 ? 4 : x & 7) << 3) | (b & 7));
        }

        if (mod == 1)
        {
            Unsafe.Add(ref p, n++) = (byte)(sbyte)disp;
        }
        else if (mod == 2)
        {
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref p, n), disp);
            n += 4;
        }

        _scratch.Length += n + immediateBytes;
        return true;
    }

    /// <summary>
    /// The form <paramref name="code"/> with general register <paramref name="reg"/> and memory <paramref name="m"/> through
    /// Iced's encoder (operand order from the code), for an operand <see cref="RegMem"/> does not take; counted as an
    /// assembler instruction.
    /// </summary>
    private void Fallback(Code code, int reg, in AssemblerMemoryOperand m)
    {
        var op = code.ToOpCode();
        var register = (op.Op0Kind is OpCodeOperandKind.r64_reg or OpCodeOperandKind.r64_rm ? Register.RAX : Register.EAX) + reg;
        if (op.Op0Kind is OpCodeOperandKind.r64_reg or OpCodeOperandKind.r32_reg)
        {
            var ins = Instruction.Create(code, register, Memory(m));
            Append(ref ins);
        }
        else
        {
            var ins = Instruction.Create(code, Memory(m), (op.Op1Kind == OpCodeOperandKind.r64_reg ? Register.RAX : Register.EAX) + reg);
            Append(ref ins);
        }
    }

    private static MemoryOperand Memory(in AssemblerMemoryOperand m) => m.ToMemoryOperand(64);
}
