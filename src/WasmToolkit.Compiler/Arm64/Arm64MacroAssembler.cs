using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using WasmToolkit.Compiler.Baseline;
using static WasmToolkit.Compiler.Arm64.Arm64Register;

namespace WasmToolkit.Compiler.Arm64;

/// <summary>
/// <see cref="IMacroAssembler"/> for ARM64 over <see cref="Arm64Assembler"/> (Winch <c>isa/aarch64/masm.rs</c>), following
/// the ABI of <c>docs/arm64-backend.md</c>: x28 the context, x27 the execution state, x26 memory 0's base, x29 the
/// frame pointer, x16/x17 and v30/v31 this class's scratch, x18 never used.
/// </summary>
/// <remarks>
/// This file: registers, labels, the frame and its slots, integer operations and branches. Floats are in
/// <c>.Float.cs</c>, linear memory, tables and globals in <c>.Memory.cs</c>, calls and traps in <c>.Calls.cs</c>.
/// i32 values are kept zero-extended for free: every <c>w</c> operation clears the upper half.
/// </remarks>
internal sealed partial class Arm64MacroAssembler : IMacroAssembler
{
    private static readonly Arm64Register Ctx = Arm64Abi.Context;
    private static readonly Arm64Register MemBase = Arm64Abi.MemoryBase;
    private static readonly Arm64Register Ip0 = Arm64Abi.Scratch0;
    private static readonly Arm64Register Ip1 = Arm64Abi.Scratch1;

    /// <summary>v31: float scratch (popcnt's byte counts, truncation bounds, intermediate vectors of SIMD sequences).</summary>
    private const int FloatScratchA = 31;

    /// <summary>v30: the second float scratch, for SIMD sequences that need two intermediate vectors (v30 and v31 are also the consecutive table pair of a two-register tbl).</summary>
    private const int FloatScratchB = 30;

    private readonly Arm64Assembler _asm = new();
    private readonly List<Arm64Label> _labels = new();
    private VmContextLayout _layout;

    /// <summary>Word position of the two <c>sub sp</c> instructions of the prologue, patched with the frame size by <see cref="Finish"/>; -1 without a frame.</summary>
    private int _frameSizeAt = -1;
    private bool _frameEntered;
    private int _frameSlots;

    public Arm64MacroAssembler(VmContextLayout layout) => _layout = layout;

    /// <summary>The module's context layout the code addresses (set again when a pooled worker compiles another module).</summary>
    internal VmContextLayout Layout
    {
        set => _layout = value;
    }

    /// <summary>x0–x15, x19–x25 and v0–v29.</summary>
    public RegSet Allocatable { get; } = new(0xFFFFUL | (0x7FUL << 19) | (((1UL << 30) - 1) << Reg.FirstFloat));

    public Reg ReturnRegister => new(0);

    public Reg FloatMergeRegister => Reg.Float(0);

    /// <summary>x26: AAPCS64 callee-saved, so builtins and host calls keep it; never allocatable.</summary>
    public Reg MemoryBaseRegister => new(26);

    /// <summary>Division and shifts take any registers.</summary>
    public RegSet DivisionClobbers => RegSet.Empty;

    public RegSet ShiftClobbers => RegSet.Empty;

    // A register of the wrong class is a compiler bug: fail the compilation rather than emit code for another register.
    private static Arm64Register Xr(Reg r) => X(General(r));

    private static Arm64Register Wr(Reg r) => W(General(r));

    /// <summary>The general register in the width of <paramref name="size"/>.</summary>
    private static Arm64Register G(Reg r, OperandSize size) => size == OperandSize.S64 ? Xr(r) : Wr(r);

    /// <summary>The float register as <c>d</c> (f64) or <c>s</c> (f32).</summary>
    private static Arm64Register F(Reg r, OperandSize size) => size == OperandSize.S64 ? D(FloatNumber(r)) : S(FloatNumber(r));

    private static int General(Reg r) => r.Code < 31 ? r.Code : throw WrongClass(r);

