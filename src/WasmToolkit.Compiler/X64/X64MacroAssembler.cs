using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Iced.Intel;
using WasmToolkit.Compiler.Baseline;
using static Iced.Intel.AssemblerRegisters;

namespace WasmToolkit.Compiler.X64;

/// <summary>
/// <see cref="IMacroAssembler"/> for x64 over Iced's <see cref="Assembler"/> (Winch <c>isa/x64/masm.rs</c>).
/// </summary>
/// <remarks>
/// Registers: r15 holds the context (only calls through a function reference change it, and they put it
/// back), r14 the per-thread execution state (never written by wasm code), rbp the frame pointer; r10 and
/// r11 are this class's scratch registers; rax, rcx, rdx, rbx, rsi, rdi, r8, r9, r12, r13 are allocatable.
/// Internal calling convention: the caller reserves max(params, results) slots (the bottom of its frame, sized
/// for its largest call), stores argument i at [rsp + 8i] and calls; the callee finds it at [rbp + 16 + 8i]; a single result comes back in rax,
/// several in those slots (result j at [rsp + 8j] after the call); every allocatable register is caller-saved.
/// The stack pointer is 16-byte aligned after every prologue and at every call.
/// </remarks>
[SkipLocalsInit] // Iced's operand structs made every method zero its frame on entry; nothing here reads a local before writing it.
internal sealed partial class X64MacroAssembler : IMacroAssembler
{
    public const int Rax = 0, Rcx = 1, Rdx = 2, Rbx = 3, Rsp = 4, Rbp = 5, Rsi = 6, Rdi = 7, R8 = 8, R9 = 9, R10 = 10, R11 = 11, R12 = 12, R13 = 13, R14 = 14, R15 = 15;

    /// <summary>Placeholder frame size, large enough to force the imm32 form of <c>sub rsp, imm</c>; patched in <see cref="Finish"/>.</summary>
    private const int FramePlaceholder = 0x7FFF0000;

    private readonly Assembler _asm = new(64);
        private readonly List<(int Label, RelocationKind Kind, int Target)> _calls = new();
    private readonly List<(int Label, int WasmOffset, TrapKind Kind)> _traps = new();
    private readonly List<(int Label, int WasmOffset)> _callSites = new();

    /// <summary>Labels placed just after calls through a function reference (the label is the return address).</summary>
    private readonly List<(int Label, int WasmOffset)> _indirectCallSites = new();
    private readonly X64Features _features;
    private VmContextLayout _layout;

    /// <summary>The function's code as it is emitted (drains <see cref="_asm"/>'s instructions); kept across <see cref="Reset"/>.</summary>
    private readonly X64CodeBuffer _code;
    private int _frameSizeLabel;
    private bool _hasFrame;
    private int _frameSlots;

    /// <summary>Bytes of the largest outgoing-argument area a call in this function needs; part of the frame (see <see cref="ReserveOutgoing"/>).</summary>
    private int _outgoingBytes;

    public X64MacroAssembler(X64Features features, VmContextLayout layout)
    {
        _features = features;
        _layout = layout;
        _code = new X64CodeBuffer(_asm);
    }

    /// <summary>The module's context layout the code addresses (set again when a pooled worker compiles another module).</summary>
    internal VmContextLayout Layout
    {
        set => _layout = value;
    }

    /// <summary>Keeps one chunk of finished-code memory at most, for a worker kept between compilations.</summary>
    internal void TrimMemory() => _code.TrimChunks();

    /// <summary>Ten general registers and xmm0-xmm13 (xmm14 and xmm15 are float scratch).</summary>
    public RegSet Allocatable { get; } = new RegSet(RegSet.Of(
        new Reg(Rax), new Reg(Rcx), new Reg(Rdx), new Reg(Rbx), new Reg(Rsi), new Reg(Rdi),
        new Reg(R8), new Reg(R9), new Reg(R12), new Reg(R13)).Bits | (((1UL << 14) - 1) << Reg.FirstFloat));

    public Reg ReturnRegister => new(Rax);

    public Reg FloatMergeRegister => Reg.Float(0);

    /// <summary>r13: callee-saved in System V, so builtins and host calls keep it too.</summary>
    public Reg MemoryBaseRegister => new(R13);

    /// <summary>Whether this function loaded <see cref="MemoryBaseRegister"/> (<see cref="LoadMemoryBase"/>); memory accesses use it then.</summary>
    private bool _memoryBaseLoaded;

    public void LoadMemoryBase()
    {
        _memoryBaseLoaded = true;
        ReloadMemoryBase();
    }

    /// <summary>r13 = memory 0's base (it never moves: the memory reserves its maximum up front).</summary>
    private void ReloadMemoryBase()
    {
        if (_layout.IsMemoryImported)
        {
            _code.MovRegMem(R13, __[r15 + VmContextLayout.MemoryDefinition], true);
            _code.MovRegMem(R13, __[r13 + MemoryDefinitionLayout.Base], true);
        }
        else
        {
            _code.MovRegMem(R13, __[r15 + MemoryDefinitionLayout.Base], true);
        }
    }

    /// <summary>The register holding memory 0's base for an access: r13 when loaded at entry, else r10 loaded now.</summary>
    private AssemblerRegister64 MemoryBase()
    {
        if (_memoryBaseLoaded) return r13;
        if (_layout.IsMemoryImported)
        {
            _code.MovRegMem(R10, __[r15 + VmContextLayout.MemoryDefinition], true);
            _code.MovRegMem(R10, __[r10 + MemoryDefinitionLayout.Base], true);
        }
        else
        {
            _code.MovRegMem(R10, __[r15 + MemoryDefinitionLayout.Base], true);
        }

        return r10;
    }

    public RegSet DivisionClobbers { get; } = RegSet.Of(new Reg(Rax), new Reg(Rdx));

    public RegSet ShiftClobbers { get; } = RegSet.Of(new Reg(Rcx));

    // A register of the wrong class is a compiler bug: fail the compilation rather than emit code for another register.
    private static AssemblerRegister64 Q(Reg r) => new((Register)((int)Register.RAX + General(r)));

    private static AssemblerRegister32 D(Reg r) => new((Register)((int)Register.EAX + General(r)));

    private static AssemblerRegisterXMM X(Reg r) => r.IsFloat ? new((Register)((int)Register.XMM0 + r.Number)) : throw WrongClass(r);

    private static int General(Reg r) => r.Code < 16 ? r.Code : throw WrongClass(r);

    private static int FloatNumber(Reg r) => r.IsFloat ? r.Number : throw WrongClass(r);

    private static int Xmm(AssemblerRegisterXMM r) => r.Value - Register.XMM0;

    private static CompileFailure WrongClass(Reg r) => new(CompileErrorKind.Internal, $"register {r} used in the wrong class");

    private static AssemblerRegister16 W(Reg r) => new((Register)((int)Register.AX + General(r)));

    private static AssemblerRegister8 B(Reg r) => new(General(r) switch
    {
        < 4 => (Register)((int)Register.AL + r.Code),
        < 8 => (Register)((int)Register.SPL + r.Code - 4),
        _ => (Register)((int)Register.R8L + r.Code - 8),
    });

    private static bool FitsInt32(long v) => v >= int.MinValue && v <= int.MaxValue;

    public AsmLabel CreateLabel() => new(_code.NewLabel());

    public void Bind(AsmLabel label) => Place(label.Id);

    private int _lastLabelAt = -1;

    /// <summary>
    /// Binds <paramref name="label"/> to the next instruction; a second label at the same place gets a nop first (a
    /// rule from Iced's assembler, one label per instruction, kept so the code stays what it was).
    /// </summary>
    private void Place(int label)
    {
        if (_code.InstructionCount == _lastLabelAt) _asm.nop();
        _code.Bind(label);
        _lastLabel = label;
        _lastLabelAt = _code.InstructionCount;
    }

    private int _lastLabel;

    /// <summary>A label on the next instruction: the one already placed there if any (so a call right after a bound label needs no nop).</summary>
    private int LabelHere()
    {
        if (_code.InstructionCount == _lastLabelAt) return _lastLabel;
        var label = _code.NewLabel();
        Place(label);
        return label;
    }

    private static int L(AsmLabel label) => label.Id;

    public int ParameterOffset(int index) => 16 + (8 * index);

    public int SlotOffset(int index) => -8 * (index + 1);

    public void EnterFrame()
    {
        _code.Push(Rbp);
        _code.MovRegReg(Rbp, Rsp, true);
        _frameSizeLabel = _code.NewLabel();
        Place(_frameSizeLabel);
        _asm.sub(rsp, FramePlaceholder);
        _hasFrame = true;
    }

    public void SetFrameSlots(int slots) => _frameSlots = slots;

    public void CheckStack(AsmLabel trap)
    {
        // After the frame is reserved and before anything is written to it: the trap stub resets rsp,
        // so an over-deep frame is never touched (the limit keeps head-room for the pushes before this).
        _code.CmpRegMem(Rsp, __[r14 + ExecutionStateLayout.StackLimit], true);
        _code.JumpIf(ConditionCode.b, L(trap));
    }

