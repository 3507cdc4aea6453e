using Xunit;

namespace WasmToolkit.Runtime.Tests.EdgeCases;

/// <summary>
/// min/max (x64 <c>minss</c>/<c>maxss</c> return the second operand for equal zeros and for NaN, so the compiler
/// needs more: both orders of ±0, NaN in either position, a signalling NaN must come out quiet, canonical stays
/// canonical), and the bit operations copysign/abs/neg, which must keep every payload bit, signalling NaNs
/// unquieted. Operands as bit patterns in every shape. Expected values from a Python oracle.
/// </summary>
public class FloatSignEdgeTests
{
    [Theory]
    [InlineData("f32.min", 0x0UL, 0x80000000UL, 0x80000000UL)] // z nz
    [InlineData("f32.min", 0x80000000UL, 0x0UL, 0x80000000UL)] // nz z
    [InlineData("f32.min", 0x0UL, 0x0UL, 0x0UL)] // z z
    [InlineData("f32.min", 0x80000000UL, 0x80000000UL, 0x80000000UL)] // nz nz
    [InlineData("f32.min", 0x3F800000UL, 0x7FC00000UL, Wat.CanonicalNaN)] // one cnan
    [InlineData("f32.min", 0x7FC00000UL, 0x3F800000UL, Wat.CanonicalNaN)] // cnan one
    [InlineData("f32.min", 0x7FA00001UL, 0x3F800000UL, Wat.ArithmeticNaN)] // snan one
    [InlineData("f32.min", 0x3F800000UL, 0x7FA00001UL, Wat.ArithmeticNaN)] // one snan
    [InlineData("f32.min", 0x7FC12345UL, 0xFF800000UL, Wat.ArithmeticNaN)] // pnan ninf
    [InlineData("f32.min", 0xFF800000UL, 0xFFC00000UL, Wat.CanonicalNaN)] // ninf ncnan
    [InlineData("f32.min", 0x7F800000UL, 0xFF800000UL, 0xFF800000UL)] // inf ninf
    [InlineData("f32.min", 0x1UL, 0x80000001UL, 0x80000001UL)] // sub nsub
    [InlineData("f32.min", 0x80000001UL, 0x0UL, 0x80000001UL)] // nsub z
    [InlineData("f32.min", 0x1UL, 0x0UL, 0x0UL)] // sub z
    [InlineData("f32.min", 0xBF800000UL, 0x3F800000UL, 0xBF800000UL)] // none one
    [InlineData("f32.min", 0x7F7FFFFFUL, 0x7F800000UL, 0x7F7FFFFFUL)] // max inf
    [InlineData("f32.min", 0x7FC00000UL, 0x7FC00000UL, Wat.CanonicalNaN)] // cnan cnan
    [InlineData("f32.max", 0x0UL, 0x80000000UL, 0x0UL)] // z nz
    [InlineData("f32.max", 0x80000000UL, 0x0UL, 0x0UL)] // nz z
    [InlineData("f32.max", 0x0UL, 0x0UL, 0x0UL)] // z z
    [InlineData("f32.max", 0x80000000UL, 0x80000000UL, 0x80000000UL)] // nz nz
    [InlineData("f32.max", 0x3F800000UL, 0x7FC00000UL, Wat.CanonicalNaN)] // one cnan
    [InlineData("f32.max", 0x7FC00000UL, 0x3F800000UL, Wat.CanonicalNaN)] // cnan one
    [InlineData("f32.max", 0x7FA00001UL, 0x3F800000UL, Wat.ArithmeticNaN)] // snan one
    [InlineData("f32.max", 0x3F800000UL, 0x7FA00001UL, Wat.ArithmeticNaN)] // one snan
    [InlineData("f32.max", 0x7FC12345UL, 0xFF800000UL, Wat.ArithmeticNaN)] // pnan ninf
    [InlineData("f32.max", 0xFF800000UL, 0xFFC00000UL, Wat.CanonicalNaN)] // ninf ncnan
    [InlineData("f32.max", 0x7F800000UL, 0xFF800000UL, 0x7F800000UL)] // inf ninf
    [InlineData("f32.max", 0x1UL, 0x80000001UL, 0x1UL)] // sub nsub
    [InlineData("f32.max", 0x80000001UL, 0x0UL, 0x0UL)] // nsub z
    [InlineData("f32.max", 0x1UL, 0x0UL, 0x1UL)] // sub z
    [InlineData("f32.max", 0xBF800000UL, 0x3F800000UL, 0x3F800000UL)] // none one
    [InlineData("f32.max", 0x7F7FFFFFUL, 0x7F800000UL, 0x7F800000UL)] // max inf
    [InlineData("f32.max", 0x7FC00000UL, 0x7FC00000UL, Wat.CanonicalNaN)] // cnan cnan
    [InlineData("f32.copysign", 0x3F800000UL, 0x80000000UL, 0xBF800000UL)] // one nz
    [InlineData("f32.copysign", 0xBF800000UL, 0x0UL, 0x3F800000UL)] // none z
    [InlineData("f32.copysign", 0x0UL, 0x80000000UL, 0x80000000UL)] // z nz
    [InlineData("f32.copysign", 0x80000000UL, 0x0UL, 0x0UL)] // nz z
    [InlineData("f32.copysign", 0x7FC12345UL, 0xBF800000UL, 0xFFC12345UL)] // pnan none
    [InlineData("f32.copysign", 0x7FA00001UL, 0x80000000UL, 0xFFA00001UL)] // snan nz
    [InlineData("f32.copysign", 0x3F800000UL, 0xFFC00000UL, 0xBF800000UL)] // one ncnan
    [InlineData("f32.copysign", 0xBF800000UL, 0x7FC00000UL, 0x3F800000UL)] // none cnan
    [InlineData("f32.copysign", 0x7F800000UL, 0x80000000UL, 0xFF800000UL)] // inf nz
    [InlineData("f32.copysign", 0xFFA00001UL, 0x3F800000UL, 0x7FA00001UL)] // nsnan one
    [InlineData("f32.copysign", 0x1UL, 0x80000001UL, 0x80000001UL)] // sub nsub
    [InlineData("f32.copysign", 0x7FC00000UL, 0xFFA00001UL, 0xFFC00000UL)] // cnan nsnan
    [InlineData("f64.min", 0x0UL, 0x8000000000000000UL, 0x8000000000000000UL)] // z nz
    [InlineData("f64.min", 0x8000000000000000UL, 0x0UL, 0x8000000000000000UL)] // nz z
    [InlineData("f64.min", 0x0UL, 0x0UL, 0x0UL)] // z z
    [InlineData("f64.min", 0x8000000000000000UL, 0x8000000000000000UL, 0x8000000000000000UL)] // nz nz
    [InlineData("f64.min", 0x3FF0000000000000UL, 0x7FF8000000000000UL, Wat.CanonicalNaN)] // one cnan
    [InlineData("f64.min", 0x7FF8000000000000UL, 0x3FF0000000000000UL, Wat.CanonicalNaN)] // cnan one
    [InlineData("f64.min", 0x7FF4000000000001UL, 0x3FF0000000000000UL, Wat.ArithmeticNaN)] // snan one
    [InlineData("f64.min", 0x3FF0000000000000UL, 0x7FF4000000000001UL, Wat.ArithmeticNaN)] // one snan
    [InlineData("f64.min", 0x7FF8000000012345UL, 0xFFF0000000000000UL, Wat.ArithmeticNaN)] // pnan ninf
    [InlineData("f64.min", 0xFFF0000000000000UL, 0xFFF8000000000000UL, Wat.CanonicalNaN)] // ninf ncnan
    [InlineData("f64.min", 0x7FF0000000000000UL, 0xFFF0000000000000UL, 0xFFF0000000000000UL)] // inf ninf
    [InlineData("f64.min", 0x1UL, 0x8000000000000001UL, 0x8000000000000001UL)] // sub nsub
    [InlineData("f64.min", 0x8000000000000001UL, 0x0UL, 0x8000000000000001UL)] // nsub z
    [InlineData("f64.min", 0x1UL, 0x0UL, 0x0UL)] // sub z
    [InlineData("f64.min", 0xBFF0000000000000UL, 0x3FF0000000000000UL, 0xBFF0000000000000UL)] // none one
    [InlineData("f64.min", 0x7FEFFFFFFFFFFFFFUL, 0x7FF0000000000000UL, 0x7FEFFFFFFFFFFFFFUL)] // max inf
    [InlineData("f64.min", 0x7FF8000000000000UL, 0x7FF8000000000000UL, Wat.CanonicalNaN)] // cnan cnan
    [InlineData("f64.max", 0x0UL, 0x8000000000000000UL, 0x0UL)] // z nz
    [InlineData("f64.max", 0x8000000000000000UL, 0x0UL, 0x0UL)] // nz z
    [InlineData("f64.max", 0x0UL, 0x0UL, 0x0UL)] // z z
    [InlineData("f64.max", 0x8000000000000000UL, 0x8000000000000000UL, 0x8000000000000000UL)] // nz nz
    [InlineData("f64.max", 0x3FF0000000000000UL, 0x7FF8000000000000UL, Wat.CanonicalNaN)] // one cnan
    [InlineData("f64.max", 0x7FF8000000000000UL, 0x3FF0000000000000UL, Wat.CanonicalNaN)] // cnan one
    [InlineData("f64.max", 0x7FF4000000000001UL, 0x3FF0000000000000UL, Wat.ArithmeticNaN)] // snan one
    [InlineData("f64.max", 0x3FF0000000000000UL, 0x7FF4000000000001UL, Wat.ArithmeticNaN)] // one snan
    [InlineData("f64.max", 0x7FF8000000012345UL, 0xFFF0000000000000UL, Wat.ArithmeticNaN)] // pnan ninf
    [InlineData("f64.max", 0xFFF0000000000000UL, 0xFFF8000000000000UL, Wat.CanonicalNaN)] // ninf ncnan
    [InlineData("f64.max", 0x7FF0000000000000UL, 0xFFF0000000000000UL, 0x7FF0000000000000UL)] // inf ninf
    [InlineData("f64.max", 0x1UL, 0x8000000000000001UL, 0x1UL)] // sub nsub
    [InlineData("f64.max", 0x8000000000000001UL, 0x0UL, 0x0UL)] // nsub z
    [InlineData("f64.max", 0x1UL, 0x0UL, 0x1UL)] // sub z
    [InlineData("f64.max", 0xBFF0000000000000UL, 0x3FF0000000000000UL, 0x3FF0000000000000UL)] // none one
    [InlineData("f64.max", 0x7FEFFFFFFFFFFFFFUL, 0x7FF0000000000000UL, 0x7FF0000000000000UL)] // max inf
    [InlineData("f64.max", 0x7FF8000000000000UL, 0x7FF8000000000000UL, Wat.CanonicalNaN)] // cnan cnan
    [InlineData("f64.copysign", 0x3FF0000000000000UL, 0x8000000000000000UL, 0xBFF0000000000000UL)] // one nz
    [InlineData("f64.copysign", 0xBFF0000000000000UL, 0x0UL, 0x3FF0000000000000UL)] // none z
    [InlineData("f64.copysign", 0x0UL, 0x8000000000000000UL, 0x8000000000000000UL)] // z nz
    [InlineData("f64.copysign", 0x8000000000000000UL, 0x0UL, 0x0UL)] // nz z
    [InlineData("f64.copysign", 0x7FF8000000012345UL, 0xBFF0000000000000UL, 0xFFF8000000012345UL)] // pnan none
    [InlineData("f64.copysign", 0x7FF4000000000001UL, 0x8000000000000000UL, 0xFFF4000000000001UL)] // snan nz
    [InlineData("f64.copysign", 0x3FF0000000000000UL, 0xFFF8000000000000UL, 0xBFF0000000000000UL)] // one ncnan
    [InlineData("f64.copysign", 0xBFF0000000000000UL, 0x7FF8000000000000UL, 0x3FF0000000000000UL)] // none cnan
    [InlineData("f64.copysign", 0x7FF0000000000000UL, 0x8000000000000000UL, 0xFFF0000000000000UL)] // inf nz
    [InlineData("f64.copysign", 0xFFF4000000000001UL, 0x3FF0000000000000UL, 0x7FF4000000000001UL)] // nsnan one
    [InlineData("f64.copysign", 0x1UL, 0x8000000000000001UL, 0x8000000000000001UL)] // sub nsub
    [InlineData("f64.copysign", 0x7FF8000000000000UL, 0xFFF4000000000001UL, 0xFFF8000000000000UL)] // cnan nsnan
    public void MinMaxCopysign(string op, ulong a, ulong b, ulong expected) => Wat.CheckFloat(op, op.Substring(0, 3), op.Substring(0, 3), new[] { a, b }, expected);

