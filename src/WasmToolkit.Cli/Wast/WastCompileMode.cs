namespace WasmToolkit.Cli.Wast;

/// <summary>How <see cref="WastRunner"/> compiles each module of a script (<c>wasmtk wast --compile-mode</c>).</summary>
public enum WastCompileMode
{
    /// <summary>Every function up front, on the calling thread (<see cref="Compiler.CompilerOptions.MaxDegreeOfParallelism"/> 1).</summary>
    Sequential,

    /// <summary>Every function up front, on the thread pool (the default).</summary>
    Parallel,

    /// <summary>Validate up front, compile each function on its first call (<see cref="Compiler.ModuleCompiler.CompileLazy"/>).</summary>
    Lazy,
}