    private static int FloatNumber(Reg r) => r.IsFloat ? r.Number : throw WrongClass(r);

    private static CompileFailure WrongClass(Reg r) => new(CompileErrorKind.Internal, $"register {r} used in the wrong class");

    private static Arm64Register Zr(OperandSize size) => size == OperandSize.S64 ? Xzr : Wzr;

    private void Emit(in Arm64Instruction instruction) => _asm.Emit(instruction);

    public AsmLabel CreateLabel()
    {
        _labels.Add(_asm.CreateLabel());
        return new AsmLabel(_labels.Count - 1);
    }

    public void Bind(AsmLabel label)
    {
        if (!_asm.TryBind(L(label), out _)) throw new Arm64BranchesOutOfReach();
    }

    /// <summary>
    /// Set by the compile worker for a second attempt after <see cref="Arm64BranchesOutOfReach"/>: every conditional
    /// branch to a label (±1 MiB) becomes the inverted branch over a <c>b</c> (±128 MiB). Kept across <see cref="Reset"/>.
    /// </summary>
    public bool LongBranches { get; set; }

    /// <summary><c>b.cond label</c>, or in <see cref="LongBranches"/> mode <c>b.!cond skip; b label; skip:</c>.</summary>
    private void BranchTo(Arm64Condition condition, Arm64Label label)
    {
        if (LongBranches)
        {
            var skip = _asm.CreateLabel();
            _asm.B(condition.Invert(), skip);
            _asm.B(label);
            _asm.Bind(skip);
            return;
        }

        CheckBackwardReach(label);
        _asm.B(condition, label);
    }

    /// <summary><c>cbz</c>/<c>cbnz</c> (<paramref name="nonZero"/>) to a label, long like <see cref="BranchTo"/> when needed.</summary>
    private void CompareBranchTo(Arm64Register r, bool nonZero, Arm64Label label)
    {
        if (LongBranches)
        {
            var skip = _asm.CreateLabel();
            if (nonZero) _asm.Cbz(r, skip); else _asm.Cbnz(r, skip);
            _asm.B(label);
            _asm.Bind(skip);
            return;
        }

        CheckBackwardReach(label);
        if (nonZero) _asm.Cbnz(r, label); else _asm.Cbz(r, label);
    }

    /// <summary>A bound label more than 1 MiB back is out of a conditional branch's reach: retry the function with long branches.</summary>
    private void CheckBackwardReach(Arm64Label label)
    {
        if (_asm.TryGetLabelOffset(label, out var at) && _asm.Position - at >= 1 << 20) throw new Arm64BranchesOutOfReach();
    }

    private Arm64Label L(AsmLabel label) => _labels[label.Id];

    // ---- frame ----

    public int ParameterOffset(int index) => Arm64Abi.ParameterOffset + (8 * index);

    public int SlotOffset(int index) => -8 * (index + 1);

    /// <summary>
    /// Nothing yet: <see cref="CheckStack"/>, which the compiler calls next, emits the whole prologue through
    /// <see cref="Arm64Abi.EmitPrologue"/> (the frame record, the frame reservation and the stack-limit check are one sequence there).
    /// </summary>
    public void EnterFrame() => _frameEntered = true;

    public void SetFrameSlots(int slots) => _frameSlots = slots;

    public void CheckStack(AsmLabel trap)
    {
        if (!_frameEntered || _frameSizeAt >= 0) throw new InvalidOperationException("CheckStack belongs right after EnterFrame.");

        // A placeholder size that makes EmitPrologue reserve with two instructions (lsl #12 and low part); Finish patches both.
        const int placeholder = 0x1010;
        _frameSizeAt = (_asm.Position / 4) + 2;
        if (!LongBranches)
        {
            Arm64Abi.EmitPrologue(_asm, placeholder, L(trap));
            return;
        }

        // The prologue's b.lo reaches a b to the trap site right after it.
        var near = _asm.CreateLabel();
        var body = _asm.CreateLabel();
        Arm64Abi.EmitPrologue(_asm, placeholder, near);
        _asm.B(body);
        _asm.Bind(near);
        _asm.B(L(trap));
        _asm.Bind(body);
    }