    [Theory]
    [InlineData("f32.abs", 0x0UL, 0x0UL)] // z
    [InlineData("f32.neg", 0x0UL, 0x80000000UL)] // z
    [InlineData("f32.abs", 0x80000000UL, 0x0UL)] // nz
    [InlineData("f32.neg", 0x80000000UL, 0x0UL)] // nz
    [InlineData("f32.abs", 0xFF800000UL, 0x7F800000UL)] // ninf
    [InlineData("f32.neg", 0xFF800000UL, 0x7F800000UL)] // ninf
    [InlineData("f32.abs", 0x7FA00001UL, 0x7FA00001UL)] // snan
    [InlineData("f32.neg", 0x7FA00001UL, 0xFFA00001UL)] // snan
    [InlineData("f32.abs", 0xFFA00001UL, 0x7FA00001UL)] // nsnan
    [InlineData("f32.neg", 0xFFA00001UL, 0x7FA00001UL)] // nsnan
    [InlineData("f32.abs", 0x7FC00000UL, 0x7FC00000UL)] // cnan
    [InlineData("f32.neg", 0x7FC00000UL, 0xFFC00000UL)] // cnan
    [InlineData("f32.abs", 0xFFC00000UL, 0x7FC00000UL)] // ncnan
    [InlineData("f32.neg", 0xFFC00000UL, 0x7FC00000UL)] // ncnan
    [InlineData("f32.abs", 0x7FC12345UL, 0x7FC12345UL)] // pnan
    [InlineData("f32.neg", 0x7FC12345UL, 0xFFC12345UL)] // pnan
    [InlineData("f32.abs", 0x80000001UL, 0x1UL)] // nsub
    [InlineData("f32.neg", 0x80000001UL, 0x1UL)] // nsub
    [InlineData("f32.abs", 0xBF800000UL, 0x3F800000UL)] // none
    [InlineData("f32.neg", 0xBF800000UL, 0x3F800000UL)] // none
    [InlineData("f64.abs", 0x0UL, 0x0UL)] // z
    [InlineData("f64.neg", 0x0UL, 0x8000000000000000UL)] // z
    [InlineData("f64.abs", 0x8000000000000000UL, 0x0UL)] // nz
    [InlineData("f64.neg", 0x8000000000000000UL, 0x0UL)] // nz
    [InlineData("f64.abs", 0xFFF0000000000000UL, 0x7FF0000000000000UL)] // ninf
    [InlineData("f64.neg", 0xFFF0000000000000UL, 0x7FF0000000000000UL)] // ninf
    [InlineData("f64.abs", 0x7FF4000000000001UL, 0x7FF4000000000001UL)] // snan
    [InlineData("f64.neg", 0x7FF4000000000001UL, 0xFFF4000000000001UL)] // snan
    [InlineData("f64.abs", 0xFFF4000000000001UL, 0x7FF4000000000001UL)] // nsnan
    [InlineData("f64.neg", 0xFFF4000000000001UL, 0x7FF4000000000001UL)] // nsnan
    [InlineData("f64.abs", 0x7FF8000000000000UL, 0x7FF8000000000000UL)] // cnan
    [InlineData("f64.neg", 0x7FF8000000000000UL, 0xFFF8000000000000UL)] // cnan
    [InlineData("f64.abs", 0xFFF8000000000000UL, 0x7FF8000000000000UL)] // ncnan
    [InlineData("f64.neg", 0xFFF8000000000000UL, 0x7FF8000000000000UL)] // ncnan
    [InlineData("f64.abs", 0x7FF8000000012345UL, 0x7FF8000000012345UL)] // pnan
    [InlineData("f64.neg", 0x7FF8000000012345UL, 0xFFF8000000012345UL)] // pnan
    [InlineData("f64.abs", 0x8000000000000001UL, 0x1UL)] // nsub
    [InlineData("f64.neg", 0x8000000000000001UL, 0x1UL)] // nsub
    [InlineData("f64.abs", 0xBFF0000000000000UL, 0x3FF0000000000000UL)] // none
    [InlineData("f64.neg", 0xBFF0000000000000UL, 0x3FF0000000000000UL)] // none
    public void AbsNeg(string op, ulong a, ulong expected) => Wat.CheckFloat(op, op.Substring(0, 3), op.Substring(0, 3), new[] { a }, expected);
}
