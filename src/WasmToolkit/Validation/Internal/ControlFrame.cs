namespace WasmToolkit.Validation.Internal;

/// <summary>What opened a control frame.</summary>
internal enum FrameKind : byte
{
    Function,
    Block,
    Loop,
    If,
    Else,
}

/// <summary>
/// A control frame of the validation algorithm (spec appendix: <c>ctrl_frame</c>): the block's start and
/// end types, the operand stack height at entry and whether the rest of the block is unreachable.
/// </summary>
/// <remarks>A mutable struct kept in a reusable array; the type lists are shared arrays, never copied.</remarks>
internal struct ControlFrame
{
    public FrameKind Kind;
    public StackType[] Start;
    public StackType[] End;
    public int Height;
    public bool Unreachable;

    /// <summary>The types a branch to this frame carries: the start types for a loop, else the end types.</summary>
    public readonly StackType[] LabelTypes => Kind == FrameKind.Loop ? Start : End;
}