    public void ZeroSlots(int first, int count)
    {
        if (count <= 0) return;
        if (count <= 8)
        {
            _code.AluRegReg(X64CodeBuffer.Alu.Xor, R11, R11, false);
            for (var i = 0; i < count; i++) _code.MovMemReg(__[rbp + SlotOffset(first + i)], R11, true);
            return;
        }

        // Only called in the prologue, when rdi, rcx and rax hold nothing (parameters are in memory).
        _asm.lea(rdi, __[rbp + SlotOffset(first + count - 1)]);
        _code.MovReg32Imm(Rcx, count);
        _code.AluRegReg(X64CodeBuffer.Alu.Xor, Rax, Rax, false);
        _asm.rep.stosq();
    }

    public void LeaveFrameAndReturn()
    {
        _code.MovRegReg(Rsp, Rbp, true);
        _code.Pop(Rbp);
        _code.Ret();
    }

    public void Move(Reg dst, Reg src, OperandSize size)
    {
        // i32 values in registers are kept zero-extended, so a self-move is never needed.
        if (dst == src) return;
        if (dst.IsFloat && src.IsFloat) _code.SseRegReg(X64CodeBuffer.Sse.Movaps, FloatNumber(dst), FloatNumber(src));
        else if (dst.IsFloat)
        {
            _code.MovXmmGeneral(FloatNumber(dst), General(src), size == OperandSize.S64);
        }
        else if (src.IsFloat)
        {
            // movd clears the upper half, keeping the i32 invariant for f32 bit patterns.
            if (size == OperandSize.S64) _asm.movq(Q(dst), X(src)); else _asm.movd(D(dst), X(src));
        }
        else _code.MovRegReg(General(dst), General(src), size == OperandSize.S64);
    }

    public void MoveImm(Reg dst, long imm, OperandSize size)
    {
        if (dst.IsFloat)
        {
            // A bit pattern: +0 is xorps, anything else goes through r11.
            if (size == OperandSize.S32 ? (uint)imm == 0 : imm == 0)
            {
                _code.SseRegReg(X64CodeBuffer.Sse.Xorps, FloatNumber(dst), FloatNumber(dst));
                return;
            }

            MoveImm(new Reg(R11), imm, size);
            Move(dst, new Reg(R11), size);
            return;
        }

        if (size == OperandSize.S32 || (imm >= 0 && imm <= uint.MaxValue))
        {
            if ((uint)imm == 0) _code.AluRegReg(X64CodeBuffer.Alu.Xor, General(dst), General(dst), false);
            else _code.MovReg32Imm(General(dst), (int)(uint)imm);
        }
        else if (FitsInt32(imm))
        {
            _asm.mov(Q(dst), (int)imm);
        }
        else
        {
            _code.MovReg64Imm(General(dst), imm);
        }
    }

    public void LoadFrame(Reg dst, int offset, OperandSize size)
    {
        if (size == OperandSize.S128) _asm.movdqu(X(dst), __xmmword_ptr[rbp + offset]);
        else if (dst.IsFloat) _code.LoadFloat(FloatNumber(dst), __[rbp + offset], size == OperandSize.S64);
        else _code.MovRegMem(General(dst), __[rbp + offset], size == OperandSize.S64);
    }

    /// <summary>
    /// Writes a frame slot, always all 8 bytes: slots are also read 8 bytes wide (copies between slots, outgoing
    /// arguments), and a load wider than the store before it cannot take its value from the store buffer (it waits
    /// for the store to retire: nbody ran about 1.8x slower so). Readers of a 32-bit value read its low half.
    /// </summary>
    public void StoreFrame(int offset, Reg src, OperandSize size)
    {
        if (size == OperandSize.S128) _asm.movdqu(__xmmword_ptr[rbp + offset], X(src));
        else if (src.IsFloat) _code.StoreFloat(__[rbp + offset], FloatNumber(src), true);
        else _code.MovMemReg(__[rbp + offset], General(src), true);
    }

    /// <summary>Writes all 8 bytes of a frame slot, as <see cref="StoreFrame"/> does.</summary>
    public void StoreFrameImm(int offset, long imm, OperandSize size)
    {
        if (size == OperandSize.S32 || FitsInt32(imm)) _code.MovMemImm(__[rbp + offset], (int)imm, true);
        else
        {
            _code.MovReg64Imm(R11, imm);
            _code.MovMemReg(__[rbp + offset], R11, true);
        }
    }

    public void CopyFrame(int dstOffset, int srcOffset, OperandSize size)
    {
        if (dstOffset == srcOffset) return;
        if (size == OperandSize.S128)
        {
            _asm.movdqu(s_scratchA, __xmmword_ptr[rbp + srcOffset]);
            _asm.movdqu(__xmmword_ptr[rbp + dstOffset], s_scratchA);
            return;
        }

        _code.MovRegMem(R11, __[rbp + srcOffset], true);
        _code.MovMemReg(__[rbp + dstOffset], R11, true);
    }

    public void Binary(BinaryOp op, Reg dst, Reg lhs, RegImm rhs, OperandSize size)
    {
        if (rhs.IsImm && size == OperandSize.S64 && !FitsInt32(rhs.Imm))
        {
            _code.MovReg64Imm(R11, rhs.Imm);
            rhs = RegImm.Of(new Reg(R11));
        }

        if (!rhs.IsImm && rhs.Reg == dst && dst != lhs)
        {
            if (op is BinaryOp.Sub)
            {
                Move(new Reg(R10), lhs, size);
                EmitBinary(op, new Reg(R10), rhs, size);
                Move(dst, new Reg(R10), size);
                return;
            }

            // Commutative: dst already holds rhs.
            EmitBinary(op, dst, RegImm.Of(lhs), size);
            return;
        }

        // Into another register, an add (or a subtraction of a constant) is one lea instead of a move and the
        // operation; lea computes in 64 bits, and a 32-bit destination keeps the low half, as the add would.
        if (dst != lhs && TryLeaOperand(op, lhs, rhs, size, out var sum))
        {
            _code.LeaRegMem(General(dst), sum, size == OperandSize.S64);
            return;
        }

        if (op == BinaryOp.Mul && rhs.IsImm)
        {
            _code.ImulRegRegImm(General(dst), General(lhs), (int)rhs.Imm, size == OperandSize.S64);
            return;
        }

        if (dst != lhs || size == OperandSize.S32) Move(dst, lhs, size);
        EmitBinary(op, dst, rhs, size);
    }

    /// <summary>The address <c>lhs + rhs</c> (or <c>lhs - constant</c>) for an lea, when the operation is one.</summary>
    private static bool TryLeaOperand(BinaryOp op, Reg lhs, RegImm rhs, OperandSize size, out AssemblerMemoryOperand sum)
    {
        sum = default;
        if (rhs.IsImm)
        {
            if (op is not (BinaryOp.Add or BinaryOp.Sub)) return false;

            // A 32-bit constant's negation may wrap (only the low half of the result counts); a 64-bit one's may not.
            var displacement = op == BinaryOp.Add ? rhs.Imm : unchecked(-rhs.Imm);
            if (size == OperandSize.S32) displacement = unchecked((int)displacement);
            if (!FitsInt32(displacement)) return false;
            sum = __[Q(lhs) + (int)displacement];
            return true;
        }

        if (op != BinaryOp.Add) return false;
        sum = __[Q(lhs) + Q(rhs.Reg)];
        return true;
    }

    private void EmitBinary(BinaryOp op, Reg dst, RegImm rhs, OperandSize size)
    {
        var wide = size == OperandSize.S64;
        if (op == BinaryOp.Mul)
        {
            if (rhs.IsImm) _code.ImulRegRegImm(General(dst), General(dst), (int)rhs.Imm, wide);
            else _code.ImulRegReg(General(dst), General(rhs.Reg), wide);

            return;
        }

        var alu = op switch
        {
            BinaryOp.Add => X64CodeBuffer.Alu.Add,
            BinaryOp.Sub => X64CodeBuffer.Alu.Sub,
            BinaryOp.And => X64CodeBuffer.Alu.And,
            BinaryOp.Or => X64CodeBuffer.Alu.Or,
            BinaryOp.Xor => X64CodeBuffer.Alu.Xor,
            _ => throw new CompileFailure(CompileErrorKind.Internal, $"binary operation {op} has no ALU form"),
        };
        if (rhs.IsImm) _code.AluRegImm(alu, General(dst), (int)rhs.Imm, wide);
        else _code.AluRegReg(alu, General(dst), General(rhs.Reg), wide);
    }

