using WasmToolkit.Compiler.Baseline;
using static WasmToolkit.Compiler.Arm64.Arm64Register;

namespace WasmToolkit.Compiler.Arm64;

/// <summary>Linear memory 0 (bounds-checked accesses through x26), globals and tables.</summary>
internal sealed partial class Arm64MacroAssembler
{
    /// <summary>Whether this function loaded x26 (<see cref="LoadMemoryBase"/>); memory accesses use it then.</summary>
    private bool _memoryBaseLoaded;

    /// <summary>An access whose address an earlier check covered (<see cref="MemoryAccess.CheckedBefore"/>) gets no check here either.</summary>
    public bool HonoursCheckedBefore => true;

    public void LoadMemoryBase()
    {
        _memoryBaseLoaded = true;
        LoadMemoryField(MemBase, MemoryDefinitionLayout.Base);
    }

    /// <summary>rt = the 64-bit field at <paramref name="field"/> of memory 0's definition (inline in the context, or behind its pointer for an imported memory).</summary>
    private void LoadMemoryField(Arm64Register rt, int field)
    {
        if (_layout.IsMemoryImported)
        {
            LoadFrom(rt, Ctx, VmContextLayout.MemoryDefinition, rt);
            LoadFrom(rt, rt, field, rt);
        }
        else
        {
            LoadFrom(rt, Ctx, field, rt);
        }
    }

    /// <summary>
    /// Checks that [address + offset, + width) lies inside memory 0, in 64-bit arithmetic so no sum can wrap (address
    /// and offset are both below 2^32), and returns the access's operand: [x26 or x16 (the base), w-address uxtw] when
    /// the offset is 0, else [base, x17] with x17 = address + offset. x16 is the base when x26 was not loaded, so a
    /// store's immediate value goes through <paramref name="valueScratch"/>, which is never part of the operand.
    /// </summary>
    private Arm64Memory EffectiveAddress(RegImm address, ulong offset, MemoryAccess access, AsmLabel outOfBounds, out Arm64Register valueScratch)
    {
        var width = (ulong)access.Width;
        Arm64Register baseRegister;
        if (address.IsImm)
        {
            var at = (ulong)(uint)address.Imm + offset;
            if (!access.KnownInBounds)
            {
                _asm.MovImmediate(Ip1, at + width);
                CheckEnd(outOfBounds);
            }

            baseRegister = MemoryBaseForAccess();
            valueScratch = baseRegister == Ip0 ? Ip1 : Ip0;
            if (at % width == 0 && at / width <= 4095) return Arm64Memory.At(baseRegister, (long)at);
            _asm.MovImmediate(Ip1, at);
            return IndexedByX17(baseRegister, out valueScratch);
        }

        var a = Wr(address.Reg);
        if (access.CheckedBefore)
        {
            // An earlier check of this address covered this access's end: no check, the address still zero-extended.
            baseRegister = MemoryBaseForAccess();
            if (offset == 0)
            {
                valueScratch = Ip1;
                return Arm64Memory.Indexed(baseRegister, a, Arm64Extend.Uxtw);
            }

            AddressPlus(a, offset);
            return IndexedByX17(baseRegister, out valueScratch);
        }

        // x17 = zero-extended address + offset + width, compared with the size; then back to the access's start.
        // The zero extension (mov w17, w) stays although i32 values are kept zero-extended: the sandbox does not rest on that.
        AddressPlus(a, offset + width);
        CheckEnd(outOfBounds);
        baseRegister = MemoryBaseForAccess();
        valueScratch = baseRegister == Ip0 ? Ip1 : Ip0;
        if (offset == 0)
        {
            // The store's value may use x17 then: the operand indexes with the address register itself.
            valueScratch = Ip1;
            return Arm64Memory.Indexed(baseRegister, a, Arm64Extend.Uxtw);
        }

        _asm.Sub(Ip1, Ip1, (int)width);
        return IndexedByX17(baseRegister, out valueScratch);
    }

    /// <summary>x17 = the zero-extended address <paramref name="a"/> + <paramref name="addend"/> (below 2^33: no wrap).</summary>
    private void AddressPlus(Arm64Register a, ulong addend)
    {
        if (addend <= 4095 || ((addend & 0xFFF) == 0 && addend <= 0xFFF_000))
        {
            _asm.Mov(Ip1.AsW(), a);
            _asm.Add(Ip1, Ip1, (int)addend);
        }
        else
        {
            _asm.MovImmediate(Ip1, addend);
            Emit(new Arm64Instruction { Code = Arm64Code.AddExt, Rd = Ip1, Rn = Ip1, Rm = a, Extend = Arm64Extend.Uxtw });
        }
    }

    /// <summary>[base, x17]; when the base is x16 both scratch registers are taken, so the base is folded into x17 and x16 is left for a store's value.</summary>
    private Arm64Memory IndexedByX17(Arm64Register baseRegister, out Arm64Register valueScratch)
    {
        valueScratch = Ip0;
        if (baseRegister != Ip0) return Arm64Memory.Indexed(baseRegister, Ip1);
        _asm.Add(Ip1, Ip0, Ip1);
        return Arm64Memory.At(Ip1, 0);
    }

    /// <summary>Jumps to <paramref name="outOfBounds"/> when x17 (an access's end) is above memory 0's size (loaded into x16).</summary>
    private void CheckEnd(AsmLabel outOfBounds)
    {
        LoadMemoryField(Ip0, MemoryDefinitionLayout.Size);
        _asm.Cmp(Ip1, Ip0);
        BranchTo(Arm64Condition.Hi, L(outOfBounds));
    }

