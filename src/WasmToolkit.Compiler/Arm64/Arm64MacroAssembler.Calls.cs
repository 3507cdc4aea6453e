using System;
using System.Collections.Generic;
using WasmToolkit.Compiler.Baseline;
using static WasmToolkit.Compiler.Arm64.Arm64Register;

namespace WasmToolkit.Compiler.Arm64;

/// <summary>Calls (internal, imported, indirect, builtins), the outgoing argument area and trap sites.</summary>
/// <remarks>
/// A <c>bl</c> to another function or to the module's trap stub is emitted with offset 0 and a <see cref="Relocation"/>
/// whose <see cref="Relocation.Offset"/> is the <c>bl</c> word's offset; the linker patches imm26. The return address
/// (the <c>bl</c>'s or <c>blr</c>'s offset + 4) is the key of its call-site or trap-site record, as on x64.
/// </remarks>
internal sealed partial class Arm64MacroAssembler
{
    private readonly List<Relocation> _relocations = new();
    private readonly List<FunctionTrapSite> _traps = new();
    private readonly List<FunctionTrapSite> _callSites = new();

    private static int OutgoingBytes(int count) => ((count + 1) & ~1) * 8;

    /// <summary>sp += <paramref name="delta"/> (a multiple of 16) in at most two instructions.</summary>
    private void AdjustSp(int delta)
    {
        var size = Math.Abs(delta);
        if (size > 0xFFF_FFF) throw CompileFailure.Unsupported($"an outgoing argument area of {size} bytes");
        var high = size & ~0xFFF;
        var low = size & 0xFFF;
        var sp = Arm64Register.Sp;
        if (delta < 0)
        {
            if (high != 0) _asm.Sub(sp, sp, high);
            if (low != 0) _asm.Sub(sp, sp, low);
        }
        else
        {
            if (high != 0) _asm.Add(sp, sp, high);
            if (low != 0) _asm.Add(sp, sp, low);
        }
    }

    public void ReserveOutgoing(int count)
    {
        if (count > 0) AdjustSp(-OutgoingBytes(count));
    }

    public void ReleaseOutgoing(int count)
    {
        if (count > 0) AdjustSp(OutgoingBytes(count));
    }

    public void StoreOutgoing(int index, RegImm value)
    {
        // All 64 bits of the slot: an f32's upper half is whatever the register held, which readers ignore.
        var rt = value.IsImm ? ImmediateRegister(value.Imm, OperandSize.S64, Ip1)
            : value.Reg.IsFloat ? D(value.Reg.Number) : Xr(value.Reg);
        StoreTo(rt, Arm64Register.Sp, 8L * index, Ip0);
    }

    public void StoreOutgoingFromFrame(int index, int frameOffset)
    {
        LoadFrom(Ip1, Arm64Register.Fp, frameOffset, Ip0);
        StoreTo(Ip1, Arm64Register.Sp, 8L * index, Ip0);
    }

    public void LoadOutgoingToFrame(int index, int frameOffset)
    {
        LoadFrom(Ip1, Arm64Register.Sp, 8L * index, Ip0);
        StoreTo(Ip1, Arm64Register.Fp, frameOffset, Ip0);
    }

    /// <summary>AAPCS64 integer argument registers after x0 (which carries the context).</summary>
    private const int MaxBuiltinArgs = 7;

    public void CallBuiltin(BuiltinFunction function, ReadOnlySpan<BuiltinArg> args)
    {
        if (args.Length > MaxBuiltinArgs) throw new InvalidOperationException("too many builtin arguments");

        // Operands are immediates or frame slots (never registers), so the order of these loads is free; S32 ones zero-extend.
        for (var i = 0; i < args.Length; i++)
        {
            var dst = new Reg(i + 1);
            if (args[i].IsImm) MoveImm(dst, args[i].Value, args[i].Size);
            else LoadFrame(dst, (int)args[i].Value, args[i].Size);
        }

        // sp is 16-byte aligned in the body; x19-x28 survive (callee-saved), x16/x17 may not.
        _asm.Mov(X(0), Ctx);
        LoadFrom(Ip0, Ctx, _layout.Builtin(function), Ip0);
        Emit(new Arm64Instruction { Code = Arm64Code.Blr, Rn = Ip0 });
    }

    public void BranchIfBuiltinTrapped(AsmLabel trap) => CompareBranchTo(W(0), nonZero: true, L(trap));

