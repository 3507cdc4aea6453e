using System.Collections.Immutable;

namespace WasmToolkit.Text;

/// <summary>
/// An expected result of <c>assert_return</c>: an exact value, a NaN pattern (<c>nan:canonical</c>,
/// <c>nan:arithmetic</c>), a vector with per-lane patterns, or any reference of a kind
/// (<c>(ref.extern)</c>, <c>(ref.func)</c> without a number).
/// </summary>
public sealed class WastResult
{
    internal WastResult(WastValueKind kind, WastValue value, WastNanPattern nan, WastLaneShape shape, ImmutableArray<WastLane> lanes, bool anyReference)
    {
        Kind = kind;
        Value = value;
        Nan = nan;
        Shape = shape;
        Lanes = lanes.IsDefault ? ImmutableArray<WastLane>.Empty : lanes;
        IsAnyReference = anyReference;
    }

    /// <summary>The type of the expected value.</summary>
    public WastValueKind Kind { get; }

    /// <summary>The exact expected value; meaningful when <see cref="IsExact"/>.</summary>
    public WastValue Value { get; }

    /// <summary>For f32/f64 results: the NaN pattern, or <see cref="WastNanPattern.None"/> for an exact value.</summary>
    public WastNanPattern Nan { get; }

    /// <summary>For v128 results: the shape the lanes were written in.</summary>
    public WastLaneShape Shape { get; }

    /// <summary>For v128 results: each lane's expected bits or NaN pattern.</summary>
    public ImmutableArray<WastLane> Lanes { get; }

    /// <summary>True for <c>(ref.extern)</c> / <c>(ref.func)</c> without a number: any non-null reference of that kind.</summary>
    public bool IsAnyReference { get; }

    /// <summary>True when <see cref="Value"/> is the whole expectation (no NaN pattern anywhere, not "any reference").</summary>
    public bool IsExact
    {
        get
        {
            if (Nan != WastNanPattern.None || IsAnyReference) return false;
            foreach (var lane in Lanes)
            {
                if (lane.Nan != WastNanPattern.None) return false;
            }

            return true;
        }
    }

    public static WastResult Exact(WastValue value) => new(value.Kind, value, WastNanPattern.None, default, default, false);

    public override string ToString() => IsAnyReference ? "(" + (Kind == WastValueKind.RefFunc ? "ref.func" : "ref.extern") + ")"
        : Nan != WastNanPattern.None ? "(" + (Kind == WastValueKind.F32 ? "f32" : "f64") + ".const " + (Nan == WastNanPattern.Canonical ? "nan:canonical" : "nan:arithmetic") + ")"
        : Kind == WastValueKind.V128 ? "(v128.const " + Shape.ToString().ToLowerInvariant() + " " + string.Join(" ", Lanes) + ")"
        : Value.ToString();
}