    /// <summary>The register holding memory 0's base for an access: x26 when loaded at entry, else x16 loaded now.</summary>
    private Arm64Register MemoryBaseForAccess()
    {
        if (_memoryBaseLoaded) return MemBase;
        LoadMemoryField(Ip0, MemoryDefinitionLayout.Base);
        return Ip0;
    }

    public void LoadMemory(Reg dst, RegImm address, ulong offset, MemoryAccess access, AsmLabel outOfBounds)
    {
        var m = EffectiveAddress(address, offset, access, outOfBounds, out _);
        Arm64Code code;
        Arm64Register rt;
        if (dst.IsFloat)
        {
            code = Arm64Code.Ldr;
            rt = access.Width == 8 ? D(dst.Number) : S(dst.Number);
        }
        else
        {
            var is64 = access.Size == OperandSize.S64;
            rt = is64 && access.Signed ? Xr(dst) : access.Width == 8 ? Xr(dst) : Wr(dst);
            code = (access.Width, access.Signed) switch
            {
                (1, false) => Arm64Code.Ldrb,
                (1, true) => Arm64Code.Ldrsb,
                (2, false) => Arm64Code.Ldrh,
                (2, true) => Arm64Code.Ldrsh,
                (4, true) when is64 => Arm64Code.Ldrsw,
                _ => Arm64Code.Ldr,
            };
        }

        Emit(new Arm64Instruction { Code = code, Rd = rt, Memory = m });
    }

    public void StoreMemory(RegImm address, ulong offset, RegImm value, MemoryAccess access, AsmLabel outOfBounds)
    {
        var m = EffectiveAddress(address, offset, access, outOfBounds, out var valueScratch);
        Arm64Register rt;
        if (value.IsImm)
        {
            rt = ImmediateRegister(value.Imm, access.Width == 8 ? OperandSize.S64 : OperandSize.S32, valueScratch);
        }
        else if (value.Reg.IsFloat)
        {
            rt = access.Width == 8 ? D(value.Reg.Number) : S(value.Reg.Number);
        }
        else
        {
            rt = access.Width == 8 ? Xr(value.Reg) : Wr(value.Reg);
        }

        var code = access.Width switch { 1 => Arm64Code.Strb, 2 => Arm64Code.Strh, _ => Arm64Code.Str };
        Emit(new Arm64Instruction { Code = code, Rd = rt, Memory = m });
    }

    public void MemorySize(Reg dst)
    {
        LoadMemoryField(Xr(dst), MemoryDefinitionLayout.Size);
        _asm.Lsr(Xr(dst), Xr(dst), 16);
    }

    // ---- globals ----

    public void LoadGlobal(Reg dst, int index, OperandSize size)
    {
        var rt = ValueRegister(dst, size);
        var at = _layout.Global(index);
        if (_layout.IsGlobalImported(index))
        {
            LoadFrom(Ip0, Ctx, at, Ip0);
            LoadFrom(rt, Ip0, 0, Ip0);
        }
        else
        {
            LoadFrom(rt, Ctx, at, Ip0);
        }
    }

    public void StoreGlobal(int index, RegImm value, OperandSize size)
    {
        var rt = value.IsImm ? ImmediateRegister(value.Imm, size, Ip1) : ValueRegister(value.Reg, size);
        var at = _layout.Global(index);
        if (_layout.IsGlobalImported(index))
        {
            LoadFrom(Ip0, Ctx, at, Ip0);
            StoreTo(rt, Ip0, 0, Ip0);
        }
        else
        {
            StoreTo(rt, Ctx, at, Ip0);
        }
    }

    // ---- tables ----

    public void LoadFuncRef(Reg dst, int functionIndex) => LoadFrom(Xr(dst), Ctx, _layout.FuncRef(functionIndex), Xr(dst));

    /// <summary>x16 = table <paramref name="table"/>'s definition; jumps to <paramref name="outOfBounds"/> unless index &lt; length (index is a zero-extended i32).</summary>
    private void CheckTableIndex(Reg index, int table, AsmLabel outOfBounds)
    {
        LoadFrom(Ip0, Ctx, _layout.Table(table), Ip0);
        LoadFrom(Ip1, Ip0, TableDefinitionLayout.Length, Ip1);
        _asm.Cmp(Xr(index), Ip1);
        BranchTo(Arm64Condition.Hs, L(outOfBounds));
    }

    public void TableSize(Reg dst, int table)
    {
        // The length never exceeds 2^32 - 1, so its low half is the whole value.
        LoadFrom(Ip0, Ctx, _layout.Table(table), Ip0);
        LoadFrom(Wr(dst), Ip0, TableDefinitionLayout.Length, Ip0);
    }

    /// <summary>[x16 + index * 8]: the element slot, once x16 holds the definition.</summary>
    private Arm64Memory ElementSlot(Reg index)
    {
        LoadFrom(Ip0, Ip0, TableDefinitionLayout.Elements, Ip0);
        return Arm64Memory.Indexed(Ip0, Xr(index), Arm64Extend.Uxtx, 3);
    }

    public void TableGet(Reg dst, Reg index, int table, AsmLabel outOfBounds)
    {
        CheckTableIndex(index, table, outOfBounds);
        Emit(new Arm64Instruction { Code = Arm64Code.Ldr, Rd = Xr(dst), Memory = ElementSlot(index) });
    }

    public void TableSet(Reg index, RegImm value, int table, AsmLabel outOfBounds)
    {
        CheckTableIndex(index, table, outOfBounds);
        var rt = value.IsImm ? ImmediateRegister(value.Imm, OperandSize.S64, Ip1) : Xr(value.Reg);
        Emit(new Arm64Instruction { Code = Arm64Code.Str, Rd = rt, Memory = ElementSlot(index) });
    }
}