    public void ZeroSlots(int first, int count)
    {
        if (count <= 0) return;
        if (count <= 16)
        {
            for (var i = 0; i < count; i++) StoreTo(Xzr, Arm64Register.Fp, SlotOffset(first + i), Ip0);
            return;
        }

        // A loop from the lowest slot up: x16 walks the slots, x17 counts them.
        var loop = _asm.CreateLabel();
        AddConstant(Ip0, Arm64Register.Fp, SlotOffset(first + count - 1));
        _asm.MovImmediate(Ip1, (ulong)count);
        _asm.Bind(loop);
        Emit(new Arm64Instruction { Code = Arm64Code.Str, Rd = Xzr, Memory = Arm64Memory.PostIndex(Ip0, 8) });
        Emit(new Arm64Instruction { Code = Arm64Code.SubsImm, Rd = Ip1, Rn = Ip1, Immediate = 1 });
        _asm.B(Arm64Condition.Ne, loop);
    }

    public void LeaveFrameAndReturn() => Arm64Abi.EmitEpilogue(_asm);

    /// <summary>rd = rn + value (any 64-bit value; rd may be sp-free scratch).</summary>
    private void AddConstant(Arm64Register rd, Arm64Register rn, long value)
    {
        if (value >= 0 && Arm64Immediates.TryEncodeAddSub(value, out _, out _)) _asm.Add(rd, rn, (int)value);
        else if (value < 0 && value > int.MinValue && Arm64Immediates.TryEncodeAddSub(-value, out _, out _)) _asm.Sub(rd, rn, (int)-value);
        else
        {
            _asm.MovImmediate(rd, (ulong)value);
            _asm.Add(rd, rn, rd);
        }
    }

    // ---- loads and stores at a base register and a constant offset (frame, context, outgoing area) ----

    /// <summary>
    /// Loads <paramref name="bytes"/> bytes at [baseRegister + offset] into <paramref name="rt"/> (its kind gives the
    /// width of w/x/s/d loads; <paramref name="signed"/> narrow loads sign-extend): the scaled form, else <c>ldur</c>
    /// (±256), else the offset in <paramref name="scratch"/> as an index.
    /// </summary>
    private void LoadFrom(Arm64Register rt, Arm64Register baseRegister, long offset, Arm64Register scratch, int bytes = 0, bool signed = false)
    {
        if (bytes == 0) bytes = RegisterBytes(rt);
        var (scaled, unscaled) = (bytes, signed) switch
        {
            (1, false) => (Arm64Code.Ldrb, Arm64Code.Ldurb),
            (1, true) => (Arm64Code.Ldrsb, Arm64Code.Ldursb),
            (2, false) => (Arm64Code.Ldrh, Arm64Code.Ldurh),
            (2, true) => (Arm64Code.Ldrsh, Arm64Code.Ldursh),
            (4, true) when rt.Kind == Arm64RegisterKind.X => (Arm64Code.Ldrsw, Arm64Code.Ldursw),
            _ => (Arm64Code.Ldr, Arm64Code.Ldur),
        };
        Transfer(scaled, unscaled, rt, baseRegister, offset, bytes, scratch);
    }

    /// <summary>Stores the low <paramref name="bytes"/> bytes of <paramref name="rt"/> at [baseRegister + offset] (0: the register's width).</summary>
    private void StoreTo(Arm64Register rt, Arm64Register baseRegister, long offset, Arm64Register scratch, int bytes = 0)
    {
        if (bytes == 0) bytes = RegisterBytes(rt);
        var (scaled, unscaled) = bytes switch
        {
            1 => (Arm64Code.Strb, Arm64Code.Sturb),
            2 => (Arm64Code.Strh, Arm64Code.Sturh),
            _ => (Arm64Code.Str, Arm64Code.Stur),
        };
        if (bytes < 4 && rt.Is64Bit) rt = rt.AsW();
        Transfer(scaled, unscaled, rt, baseRegister, offset, bytes, scratch);
    }

