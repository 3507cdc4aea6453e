namespace WasmToolkit.Cli.Wast;

/// <summary>How <see cref="WastExecution"/> turns a script's modules into code (<c>wasmtk wast --compile-mode</c>).</summary>
/// <remarks>Every mode must give the same results: the spec-suite tests run the core group in each.</remarks>
public enum WastCompileMode
{
    /// <summary>All functions on the thread pool (<see cref="Compiler.CompilerOptions.MaxDegreeOfParallelism"/> = processor count).</summary>
    Parallel,

    /// <summary>One function after another on the calling thread (<see cref="Compiler.CompilerOptions.MaxDegreeOfParallelism"/> = 1).</summary>
    Sequential,

    /// <summary>Validate up front, then compile each function on its first call (<see cref="Compiler.ModuleCompiler.CompileLazy"/>).</summary>
    Lazy,

    /// <summary>Compile in parallel, serialise to a compiled-module cache, load it back and run the loaded module.</summary>
    Cached,
}
