using System;

namespace WasmToolkit.Compiler.Baseline;

/// <summary>Calls into the runtime's <see cref="BuiltinFunction"/>s (bulk memory, table operations, memory.grow).</summary>
internal sealed partial class FunctionCompiler
{
    /// <summary>The most arguments a builtin takes besides the context (<see cref="BuiltinFunction.TableCopy"/>, <see cref="BuiltinFunction.TableInit"/>).</summary>
    private const int MaxBuiltinArgs = 5;

    /// <summary>Argument buffer reused by every builtin call (no allocation per instruction).</summary>
    private readonly BuiltinArg[] _builtinArgs = new BuiltinArg[MaxBuiltinArgs];

    /// <summary>Sets leading immediate argument <paramref name="i"/> (a table, segment or memory index).</summary>
    private void BuiltinIndexArg(int i, uint index) => _builtinArgs[i] = BuiltinArg.Imm(index, OperandSize.S32);

    /// <summary>
    /// Calls <paramref name="function"/> with the <paramref name="leading"/> arguments already set by
    /// <see cref="BuiltinIndexArg"/> followed by the top <paramref name="operands"/> stack values, which it
    /// pops. When <paramref name="traps"/>, a nonzero result traps with that kind at the current instruction.
    /// The raw result is left in the return register, which is free afterwards.
    /// </summary>
    private void CallBuiltin(BuiltinFunction function, int leading, int operands, bool traps)
    {
        var first = _stackCount - operands;
        if (first < Current.Base) throw CompileFailure.Invalid("value stack underflow");

        // The call clobbers every caller-saved register, and spilling the operands too leaves the
        // macro-assembler a set of independent loads instead of a parallel move into argument registers.
        SpillRegistersBelow(_stackCount);
        for (var i = 0; i < operands; i++)
        {
            var e = _stack[first + i];
            _builtinArgs[leading + i] = e.Kind switch
            {
                EntryKind.Const => BuiltinArg.Imm(e.Const, e.Size),
                EntryKind.Local => BuiltinArg.Frame(LocalOffset(e.Local), e.Size),
                _ => BuiltinArg.Frame(StackSlotOffset(first + i), e.Size),
            };
        }

        ResetStack(first);
        _m.CallBuiltin(function, _builtinArgs.AsSpan(0, leading + operands));
        if (traps) _m.BranchIfBuiltinTrapped(NewBuiltinTrap());
    }

    /// <summary>Pushes a builtin's result as an i32 (grow results: old size, or -1 as a 64-bit value).</summary>
    private void PushBuiltinResultI32()
    {
        var ret = _m.ReturnRegister;
        Take(ret);
        _m.Extend(ExtendOp.I32WrapI64, ret, ret);
        PushReg(ret, OperandSize.S32);
    }
}