    /// <summary>The bytes a whole-register load or store of <paramref name="rt"/> moves: 4 (w, s), 8 (x, d) or 16 (q).</summary>
    private static int RegisterBytes(Arm64Register rt) => rt.Kind == Arm64RegisterKind.Q ? 16 : rt.Is64Bit ? 8 : 4;

    private void Transfer(Arm64Code scaled, Arm64Code unscaled, Arm64Register rt, Arm64Register baseRegister, long offset, int bytes, Arm64Register scratch)
    {
        if (offset >= 0 && offset % bytes == 0 && offset / bytes <= 4095)
        {
            Emit(new Arm64Instruction { Code = scaled, Rd = rt, Memory = Arm64Memory.At(baseRegister, offset) });
        }
        else if (offset is >= -256 and <= 255)
        {
            Emit(new Arm64Instruction { Code = unscaled, Rd = rt, Memory = Arm64Memory.At(baseRegister, offset) });
        }
        else
        {
            _asm.MovImmediate(scratch.AsX(), (ulong)offset);
            Emit(new Arm64Instruction { Code = scaled, Rd = rt, Memory = Arm64Memory.Indexed(baseRegister, scratch.AsX()) });
        }
    }

    /// <summary>The register of <paramref name="r"/> as loads and stores of a wasm value of <paramref name="size"/> see it (q for a v128).</summary>
    private static Arm64Register ValueRegister(Reg r, OperandSize size)
        => size == OperandSize.S128 ? Q(FloatNumber(r)) : r.IsFloat ? F(r, size) : G(r, size);

    // ---- moves ----

    public void Move(Reg dst, Reg src, OperandSize size)
    {
        if (dst == src) return;
        if (size == OperandSize.S128)
        {
            // A v128 moves all 128 bits (mov v.16b, orr of one register); fmov d would clear the upper half.
            MoveVector(FloatNumber(dst), FloatNumber(src));
        }
        else if (dst.IsFloat && src.IsFloat)
        {
            // All 64 bits: an f32 moves with its register.
            Emit(Arm64Instruction.Create(Arm64Code.Fmov, D(dst.Number), D(src.Number)));
        }
        else if (dst.IsFloat || src.IsFloat)
        {
            // fmov w, s clears the upper half, keeping the i32 invariant for f32 bit patterns.
            Emit(Arm64Instruction.Create(Arm64Code.Fmov, ValueRegister(dst, size), ValueRegister(src, size)));
        }
        else
        {
            _asm.Mov(G(dst, size), G(src, size));
        }
    }

    public void MoveImm(Reg dst, long imm, OperandSize size)
    {
        if (dst.IsFloat)
        {
            var bits = size == OperandSize.S64 ? (ulong)imm : (uint)imm;
            if (bits == 0)
            {
                Emit(Arm64Instruction.Create(Arm64Code.Fmov, F(dst, size), Zr(size)));
                return;
            }

            _asm.MovImmediate(size == OperandSize.S64 ? Ip0 : Ip0.AsW(), bits);
            Emit(Arm64Instruction.Create(Arm64Code.Fmov, F(dst, size), size == OperandSize.S64 ? Ip0 : Ip0.AsW()));
            return;
        }

        _asm.MovImmediate(G(dst, size), size == OperandSize.S64 ? (ulong)imm : (uint)imm);
    }

    public void LoadFrame(Reg dst, int offset, OperandSize size) => LoadFrom(ValueRegister(dst, size), Arm64Register.Fp, offset, Ip0);

    public void StoreFrame(int offset, Reg src, OperandSize size) => StoreTo(ValueRegister(src, size), Arm64Register.Fp, offset, Ip0);

    public void StoreFrameImm(int offset, long imm, OperandSize size) => StoreTo(ImmediateRegister(imm, size, Ip1), Arm64Register.Fp, offset, Ip0);

