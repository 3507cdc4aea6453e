using System;
using System.Collections.Immutable;
using System.Linq;

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

    public override string ToString()
        => $"{Kind}: {Message}" + (FunctionIndex is { } f ? $" (function {f}" + (WasmOffset is { } o ? $" at offset 0x{o:x})" : ")") : "");
}

/// <summary>The outcome of <see cref="ModuleCompiler.TryCompile"/>: a compiled module or the errors that prevented it.</summary>
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

/// <summary>Thrown by <see cref="ModuleCompiler.Compile(Module, CompilerOptions?)"/> when compilation fails (a compile error in the JS API's sense).</summary>
public sealed class CompileException : Exception
{
    public CompileException(ImmutableArray<CompileError> errors)
        : base("Compilation failed: " + string.Join("; ", errors.Take(5)) + (errors.Length > 5 ? $" (+{errors.Length - 5} more)" : ""))
    {
        Errors = errors;
    }

    public ImmutableArray<CompileError> Errors { get; }
}
