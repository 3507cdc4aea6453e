using System;

namespace WasmToolkit.Compiler.Arm64;

/// <summary>
/// Thrown by <see cref="Arm64Encoder.Encode"/> and <see cref="Arm64Assembler"/> when an instruction's operands cannot be
/// encoded (a register of the wrong kind, an immediate or branch distance out of range). This is API misuse by the
/// code generator, not bad user input: callers that can fall back (e.g. to a register for an immediate) use the
/// <c>Try…</c> methods instead.
/// </summary>
public sealed class Arm64EncodingException : ArgumentException
{
    /// <summary>Creates the exception with a message that names the instruction and the offending operand.</summary>
    public Arm64EncodingException(string message)
        : base(message)
    {
    }
}
