using System;
using System.Collections.Immutable;
using System.Linq;
using WasmToolkit.Diagnostics;

namespace WasmToolkit.Compiler;

/// <summary>What kind of failure a <see cref="CompileError"/> is (Winch's <c>CodeGenError</c> split).</summary>
public enum CompileErrorKind
{
    /// <summary>A valid construct this compiler does not handle yet (floats, SIMD, tables, imports…). Tests forbid it on the supported subset.</summary>
    Unsupported,

    /// <summary>The input broke an assumption that validation guarantees (the compiler assumes a valid module).</summary>
    InvalidInput,

    /// <summary>A compiler bug: an internal invariant failed.</summary>
    Internal,
}

/// <summary>One reason a module or function did not compile.</summary>
public sealed class CompileError
{
    public CompileError(CompileErrorKind kind, string message, int? functionIndex = null, int? wasmOffset = null)
    {
        Kind = kind;
        Message = message;
        FunctionIndex = functionIndex;
        WasmOffset = wasmOffset;
    }

    public CompileErrorKind Kind { get; }

    public string Message { get; }

    /// <summary>Index in the function index space, when the error is inside a function.</summary>
    public int? FunctionIndex { get; }

    /// <summary>Offset of the offending instruction in the module's bytes (or in the body, for modules built in code).</summary>
    public int? WasmOffset { get; }

    /// <summary>This error as a diagnostic (WASM4001 unsupported, WASM4002 invalid input, WASM4003 internal), located at its offset.</summary>
    /// <param name="path">The file name to put in the location.</param>
    public Diagnostic ToDiagnostic(string? path = null)
    {
        var descriptor = Kind switch
        {
            CompileErrorKind.Unsupported => DiagnosticCatalog.CompilerUnsupported,
            CompileErrorKind.InvalidInput => DiagnosticCatalog.CompilerInvalidInput,
            _ => DiagnosticCatalog.CompilerInternalError,
        };
        var location = new BinaryLocation(new ByteSpan(WasmOffset ?? 0, 0), path, FunctionIndex is { } f ? (uint)f : null, WasmOffset);
        return Diagnostic.Create(descriptor, location, Message);
    }

    public override string ToString()
        => $"{Kind}: {Message}" + (FunctionIndex is { } f ? $" (function {f}" + (WasmOffset is { } o ? $" at offset 0x{o:x})" : ")") : "");
}

/// <summary>The outcome of <see cref="ModuleCompiler.TryCompile(Module, CompilerOptions?)"/>: a compiled module or the errors that prevented it.</summary>
public sealed class CompileResult
{
    internal CompileResult(CompiledModule? module, ImmutableArray<CompileError> errors)
    {
        Module = module;
        Errors = errors;
    }

    /// <summary>The compiled module, or null when <see cref="Errors"/> is not empty.</summary>
    public CompiledModule? Module { get; }

    public ImmutableArray<CompileError> Errors { get; }

    public bool Succeeded => Module is not null;

    /// <summary>True when every error is <see cref="CompileErrorKind.Unsupported"/>.</summary>
    public bool IsUnsupported => !Errors.IsEmpty && Errors.All(e => e.Kind == CompileErrorKind.Unsupported);
}

/// <summary>
/// Thrown when compilation fails (a compile error in the JS API's sense): by <see cref="ModuleCompiler.Compile(Module, CompilerOptions?)"/>
/// and, as the fault of the task, by <see cref="ModuleCompiler.CompileAsync(ReadOnlyMemory{byte}, CompilerOptions?, IProgress{CompileProgress}?, System.Threading.CancellationToken)"/>
/// and <see cref="ModuleCompiler.CompileStreamingAsync(System.IO.Stream, CompilerOptions?, IProgress{CompileProgress}?, System.Threading.CancellationToken)"/>, whichever step failed.
/// </summary>
public sealed class CompileException : Exception
{
    /// <summary>The compile step failed with <paramref name="errors"/>.</summary>
    public CompileException(ImmutableArray<CompileError> errors)
        : base("Compilation failed: " + string.Join("; ", errors.Take(5)) + (errors.Length > 5 ? $" (+{errors.Length - 5} more)" : ""))
    {
        Errors = errors;
        Step = CompileStep.Compile;
        Diagnostics = errors.Select(e => e.ToDiagnostic()).ToImmutableArray();
    }

    /// <summary><paramref name="step"/> failed with <paramref name="diagnostics"/>: malformed bytes (decode) or an invalid module (validate).</summary>
    public CompileException(CompileStep step, ImmutableArray<Diagnostic> diagnostics)
        : base($"Compilation failed ({step.ToString().ToLowerInvariant()}): " + string.Join("; ", diagnostics.Take(5)) + (diagnostics.Length > 5 ? $" (+{diagnostics.Length - 5} more)" : ""))
    {
        Errors = ImmutableArray<CompileError>.Empty;
        Step = step;
        Diagnostics = diagnostics;
    }

    /// <summary>The compiler's own errors (empty when decoding or validation failed).</summary>
    public ImmutableArray<CompileError> Errors { get; }

    /// <summary>The step that failed.</summary>
    public CompileStep Step { get; }

    /// <summary>
    /// Everything that went wrong as diagnostics: the reader's (WASM0xxx, malformed), the validator's (WASM2xxx, invalid)
    /// or the compiler's (WASM4001–4003, one per <see cref="Errors"/> entry).
    /// </summary>
    public ImmutableArray<Diagnostic> Diagnostics { get; }
}
