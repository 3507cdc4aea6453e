using System;
using System.Collections.Immutable;
using System.Text;
using WasmToolkit.Compiler;

namespace WasmToolkit.Runtime;

/// <summary>One WebAssembly frame of a trap's stack trace.</summary>
public readonly struct WasmFrame
{
    public WasmFrame(int functionIndex, int wasmOffset, string? functionName)
    {
        FunctionIndex = functionIndex;
        WasmOffset = wasmOffset;
        FunctionName = functionName;
    }

    /// <summary>Index in the module's function index space.</summary>
    public int FunctionIndex { get; }

    /// <summary>Offset of the trapping instruction (innermost frame) or of the call (other frames).</summary>
    public int WasmOffset { get; }

    /// <summary>The function's name from the name section, if any.</summary>
    public string? FunctionName { get; }

    public override string ToString() => (FunctionName is not null ? "$" + FunctionName + " " : "") + $"(function {FunctionIndex}) at offset 0x{WasmOffset:x}";
}

/// <summary>A WebAssembly trap (a runtime error in the JS API's sense): the instance remains usable.</summary>
/// <remarks>The message starts with the spec suite's phrase for <see cref="Kind"/>, then the wasm stack trace, innermost first.</remarks>
public sealed class TrapException : Exception
{
    public TrapException(TrapKind kind, ImmutableArray<WasmFrame> stackTrace = default, int omittedFrames = 0)
        : base(Describe(kind, stackTrace.IsDefault ? ImmutableArray<WasmFrame>.Empty : stackTrace, omittedFrames))
    {
        Kind = kind;
        WasmStackTrace = stackTrace.IsDefault ? ImmutableArray<WasmFrame>.Empty : stackTrace;
        OmittedFrames = omittedFrames;
    }

    public TrapKind Kind { get; }

    /// <summary>The wasm frames at the trap, innermost first (empty when unknown, e.g. for instantiation traps).</summary>
    public ImmutableArray<WasmFrame> WasmStackTrace { get; }

    /// <summary>Outer frames left out of <see cref="WasmStackTrace"/> (deep recursion).</summary>
    public int OmittedFrames { get; }

    /// <summary>The function that trapped, when known.</summary>
    public int? FunctionIndex => WasmStackTrace.IsEmpty ? null : WasmStackTrace[0].FunctionIndex;

    /// <summary>Offset of the trapping instruction, when known.</summary>
    public int? WasmOffset => WasmStackTrace.IsEmpty ? null : WasmStackTrace[0].WasmOffset;

    private static string Describe(TrapKind kind, ImmutableArray<WasmFrame> frames, int omitted)
    {
        var text = new StringBuilder(kind.GetMessage());
        if (frames.IsEmpty) return text.ToString();
        text.Append(" (in function ").Append(frames[0].FunctionIndex);
        if (frames[0].FunctionName is { } name) text.Append(" $").Append(name);
        text.Append($" at offset 0x{frames[0].WasmOffset:x})");
        text.Append("\nwasm stack trace:");
        foreach (var frame in frames) text.Append("\n  at ").Append(frame);
        if (omitted > 0) text.Append($"\n  … {omitted} more frames");
        return text.ToString();
    }
}