    /// <summary>The zero register for 0, else <paramref name="scratch"/> loaded with the value, in the width of <paramref name="size"/>.</summary>
    private Arm64Register ImmediateRegister(long imm, OperandSize size, Arm64Register scratch)
    {
        var value = size == OperandSize.S64 ? (ulong)imm : (uint)imm;
        if (value == 0) return Zr(size);
        var r = size == OperandSize.S64 ? scratch.AsX() : scratch.AsW();
        _asm.MovImmediate(r, value);
        return r;
    }

    public void CopyFrame(int dstOffset, int srcOffset, OperandSize size)
    {
        if (dstOffset == srcOffset) return;
        if (size == OperandSize.S128)
        {
            LoadFrom(Q(FloatScratchA), Arm64Register.Fp, srcOffset, Ip0);
            StoreTo(Q(FloatScratchA), Arm64Register.Fp, dstOffset, Ip0);
            return;
        }

        LoadFrom(Ip1, Arm64Register.Fp, srcOffset, Ip0);
        StoreTo(Ip1, Arm64Register.Fp, dstOffset, Ip0);
    }

    // ---- integers ----

    public void Binary(BinaryOp op, Reg dst, Reg lhs, RegImm rhs, OperandSize size)
    {
        var d = G(dst, size);
        var n = G(lhs, size);
        if (rhs.IsImm)
        {
            var is64 = size == OperandSize.S64;
            var value = is64 ? rhs.Imm : (int)rhs.Imm;
            switch (op)
            {
                case BinaryOp.Add or BinaryOp.Sub:
                {
                    var add = op == BinaryOp.Add;
                    if (value < 0 && value != long.MinValue)
                    {
                        add = !add;
                        value = -value;
                    }

                    if (value >= 0 && Arm64Immediates.TryEncodeAddSub(value, out _, out _))
                    {
                        if (add) _asm.Add(d, n, (int)value); else _asm.Sub(d, n, (int)value);
                        return;
                    }

                    break;
                }

                case BinaryOp.And or BinaryOp.Or or BinaryOp.Xor:
                {
                    var bits = is64 ? (ulong)value : (uint)value;
                    if (Arm64Immediates.TryEncodeLogical(bits, is64, out _))
                    {
                        var code = op switch { BinaryOp.And => Arm64Code.AndImm, BinaryOp.Or => Arm64Code.OrrImm, _ => Arm64Code.EorImm };
                        Emit(new Arm64Instruction { Code = code, Rd = d, Rn = n, Immediate = (long)bits });
                        return;
                    }

                    break;
                }
            }

            EmitBinary(op, d, n, ImmediateRegister(rhs.Imm, size, Ip0));
            return;
        }

        EmitBinary(op, d, n, G(rhs.Reg, size));
    }

    private void EmitBinary(BinaryOp op, Arm64Register d, Arm64Register n, Arm64Register m)
    {
        switch (op)
        {
            case BinaryOp.Add: _asm.Add(d, n, m); break;
            case BinaryOp.Sub: _asm.Sub(d, n, m); break;
            case BinaryOp.Mul: _asm.Mul(d, n, m); break;
            case BinaryOp.And: Emit(Arm64Instruction.Create(Arm64Code.And, d, n, m)); break;
            case BinaryOp.Or: Emit(Arm64Instruction.Create(Arm64Code.Orr, d, n, m)); break;
            case BinaryOp.Xor: Emit(Arm64Instruction.Create(Arm64Code.Eor, d, n, m)); break;
        }
    }

