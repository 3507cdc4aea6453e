using System;
using System.Collections.Immutable;

namespace WasmToolkit;

/// <summary>
/// An element segment (spec 2.5.7, binary 5.5.12): a vector of references, given either as function
/// indices or as constant expressions.
/// </summary>
/// <remarks>
/// <see cref="Encoding"/> keeps which of the eight binary forms (flags 0–7) it was read from so the
/// writer reproduces the same bytes; segments built in code leave it null and get the shortest form.
/// </remarks>
public sealed class ElementSegment
{
    public ElementSegment(
        SegmentMode mode,
        ValType elementType,
        ImmutableArray<FuncIndex> functionIndices,
        ImmutableArray<ConstantExpression> expressions,
        TableIndex table = default,
        ConstantExpression? offset = null,
        int? encoding = null,
        ByteSpan span = default)
    {
        if (mode == SegmentMode.Active && offset is null) throw new ArgumentException("Active segments need an offset.", nameof(offset));
        if (!functionIndices.IsDefault && !expressions.IsDefault) throw new ArgumentException("Give function indices or expressions, not both.");
        Mode = mode;
        ElementType = elementType;
        UsesExpressions = !expressions.IsDefault;
        FunctionIndices = functionIndices.IsDefault ? ImmutableArray<FuncIndex>.Empty : functionIndices;
        Expressions = expressions.IsDefault ? ImmutableArray<ConstantExpression>.Empty : expressions;
        Table = table;
        Offset = offset;
        Encoding = encoding;
        Span = span;
    }

    /// <summary>An active <c>funcref</c> segment of function indices (binary flag 0 when the table is 0).</summary>
    public static ElementSegment ActiveFunctions(TableIndex table, ConstantExpression offset, params FuncIndex[] functions)
        => new(SegmentMode.Active, ValType.FuncRef, functions.ToImmutableArray(), default, table, offset);

    public SegmentMode Mode { get; }

    /// <summary>The reference type of the items.</summary>
    public ValType ElementType { get; }

    /// <summary>True when items are expressions (<see cref="Expressions"/>), false for <see cref="FunctionIndices"/>.</summary>
    public bool UsesExpressions { get; }

    public ImmutableArray<FuncIndex> FunctionIndices { get; }

    public ImmutableArray<ConstantExpression> Expressions { get; }

    /// <summary>Number of items.</summary>
    public int Count => UsesExpressions ? Expressions.Length : FunctionIndices.Length;

    /// <summary>For active segments: the target table.</summary>
    public TableIndex Table { get; }

    /// <summary>For active segments: the offset expression.</summary>
    public ConstantExpression? Offset { get; }

    /// <summary>The binary flags it was read with (0–7), or null for the writer to choose.</summary>
    public int? Encoding { get; }

    public ByteSpan Span { get; }

    public ElementSegment WithMode(SegmentMode mode, ConstantExpression? offset = null, TableIndex table = default)
        => new(mode, ElementType, UsesExpressions ? default : FunctionIndices, UsesExpressions ? Expressions : default, table, offset, null, Span);

    public ElementSegment WithFunctionIndices(ImmutableArray<FuncIndex> functions)
        => new(Mode, ElementType, functions, default, Table, Offset, null, Span);

    public ElementSegment WithExpressions(ImmutableArray<ConstantExpression> expressions)
        => new(Mode, ElementType, default, expressions, Table, Offset, null, Span);
}
