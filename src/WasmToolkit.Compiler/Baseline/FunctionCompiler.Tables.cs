namespace WasmToolkit.Compiler.Baseline;

/// <summary>
/// Reference instructions, table instructions and <c>call_indirect</c> (spec 4.4.2, 4.4.6, 4.4.7).
/// Table elements are 8-byte references: a <see cref="FuncRefLayout"/> pointer for funcref, the runtime's
/// handle for externref, 0 for null. Reads, writes and the size are inline; everything that may resize
/// a table or touch a segment goes through a builtin.
/// </summary>
internal sealed partial class FunctionCompiler
{
    private void DoRefFunc(uint function)
    {
        if (function >= (uint)_module.TotalFunctionCount) throw CompileFailure.Invalid("unknown function " + function);
        var reg = Alloc();
        _m.LoadFuncRef(reg, (int)function);
        PushReg(reg, OperandSize.S64);
    }

    private void DoTableGet(uint table)
    {
        RequireTable(table);
        var index = PopReg();
        _m.TableGet(index, index, (int)table, NewTrap(TrapKind.TableOutOfBounds));
        PushReg(index, OperandSize.S64);
    }

    private void DoTableSet(uint table)
    {
        RequireTable(table);
        var value = PopRegImm();
        var index = PopReg();
        _m.TableSet(index, value, (int)table, NewTrap(TrapKind.TableOutOfBounds));
        FreeOperand(value);
        Free(index);
    }

    private void DoTableSize(uint table)
    {
        RequireTable(table);
        var reg = Alloc();
        _m.TableSize(reg, (int)table);
        PushReg(reg, OperandSize.S32);
    }

    /// <summary><c>table.grow</c> [init, n] → old size or -1.</summary>
    private void DoTableGrow(uint table)
    {
        RequireTable(table);
        BuiltinIndexArg(0, table);
        CallBuiltin(BuiltinFunction.TableGrow, 1, 2, traps: false);
        PushBuiltinResultI32();
    }

    /// <summary><c>table.fill</c> [i, value, n].</summary>
    private void DoTableFill(uint table)
    {
        RequireTable(table);
        BuiltinIndexArg(0, table);
        CallBuiltin(BuiltinFunction.TableFill, 1, 3, traps: true);
    }

    /// <summary><c>table.copy</c> dst src [d, s, n].</summary>
    private void DoTableCopy(uint dstTable, uint srcTable)
    {
        RequireTable(dstTable);
        RequireTable(srcTable);
        BuiltinIndexArg(0, dstTable);
        BuiltinIndexArg(1, srcTable);
        CallBuiltin(BuiltinFunction.TableCopy, 2, 3, traps: true);
    }

    /// <summary><c>table.init</c> table segment [d, s, n].</summary>
    private void DoTableInit(uint table, uint segment)
    {
        RequireTable(table);
        RequireElementSegment(segment);
        BuiltinIndexArg(0, table);
        BuiltinIndexArg(1, segment);
        CallBuiltin(BuiltinFunction.TableInit, 2, 3, traps: true);
    }

    private void DoElemDrop(uint segment)
    {
        RequireElementSegment(segment);
        BuiltinIndexArg(0, segment);
        CallBuiltin(BuiltinFunction.ElemDrop, 1, 0, traps: false);
    }

    /// <summary><c>call_indirect</c> type table [args…, index]: three checks, each its own trap site, then a call through the element's record.</summary>
    private void DoCallIndirect(uint typeIndex, uint table)
    {
        RequireTable(table);
        if (typeIndex >= (uint)_module.Types.Length) throw CompileFailure.Invalid("unknown type " + typeIndex);
        if (_contextSaveSlot < 0) throw new CompileFailure(CompileErrorKind.Internal, "context save slot not scanned");
        var callee = _module.Types[(int)typeIndex];
        var index = PopReg();
        var area = PassArguments(callee);

        // PassArguments recomputed the free registers from the stack, which no longer holds the index.
        Take(index);
        _m.CallIndirect(
            index, (int)typeIndex, (int)table, HiddenSlotOffset(_contextSaveSlot), _offset,
            NewTrap(TrapKind.UndefinedElement), NewTrap(TrapKind.UninitializedElement), NewTrap(TrapKind.IndirectCallTypeMismatch));
        Free(index);
        TakeResults(callee, area);
    }

    private void RequireTable(uint table)
    {
        if (table >= (uint)_module.TotalTableCount) throw CompileFailure.Invalid("unknown table " + table);
    }

    private void RequireElementSegment(uint segment)
    {
        if (segment >= (uint)_module.Elements.Length) throw CompileFailure.Invalid("unknown element segment " + segment);
    }
}
