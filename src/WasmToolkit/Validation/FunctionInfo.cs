using System;
using System.Collections.Immutable;

namespace WasmToolkit.Validation;

/// <summary>
/// What validation learnt about one defined function: its type, its locals and the sizes a compiler
/// reserves for it (operand and control stack depths, instruction count).
/// </summary>
/// <remarks>
/// Locals are kept as runs (<see cref="Locals"/>: parameters first, then the declared locals, adjacent
/// runs of one type merged) so a body declaring millions of locals costs a few entries;
/// <see cref="GetLocalType"/> finds a local's type by binary search. The stack depths count values
/// and frames, not bytes; the control depth counts the function's own frame, so a body without blocks
/// has depth 1. For an invalid function (<see cref="IsValid"/> false) the counts stop at the error.
/// </remarks>
public sealed class FunctionInfo
{
    private readonly uint[] _localEnds;

    internal FunctionInfo(
        FuncIndex index, TypeIndex typeIndex, FuncType type, int parameterCount, ImmutableArray<LocalGroup> locals, uint localCount,
        int maxOperandStackDepth, int maxControlStackDepth, int instructionCount, bool isValid)
    {
        Index = index;
        TypeIndex = typeIndex;
        Type = type;
        ParameterCount = parameterCount;
        Locals = locals;
        LocalCount = localCount;
        MaxOperandStackDepth = maxOperandStackDepth;
        MaxControlStackDepth = maxControlStackDepth;
        InstructionCount = instructionCount;
        IsValid = isValid;
        _localEnds = new uint[locals.Length];
        var end = 0u;
        for (var i = 0; i < locals.Length; i++)
        {
            end += locals[i].Count;
            _localEnds[i] = end;
        }
    }

    /// <summary>The function's index in the function index space (imports first).</summary>
    public FuncIndex Index { get; }

    /// <summary>The function's type index.</summary>
    public TypeIndex TypeIndex { get; }

    /// <summary>The function's type (<see cref="FuncType.Empty"/> when its type index is out of range).</summary>
    public FuncType Type { get; }

    /// <summary>Number of parameters: the first locals.</summary>
    public int ParameterCount { get; }

    /// <summary>All locals, parameters first, as runs of one type.</summary>
    public ImmutableArray<LocalGroup> Locals { get; }

    /// <summary>Number of locals, parameters included.</summary>
    public uint LocalCount { get; }

    /// <summary>The most values the operand stack holds at once while the body runs.</summary>
    public int MaxOperandStackDepth { get; }

    /// <summary>The most nested control frames (function, block, loop, if) at once, the function's frame included.</summary>
    public int MaxControlStackDepth { get; }

    /// <summary>Number of instructions in the body, the final <c>end</c> included.</summary>
    public int InstructionCount { get; }

    /// <summary>True when the body passed validation.</summary>
    public bool IsValid { get; }

    /// <summary>The type of local <paramref name="index"/> (parameters first).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not below <see cref="LocalCount"/>.</exception>
    public ValType GetLocalType(uint index)
    {
        if (index >= LocalCount) throw new ArgumentOutOfRangeException(nameof(index));
        int lo = 0, hi = _localEnds.Length - 1;
        while (lo < hi)
        {
            var mid = (lo + hi) >> 1;
            if (_localEnds[mid] > index) hi = mid;
            else lo = mid + 1;
        }

        return Locals[lo].Type;
    }

    /// <summary>Every local's type, one entry per local (allocates; for small functions and tests).</summary>
    /// <exception cref="InvalidOperationException">More than 2^24 locals: use <see cref="Locals"/> or <see cref="GetLocalType"/>.</exception>
    public ImmutableArray<ValType> ExpandLocals()
    {
        if (LocalCount > 1u << 24) throw new InvalidOperationException($"{LocalCount} locals are too many to expand; use Locals or GetLocalType.");
        var builder = ImmutableArray.CreateBuilder<ValType>((int)LocalCount);
        foreach (var group in Locals)
        {
            for (var i = 0u; i < group.Count; i++) builder.Add(group.Type);
        }

        return builder.MoveToImmutable();
    }

    public override string ToString() => $"func {Index}: {Type}, {LocalCount} locals, stack {MaxOperandStackDepth}, blocks {MaxControlStackDepth}";
}
