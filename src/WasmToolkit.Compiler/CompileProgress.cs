namespace WasmToolkit.Compiler;

/// <summary>The steps of a compilation (V8's async compile job: decode, prepare and compile, finish, wrappers).</summary>
public enum CompileStep
{
    /// <summary>Reading the binary format (<c>ModuleReader</c>); failures are malformed-module diagnostics.</summary>
    Decode,

    /// <summary>Validating the module (<c>ModuleValidator</c>); failures are invalid-module diagnostics.</summary>
    Validate,

    /// <summary>Compiling each defined function; failures are unsupported features or compiler errors.</summary>
    Compile,

    /// <summary>Laying out code and stubs and resolving calls into a <see cref="CompiledModule"/>.</summary>
    Link,
}

/// <summary>How far a compilation has come: reported through <see cref="System.IProgress{T}"/> as functions are published.</summary>
/// <param name="Step">The step being run.</param>
/// <param name="FunctionsCompiled">Defined functions compiled and published so far (in index order).</param>
/// <param name="FunctionCount">Defined functions in all (for streaming, known once the function section has arrived; 0 before).</param>
public readonly record struct CompileProgress(CompileStep Step, int FunctionsCompiled, int FunctionCount);
