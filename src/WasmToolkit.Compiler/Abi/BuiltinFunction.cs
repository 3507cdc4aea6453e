namespace WasmToolkit.Compiler;

/// <summary>
/// Runtime functions generated code calls through <see cref="VmContextLayout.Builtins"/> (System V on
/// x64: context in rdi, then the operands in order as 32-bit unsigned values, references as 64-bit).
/// Values are part of the code ABI: never renumber.
/// </summary>
/// <remarks>
/// Functions that can trap return 0 or a <see cref="TrapKind"/> code; the caller traps with that kind.
/// None of them throws, calls back into wasm or moves the caller's frame.
/// </remarks>
public enum BuiltinFunction
{
    /// <summary><c>long (ctx, uint deltaPages)</c>: old size in pages, or -1.</summary>
    MemoryGrow = 0,

    /// <summary><c>int (ctx, uint dst, uint value, uint length)</c>.</summary>
    MemoryFill = 1,

    /// <summary><c>int (ctx, uint dst, uint src, uint length)</c>.</summary>
    MemoryCopy = 2,

    /// <summary><c>int (ctx, uint segment, uint dst, uint src, uint length)</c>.</summary>
    MemoryInit = 3,

    /// <summary><c>int (ctx, uint segment)</c>.</summary>
    DataDrop = 4,

    /// <summary><c>long (ctx, uint table, ulong initValue, uint delta)</c>: old length, or -1.</summary>
    TableGrow = 5,

    /// <summary><c>int (ctx, uint table, uint start, ulong value, uint length)</c>.</summary>
    TableFill = 6,

    /// <summary><c>int (ctx, uint dstTable, uint srcTable, uint dst, uint src, uint length)</c>.</summary>
    TableCopy = 7,

    /// <summary><c>int (ctx, uint table, uint segment, uint dst, uint src, uint length)</c>.</summary>
    TableInit = 8,

    /// <summary><c>int (ctx, uint segment)</c>.</summary>
    ElemDrop = 9,

    /// <summary>
    /// <c>void* (ctx, uint functionIndex)</c>: lazy mode only (<see cref="ModuleCompiler.CompileLazy"/>). Compiles the
    /// function if no thread has yet, makes its code reachable from the instance's function-reference record and
    /// returns its address; 0 when that failed, with the exception kept for the entry's caller
    /// (the stub then traps with <see cref="TrapKind.HostException"/>). The one builtin that may run the compiler.
    /// </summary>
    CompileLazy = 10,
}