    public void Shift(ShiftOp op, Reg dst, Reg lhs, RegImm rhs, OperandSize size)
    {
        var is64 = size == OperandSize.S64;
        if (rhs.IsImm)
        {
            // Spec 4.3.2: the count is taken modulo the width, as x64 does.
            var count = (byte)(rhs.Imm & (is64 ? 63 : 31));
            Move(dst, lhs, size);
            if (count == 0) return;
            _code.ShiftRegImm(ShiftOf(op), General(dst), count, is64);
            return;
        }

        // The count must be in cl: shift a copy in r11 so lhs, rhs and dst may be any registers (rcx included).
        Move(new Reg(R11), lhs, size);
        if (rhs.Reg.Code != Rcx) _code.MovRegReg(Rcx, General(rhs.Reg), false);
        _code.ShiftRegCl(ShiftOf(op), R11, is64);
        Move(dst, new Reg(R11), size);
    }

    private static X64CodeBuffer.Shift ShiftOf(ShiftOp op) => op switch
    {
        ShiftOp.Shl => X64CodeBuffer.Shift.Shl,
        ShiftOp.ShrS => X64CodeBuffer.Shift.Sar,
        ShiftOp.ShrU => X64CodeBuffer.Shift.Shr,
        ShiftOp.Rotl => X64CodeBuffer.Shift.Rol,
        _ => X64CodeBuffer.Shift.Ror,
    };


    public void Divide(DivOp op, Reg dst, Reg lhs, Reg rhs, OperandSize size, AsmLabel divideByZero, AsmLabel overflow)
    {
        var is64 = size == OperandSize.S64;

        // rax and rdx are free apart from the operands themselves: keep the divisor in r11.
        Move(new Reg(R11), rhs, size);
        _code.TestRegReg(R11, R11, is64);
        _code.JumpIf(ConditionCode.e, L(divideByZero));

        var done = _code.NewLabel();
        var doDivide = _code.NewLabel();
        if (op is DivOp.DivS or DivOp.RemS)
        {
            // INT_MIN / -1 overflows (spec: trap for div_s; rem_s is 0) and faults in idiv.
            _code.AluRegImm(X64CodeBuffer.Alu.Cmp, R11, -1, is64);
            _code.JumpIf(ConditionCode.ne, doDivide);
            if (op == DivOp.DivS)
            {
                if (is64)
                {
                    _code.MovReg64Imm(R10, long.MinValue);
                    _code.AluRegReg(X64CodeBuffer.Alu.Cmp, General(lhs), R10, true);
                }
                else
                {
                    _code.AluRegImm(X64CodeBuffer.Alu.Cmp, General(lhs), int.MinValue, false);
                }

                _code.JumpIf(ConditionCode.e, L(overflow));
            }
            else
            {
                _code.AluRegReg(X64CodeBuffer.Alu.Xor, General(dst), General(dst), false);
                _code.Jump(done);
            }
        }

        Place(doDivide);
        Move(new Reg(Rax), lhs, size);
        switch (op)
        {
            case DivOp.DivS:
            case DivOp.RemS:
                if (is64)
                {
                    _code.SignExtendRaxIntoRdx(true);
                    _code.Divide(true, R11, true);
                }
                else
                {
                    _code.SignExtendRaxIntoRdx(false);
                    _code.Divide(true, R11, false);
                }

                break;
            default:
                _code.AluRegReg(X64CodeBuffer.Alu.Xor, Rdx, Rdx, false);
                _code.Divide(false, R11, is64);
                break;
        }

        Move(dst, new Reg(op is DivOp.DivS or DivOp.DivU ? Rax : Rdx), size);
        Place(done);
    }

    public void Unary(UnaryOp op, Reg dst, Reg src, OperandSize size)
    {
        var is64 = size == OperandSize.S64;
        switch (op)
        {
            case UnaryOp.Clz:
                // bsr leaves dst undefined and sets ZF for 0: substitute 2w-1 so that xor (w-1) gives w.
                if (is64)
                {
                    _asm.bsr(Q(dst), Q(src));
                    _code.MovReg32Imm(R11, 127);
                    _code.CMov(ConditionCode.e, General(dst), R11, true);
                    _code.AluRegImm(X64CodeBuffer.Alu.Xor, General(dst), 63, true);
                }
                else
                {
                    _asm.bsr(D(dst), D(src));
                    _code.MovReg32Imm(R11, 63);
                    _code.CMov(ConditionCode.e, General(dst), R11, false);
                    _code.AluRegImm(X64CodeBuffer.Alu.Xor, General(dst), 31, false);
                }

                break;
            case UnaryOp.Ctz:
                if (is64)
                {
                    _asm.bsf(Q(dst), Q(src));
                    _code.MovReg32Imm(R11, 64);
                    _code.CMov(ConditionCode.e, General(dst), R11, true);
                }
                else
                {
                    _asm.bsf(D(dst), D(src));
                    _code.MovReg32Imm(R11, 32);
                    _code.CMov(ConditionCode.e, General(dst), R11, false);
                }

                break;
            case UnaryOp.Popcnt:
                if ((_features & X64Features.Popcnt) != 0)
                {
                    if (is64) _asm.popcnt(Q(dst), Q(src));
                    else _asm.popcnt(D(dst), D(src));
                }
                else
                {
                    SoftwarePopcnt(dst, src, is64);
                }

                break;
        }
    }

    /// <summary>The SWAR population count (Hacker's Delight 5-2) for processors without <c>popcnt</c>.</summary>
    private void SoftwarePopcnt(Reg dst, Reg src, bool is64)
    {
        var d = Q(dst);
        if (is64) _asm.mov(d, Q(src));
        else _code.MovRegReg(General(dst), General(src), false);
        _asm.mov(r11, d);
        _asm.shr(r11, 1);
        _asm.mov(r10, 0x5555555555555555);
        _code.AluRegReg(X64CodeBuffer.Alu.And, R11, R10, true);
        _asm.sub(d, r11);
        _asm.mov(r10, 0x3333333333333333);
        _asm.mov(r11, d);
        _code.AluRegReg(X64CodeBuffer.Alu.And, R11, R10, true);
        _asm.shr(d, 2);
        _asm.and(d, r10);
        _asm.add(d, r11);
        _asm.mov(r11, d);
        _asm.shr(r11, 4);
        _asm.add(d, r11);
        _asm.mov(r10, 0x0F0F0F0F0F0F0F0F);
        _asm.and(d, r10);
        _asm.mov(r10, 0x0101010101010101);
        _asm.imul(d, r10);
        _asm.shr(d, 56);
    }

    public void Compare(Condition cond, Reg dst, Reg lhs, RegImm rhs, OperandSize size)
    {
        EmitCompare(lhs, rhs, size);
        _code.SetCc(ConditionCodeOf(cond), General(dst));
        _code.MovzxReg32Reg8(General(dst), General(dst));
    }

    private void EmitCompare(Reg lhs, RegImm rhs, OperandSize size)
    {
        if (size == OperandSize.S64)
        {
            if (!rhs.IsImm) _code.AluRegReg(X64CodeBuffer.Alu.Cmp, General(lhs), General(rhs.Reg), true);
            else if (FitsInt32(rhs.Imm)) _code.AluRegImm(X64CodeBuffer.Alu.Cmp, General(lhs), (int)rhs.Imm, true);
            else
            {
                _code.MovReg64Imm(R11, rhs.Imm);
                _code.AluRegReg(X64CodeBuffer.Alu.Cmp, General(lhs), R11, true);
            }
        }
        else
        {
            if (!rhs.IsImm) _code.AluRegReg(X64CodeBuffer.Alu.Cmp, General(lhs), General(rhs.Reg), false);
            else _code.AluRegImm(X64CodeBuffer.Alu.Cmp, General(lhs), (int)rhs.Imm, false);
        }
    }

    private static ConditionCode ConditionCodeOf(Condition cond) => cond switch
    {
        Condition.Eq => ConditionCode.e,
        Condition.Ne => ConditionCode.ne,
        Condition.LtS => ConditionCode.l,
        Condition.LtU => ConditionCode.b,
        Condition.GtS => ConditionCode.g,
        Condition.GtU => ConditionCode.a,
        Condition.LeS => ConditionCode.le,
        Condition.LeU => ConditionCode.be,
        Condition.GeS => ConditionCode.ge,
        _ => ConditionCode.ae,
    };

    public void Eqz(Reg dst, Reg src, OperandSize size)
    {
        _code.TestRegReg(General(src), General(src), size == OperandSize.S64);
        _code.SetCc(ConditionCode.e, General(dst));
        _code.MovzxReg32Reg8(General(dst), General(dst));
    }

    public void Extend(ExtendOp op, Reg dst, Reg src)
    {
        switch (op)
        {
            case ExtendOp.I32Extend8S: _asm.movsx(D(dst), B(src)); break;
            case ExtendOp.I32Extend16S: _asm.movsx(D(dst), W(src)); break;
            case ExtendOp.I64Extend8S: _asm.movsx(Q(dst), B(src)); break;
            case ExtendOp.I64Extend16S: _asm.movsx(Q(dst), W(src)); break;
            case ExtendOp.I64Extend32S: _asm.movsxd(Q(dst), D(src)); break;
            case ExtendOp.I64ExtendI32U:
            case ExtendOp.I32WrapI64:
                // A 32-bit move clears the upper half.
                _code.MovRegReg(General(dst), General(src), false);
                break;
        }
    }

