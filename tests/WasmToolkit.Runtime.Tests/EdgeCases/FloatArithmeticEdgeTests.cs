using Xunit;

namespace WasmToolkit.Runtime.Tests.EdgeCases;

/// <summary>
/// f32/f64 add, sub, mul, div, sqrt with operands given as bit patterns (registers, constant right, constant left,
/// all constant). NaN rules of the spec (4.3.3): an operation whose NaN operands are all canonical, or that makes a
/// NaN from numbers (0 * inf, inf - inf, 0 / 0, sqrt of a negative), must give a canonical NaN (either sign); one
/// with a non-canonical NaN operand (a payload, or signalling) must give an arithmetic NaN, so a signalling NaN
/// must come out quiet. The spec leaves the payload of an arithmetic NaN open, so rows do not demand that x64's
/// propagation of the first operand's payload is kept. Signed zeros, overflow to infinity, subnormals without
/// flush-to-zero, single-precision rounding for f32. Expected values from a Python oracle computing with exact
/// rationals and rounding to nearest-even, pasted as literals.
/// </summary>
public class FloatArithmeticEdgeTests
{
    [Theory]
    [InlineData("f32.add", 0x0UL, 0x0UL, 0x0UL)] // z z
    [InlineData("f32.add", 0x80000000UL, 0x80000000UL, 0x80000000UL)] // nz nz
    [InlineData("f32.add", 0x80000000UL, 0x0UL, 0x0UL)] // nz z
    [InlineData("f32.add", 0x0UL, 0x80000000UL, 0x0UL)] // z nz
    [InlineData("f32.add", 0x3F800000UL, 0xBF800000UL, 0x0UL)] // one none
    [InlineData("f32.add", 0x7F800000UL, 0xFF800000UL, Wat.CanonicalNaN)] // inf ninf
    [InlineData("f32.add", 0x7F800000UL, 0x3F800000UL, 0x7F800000UL)] // inf one
    [InlineData("f32.add", 0x7F7FFFFFUL, 0x7F7FFFFFUL, 0x7F800000UL)] // max max
    [InlineData("f32.add", 0x1UL, 0x1UL, 0x2UL)] // sub sub
    [InlineData("f32.add", 0x4B800000UL, 0x3F800000UL, 0x4B800000UL)] // big one
    [InlineData("f32.add", 0x3DCCCCCDUL, 0x3E4CCCCDUL, 0x3E99999AUL)] // tenth fifth
    [InlineData("f32.add", 0x7FC00000UL, 0x3F800000UL, Wat.CanonicalNaN)] // cnan one
    [InlineData("f32.add", 0x3F800000UL, 0xFFC00000UL, Wat.CanonicalNaN)] // one ncnan
    [InlineData("f32.add", 0x7FA00001UL, 0x3F800000UL, Wat.ArithmeticNaN)] // snan one
    [InlineData("f32.add", 0x3F800000UL, 0x7FA00001UL, Wat.ArithmeticNaN)] // one snan
    [InlineData("f32.add", 0x7FC12345UL, 0x3F800000UL, Wat.ArithmeticNaN)] // pnan one
    [InlineData("f32.add", 0x7FA00001UL, 0x7FC12345UL, Wat.ArithmeticNaN)] // snan pnan
    [InlineData("f32.add", 0x7FC00000UL, 0x7FC00000UL, Wat.CanonicalNaN)] // cnan cnan
    [InlineData("f32.add", 0x7F800000UL, 0x7FC00000UL, Wat.CanonicalNaN)] // inf cnan
    [InlineData("f32.sub", 0x0UL, 0x0UL, 0x0UL)] // z z
    [InlineData("f32.sub", 0x80000000UL, 0x0UL, 0x80000000UL)] // nz z
    [InlineData("f32.sub", 0x0UL, 0x80000000UL, 0x0UL)] // z nz
    [InlineData("f32.sub", 0x80000000UL, 0x80000000UL, 0x0UL)] // nz nz
    [InlineData("f32.sub", 0x3F800000UL, 0x3F800000UL, 0x0UL)] // one one
    [InlineData("f32.sub", 0x7F800000UL, 0x7F800000UL, Wat.CanonicalNaN)] // inf inf
    [InlineData("f32.sub", 0xFF800000UL, 0x7F800000UL, 0xFF800000UL)] // ninf inf
    [InlineData("f32.sub", 0x800000UL, 0x1UL, 0x7FFFFFUL)] // minnorm sub
    [InlineData("f32.sub", 0x7FC00000UL, 0x0UL, Wat.CanonicalNaN)] // cnan z
    [InlineData("f32.sub", 0x7FA00001UL, 0x0UL, Wat.ArithmeticNaN)] // snan z
    [InlineData("f32.sub", 0x0UL, 0xFFA00001UL, Wat.ArithmeticNaN)] // z nsnan
    [InlineData("f32.sub", 0x7FC12345UL, 0x7FC12345UL, Wat.ArithmeticNaN)] // pnan pnan
    [InlineData("f32.mul", 0x0UL, 0x7F800000UL, Wat.CanonicalNaN)] // z inf
    [InlineData("f32.mul", 0x7F800000UL, 0x80000000UL, Wat.CanonicalNaN)] // inf nz
    [InlineData("f32.mul", 0x80000000UL, 0x40A00000UL, 0x80000000UL)] // nz five
    [InlineData("f32.mul", 0xC0A00000UL, 0x0UL, 0x80000000UL)] // nfive z
    [InlineData("f32.mul", 0x80000000UL, 0x80000000UL, 0x0UL)] // nz nz
    [InlineData("f32.mul", 0x7F7FFFFFUL, 0x40000000UL, 0x7F800000UL)] // max two
    [InlineData("f32.mul", 0x1UL, 0x3F000000UL, 0x0UL)] // sub half
    [InlineData("f32.mul", 0x800000UL, 0x3F000000UL, 0x400000UL)] // minnorm half
    [InlineData("f32.mul", 0x3EAAAAABUL, 0x40000000UL, 0x3F2AAAABUL)] // third two
    [InlineData("f32.mul", 0x7FA00001UL, 0x3F800000UL, Wat.ArithmeticNaN)] // snan one
    [InlineData("f32.mul", 0x7FC00000UL, 0x0UL, Wat.CanonicalNaN)] // cnan z
    [InlineData("f32.mul", 0x3F800000UL, 0x7FC12345UL, Wat.ArithmeticNaN)] // one pnan
    [InlineData("f32.mul", 0x7F800000UL, 0xFF800000UL, 0xFF800000UL)] // inf ninf
    [InlineData("f32.div", 0x0UL, 0x0UL, Wat.CanonicalNaN)] // z z
    [InlineData("f32.div", 0x7F800000UL, 0x7F800000UL, Wat.CanonicalNaN)] // inf inf
    [InlineData("f32.div", 0x3F800000UL, 0x0UL, 0x7F800000UL)] // one z
    [InlineData("f32.div", 0x3F800000UL, 0x80000000UL, 0xFF800000UL)] // one nz
    [InlineData("f32.div", 0xBF800000UL, 0x0UL, 0xFF800000UL)] // none z
    [InlineData("f32.div", 0x0UL, 0xC0A00000UL, 0x80000000UL)] // z nfive
    [InlineData("f32.div", 0x80000000UL, 0x7F800000UL, 0x80000000UL)] // nz inf
    [InlineData("f32.div", 0x3F800000UL, 0x3EAAAAABUL, 0x40400000UL)] // one third
    [InlineData("f32.div", 0x1UL, 0x40000000UL, 0x0UL)] // sub two
    [InlineData("f32.div", 0x800000UL, 0x40000000UL, 0x400000UL)] // minnorm two
    [InlineData("f32.div", 0x7F7FFFFFUL, 0x3F000000UL, 0x7F800000UL)] // max half
    [InlineData("f32.div", 0x7FA00001UL, 0x3F800000UL, Wat.ArithmeticNaN)] // snan one
    [InlineData("f32.div", 0x3F800000UL, 0xFFC00000UL, Wat.CanonicalNaN)] // one ncnan
    [InlineData("f32.div", 0x7FC00000UL, 0x7F800000UL, Wat.CanonicalNaN)] // cnan inf
    [InlineData("f32.div", 0x7FC12345UL, 0x0UL, Wat.ArithmeticNaN)] // pnan z
    [InlineData("f64.add", 0x0UL, 0x0UL, 0x0UL)] // z z
    [InlineData("f64.add", 0x8000000000000000UL, 0x8000000000000000UL, 0x8000000000000000UL)] // nz nz
    [InlineData("f64.add", 0x8000000000000000UL, 0x0UL, 0x0UL)] // nz z
    [InlineData("f64.add", 0x0UL, 0x8000000000000000UL, 0x0UL)] // z nz
    [InlineData("f64.add", 0x3FF0000000000000UL, 0xBFF0000000000000UL, 0x0UL)] // one none
    [InlineData("f64.add", 0x7FF0000000000000UL, 0xFFF0000000000000UL, Wat.CanonicalNaN)] // inf ninf
    [InlineData("f64.add", 0x7FF0000000000000UL, 0x3FF0000000000000UL, 0x7FF0000000000000UL)] // inf one
    [InlineData("f64.add", 0x7FEFFFFFFFFFFFFFUL, 0x7FEFFFFFFFFFFFFFUL, 0x7FF0000000000000UL)] // max max
    [InlineData("f64.add", 0x1UL, 0x1UL, 0x2UL)] // sub sub
    [InlineData("f64.add", 0x4340000000000000UL, 0x3FF0000000000000UL, 0x4340000000000000UL)] // big one
    [InlineData("f64.add", 0x3FB999999999999AUL, 0x3FC999999999999AUL, 0x3FD3333333333334UL)] // tenth fifth
    [InlineData("f64.add", 0x7FF8000000000000UL, 0x3FF0000000000000UL, Wat.CanonicalNaN)] // cnan one
    [InlineData("f64.add", 0x3FF0000000000000UL, 0xFFF8000000000000UL, Wat.CanonicalNaN)] // one ncnan
    [InlineData("f64.add", 0x7FF4000000000001UL, 0x3FF0000000000000UL, Wat.ArithmeticNaN)] // snan one
    [InlineData("f64.add", 0x3FF0000000000000UL, 0x7FF4000000000001UL, Wat.ArithmeticNaN)] // one snan
    [InlineData("f64.add", 0x7FF8000000012345UL, 0x3FF0000000000000UL, Wat.ArithmeticNaN)] // pnan one
    [InlineData("f64.add", 0x7FF4000000000001UL, 0x7FF8000000012345UL, Wat.ArithmeticNaN)] // snan pnan
    [InlineData("f64.add", 0x7FF8000000000000UL, 0x7FF8000000000000UL, Wat.CanonicalNaN)] // cnan cnan
    [InlineData("f64.add", 0x7FF0000000000000UL, 0x7FF8000000000000UL, Wat.CanonicalNaN)] // inf cnan
    [InlineData("f64.sub", 0x0UL, 0x0UL, 0x0UL)] // z z
    [InlineData("f64.sub", 0x8000000000000000UL, 0x0UL, 0x8000000000000000UL)] // nz z
    [InlineData("f64.sub", 0x0UL, 0x8000000000000000UL, 0x0UL)] // z nz
    [InlineData("f64.sub", 0x8000000000000000UL, 0x8000000000000000UL, 0x0UL)] // nz nz
    [InlineData("f64.sub", 0x3FF0000000000000UL, 0x3FF0000000000000UL, 0x0UL)] // one one
    [InlineData("f64.sub", 0x7FF0000000000000UL, 0x7FF0000000000000UL, Wat.CanonicalNaN)] // inf inf
    [InlineData("f64.sub", 0xFFF0000000000000UL, 0x7FF0000000000000UL, 0xFFF0000000000000UL)] // ninf inf
    [InlineData("f64.sub", 0x10000000000000UL, 0x1UL, 0xFFFFFFFFFFFFFUL)] // minnorm sub
    [InlineData("f64.sub", 0x7FF8000000000000UL, 0x0UL, Wat.CanonicalNaN)] // cnan z
    [InlineData("f64.sub", 0x7FF4000000000001UL, 0x0UL, Wat.ArithmeticNaN)] // snan z
    [InlineData("f64.sub", 0x0UL, 0xFFF4000000000001UL, Wat.ArithmeticNaN)] // z nsnan
    [InlineData("f64.sub", 0x7FF8000000012345UL, 0x7FF8000000012345UL, Wat.ArithmeticNaN)] // pnan pnan
    [InlineData("f64.mul", 0x0UL, 0x7FF0000000000000UL, Wat.CanonicalNaN)] // z inf
    [InlineData("f64.mul", 0x7FF0000000000000UL, 0x8000000000000000UL, Wat.CanonicalNaN)] // inf nz
    [InlineData("f64.mul", 0x8000000000000000UL, 0x4014000000000000UL, 0x8000000000000000UL)] // nz five
    [InlineData("f64.mul", 0xC014000000000000UL, 0x0UL, 0x8000000000000000UL)] // nfive z
    [InlineData("f64.mul", 0x8000000000000000UL, 0x8000000000000000UL, 0x0UL)] // nz nz
    [InlineData("f64.mul", 0x7FEFFFFFFFFFFFFFUL, 0x4000000000000000UL, 0x7FF0000000000000UL)] // max two
    [InlineData("f64.mul", 0x1UL, 0x3FE0000000000000UL, 0x0UL)] // sub half
    [InlineData("f64.mul", 0x10000000000000UL, 0x3FE0000000000000UL, 0x8000000000000UL)] // minnorm half
    [InlineData("f64.mul", 0x3FD5555555555555UL, 0x4000000000000000UL, 0x3FE5555555555555UL)] // third two
    [InlineData("f64.mul", 0x7FF4000000000001UL, 0x3FF0000000000000UL, Wat.ArithmeticNaN)] // snan one
    [InlineData("f64.mul", 0x7FF8000000000000UL, 0x0UL, Wat.CanonicalNaN)] // cnan z
    [InlineData("f64.mul", 0x3FF0000000000000UL, 0x7FF8000000012345UL, Wat.ArithmeticNaN)] // one pnan
    [InlineData("f64.mul", 0x7FF0000000000000UL, 0xFFF0000000000000UL, 0xFFF0000000000000UL)] // inf ninf
    [InlineData("f64.div", 0x0UL, 0x0UL, Wat.CanonicalNaN)] // z z
    [InlineData("f64.div", 0x7FF0000000000000UL, 0x7FF0000000000000UL, Wat.CanonicalNaN)] // inf inf
    [InlineData("f64.div", 0x3FF0000000000000UL, 0x0UL, 0x7FF0000000000000UL)] // one z
    [InlineData("f64.div", 0x3FF0000000000000UL, 0x8000000000000000UL, 0xFFF0000000000000UL)] // one nz
    [InlineData("f64.div", 0xBFF0000000000000UL, 0x0UL, 0xFFF0000000000000UL)] // none z
    [InlineData("f64.div", 0x0UL, 0xC014000000000000UL, 0x8000000000000000UL)] // z nfive
    [InlineData("f64.div", 0x8000000000000000UL, 0x7FF0000000000000UL, 0x8000000000000000UL)] // nz inf
    [InlineData("f64.div", 0x3FF0000000000000UL, 0x3FD5555555555555UL, 0x4008000000000000UL)] // one third
    [InlineData("f64.div", 0x1UL, 0x4000000000000000UL, 0x0UL)] // sub two
    [InlineData("f64.div", 0x10000000000000UL, 0x4000000000000000UL, 0x8000000000000UL)] // minnorm two
    [InlineData("f64.div", 0x7FEFFFFFFFFFFFFFUL, 0x3FE0000000000000UL, 0x7FF0000000000000UL)] // max half
    [InlineData("f64.div", 0x7FF4000000000001UL, 0x3FF0000000000000UL, Wat.ArithmeticNaN)] // snan one
    [InlineData("f64.div", 0x3FF0000000000000UL, 0xFFF8000000000000UL, Wat.CanonicalNaN)] // one ncnan
    [InlineData("f64.div", 0x7FF8000000000000UL, 0x7FF0000000000000UL, Wat.CanonicalNaN)] // cnan inf
    [InlineData("f64.div", 0x7FF8000000012345UL, 0x0UL, Wat.ArithmeticNaN)] // pnan z
    public void Binary(string op, ulong a, ulong b, ulong expected) => Wat.CheckFloat(op, op.Substring(0, 3), op.Substring(0, 3), new[] { a, b }, expected);

