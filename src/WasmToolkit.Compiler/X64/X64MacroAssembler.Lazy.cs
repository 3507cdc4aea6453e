using static Iced.Intel.AssemblerRegisters;

namespace WasmToolkit.Compiler.X64;

/// <summary>Direct calls in lazy mode (<see cref="ModuleCompiler.CompileLazy"/>).</summary>
internal sealed partial class X64MacroAssembler
{
    /// <summary>
    /// Null for eager code (direct calls are <c>call rel32</c>, patched by the linker); in lazy mode the number of
    /// imported functions, and every direct call goes through the callee's <see cref="FuncRefLayout"/> record,
    /// whose code pointer starts at the callee's lazy-compile stub and is switched to the compiled code on the
    /// first call. Kept across <see cref="Reset"/>: it is a property of the compile worker, not of one function.
    /// </summary>
    public int? LazyCalls { get; set; }

    /// <summary>
    /// <c>mov r11, [r15 + FuncRef(i)]; call [r11]</c>. The callee is a function of this instance, so the
    /// context register stays as it is (no save and restore as for imports); the return address is a call site.
    /// </summary>
    private void CallFunctionLazily(int importedFunctionCount, int definedIndex, int wasmOffset)
    {
        _asm.mov(r11, __qword_ptr[r15 + _layout.FuncRef(importedFunctionCount + definedIndex)]);
        _asm.call(__qword_ptr[r11 + FuncRefLayout.Code]);
        _indirectCallSites.Add((LabelHere(), wasmOffset));
    }
}
