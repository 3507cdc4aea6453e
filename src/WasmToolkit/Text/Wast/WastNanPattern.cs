namespace WasmToolkit.Text;

/// <summary>A NaN an expected float result may be instead of a value (spec test suite conventions).</summary>
public enum WastNanPattern : byte
{
    /// <summary>Not a pattern: the exact value is expected.</summary>
    None,

    /// <summary><c>nan:canonical</c>: a NaN with only the top payload bit set, either sign.</summary>
    Canonical,

    /// <summary><c>nan:arithmetic</c>: a NaN with the top payload bit set, any other payload, either sign.</summary>
    Arithmetic,
}