    /// <summary>
    /// Null for eager code (direct calls are <c>bl</c>, patched by the linker); in lazy mode
    /// (<see cref="ModuleCompiler.CompileLazy"/>) the number of imported functions, and every direct call goes through
    /// the callee's <see cref="FuncRefLayout"/> record, whose code pointer starts at its <see cref="Arm64LazyStub"/>.
    /// Kept across <see cref="Reset"/>: a property of the compile worker.
    /// </summary>
    public int? LazyCalls { get; set; }

    public void CallFunction(int definedIndex, int wasmOffset)
    {
        if (LazyCalls is { } imported)
        {
            // The callee is a function of this instance: the context stays (no save and restore as for imports).
            LoadFrom(Ip0, Ctx, _layout.FuncRef(imported + definedIndex), Ip0);
            LoadFrom(Ip0, Ip0, FuncRefLayout.Code, Ip0);
            Emit(new Arm64Instruction { Code = Arm64Code.Blr, Rn = Ip0 });
            _callSites.Add(new FunctionTrapSite(_asm.Position, wasmOffset, 0));
            return;
        }

        var at = _asm.Position;
        Emit(new Arm64Instruction { Code = Arm64Code.Bl });
        _relocations.Add(new Relocation(at, RelocationKind.Function, definedIndex));
        _callSites.Add(new FunctionTrapSite(at + 4, wasmOffset, 0));
    }

    public void CallImport(int functionIndex, int contextSaveOffset, int wasmOffset)
    {
        LoadFrom(Ip0, Ctx, _layout.FuncRef(functionIndex), Ip0);
        CallFuncRef(contextSaveOffset, wasmOffset);
    }

    public void CallIndirect(Reg index, int typeIndex, int table, int contextSaveOffset, int wasmOffset, AsmLabel undefinedElement, AsmLabel uninitializedElement, AsmLabel typeMismatch)
    {
        // Spec 4.4.7 call_indirect: bounds, then null, then the type (ids are canonical, so equal types have equal ids).
        CheckTableIndex(index, table, undefinedElement);
        Emit(new Arm64Instruction { Code = Arm64Code.Ldr, Rd = Ip0, Memory = ElementSlot(index) });
        CompareBranchTo(Ip0, nonZero: false, L(uninitializedElement));

        // Every allocatable register but index is free: one of x0/x1 holds the expected id.
        var expected = W(index.Code == 0 ? 1 : 0);
        LoadFrom(expected, Ctx, _layout.TypeId(typeIndex), expected);
        LoadFrom(Ip1.AsW(), Ip0, FuncRefLayout.TypeId, Ip1);
        _asm.Cmp(expected, Ip1.AsW());
        BranchTo(Arm64Condition.Ne, L(typeMismatch));
        CallFuncRef(contextSaveOffset, wasmOffset);
    }

    /// <summary>Calls the function whose <see cref="FuncRefLayout"/> record x16 points to, switching the context register for the call.</summary>
    private void CallFuncRef(int contextSaveOffset, int wasmOffset)
    {
        StoreTo(Ctx, Arm64Register.Fp, contextSaveOffset, Ip1);
        LoadFrom(Ctx, Ip0, FuncRefLayout.Context, Ip1);
        LoadFrom(Ip1, Ip0, FuncRefLayout.Code, Ip1);
        Emit(new Arm64Instruction { Code = Arm64Code.Blr, Rn = Ip1 });
        _callSites.Add(new FunctionTrapSite(_asm.Position, wasmOffset, 0));
        LoadFrom(Ctx, Arm64Register.Fp, contextSaveOffset, Ip0);

        // The callee may belong to another instance, whose functions set x26 to their own memory's base.
        if (_memoryBaseLoaded) LoadMemoryField(MemBase, MemoryDefinitionLayout.Base);
    }

    public void EmitTrap(TrapKind kind, int wasmOffset)
    {
        _asm.MovImmediate(W(0), (ulong)kind);
        EmitTrapCall(wasmOffset, kind);
    }

    /// <summary>w0 still holds the builtin's trap code, which the trap stub passes on; the site's kind is recorded as 0 (known only at run time).</summary>
    public void EmitBuiltinTrap(int wasmOffset) => EmitTrapCall(wasmOffset, 0);

    /// <summary><c>bl trap_stub</c> (relocated), recorded as a trap site keyed by its return address.</summary>
    private void EmitTrapCall(int wasmOffset, TrapKind kind)
    {
        var at = _asm.Position;
        Emit(new Arm64Instruction { Code = Arm64Code.Bl });
        _relocations.Add(new Relocation(at, RelocationKind.TrapStub, 0));
        _traps.Add(new FunctionTrapSite(at + 4, wasmOffset, kind));
    }
}