    public void Select(Reg dst, Reg other, Reg cond, OperandSize size)
    {
        _code.TestRegReg(General(cond), General(cond), false);
        if (dst.IsFloat)
        {
            // No conditional move for xmm registers: branch around a register move.
            var keep = _code.NewLabel();
            _code.JumpIf(ConditionCode.ne, keep);
            _code.SseRegReg(X64CodeBuffer.Sse.Movaps, FloatNumber(dst), FloatNumber(other));
            Place(keep);
            return;
        }

        _code.CMov(ConditionCode.e, General(dst), General(other), size == OperandSize.S64);
    }

    // ---- floats: f32/f64 values live in xmm0-xmm13; xmm14 and xmm15 are this class's float scratch ----

    private static readonly AssemblerRegisterXMM s_scratchA = xmm15, s_scratchB = xmm14;

    private void XmmConst(AssemblerRegisterXMM x, double value, OperandSize size)
    {
        if (size == OperandSize.S64)
        {
            _asm.mov(r10, BitConverter.DoubleToInt64Bits(value));
            _asm.movq(x, r10);
        }
        else
        {
            _asm.mov(r10d, BitConverter.SingleToInt32Bits((float)value));
            _asm.movd(x, r10d);
        }
    }

    /// <summary>xmm15 = the sign bit of every lane (<paramref name="invert"/>: every bit but the sign), made without a memory constant.</summary>
    private void SignMask(OperandSize size, bool invert)
    {
        _asm.pcmpeqd(s_scratchA, s_scratchA);
        if (size == OperandSize.S64)
        {
            if (invert) _asm.psrlq(s_scratchA, 1); else _asm.psllq(s_scratchA, 63);
        }
        else
        {
            if (invert) _asm.psrld(s_scratchA, 1); else _asm.pslld(s_scratchA, 31);
        }
    }

    private void Ucomi(AssemblerRegisterXMM a, AssemblerRegisterXMM b, OperandSize size)
    {
        if (size == OperandSize.S64) _code.SseRegReg(X64CodeBuffer.Sse.Ucomisd, Xmm(a), Xmm(b));
        else _code.SseRegReg(X64CodeBuffer.Sse.Ucomiss, Xmm(a), Xmm(b));
    }

    private void MoveXmm(AssemblerRegisterXMM dst, AssemblerRegisterXMM src)
    {
        if (dst != src) _code.SseRegReg(X64CodeBuffer.Sse.Movaps, Xmm(dst), Xmm(src));
    }

    public void FloatBinary(FloatBinaryOp op, Reg dst, Reg lhs, Reg rhs, OperandSize size)
    {
        var is64 = size == OperandSize.S64;
        if (op == FloatBinaryOp.Copysign)
        {
            // (lhs & ~sign) | (rhs & sign): bit operations, so NaN payloads pass unchanged.
            SignMask(size, invert: false);
            _code.SseRegReg(X64CodeBuffer.Sse.Movaps, Xmm(s_scratchB), Xmm(s_scratchA));
            _asm.andps(s_scratchB, X(rhs));
            _asm.andnps(s_scratchA, X(lhs));
            _asm.orps(s_scratchA, s_scratchB);
            _code.SseRegReg(X64CodeBuffer.Sse.Movaps, FloatNumber(dst), Xmm(s_scratchA));
            return;
        }

        if ((_features & X64Features.Avx) != 0 && op is FloatBinaryOp.Add or FloatBinaryOp.Sub or FloatBinaryOp.Mul or FloatBinaryOp.Div)
        {
            // Three operands, in the SSE form's order below (it decides which NaN propagates, so both encodings
            // give the same bits): lhs first, except add and mul into rhs's register, which take rhs first.
            var swap = dst == rhs && dst != lhs && op is FloatBinaryOp.Add or FloatBinaryOp.Mul;
            var (d, l, r) = (X(dst), X(swap ? rhs : lhs), X(swap ? lhs : rhs));
            switch (op)
            {
                case FloatBinaryOp.Add: if (is64) _asm.vaddsd(d, l, r); else _asm.vaddss(d, l, r); break;
                case FloatBinaryOp.Sub: if (is64) _asm.vsubsd(d, l, r); else _asm.vsubss(d, l, r); break;
                case FloatBinaryOp.Mul: if (is64) _asm.vmulsd(d, l, r); else _asm.vmulss(d, l, r); break;
                default: if (is64) _asm.vdivsd(d, l, r); else _asm.vdivss(d, l, r); break;
            }

            return;
        }

        // Into rhs's register, add and mul (commutative; the spec leaves open which NaN payload propagates)
        // compute there with the operands swapped.
        if (dst == rhs && dst != lhs && op is FloatBinaryOp.Add or FloatBinaryOp.Mul)
        {
            if (op == FloatBinaryOp.Add)
            {
                if (is64) _code.SseRegReg(X64CodeBuffer.Sse.Addsd, FloatNumber(dst), FloatNumber(lhs)); else _code.SseRegReg(X64CodeBuffer.Sse.Addss, FloatNumber(dst), FloatNumber(lhs));
            }
            else
            {
                if (is64) _code.SseRegReg(X64CodeBuffer.Sse.Mulsd, FloatNumber(dst), FloatNumber(lhs)); else _code.SseRegReg(X64CodeBuffer.Sse.Mulss, FloatNumber(dst), FloatNumber(lhs));
            }

            return;
        }

        // Two-operand SSE computes in its first operand, which must start as lhs (operand order decides which
        // NaN propagates); when dst is rhs's register it computes in scratch.
        var a = dst == rhs && dst != lhs ? s_scratchA : X(dst);
        var b = X(rhs);
        MoveXmm(a, X(lhs));
        switch (op)
        {
            case FloatBinaryOp.Add: if (is64) _code.SseRegReg(X64CodeBuffer.Sse.Addsd, Xmm(a), Xmm(b)); else _code.SseRegReg(X64CodeBuffer.Sse.Addss, Xmm(a), Xmm(b)); break;
            case FloatBinaryOp.Sub: if (is64) _code.SseRegReg(X64CodeBuffer.Sse.Subsd, Xmm(a), Xmm(b)); else _code.SseRegReg(X64CodeBuffer.Sse.Subss, Xmm(a), Xmm(b)); break;
            case FloatBinaryOp.Mul: if (is64) _code.SseRegReg(X64CodeBuffer.Sse.Mulsd, Xmm(a), Xmm(b)); else _code.SseRegReg(X64CodeBuffer.Sse.Mulss, Xmm(a), Xmm(b)); break;
            case FloatBinaryOp.Div: if (is64) _code.SseRegReg(X64CodeBuffer.Sse.Divsd, Xmm(a), Xmm(b)); else _code.SseRegReg(X64CodeBuffer.Sse.Divss, Xmm(a), Xmm(b)); break;
            case FloatBinaryOp.Min:
            case FloatBinaryOp.Max:
            {
                // minss/maxss return the second operand for NaN and for ±0 pairs; wasm wants NaN and -0 < +0.
                var isNaN = _code.NewLabel();
                var notEqual = _code.NewLabel();
                var done = _code.NewLabel();
                Ucomi(a, b, size);
                _code.JumpIf(ConditionCode.p, isNaN);
                _code.JumpIf(ConditionCode.ne, notEqual);

                // Equal (possibly +0 and -0): or keeps the sign bit for min, and clears it for max.
                if (op == FloatBinaryOp.Min) _asm.orps(a, b);
                else _asm.andps(a, b);
                _code.Jump(done);
                Place(notEqual);
                if (op == FloatBinaryOp.Min)
                {
                    if (is64) _asm.minsd(a, b); else _asm.minss(a, b);
                }
                else
                {
                    if (is64) _asm.maxsd(a, b); else _asm.maxss(a, b);
                }

                _code.Jump(done);
                Place(isNaN);

                // An addition of a NaN yields a quiet NaN.
                if (is64) _code.SseRegReg(X64CodeBuffer.Sse.Addsd, Xmm(a), Xmm(b)); else _code.SseRegReg(X64CodeBuffer.Sse.Addss, Xmm(a), Xmm(b));
                Place(done);
                break;
            }
        }

        MoveXmm(X(dst), a);
    }