    [Theory]
    [InlineData("f32.sqrt", 0x0UL, 0x0UL)] // z
    [InlineData("f32.sqrt", 0x80000000UL, 0x80000000UL)] // nz
    [InlineData("f32.sqrt", 0x3F800000UL, 0x3F800000UL)] // one
    [InlineData("f32.sqrt", 0xBF800000UL, Wat.CanonicalNaN)] // none
    [InlineData("f32.sqrt", 0xFF800000UL, Wat.CanonicalNaN)] // ninf
    [InlineData("f32.sqrt", 0x7F800000UL, 0x7F800000UL)] // inf
    [InlineData("f32.sqrt", 0x40000000UL, 0x3FB504F3UL)] // two
    [InlineData("f32.sqrt", 0x1UL, 0x1A3504F3UL)] // sub
    [InlineData("f32.sqrt", 0x7F7FFFFFUL, 0x5F7FFFFFUL)] // max
    [InlineData("f32.sqrt", 0x7FA00001UL, Wat.ArithmeticNaN)] // snan
    [InlineData("f32.sqrt", 0x7FC00000UL, Wat.CanonicalNaN)] // cnan
    [InlineData("f32.sqrt", 0xFFC00000UL, Wat.CanonicalNaN)] // ncnan
    [InlineData("f32.sqrt", 0x7FC12345UL, Wat.ArithmeticNaN)] // pnan
    [InlineData("f32.sqrt", 0x80000001UL, Wat.CanonicalNaN)] // nsub
    [InlineData("f64.sqrt", 0x0UL, 0x0UL)] // z
    [InlineData("f64.sqrt", 0x8000000000000000UL, 0x8000000000000000UL)] // nz
    [InlineData("f64.sqrt", 0x3FF0000000000000UL, 0x3FF0000000000000UL)] // one
    [InlineData("f64.sqrt", 0xBFF0000000000000UL, Wat.CanonicalNaN)] // none
    [InlineData("f64.sqrt", 0xFFF0000000000000UL, Wat.CanonicalNaN)] // ninf
    [InlineData("f64.sqrt", 0x7FF0000000000000UL, 0x7FF0000000000000UL)] // inf
    [InlineData("f64.sqrt", 0x4000000000000000UL, 0x3FF6A09E667F3BCDUL)] // two
    [InlineData("f64.sqrt", 0x1UL, 0x1E60000000000000UL)] // sub
    [InlineData("f64.sqrt", 0x7FEFFFFFFFFFFFFFUL, 0x5FEFFFFFFFFFFFFFUL)] // max
    [InlineData("f64.sqrt", 0x7FF4000000000001UL, Wat.ArithmeticNaN)] // snan
    [InlineData("f64.sqrt", 0x7FF8000000000000UL, Wat.CanonicalNaN)] // cnan
    [InlineData("f64.sqrt", 0xFFF8000000000000UL, Wat.CanonicalNaN)] // ncnan
    [InlineData("f64.sqrt", 0x7FF8000000012345UL, Wat.ArithmeticNaN)] // pnan
    [InlineData("f64.sqrt", 0x8000000000000001UL, Wat.CanonicalNaN)] // nsub
    public void SquareRoot(string op, ulong a, ulong expected) => Wat.CheckFloat(op, op.Substring(0, 3), op.Substring(0, 3), new[] { a }, expected);

