using System;
using System.Collections.Immutable;
using System.Linq;

namespace WasmToolkit;

/// <summary>A function type (spec 2.3.6): parameter and result types. Compared by value.</summary>
public sealed class FuncType : IEquatable<FuncType>
{
    public FuncType(ImmutableArray<ValType> parameters, ImmutableArray<ValType> results, ByteSpan span = default)
    {
        Parameters = parameters.IsDefault ? ImmutableArray<ValType>.Empty : parameters;
        Results = results.IsDefault ? ImmutableArray<ValType>.Empty : results;
        Span = span;
    }

    /// <summary>The type <c>[] → []</c>.</summary>
    public static FuncType Empty { get; } = new(ImmutableArray<ValType>.Empty, ImmutableArray<ValType>.Empty);

    public ImmutableArray<ValType> Parameters { get; }

    public ImmutableArray<ValType> Results { get; }

    /// <summary>Where the type was read from.</summary>
    public ByteSpan Span { get; }

    public static FuncType Create(ValType[] parameters, ValType[] results) => new(parameters.ToImmutableArray(), results.ToImmutableArray());

    public FuncType WithParameters(ImmutableArray<ValType> parameters) => new(parameters, Results, Span);

    public FuncType WithResults(ImmutableArray<ValType> results) => new(Parameters, results, Span);

    /// <summary>Structural equality; spans are ignored.</summary>
    public bool Equals(FuncType? other)
        => other is not null && Parameters.SequenceEqual(other.Parameters) && Results.SequenceEqual(other.Results);

    public override bool Equals(object? obj) => Equals(obj as FuncType);

    public override int GetHashCode()
    {
        var hash = 17;
        foreach (var p in Parameters) hash = (hash * 31) + p.GetHashCode();
        hash = (hash * 31) + 0x5a5a;
        foreach (var r in Results) hash = (hash * 31) + r.GetHashCode();
        return hash;
    }

    /// <summary>Text form: <c>(func (param i32) (result i64))</c>.</summary>
    public override string ToString()
        => "(func" + (Parameters.Length > 0 ? " (param " + string.Join(" ", Parameters) + ")" : "")
                   + (Results.Length > 0 ? " (result " + string.Join(" ", Results) + ")" : "") + ")";
}