    public void FloatUnary(FloatUnaryOp op, Reg dst, Reg src, OperandSize size)
    {
        var is64 = size == OperandSize.S64;
        var d = X(dst);
        var s = X(src);
        switch (op)
        {
            // Bit operations with a mask made in xmm15: NaN payloads stay exactly as they are.
            case FloatUnaryOp.Abs:
                SignMask(size, invert: true);
                MoveXmm(d, s);
                _asm.andps(d, s_scratchA);
                return;
            case FloatUnaryOp.Neg:
                SignMask(size, invert: false);
                MoveXmm(d, s);
                _code.SseRegReg(X64CodeBuffer.Sse.Xorps, Xmm(d), Xmm(s_scratchA));
                return;
            case FloatUnaryOp.Sqrt:
                if (is64) _asm.sqrtsd(d, s); else _asm.sqrtss(d, s);
                return;
        }

        if ((_features & X64Features.Sse41) == 0) throw CompileFailure.Unsupported("float rounding without X64Features.Sse41");

        // SSE4.1 rounding-control immediates: 0 nearest (ties to even), 1 down, 2 up, 3 toward zero; bit 3 suppresses the inexact exception.
        byte mode = op switch
        {
            FloatUnaryOp.Nearest => 0,
            FloatUnaryOp.Floor => 1,
            FloatUnaryOp.Ceil => 2,
            _ => 3,
        };
        mode |= 8;
        if (is64) _asm.roundsd(d, s, mode); else _asm.roundss(d, s, mode);
    }

    public void FloatCompare(FloatCondition cond, Reg dst, Reg lhs, Reg rhs, OperandSize size)
    {
        var a = X(lhs);
        var b = X(rhs);
        var d8 = B(dst);
        switch (cond)
        {
            case FloatCondition.Eq:
                Ucomi(a, b, size);
                _asm.sete(d8);
                _asm.setnp(r10b);
                _asm.and(d8, r10b);
                break;
            case FloatCondition.Ne:
                Ucomi(a, b, size);
                _asm.setne(d8);
                _asm.setp(r10b);
                _asm.or(d8, r10b);
                break;

            // Unordered sets CF and ZF, so "above" and "above or equal" are false for NaN.
            case FloatCondition.Gt: Ucomi(a, b, size); _asm.seta(d8); break;
            case FloatCondition.Ge: Ucomi(a, b, size); _asm.setae(d8); break;
            case FloatCondition.Lt: Ucomi(b, a, size); _asm.seta(d8); break;
            case FloatCondition.Le: Ucomi(b, a, size); _asm.setae(d8); break;
        }

        _asm.movzx(D(dst), d8);
    }

    public void FloatConvert(FloatConvertOp op, Reg dst, Reg src)
    {
        var d = X(dst);
        switch (op)
        {
            case FloatConvertOp.F32DemoteF64:
                _asm.cvtsd2ss(d, X(src));
                return;
            case FloatConvertOp.F64PromoteF32:
                _asm.cvtss2sd(d, X(src));
                return;
        }

        // cvtsi2s* writes only the low lane: clearing the register first breaks the dependency on its old value.
        _code.SseRegReg(X64CodeBuffer.Sse.Xorps, Xmm(d), Xmm(d));
        switch (op)
        {
            case FloatConvertOp.F32ConvertI32S: _asm.cvtsi2ss(d, D(src)); break;
            case FloatConvertOp.F32ConvertI32U: _asm.cvtsi2ss(d, Q(src)); break; // zero-extended
            case FloatConvertOp.F32ConvertI64S: _asm.cvtsi2ss(d, Q(src)); break;
            case FloatConvertOp.F64ConvertI32S: _asm.cvtsi2sd(d, D(src)); break;
            case FloatConvertOp.F64ConvertI32U: _asm.cvtsi2sd(d, Q(src)); break;
            case FloatConvertOp.F64ConvertI64S: _asm.cvtsi2sd(d, Q(src)); break;
            case FloatConvertOp.F32ConvertI64U:
            case FloatConvertOp.F64ConvertI64U:
            {
                var is64 = op == FloatConvertOp.F64ConvertI64U;
                var big = _code.NewLabel();
                var done = _code.NewLabel();
                _code.TestRegReg(General(src), General(src), true);
                _code.JumpIf(ConditionCode.s, big);
                if (is64) _asm.cvtsi2sd(d, Q(src)); else _asm.cvtsi2ss(d, Q(src));
                _code.Jump(done);
                Place(big);

                // ≥ 2^63: halve, keeping the lost bit as a sticky bit so rounding stays correct, convert, double.
                _code.MovRegReg(R10, General(src), true);
                _code.MovRegReg(R11, General(src), true);
                _asm.shr(r10, 1);
                _code.AluRegImm(X64CodeBuffer.Alu.And, R11, 1, false);
                _code.AluRegReg(X64CodeBuffer.Alu.Or, R10, R11, true);
                if (is64)
                {
                    _asm.cvtsi2sd(d, r10);
                    _code.SseRegReg(X64CodeBuffer.Sse.Addsd, Xmm(d), Xmm(d));
                }
                else
                {
                    _asm.cvtsi2ss(d, r10);
                    _code.SseRegReg(X64CodeBuffer.Sse.Addss, Xmm(d), Xmm(d));
                }

                Place(done);
                break;
            }
        }
    }

    public void FloatTruncate(Reg dst, Reg src, OperandSize source, OperandSize result, bool signed, bool saturating, AsmLabel invalid, AsmLabel overflow)
    {
        var f64 = source == OperandSize.S64;
        var i64 = result == OperandSize.S64;
        var nanLabel = saturating ? _code.NewLabel() : L(invalid);
        var lowLabel = saturating ? _code.NewLabel() : L(overflow);
        var highLabel = saturating ? _code.NewLabel() : L(overflow);
        var done = _code.NewLabel();

        // The operand is only read (it may be a cached local); bounds are loaded into xmm15.
        var x = X(src);
        var bound = s_scratchA;
        Ucomi(x, x, source);
        _code.JumpIf(ConditionCode.p, nanLabel);

        // The range of values that truncate into the integer type (TruncationBounds), lower bound first.
        var (low, lowInclusive, high) = TruncationBounds.For(source, result, signed);
        XmmConst(bound, low, source);
        Ucomi(x, bound, source);
        if (lowInclusive) _code.JumpIf(ConditionCode.b, lowLabel);
        else _code.JumpIf(ConditionCode.be, lowLabel);

        XmmConst(bound, high, source);
        Ucomi(x, bound, source);
        _code.JumpIf(ConditionCode.ae, highLabel);

        if (!i64 && signed)
        {
            if (f64) _asm.cvttsd2si(D(dst), x); else _asm.cvttss2si(D(dst), x);
        }
        else if (!i64 || signed)
        {
            // u32 results fit a signed 64-bit conversion, whose upper half is then zero.
            if (f64) _asm.cvttsd2si(Q(dst), x); else _asm.cvttss2si(Q(dst), x);
        }
        else
        {
            // u64: below 2^63 convert directly, else subtract 2^63 (in a copy) first and set the top bit back.
            var small = _code.NewLabel();
            XmmConst(bound, 9223372036854775808.0, source);
            Ucomi(x, bound, source);
            _code.JumpIf(ConditionCode.b, small);
            _code.SseRegReg(X64CodeBuffer.Sse.Movaps, Xmm(s_scratchB), Xmm(x));
            if (f64) _code.SseRegReg(X64CodeBuffer.Sse.Subsd, Xmm(s_scratchB), Xmm(bound)); else _code.SseRegReg(X64CodeBuffer.Sse.Subss, Xmm(s_scratchB), Xmm(bound));
            if (f64) _asm.cvttsd2si(Q(dst), s_scratchB); else _asm.cvttss2si(Q(dst), s_scratchB);
            _asm.btc(Q(dst), 63);
            _code.Jump(done);
            Place(small);
            if (f64) _asm.cvttsd2si(Q(dst), x); else _asm.cvttss2si(Q(dst), x);
        }

        if (saturating)
        {
            _code.Jump(done);
            Place(nanLabel);
            _code.AluRegReg(X64CodeBuffer.Alu.Xor, General(dst), General(dst), false);
            _code.Jump(done);
            Place(lowLabel);
            if (!signed) _code.AluRegReg(X64CodeBuffer.Alu.Xor, General(dst), General(dst), false);
            else if (i64) _code.MovReg64Imm(General(dst), long.MinValue);
            else _code.MovReg32Imm(General(dst), int.MinValue);
            _code.Jump(done);
            Place(highLabel);
            if (!signed && i64) _asm.mov(Q(dst), -1L);
            else if (!signed) _code.MovReg32Imm(General(dst), -1);
            else if (i64) _code.MovReg64Imm(General(dst), long.MaxValue);
            else _code.MovReg32Imm(General(dst), int.MaxValue);
        }

        Place(done);
    }

    public void Jump(AsmLabel label) => _code.Jump(L(label));

