using System;

namespace WasmToolkit.Compiler.Baseline;

/// <summary>Stops compiling a function; turned into a <see cref="CompileError"/> by <see cref="ModuleCompiler"/>.</summary>
internal sealed class CompileFailure : Exception
{
    public CompileFailure(CompileErrorKind kind, string message)
        : base(message)
    {
        Kind = kind;
    }

    public CompileErrorKind Kind { get; }

    public static CompileFailure Unsupported(string what) => new(CompileErrorKind.Unsupported, what + " is not supported by the x64 baseline compiler yet");

    public static CompileFailure Invalid(string what) => new(CompileErrorKind.InvalidInput, what);
}
