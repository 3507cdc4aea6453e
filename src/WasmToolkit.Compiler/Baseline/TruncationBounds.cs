namespace WasmToolkit.Compiler.Baseline;

/// <summary>
/// The float range a trapping float → integer truncation accepts (wasm's <c>iNN.trunc_fMM_s/u</c>): the operand must
/// lie above <see cref="Low"/> (or at it when <see cref="LowInclusive"/>) and below <see cref="High"/>, so that it
/// truncates toward zero into the integer type. Every bound is exact in both float types; the lower one is inclusive
/// only where the integer minimum itself is the bound (i64 signed, and i32 signed from f32, where -2^31 - 1 is not an
/// f32). Shared by the macro-assemblers, which compare against these after their NaN check.
/// </summary>
internal readonly record struct TruncationBounds(double Low, bool LowInclusive, double High)
{
    public static TruncationBounds For(OperandSize source, OperandSize result, bool signed)
    {
        var i64 = result == OperandSize.S64;
        var f64 = source == OperandSize.S64;
        var (low, lowInclusive) = (signed, i64, f64) switch
        {
            (false, _, _) => (-1.0, false),
            (true, true, _) => (-9223372036854775808.0, true),
            (true, false, true) => (-2147483649.0, false),
            (true, false, false) => (-2147483648.0, true),
        };
        var high = (signed, i64) switch
        {
            (true, false) => 2147483648.0,
            (false, false) => 4294967296.0,
            (true, true) => 9223372036854775808.0,
            (false, true) => 18446744073709551616.0,
        };
        return new TruncationBounds(low, lowInclusive, high);
    }
}
