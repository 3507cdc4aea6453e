using System;
using WasmToolkit.Compiler;

namespace WasmToolkit.Runtime;

/// <summary>A WebAssembly trap (a runtime error in the JS API's sense): the instance remains usable.</summary>
public sealed class TrapException : Exception
{
    public TrapException(TrapKind kind, int? functionIndex = null, int? wasmOffset = null, string? functionName = null)
        : base(Describe(kind, functionIndex, wasmOffset, functionName))
    {
        Kind = kind;
        FunctionIndex = functionIndex;
        WasmOffset = wasmOffset;
    }

    public TrapKind Kind { get; }

    /// <summary>The function that trapped, when known.</summary>
    public int? FunctionIndex { get; }

    /// <summary>Offset of the trapping instruction, when known.</summary>
    public int? WasmOffset { get; }

    private static string Describe(TrapKind kind, int? functionIndex, int? wasmOffset, string? name)
    {
        var text = kind.GetMessage();
        if (functionIndex is { } f)
        {
            text += $" (in function {f}" + (name is not null ? " $" + name : "") + (wasmOffset is { } o ? $" at offset 0x{o:x}" : "") + ")";
        }

        return text;
    }
}
