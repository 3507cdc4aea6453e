using WasmToolkit.Instructions;

namespace WasmToolkit.Compiler.Baseline;

// The SIMD instructions (prefix 0xFD). They are grouped by stack shape, read from the opcode table, and each group pops
// and pushes like its scalar counterpart; the macro-assembler lowers the opcode itself (IMacroAssembler.Simd.cs).
// v128 values are never constants on the value stack: v128.const materialises its register at once.
internal sealed partial class FunctionCompiler
{
    private void EmitSimd(ref InstructionReader r)
    {
        const OperandSize V = OperandSize.S128;
        var op = r.Opcode;
        var info = r.Info ?? throw CompileFailure.Invalid("unknown instruction");
        if (!_m.SupportsSimd) throw CompileFailure.Unsupported("instruction " + info.Name);

        switch (info.Immediate)
        {
            case ImmediateKind.Memarg when info.Results.Length == 1:
                SimdLoad(op, r.MemArg, info.AccessSize, lane: 0, withVector: false);
                return;
            case ImmediateKind.Memarg:
                SimdStore(op, r.MemArg, info.AccessSize, lane: 0);
                return;
            case ImmediateKind.MemargLane when info.Results.Length == 1:
                SimdLoad(op, r.MemArg, info.AccessSize, r.Lane, withVector: true);
                return;
            case ImmediateKind.MemargLane:
                SimdStore(op, r.MemArg, info.AccessSize, r.Lane);
                return;
            case ImmediateKind.V128:
            {
                var dst = Alloc(isFloat: true);
                _m.SimdConst(dst, r.V128);
                PushReg(dst, V);
                return;
            }

            case ImmediateKind.Shuffle:
            {
                var rhs = PopOperandReg(V);
                var lhs = PopOperandReg(V);
                var dst = ResultRegister(lhs);
                _m.SimdShuffle(dst, lhs, rhs, r.V128);
                FreeOperandUnless(rhs, dst);
                FreeOperandUnless(lhs, dst);
                PushReg(dst, V);
                return;
            }

            case ImmediateKind.Lane when info.Operands.Length == 1:
            {
                // extract_lane: v128 -> scalar.
                var result = info.Results[0];
                var src = PopOperandReg(V);
                var dst = Alloc(IsFloat(result));
                _m.SimdExtractLane(op, dst, src, r.Lane);
                FreeOperand(RegImm.Of(src));
                PushReg(dst, SizeOf(result, "lane"));
                return;
            }

            case ImmediateKind.Lane:
            {
                // replace_lane: v128 scalar -> v128.
                var value = PopOperandReg(SizeOf(info.Operands[1], "lane"));
                var vector = PopOperandReg(V);
                var dst = ResultRegister(vector);
                _m.SimdReplaceLane(op, dst, vector, value, r.Lane);
                FreeOperand(RegImm.Of(value));
                FreeOperandUnless(vector, dst);
                PushReg(dst, V);
                return;
            }

            case ImmediateKind.None:
                break;
            default:
                throw CompileFailure.Unsupported("instruction " + info.Name);
        }

        var operands = info.Operands;
        if (info.Results.Length != 1) throw CompileFailure.Unsupported("instruction " + info.Name);
        var resultIsVector = info.Results[0].Kind == ValTypeKind.V128;
        switch (operands.Length)
        {
            case 1 when operands[0].Kind != ValTypeKind.V128:
            {
                // splat: scalar -> v128.
                var src = PopOperandReg(SizeOf(operands[0], "splat"));
                var dst = Alloc(isFloat: true);
                _m.SimdSplat(op, dst, src);
                FreeOperand(RegImm.Of(src));
                PushReg(dst, V);
                return;
            }

            case 1 when !resultIsVector:
            {
                // any_true, all_true, bitmask: v128 -> i32.
                var src = PopOperandReg(V);
                var dst = Alloc();
                _m.SimdTest(op, dst, src);
                FreeOperand(RegImm.Of(src));
                PushReg(dst, OperandSize.S32);
                return;
            }

            case 1:
            {
                var src = PopOperandReg(V);
                var dst = ResultRegister(src);
                _m.SimdUnary(op, dst, src);
                FreeOperandUnless(src, dst);
                PushReg(dst, V);
                return;
            }

            case 2 when operands[1].Kind != ValTypeKind.V128:
            {
                // Shifts: v128 i32 -> v128; the count may stay an immediate.
                var count = PopRegImm();
                var lhs = PopOperandReg(V);
                var dst = ResultRegister(lhs);
                _m.SimdShift(op, dst, lhs, count);
                FreeOperand(count);
                FreeOperandUnless(lhs, dst);
                PushReg(dst, V);
                return;
            }

            case 2:
            {
                var rhs = PopOperandReg(V);
                var lhs = PopOperandReg(V);
                var dst = ResultRegister(lhs);
                _m.SimdBinary(op, dst, lhs, rhs);
                FreeOperandUnless(rhs, dst);
                FreeOperandUnless(lhs, dst);
                PushReg(dst, V);
                return;
            }

            case 3:
            {
                var mask = PopOperandReg(V);
                var v2 = PopOperandReg(V);
                var v1 = PopOperandReg(V);
                var dst = ResultRegister(v1);
                _m.SimdBitselect(dst, v1, v2, mask);
                FreeOperandUnless(mask, dst);
                FreeOperandUnless(v2, dst);
                FreeOperandUnless(v1, dst);
                PushReg(dst, V);
                return;
            }

            default:
                throw CompileFailure.Unsupported("instruction " + info.Name);
        }
    }

    /// <summary>A v128 load of <paramref name="width"/> bytes; a lane load also pops the vector whose lane it replaces.</summary>
    private void SimdLoad(Opcode op, MemArg memArg, int width, int lane, bool withVector)
    {
        RequireMemory(memArg.Memory);
        Reg dst = default;
        if (withVector) dst = PopReg();
        var local = ValueLocal(0);
        var address = PopOperand();
        if (!withVector) dst = Alloc(isFloat: true);
        var access = Access(address, local, memArg.Offset, width, false, OperandSize.S128, out var outOfBounds);
        _m.SimdLoad(op, dst, address, memArg.Offset, access, outOfBounds, lane);
        NoteChecked(local, memArg.Offset + (ulong)width);
        FreeOperand(address);
        PushReg(dst, OperandSize.S128);
    }

    /// <summary><c>v128.store</c> (16 bytes) or a lane store (<paramref name="width"/> bytes of lane <paramref name="lane"/>).</summary>
    private void SimdStore(Opcode op, MemArg memArg, int width, int lane)
    {
        RequireMemory(memArg.Memory);
        var local = ValueLocal(1);
        var value = PopOperandReg(OperandSize.S128);
        var address = PopOperand();
        var access = Access(address, local, memArg.Offset, width, false, OperandSize.S128, out var outOfBounds);
        _m.SimdStore(op, address, memArg.Offset, value, access, outOfBounds, lane);
        NoteChecked(local, memArg.Offset + (ulong)width);
        FreeOperand(RegImm.Of(value));
        FreeOperand(address);
    }
}