    public void Shift(ShiftOp op, Reg dst, Reg lhs, RegImm rhs, OperandSize size)
    {
        var d = G(dst, size);
        var n = G(lhs, size);
        var width = size == OperandSize.S64 ? 64 : 32;
        if (rhs.IsImm)
        {
            // Spec 4.3.2: the count is taken modulo the width.
            var count = (int)(rhs.Imm & (width - 1));
            if (count == 0)
            {
                Move(dst, lhs, size);
                return;
            }

            switch (op)
            {
                case ShiftOp.Shl: _asm.Lsl(d, n, count); break;
                case ShiftOp.ShrS: _asm.Asr(d, n, count); break;
                case ShiftOp.ShrU: _asm.Lsr(d, n, count); break;
                case ShiftOp.Rotr: _asm.Ror(d, n, count); break;
                case ShiftOp.Rotl: _asm.Ror(d, n, width - count); break;
            }

            return;
        }

        // The register forms take the count modulo the width themselves; rotl is a right rotation by the negated count.
        var m = G(rhs.Reg, size);
        switch (op)
        {
            case ShiftOp.Shl: Emit(Arm64Instruction.Create(Arm64Code.Lslv, d, n, m)); break;
            case ShiftOp.ShrS: Emit(Arm64Instruction.Create(Arm64Code.Asrv, d, n, m)); break;
            case ShiftOp.ShrU: Emit(Arm64Instruction.Create(Arm64Code.Lsrv, d, n, m)); break;
            case ShiftOp.Rotr: Emit(Arm64Instruction.Create(Arm64Code.Rorv, d, n, m)); break;
            case ShiftOp.Rotl:
                var negated = size == OperandSize.S64 ? Ip0 : Ip0.AsW();
                _asm.Neg(negated, m);
                Emit(Arm64Instruction.Create(Arm64Code.Rorv, d, n, negated));
                break;
        }
    }

    public void Divide(DivOp op, Reg dst, Reg lhs, Reg rhs, OperandSize size, AsmLabel divideByZero, AsmLabel overflow)
    {
        var d = G(dst, size);
        var n = G(lhs, size);
        var m = G(rhs, size);

        // sdiv/udiv give 0 for a zero divisor and sdiv gives INT_MIN for INT_MIN / -1: both checked here.
        CompareBranchTo(m, nonZero: false, L(divideByZero));
        if (op == DivOp.DivS)
        {
            // rhs == -1 (cmn sets Z), then lhs - 1 overflows (V) exactly for INT_MIN; otherwise nzcv = 0.
            _asm.Cmn(m, 1);
            Emit(new Arm64Instruction { Code = Arm64Code.CcmpImm, Rn = n, Immediate = 1, Immediate2 = 0, Condition = Arm64Condition.Eq });
            BranchTo(Arm64Condition.Vs, L(overflow));
        }

        var signed = op is DivOp.DivS or DivOp.RemS;
        var divide = signed ? Arm64Code.Sdiv : Arm64Code.Udiv;
        if (op is DivOp.DivS or DivOp.DivU)
        {
            Emit(Arm64Instruction.Create(divide, d, n, m));
            return;
        }

        // rem = lhs - (lhs / rhs) * rhs; for INT_MIN rem_s -1 the quotient wraps to INT_MIN and the product back to INT_MIN: 0, as wasm wants.
        var q = size == OperandSize.S64 ? Ip0 : Ip0.AsW();
        Emit(Arm64Instruction.Create(divide, q, n, m));
        Emit(Arm64Instruction.Create(Arm64Code.Msub, d, q, m, n));
    }

    public void Unary(UnaryOp op, Reg dst, Reg src, OperandSize size)
    {
        var d = G(dst, size);
        var n = G(src, size);
        switch (op)
        {
            case UnaryOp.Clz:
                Emit(Arm64Instruction.Create(Arm64Code.Clz, d, n));
                break;
            case UnaryOp.Ctz:
                Emit(Arm64Instruction.Create(Arm64Code.Rbit, d, n));
                Emit(Arm64Instruction.Create(Arm64Code.Clz, d, d));
                break;
            case UnaryOp.Popcnt:
            {
                // Bytes counted in v31 (fmov s31, w clears the upper half for i32), summed by addv, moved back.
                var v = D(FloatScratchA);
                Emit(Arm64Instruction.Create(Arm64Code.Fmov, size == OperandSize.S64 ? v : S(FloatScratchA), n));
                Emit(Arm64Instruction.Create(Arm64Code.Cnt, v, v));
                Emit(Arm64Instruction.Create(Arm64Code.Addv, v, v));
                Emit(Arm64Instruction.Create(Arm64Code.Fmov, d.AsW(), S(FloatScratchA)));
                break;
            }
        }
    }