    public void BranchIf(Condition cond, Reg lhs, RegImm rhs, OperandSize size, AsmLabel label)
    {
        if (rhs.IsImm && rhs.Imm == 0 && cond is Condition.Eq or Condition.Ne)
        {
            _code.TestRegReg(General(lhs), General(lhs), size == OperandSize.S64);
        }
        else
        {
            EmitCompare(lhs, rhs, size);
        }

        var l = L(label);
        switch (cond)
        {
            case Condition.Eq: _code.JumpIf(ConditionCode.e, l); break;
            case Condition.Ne: _code.JumpIf(ConditionCode.ne, l); break;
            case Condition.LtS: _code.JumpIf(ConditionCode.l, l); break;
            case Condition.LtU: _code.JumpIf(ConditionCode.b, l); break;
            case Condition.GtS: _code.JumpIf(ConditionCode.g, l); break;
            case Condition.GtU: _code.JumpIf(ConditionCode.a, l); break;
            case Condition.LeS: _code.JumpIf(ConditionCode.le, l); break;
            case Condition.LeU: _code.JumpIf(ConditionCode.be, l); break;
            case Condition.GeS: _code.JumpIf(ConditionCode.ge, l); break;
            case Condition.GeU: _code.JumpIf(ConditionCode.ae, l); break;
        }
    }

    public void FloatBranchIf(FloatCondition cond, bool negate, Reg lhs, Reg rhs, OperandSize size, AsmLabel label)
    {
        var a = X(lhs);
        var b = X(rhs);
        var l = L(label);

        // ucomis: unordered sets ZF, PF and CF, so "above" and "above or equal" are false for NaN and
        // their negations ("below or equal", "below") true, as wasm wants for not(lt/gt/le/ge).
        switch (cond)
        {
            case FloatCondition.Gt:
            case FloatCondition.Ge:
                Ucomi(a, b, size);
                break;
            case FloatCondition.Lt:
            case FloatCondition.Le:
                Ucomi(b, a, size);
                break;
            default:
                Ucomi(a, b, size);
                break;
        }

        switch (cond)
        {
            case FloatCondition.Gt:
            case FloatCondition.Lt:
                if (negate) _code.JumpIf(ConditionCode.be, l); else _code.JumpIf(ConditionCode.a, l);
                return;
            case FloatCondition.Ge:
            case FloatCondition.Le:
                if (negate) _code.JumpIf(ConditionCode.b, l); else _code.JumpIf(ConditionCode.ae, l);
                return;
        }

        // Eq is ZF and not PF; Ne (and not Eq) is not ZF or PF.
        if ((cond == FloatCondition.Eq) != negate)
        {
            var skip = _code.NewLabel();
            _code.JumpIf(ConditionCode.p, skip);
            _code.JumpIf(ConditionCode.e, l);
            Place(skip);
        }
        else
        {
            _code.JumpIf(ConditionCode.p, l);
            _code.JumpIf(ConditionCode.ne, l);
        }
    }

    public void JumpTable(Reg index, ReadOnlySpan<AsmLabel> targets, AsmLabel defaultTarget)
    {
        // A compare chain: simple and position-independent. A real table (lea + movsxd + jmp) is a
        // later optimisation for large br_tables.
        for (var i = 0; i < targets.Length; i++)
        {
            _code.AluRegImm(X64CodeBuffer.Alu.Cmp, General(index), i, false);
            _code.JumpIf(ConditionCode.e, L(targets[i]));
        }

        _code.Jump(L(defaultTarget));
    }

    /// <summary>
    /// Checks that [address + offset, + width) lies inside memory 0, all in 64-bit arithmetic so no sum can
    /// wrap (offset and address are both below 2^32), and leaves the access at [base + r11 + displacement]:
    /// base the memory base (r13, loaded at function entry, or r10), r11 the zero-extended address (plus whatever
    /// part of the offset the returned displacement does not carry). The zero-extending move stays although i32
    /// values are kept zero-extended: the sandbox does not rest on that invariant.
    /// </summary>
    /// <summary>Repeated checks of one address are left out (<see cref="EffectiveAddress"/>).</summary>
    public bool HonoursCheckedBefore => true;

    private AssemblerMemoryOperand EffectiveAddress(RegImm address, ulong offset, MemoryAccess access, AsmLabel outOfBounds)
    {
        var width = access.Width;
        if (address.IsImm)
        {
            // A constant address: the check compares the size with an immediate and the access needs no index;
            // below the memory's declared minimum it needs no check at all.
            var at = (ulong)(uint)address.Imm + offset;
            if (access.KnownInBounds)
            {
                if (at + (ulong)width <= int.MaxValue) return __[MemoryBase() + (int)at];
                _code.MovReg64Imm(R11, (long)at);
                return __[MemoryBase() + r11];
            }

            if (!_layout.IsMemoryImported && at + (ulong)width <= int.MaxValue)
            {
                _asm.cmp(__qword_ptr[r15 + MemoryDefinitionLayout.Size], (int)(at + (ulong)width));
                _code.JumpIf(ConditionCode.b, L(outOfBounds));
                return __[MemoryBase() + (int)at];
            }

            _code.MovReg32Imm(R11, (int)(uint)address.Imm);
        }
        else if (!_layout.IsMemoryImported && offset + (ulong)width <= int.MaxValue && _code.JustWroteZeroExtended(General(address.Reg)))
        {
            // The instruction just before wrote the address's 32-bit register, which cleared its upper half: it
            // indexes as it is, without the zero-extending copy into r11.
            var index = Q(address.Reg);
            if (!access.CheckedBefore && offset == 0 && MemoryDefinitionLayout.AccessLimit(width) >= 0)
            {
                CheckAgainstAccessLimit(index, width, outOfBounds);
            }
            else if (!access.CheckedBefore)
            {
                _code.LeaRegMem(R10, __[index + (int)(offset + (ulong)width)], true);
                _code.CmpRegMem(R10, __[r15 + MemoryDefinitionLayout.Size], true);
                _code.JumpIf(ConditionCode.a, L(outOfBounds));
            }

            return __[MemoryBase() + index + (int)offset];
        }
        else
        {
            _code.MovRegReg(R11, General(address.Reg), false);
            if (access.CheckedBefore)
            {
                // The same address passed a check reaching at least as far: only the zero-extension stays.
                if (offset <= int.MaxValue) return __[MemoryBase() + r11 + (int)offset];
                _code.MovReg64Imm(R10, (long)offset);
                _code.AluRegReg(X64CodeBuffer.Alu.Add, R11, R10, true);
                return __[MemoryBase() + r11];
            }
        }

        var displacement = RegisterEffectiveAddress(offset, width, outOfBounds);
        return __[MemoryBase() + r11 + displacement];
    }

    /// <summary><see cref="EffectiveAddress"/> for an address already zero-extended into r11; returns the displacement.</summary>
    private int RegisterEffectiveAddress(ulong offset, int width, AsmLabel outOfBounds)
    {
        if (offset == 0 && MemoryDefinitionLayout.AccessLimit(width) >= 0)
        {
            CheckAgainstAccessLimit(r11, width, outOfBounds);
            return 0;
        }

        var end = offset + (ulong)width;
        if (_layout.IsMemoryImported)
        {
            // r10 holds the definition pointer, so the end is computed in r11 and the width taken off again.
            if (end <= int.MaxValue)
            {
                _code.LeaRegMem(R11, __[r11 + (int)end], true);
            }
            else
            {
                _code.MovReg64Imm(R10, (long)end);
                _code.AluRegReg(X64CodeBuffer.Alu.Add, R11, R10, true);
            }

            _code.MovRegMem(R10, __[r15 + VmContextLayout.MemoryDefinition], true);
            _code.CmpRegMem(R11, __[r10 + MemoryDefinitionLayout.Size], true);
            _code.JumpIf(ConditionCode.a, L(outOfBounds));
            return -width;
        }

        if (end <= int.MaxValue)
        {
            _code.LeaRegMem(R10, __[r11 + (int)end], true);
        }
        else
        {
            _code.MovReg64Imm(R10, (long)end);
            _code.AluRegReg(X64CodeBuffer.Alu.Add, R10, R11, true);
        }

        _code.CmpRegMem(R10, __[r15 + MemoryDefinitionLayout.Size], true);
        _code.JumpIf(ConditionCode.a, L(outOfBounds));
        var displacement = 0;
        if (offset <= int.MaxValue)
        {
            displacement = (int)offset;
        }
        else
        {
            _code.MovReg64Imm(R10, (long)offset);
            _code.AluRegReg(X64CodeBuffer.Alu.Add, R11, R10, true);
        }

        return displacement;
    }

    /// <summary>
    /// An access with no static offset: the zero-extended address itself against the last address an access this
    /// wide may start at (signed: the limit is negative when the memory is smaller than the width).
    /// </summary>
    private void CheckAgainstAccessLimit(AssemblerRegister64 address, int width, AsmLabel outOfBounds)
    {
        _code.CmpRegMem(address.Value - Register.RAX, __[MemoryDefinition() + MemoryDefinitionLayout.AccessLimit(width)], true);
        _code.JumpIf(ConditionCode.g, L(outOfBounds));
    }

    /// <summary>The register through which memory 0's definition is reached: r15 for a defined memory, r10 loaded with the pointer for an imported one.</summary>
    private AssemblerRegister64 MemoryDefinition()
    {
        if (!_layout.IsMemoryImported) return r15;
        _code.MovRegMem(R10, __[r15 + VmContextLayout.MemoryDefinition], true);
        return r10;
    }