    /// <summary>
    /// Twenty live f64 values built from a parameter (so they live in xmm registers and spill), combined by sub and
    /// div whose operand order matters, with a call in the middle (every xmm register is caller-saved).
    /// </summary>
    [Fact]
    public void FloatRegisterPressureAcrossACallKeepsOperandOrder()
    {
        var leaves = new System.Text.StringBuilder();
        const int N = 20;
        for (var i = 0; i < N - 1; i++) leaves.Append($"({(i % 2 == 0 ? "f64.sub" : "f64.div")} (f64.add (local.get 0) (f64.const {i + 1})) ");
        leaves.Append("(call $h (local.get 0))").Append(new string(')', N - 1));
        using var instance = Wat.Instantiate($@"(module
  (func $h (param f64) (result f64) (f64.mul (f64.sqrt (local.get 0)) (f64.const 3)))
  (func (export ""f"") (param f64) (result f64) {leaves}))");
        double x = 16;
        var value = System.Math.Sqrt(x) * 3;
        for (var i = N - 2; i >= 0; i--) value = i % 2 == 0 ? (x + i + 1) - value : (x + i + 1) / value;
        Assert.Equal(System.BitConverter.DoubleToInt64Bits(value), System.BitConverter.DoubleToInt64Bits((double)instance.Invoke("f", x)!));
    }
}