    private static Arm64Condition Cc(Condition cond) => cond switch
    {
        Condition.Eq => Arm64Condition.Eq,
        Condition.Ne => Arm64Condition.Ne,
        Condition.LtS => Arm64Condition.Lt,
        Condition.LtU => Arm64Condition.Lo,
        Condition.GtS => Arm64Condition.Gt,
        Condition.GtU => Arm64Condition.Hi,
        Condition.LeS => Arm64Condition.Le,
        Condition.LeU => Arm64Condition.Ls,
        Condition.GeS => Arm64Condition.Ge,
        _ => Arm64Condition.Hs,
    };

    /// <summary>Sets the flags for <c>lhs - rhs</c>: cmp or cmn with an immediate when one fits, else through x16.</summary>
    private void EmitCompare(Reg lhs, RegImm rhs, OperandSize size)
    {
        var n = G(lhs, size);
        if (!rhs.IsImm)
        {
            _asm.Cmp(n, G(rhs.Reg, size));
            return;
        }

        var value = size == OperandSize.S64 ? rhs.Imm : (int)rhs.Imm;
        if (value >= 0 && Arm64Immediates.TryEncodeAddSub(value, out _, out _)) _asm.Cmp(n, (int)value);
        else if (value < 0 && value != long.MinValue && Arm64Immediates.TryEncodeAddSub(-value, out _, out _)) _asm.Cmn(n, (int)-value);
        else _asm.Cmp(n, ImmediateRegister(rhs.Imm, size, Ip0));
    }

    public void Compare(Condition cond, Reg dst, Reg lhs, RegImm rhs, OperandSize size)
    {
        EmitCompare(lhs, rhs, size);
        _asm.Cset(Wr(dst), Cc(cond));
    }

    public void Eqz(Reg dst, Reg src, OperandSize size)
    {
        _asm.Cmp(G(src, size), 0);
        _asm.Cset(Wr(dst), Arm64Condition.Eq);
    }

    public void Extend(ExtendOp op, Reg dst, Reg src)
    {
        switch (op)
        {
            case ExtendOp.I32Extend8S: _asm.SignExtend(Wr(dst), Wr(src), 8); break;
            case ExtendOp.I32Extend16S: _asm.SignExtend(Wr(dst), Wr(src), 16); break;
            case ExtendOp.I64Extend8S: _asm.SignExtend(Xr(dst), Xr(src), 8); break;
            case ExtendOp.I64Extend16S: _asm.SignExtend(Xr(dst), Xr(src), 16); break;
            case ExtendOp.I64Extend32S: _asm.SignExtend(Xr(dst), Xr(src), 32); break;
            default:
                // A 32-bit move clears the upper half.
                _asm.Mov(Wr(dst), Wr(src));
                break;
        }
    }

    public void Select(Reg dst, Reg other, Reg cond, OperandSize size)
    {
        _asm.Cmp(Wr(cond), 0);
        if (size == OperandSize.S128)
        {
            // No vector csel: a mask of all ones when cond is 0 (csetm, dup), and bit inserts other's bits under it.
            Emit(new Arm64Instruction { Code = Arm64Code.Csinv, Rd = Ip0, Rn = Xzr, Rm = Xzr, Condition = Arm64Condition.Ne });
            Emit(Arm64Instruction.Create(Arm64Code.DupGeneral, V2D(FloatScratchA), Ip0));
            Emit(Arm64Instruction.Create(Arm64Code.Bit, V16B(FloatNumber(dst)), V16B(FloatNumber(other)), V16B(FloatScratchA)));
            return;
        }

        if (dst.IsFloat)
        {
            Emit(new Arm64Instruction { Code = Arm64Code.Fcsel, Rd = D(dst.Number), Rn = D(dst.Number), Rm = D(FloatNumber(other)), Condition = Arm64Condition.Ne });
            return;
        }

        Emit(new Arm64Instruction { Code = Arm64Code.Csel, Rd = G(dst, size), Rn = G(dst, size), Rm = G(other, size), Condition = Arm64Condition.Ne });
    }