    public void LoadMemory(Reg dst, RegImm address, ulong offset, MemoryAccess access, AsmLabel outOfBounds)
    {
        var m = EffectiveAddress(address, offset, access, outOfBounds);
        var is64 = access.Size == OperandSize.S64;
        if (dst.IsFloat)
        {
            _code.LoadFloat(FloatNumber(dst), m, is64);
            return;
        }

        switch (access.Width)
        {
            case 1:
                if (!access.Signed) _code.MovzxReg32Mem8(General(dst), m);
                else if (is64) _asm.movsx(Q(dst), __byte_ptr[m]);
                else _asm.movsx(D(dst), __byte_ptr[m]);
                break;
            case 2:
                if (!access.Signed) _asm.movzx(D(dst), __word_ptr[m]);
                else if (is64) _asm.movsx(Q(dst), __word_ptr[m]);
                else _asm.movsx(D(dst), __word_ptr[m]);
                break;
            case 4:
                if (is64 && access.Signed) _asm.movsxd(Q(dst), __dword_ptr[m]);
                else _code.MovRegMem(General(dst), m, false);
                break;
            default:
                _code.MovRegMem(General(dst), m, true);
                break;
        }
    }

    public void StoreMemory(RegImm address, ulong offset, RegImm value, MemoryAccess access, AsmLabel outOfBounds)
    {
        var m = EffectiveAddress(address, offset, access, outOfBounds);
        if (value.IsImm)
        {
            switch (access.Width)
            {
                case 1: _asm.mov(__byte_ptr[m], (byte)value.Imm); break;
                case 2: _asm.mov(__word_ptr[m], (short)value.Imm); break;
                case 4: _code.MovMemImm(m, (int)value.Imm, false); break;
                default:
                    if (FitsInt32(value.Imm))
                    {
                        _code.MovMemImm(m, (int)value.Imm, true);
                    }
                    else
                    {
                        // r10 may be the base: the value goes through r11 after the address is formed in it.
                        _code.LeaRegMem(R11, m, true);
                        _code.MovReg64Imm(R10, value.Imm);
                        _code.MovMemReg(__[r11], R10, true);
                    }

                    break;
            }

            return;
        }

        var v = value.Reg;
        if (v.IsFloat)
        {
            _code.StoreFloat(m, FloatNumber(v), access.Width == 8);
            return;
        }

        switch (access.Width)
        {
            case 1: _asm.mov(__byte_ptr[m], B(v)); break;
            case 2: _asm.mov(__word_ptr[m], W(v)); break;
            case 4: _code.MovMemReg(m, General(v), false); break;
            default: _code.MovMemReg(m, General(v), true); break;
        }
    }

    public void MemorySize(Reg dst)
    {
        var memory = MemoryDefinition();
        _code.MovRegMem(General(dst), __[memory + MemoryDefinitionLayout.Size], true);
        _asm.shr(Q(dst), 16);
    }

    /// <summary>System V integer argument registers after rdi (which carries the context).</summary>
    private static readonly int[] s_builtinArgRegs = { Rsi, Rdx, Rcx, R8, R9 };

    public void CallBuiltin(BuiltinFunction function, ReadOnlySpan<BuiltinArg> args)
    {
        if (args.Length > s_builtinArgRegs.Length) throw new InvalidOperationException("too many builtin arguments");

        // Operands are immediates or frame slots (never registers), so the order of these loads is free.
        for (var i = 0; i < args.Length; i++)
        {
            var dst = new Reg(s_builtinArgRegs[i]);
            if (args[i].IsImm) MoveImm(dst, args[i].Value, args[i].Size);
            else LoadFrame(dst, (int)args[i].Value, args[i].Size);
        }

        // rsp is 16-byte aligned in the body; r14, r15, rbx, r12, r13 and rbp survive (callee-saved).
        _code.MovRegReg(Rdi, R15, true);
        _asm.call(__qword_ptr[r15 + _layout.Builtin(function)]);
    }

    public void BranchIfBuiltinTrapped(AsmLabel trap)
    {
        _code.TestRegReg(Rax, Rax, false);
        _code.JumpIf(ConditionCode.ne, L(trap));
    }

    public void LoadFuncRef(Reg dst, int functionIndex) => _code.MovRegMem(General(dst), __[r15 + _layout.FuncRef(functionIndex)], true);

    /// <summary>r10 = table <paramref name="table"/>'s definition; jumps to <paramref name="outOfBounds"/> unless index &lt; length (index is a zero-extended i32).</summary>
    private void CheckTableIndex(Reg index, int table, AsmLabel outOfBounds)
    {
        _code.MovRegMem(R10, __[r15 + _layout.Table(table)], true);
        _code.CmpRegMem(General(index), __[r10 + TableDefinitionLayout.Length], true);
        _code.JumpIf(ConditionCode.ae, L(outOfBounds));
    }

    public void TableSize(Reg dst, int table)
    {
        // The length never exceeds 2^32 - 1, so its low half is the whole value.
        _code.MovRegMem(R10, __[r15 + _layout.Table(table)], true);
        _code.MovRegMem(General(dst), __[r10 + TableDefinitionLayout.Length], false);
    }

    public void TableGet(Reg dst, Reg index, int table, AsmLabel outOfBounds)
    {
        CheckTableIndex(index, table, outOfBounds);
        _code.MovRegMem(R10, __[r10 + TableDefinitionLayout.Elements], true);
        _code.MovRegMem(General(dst), __[r10 + (Q(index) * 8)], true);
    }

    public void TableSet(Reg index, RegImm value, int table, AsmLabel outOfBounds)
    {
        CheckTableIndex(index, table, outOfBounds);
        _code.MovRegMem(R10, __[r10 + TableDefinitionLayout.Elements], true);
        if (!value.IsImm)
        {
            _code.MovMemReg(__[r10 + (Q(index) * 8)], General(value.Reg), true);
        }
        else if (FitsInt32(value.Imm))
        {
            _code.MovMemImm(__[r10 + (Q(index) * 8)], (int)value.Imm, true);
        }
        else
        {
            _code.MovReg64Imm(R11, value.Imm);
            _code.MovMemReg(__[r10 + (Q(index) * 8)], R11, true);
        }
    }

    public void CallIndirect(Reg index, int typeIndex, int table, int contextSaveOffset, int wasmOffset, AsmLabel undefinedElement, AsmLabel uninitializedElement, AsmLabel typeMismatch)
    {
        // Spec 4.4.7 call_indirect: bounds, then null, then the type (ids are canonical, so equal types have equal ids).
        CheckTableIndex(index, table, undefinedElement);
        _code.MovRegMem(R10, __[r10 + TableDefinitionLayout.Elements], true);
        _code.MovRegMem(R11, __[r10 + (Q(index) * 8)], true);
        _code.TestRegReg(R11, R11, true);
        _code.JumpIf(ConditionCode.e, L(uninitializedElement));
        _code.MovRegMem(R10, __[r15 + _layout.TypeId(typeIndex)], false);
        _asm.cmp(r10d, __dword_ptr[r11 + FuncRefLayout.TypeId]);
        _code.JumpIf(ConditionCode.ne, L(typeMismatch));
        CallFuncRef(r11, contextSaveOffset, wasmOffset);
    }

    public void LoadGlobal(Reg dst, int index, OperandSize size)
    {
        var cell = GlobalCell(index);
        if (size == OperandSize.S128) _asm.movdqu(X(dst), __xmmword_ptr[cell]);
        else if (dst.IsFloat) _code.LoadFloat(FloatNumber(dst), __[cell], size == OperandSize.S64);
        else _code.MovRegMem(General(dst), __[cell], size == OperandSize.S64);
    }

    public void StoreGlobal(int index, RegImm value, OperandSize size)
    {
        var cell = GlobalCell(index);
        if (value.IsImm)
        {
            if (size == OperandSize.S32) _code.MovMemImm(__[cell], (int)value.Imm, false);
            else if (FitsInt32(value.Imm)) _code.MovMemImm(__[cell], (int)value.Imm, true);
            else
            {
                _code.MovReg64Imm(R11, value.Imm);
                _code.MovMemReg(__[cell], R11, true);
            }
        }
        else if (size == OperandSize.S128)
        {
            _asm.movdqu(__xmmword_ptr[cell], X(value.Reg));
        }
        else if (value.Reg.IsFloat)
        {
            _code.StoreFloat(__[cell], FloatNumber(value.Reg), size == OperandSize.S64);
        }
        else if (size == OperandSize.S64)
        {
            _code.MovMemReg(__[cell], General(value.Reg), true);
        }
        else
        {
            _code.MovMemReg(__[cell], General(value.Reg), false);
        }
    }

