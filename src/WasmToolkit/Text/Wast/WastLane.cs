namespace WasmToolkit.Text;

/// <summary>One lane of an expected <c>v128</c> result: bits, or a NaN pattern for float lanes.</summary>
public readonly struct WastLane
{
    public WastLane(ulong bits, WastNanPattern nan)
    {
        Bits = bits;
        Nan = nan;
    }

    /// <summary>The lane's bits (zero-extended) when <see cref="Nan"/> is <see cref="WastNanPattern.None"/>.</summary>
    public ulong Bits { get; }

    public WastNanPattern Nan { get; }

    public override string ToString() => Nan switch
    {
        WastNanPattern.Canonical => "nan:canonical",
        WastNanPattern.Arithmetic => "nan:arithmetic",
        _ => "0x" + Bits.ToString("x"),
    };
}