    public void Jump(AsmLabel label) => _asm.B(L(label));

    public void BranchIf(Condition cond, Reg lhs, RegImm rhs, OperandSize size, AsmLabel label)
    {
        if (rhs.IsImm && rhs.Imm == 0 && cond is Condition.Eq or Condition.Ne)
        {
            CompareBranchTo(G(lhs, size), cond == Condition.Ne, L(label));
            return;
        }

        EmitCompare(lhs, rhs, size);
        BranchTo(Cc(cond), L(label));
    }

    public void JumpTable(Reg index, ReadOnlySpan<AsmLabel> targets, AsmLabel defaultTarget)
    {
        // A table of branches: bounds check, then jump to table + 4 * index, where `b target` i sits.
        var i = Wr(index);
        EmitCompare(index, RegImm.Of(targets.Length), OperandSize.S32);
        BranchTo(Arm64Condition.Hs, L(defaultTarget));
        var table = _asm.CreateLabel();
        _asm.Adr(Ip0, table);
        Emit(new Arm64Instruction { Code = Arm64Code.AddExt, Rd = Ip0, Rn = Ip0, Rm = i, Extend = Arm64Extend.Uxtw, ShiftAmount = 2 });
        Emit(new Arm64Instruction { Code = Arm64Code.Br, Rn = Ip0 });
        _asm.Bind(table);
        foreach (var target in targets) _asm.B(L(target));
    }

    /// <summary>
    /// Forgets the function assembled so far so this instance can assemble the next one (a compile worker keeps one
    /// macro-assembler for all its functions); everything that shapes the output is reset.
    /// </summary>
    public void Reset()
    {
        _asm.Reset();
        _labels.Clear();
        _relocations.Clear();
        _traps.Clear();
        _callSites.Clear();
        _frameSizeAt = -1;
        _frameEntered = false;
        _frameSlots = 0;
        _memoryBaseLoaded = false;
    }

    public FunctionCode Finish()
    {
        if (_frameEntered && _frameSizeAt < 0) throw new InvalidOperationException("EnterFrame without CheckStack: no prologue was emitted.");
        var bytes = new byte[_asm.Position];
        if (_frameSizeAt >= 0)
        {
            var frameBytes = ((_frameSlots * 8) + 15) & ~15;
            if (frameBytes > 0xFFF_FFF) throw CompileFailure.Unsupported($"a frame of {frameBytes} bytes (ARM64 frames are limited to 16 MiB)");
            var high = frameBytes & ~0xFFF;
            var low = frameBytes & 0xFFF;
            var sp = Arm64Register.Sp;
            var patch = new uint[2];
            patch[0] = high != 0 ? Arm64Encoder.Encode(new Arm64Instruction { Code = Arm64Code.SubImm, Rd = sp, Rn = sp, Immediate = high >> 12, ShiftAmount = 12 }) : NopWord;
            patch[1] = low != 0 ? Arm64Encoder.Encode(new Arm64Instruction { Code = Arm64Code.SubImm, Rd = sp, Rn = sp, Immediate = low }) : NopWord;
            _asm.CopyTo(bytes);
            BitConverter.TryWriteBytes(bytes.AsSpan(_frameSizeAt * 4, 4), patch[0]);
            BitConverter.TryWriteBytes(bytes.AsSpan((_frameSizeAt + 1) * 4, 4), patch[1]);
        }
        else
        {
            _asm.CopyTo(bytes);
        }

        var callSites = _callSites.ToArray();
        Array.Sort(callSites, s_byReturnOffset);
        return new FunctionCode(bytes, _relocations.ToImmutableArray(), _traps.ToImmutableArray(), ImmutableArray.Create(callSites));
    }

    private const uint NopWord = 0xD503_201F;

    private static readonly Comparison<FunctionTrapSite> s_byReturnOffset = (a, b) => a.ReturnOffset.CompareTo(b.ReturnOffset);
}