    /// <summary>Where global <paramref name="index"/>'s value is: inline in the context, or (imported) behind the pointer in its slot, loaded into r10.</summary>
    private AssemblerMemoryOperand GlobalCell(int index)
    {
        var at = _layout.Global(index);
        if (!_layout.IsGlobalImported(index)) return __[r15 + at];
        _code.MovRegMem(R10, __[r15 + at], true);
        return __[r10];
    }

    private static int OutgoingBytes(int count) => ((count + 1) & ~1) * 8;

    /// <summary>
    /// In a function with a frame, the outgoing area is the bottom of the frame (sized for the largest call when the
    /// frame size is patched in <see cref="Finish"/>), so a call moves rsp neither before nor after.
    /// </summary>
    public void ReserveOutgoing(int count)
    {
        if (count <= 0) return;
        if (_hasFrame) _outgoingBytes = Math.Max(_outgoingBytes, OutgoingBytes(count));
        else _asm.sub(rsp, OutgoingBytes(count));
    }

    public void StoreOutgoing(int index, RegImm value)
    {
        if (!value.IsImm && value.Reg.IsFloat)
        {
            // All 64 bits of the slot: an f32's upper half is whatever the register's lane held, which readers ignore.
            _code.StoreFloat(__[rsp + (8 * index)], FloatNumber(value.Reg), true);
        }
        else if (!value.IsImm)
        {
            _code.MovMemReg(__[rsp + (8 * index)], General(value.Reg), true);
        }
        else if (FitsInt32(value.Imm))
        {
            _code.MovMemImm(__[rsp + (8 * index)], (int)value.Imm, true);
        }
        else
        {
            _code.MovReg64Imm(R11, value.Imm);
            _code.MovMemReg(__[rsp + (8 * index)], R11, true);
        }
    }

    public void StoreOutgoingFromFrame(int index, int frameOffset)
    {
        _code.MovRegMem(R11, __[rbp + frameOffset], true);
        _code.MovMemReg(__[rsp + (8 * index)], R11, true);
    }

    public void LoadOutgoingToFrame(int index, int frameOffset)
    {
        _code.MovRegMem(R11, __[rsp + (8 * index)], true);
        _code.MovMemReg(__[rbp + frameOffset], R11, true);
    }

    public void ReleaseOutgoing(int count)
    {
        if (count > 0 && !_hasFrame) _asm.add(rsp, OutgoingBytes(count));
    }

    public void CallFunction(int definedIndex, int wasmOffset)
    {
        if (LazyCalls is { } lazy)
        {
            CallFunctionLazily(lazy, definedIndex, wasmOffset);
            return;
        }

        var label = LabelHere();
        _code.CallRel32();
        _calls.Add((label, RelocationKind.Function, definedIndex));
        _callSites.Add((label, wasmOffset));
    }

    public void CallImport(int functionIndex, int contextSaveOffset, int wasmOffset)
    {
        _code.MovRegMem(R11, __[r15 + _layout.FuncRef(functionIndex)], true);
        CallFuncRef(r11, contextSaveOffset, wasmOffset);
    }

    /// <summary>Calls the function whose <see cref="FuncRefLayout"/> record <paramref name="record"/> points to, switching the context register for the call.</summary>
    private void CallFuncRef(AssemblerRegister64 record, int contextSaveOffset, int wasmOffset)
    {
        _code.MovMemReg(__[rbp + contextSaveOffset], R15, true);
        _code.MovRegMem(R15, __[record + FuncRefLayout.Context], true);
        _asm.call(__qword_ptr[record + FuncRefLayout.Code]);
        var label = LabelHere();
        _code.MovRegMem(R15, __[rbp + contextSaveOffset], true);
        _indirectCallSites.Add((label, wasmOffset));

        // The callee may belong to another instance, whose functions set r13 to their own memory's base.
        if (_memoryBaseLoaded) ReloadMemoryBase();
    }

    public void EmitTrap(TrapKind kind, int wasmOffset)
    {
        _code.MovReg32Imm(Rax, (int)kind);
        var label = LabelHere();
        _code.CallRel32();
        _calls.Add((label, RelocationKind.TrapStub, 0));
        _traps.Add((label, wasmOffset, kind));
    }

    public void EmitBuiltinTrap(int wasmOffset)
    {
        // eax still holds the builtin's trap code, which the trap stub passes on; the site's kind is recorded as 0 (known only at run time).
        var label = LabelHere();
        _code.CallRel32();
        _calls.Add((label, RelocationKind.TrapStub, 0));
        _traps.Add((label, wasmOffset, 0));
    }

    /// <summary>
    /// Forgets the function assembled so far so this instance can assemble the next one: a compile worker keeps one
    /// macro-assembler (and its Iced assembler, lists and encoder buffers) for all its functions instead of
    /// allocating them per function. Everything that shapes the output is reset, so reuse cannot change any byte.
    /// </summary>
    public void Reset()
    {
        _asm.Reset();
        _code.Reset();
        _calls.Clear();
        _traps.Clear();
        _callSites.Clear();
        _indirectCallSites.Clear();
        _frameSizeLabel = default;
        _hasFrame = false;
        _frameSlots = 0;
        _outgoingBytes = 0;
        _lastLabelAt = -1;
        _lastLabel = default;
        _memoryBaseLoaded = false;
    }

    public FunctionCode Finish()
    {
        // A label must be followed by an instruction (the end of the function is no place to jump to).
        if (_code.InstructionCount == _lastLabelAt) throw new InvalidOperationException("A label was bound after the last instruction.");
        var code = _code.Finish(out var chunk);
        var bytes = code.Span;

        if (_hasFrame)
        {
            // Patch the frame size into `sub rsp, imm32` (REX.W 81 /5 id).
            var at = _code.LabelOffset(_frameSizeLabel);
            if (bytes[at] != 0x48 || bytes[at + 1] != 0x81 || bytes[at + 2] != 0xEC) throw new InvalidOperationException("Unexpected prologue encoding.");
            var frameBytes = (((_frameSlots * 8) + 15) & ~15) + _outgoingBytes;
            BitConverter.TryWriteBytes(bytes.Slice(at + 3, 4), frameBytes);
        }

        // Exact-size arrays wrapped as immutable (no builders), the empty array when there is nothing.
        var relocations = _calls.Count == 0 ? [] : new Relocation[_calls.Count];
        for (var i = 0; i < relocations.Length; i++)
        {
            var (label, kind, target) = _calls[i];
            var at = _code.LabelOffset(label);
            if (bytes[at] != 0xE8) throw new InvalidOperationException("Unexpected call encoding.");
            relocations[i] = new Relocation(at + 1, kind, target);
        }

        var traps = _traps.Count == 0 ? [] : new FunctionTrapSite[_traps.Count];
        for (var i = 0; i < traps.Length; i++)
        {
            var (label, wasmOffset, kind) = _traps[i];
            traps[i] = new FunctionTrapSite(_code.LabelOffset(label) + 5, wasmOffset, kind);
        }

        return new FunctionCode(code, AsImmutable(relocations), AsImmutable(traps), CallSitesByReturnOffset(), chunk);
    }

    private static ImmutableArray<T> AsImmutable<T>(T[] array) => array.Length == 0 ? ImmutableArray<T>.Empty : ImmutableCollectionsMarshal.AsImmutableArray(array);

    /// <summary>Direct and indirect call sites by return offset: each list is in code order already, so a merge sorts them.</summary>
    private ImmutableArray<FunctionTrapSite> CallSitesByReturnOffset()
    {
        var count = _callSites.Count + _indirectCallSites.Count;
        if (count == 0) return ImmutableArray<FunctionTrapSite>.Empty;
        var sites = new FunctionTrapSite[count];
        int d = 0, r = 0, n = 0;
        while (n < count)
        {
            var direct = d < _callSites.Count ? _code.LabelOffset(_callSites[d].Label) + 5 : int.MaxValue;
            var indirect = r < _indirectCallSites.Count ? _code.LabelOffset(_indirectCallSites[r].Label) : int.MaxValue;
            sites[n++] = direct <= indirect
                ? new FunctionTrapSite(direct, _callSites[d++].WasmOffset, 0)
                : new FunctionTrapSite(indirect, _indirectCallSites[r++].WasmOffset, 0);
        }

        // Labels come in code order, so this holds; sort anyway should that ever change.
        for (var i = 1; i < count; i++)
        {
            if (sites[i - 1].ReturnOffset > sites[i].ReturnOffset)
            {
                Array.Sort(sites, s_byReturnOffset);
                break;
            }
        }

        return ImmutableCollectionsMarshal.AsImmutableArray(sites);
    }

    private static readonly Comparison<FunctionTrapSite> s_byReturnOffset = (a, b) => a.ReturnOffset.CompareTo(b.ReturnOffset);
}

/// <summary>Collects Iced's output bytes.</summary>
internal sealed class ByteCodeWriter : CodeWriter
{
    private readonly List<byte> _bytes = new();

    public override void WriteByte(byte value) => _bytes.Add(value);

    public byte[] ToArray() => _bytes.ToArray();
}
