using System.Collections.Generic;
using Xunit;

namespace WasmToolkit.Runtime.Tests.EdgeCases;

/// <summary>
/// Integer comparisons across the signed/unsigned boundary and with i64 constants beyond imm32 (every operand
/// shape); float comparisons with NaN (quiet, signalling, negative, with payload), signed zeros, subnormals
/// and infinities. Each comparison is also consumed the ways a compiler may fuse it: materialised, as an
/// <c>if</c> condition, a <c>br_if</c> condition, a <c>select</c> condition, and under <c>i32.eqz</c> (where
/// inverting a float condition is wrong for NaN: not-less-than is not greater-or-equal).
/// Expected values from a Python oracle (IEEE comparisons; any NaN operand makes all but <c>ne</c> false).
/// </summary>
public class ComparisonEdgeTests
{
    [Theory]
    [InlineData("i32.eq", 0x80000000UL, 0x7FFFFFFFUL, 0)]
    [InlineData("i32.eq", 0x7FFFFFFFUL, 0x80000000UL, 0)]
    [InlineData("i32.eq", 0xFFFFFFFFUL, 0x0UL, 0)]
    [InlineData("i32.eq", 0x0UL, 0xFFFFFFFFUL, 0)]
    [InlineData("i32.eq", 0x80000000UL, 0x80000000UL, 1)]
    [InlineData("i32.ne", 0x80000000UL, 0x7FFFFFFFUL, 1)]
    [InlineData("i32.ne", 0x7FFFFFFFUL, 0x80000000UL, 1)]
    [InlineData("i32.ne", 0xFFFFFFFFUL, 0x0UL, 1)]
    [InlineData("i32.ne", 0x0UL, 0xFFFFFFFFUL, 1)]
    [InlineData("i32.ne", 0x80000000UL, 0x80000000UL, 0)]
    [InlineData("i32.lt_s", 0x80000000UL, 0x7FFFFFFFUL, 1)]
    [InlineData("i32.lt_s", 0x7FFFFFFFUL, 0x80000000UL, 0)]
    [InlineData("i32.lt_s", 0xFFFFFFFFUL, 0x0UL, 1)]
    [InlineData("i32.lt_s", 0x0UL, 0xFFFFFFFFUL, 0)]
    [InlineData("i32.lt_s", 0x80000000UL, 0x80000000UL, 0)]
    [InlineData("i32.lt_u", 0x80000000UL, 0x7FFFFFFFUL, 0)]
    [InlineData("i32.lt_u", 0x7FFFFFFFUL, 0x80000000UL, 1)]
    [InlineData("i32.lt_u", 0xFFFFFFFFUL, 0x0UL, 0)]
    [InlineData("i32.lt_u", 0x0UL, 0xFFFFFFFFUL, 1)]
    [InlineData("i32.lt_u", 0x80000000UL, 0x80000000UL, 0)]
    [InlineData("i32.gt_s", 0x80000000UL, 0x7FFFFFFFUL, 0)]
    [InlineData("i32.gt_s", 0x7FFFFFFFUL, 0x80000000UL, 1)]
    [InlineData("i32.gt_s", 0xFFFFFFFFUL, 0x0UL, 0)]
    [InlineData("i32.gt_s", 0x0UL, 0xFFFFFFFFUL, 1)]
    [InlineData("i32.gt_s", 0x80000000UL, 0x80000000UL, 0)]
    [InlineData("i32.gt_u", 0x80000000UL, 0x7FFFFFFFUL, 1)]
    [InlineData("i32.gt_u", 0x7FFFFFFFUL, 0x80000000UL, 0)]
    [InlineData("i32.gt_u", 0xFFFFFFFFUL, 0x0UL, 1)]
    [InlineData("i32.gt_u", 0x0UL, 0xFFFFFFFFUL, 0)]
    [InlineData("i32.gt_u", 0x80000000UL, 0x80000000UL, 0)]
    [InlineData("i32.le_s", 0x80000000UL, 0x7FFFFFFFUL, 1)]
    [InlineData("i32.le_s", 0x7FFFFFFFUL, 0x80000000UL, 0)]
    [InlineData("i32.le_s", 0xFFFFFFFFUL, 0x0UL, 1)]
    [InlineData("i32.le_s", 0x0UL, 0xFFFFFFFFUL, 0)]
    [InlineData("i32.le_s", 0x80000000UL, 0x80000000UL, 1)]
    [InlineData("i32.le_u", 0x80000000UL, 0x7FFFFFFFUL, 0)]
    [InlineData("i32.le_u", 0x7FFFFFFFUL, 0x80000000UL, 1)]
    [InlineData("i32.le_u", 0xFFFFFFFFUL, 0x0UL, 0)]
    [InlineData("i32.le_u", 0x0UL, 0xFFFFFFFFUL, 1)]
    [InlineData("i32.le_u", 0x80000000UL, 0x80000000UL, 1)]
    [InlineData("i32.ge_s", 0x80000000UL, 0x7FFFFFFFUL, 0)]
    [InlineData("i32.ge_s", 0x7FFFFFFFUL, 0x80000000UL, 1)]
    [InlineData("i32.ge_s", 0xFFFFFFFFUL, 0x0UL, 0)]
    [InlineData("i32.ge_s", 0x0UL, 0xFFFFFFFFUL, 1)]
    [InlineData("i32.ge_s", 0x80000000UL, 0x80000000UL, 1)]
    [InlineData("i32.ge_u", 0x80000000UL, 0x7FFFFFFFUL, 1)]
    [InlineData("i32.ge_u", 0x7FFFFFFFUL, 0x80000000UL, 0)]
    [InlineData("i32.ge_u", 0xFFFFFFFFUL, 0x0UL, 1)]
    [InlineData("i32.ge_u", 0x0UL, 0xFFFFFFFFUL, 0)]
    [InlineData("i32.ge_u", 0x80000000UL, 0x80000000UL, 1)]
    [InlineData("i64.eq", 0x8000000000000000UL, 0x7FFFFFFFFFFFFFFFUL, 0)]
    [InlineData("i64.eq", 0xFFFFFFFFFFFFFFFFUL, 0x0UL, 0)]
    [InlineData("i64.eq", 0x80000000UL, 0xFFFFFFFF80000000UL, 0)]
    [InlineData("i64.eq", 0x100000000UL, 0xFFFFFFFFUL, 0)]
    [InlineData("i64.eq", 0xFFFFFFFFUL, 0x100000000UL, 0)]
    [InlineData("i64.eq", 0x100000000UL, 0x100000000UL, 1)]
    [InlineData("i64.eq", 0x1UL, 0x100000001UL, 0)]
    [InlineData("i64.ne", 0x8000000000000000UL, 0x7FFFFFFFFFFFFFFFUL, 1)]
    [InlineData("i64.ne", 0xFFFFFFFFFFFFFFFFUL, 0x0UL, 1)]
    [InlineData("i64.ne", 0x80000000UL, 0xFFFFFFFF80000000UL, 1)]
    [InlineData("i64.ne", 0x100000000UL, 0xFFFFFFFFUL, 1)]
    [InlineData("i64.ne", 0xFFFFFFFFUL, 0x100000000UL, 1)]
    [InlineData("i64.ne", 0x100000000UL, 0x100000000UL, 0)]
    [InlineData("i64.ne", 0x1UL, 0x100000001UL, 1)]
    [InlineData("i64.lt_s", 0x8000000000000000UL, 0x7FFFFFFFFFFFFFFFUL, 1)]
    [InlineData("i64.lt_s", 0xFFFFFFFFFFFFFFFFUL, 0x0UL, 1)]
    [InlineData("i64.lt_s", 0x80000000UL, 0xFFFFFFFF80000000UL, 0)]
    [InlineData("i64.lt_s", 0x100000000UL, 0xFFFFFFFFUL, 0)]
    [InlineData("i64.lt_s", 0xFFFFFFFFUL, 0x100000000UL, 1)]
    [InlineData("i64.lt_s", 0x100000000UL, 0x100000000UL, 0)]
    [InlineData("i64.lt_s", 0x1UL, 0x100000001UL, 1)]
    [InlineData("i64.lt_u", 0x8000000000000000UL, 0x7FFFFFFFFFFFFFFFUL, 0)]
    [InlineData("i64.lt_u", 0xFFFFFFFFFFFFFFFFUL, 0x0UL, 0)]
    [InlineData("i64.lt_u", 0x80000000UL, 0xFFFFFFFF80000000UL, 1)]
    [InlineData("i64.lt_u", 0x100000000UL, 0xFFFFFFFFUL, 0)]
    [InlineData("i64.lt_u", 0xFFFFFFFFUL, 0x100000000UL, 1)]
    [InlineData("i64.lt_u", 0x100000000UL, 0x100000000UL, 0)]
    [InlineData("i64.lt_u", 0x1UL, 0x100000001UL, 1)]
    [InlineData("i64.gt_s", 0x8000000000000000UL, 0x7FFFFFFFFFFFFFFFUL, 0)]
    [InlineData("i64.gt_s", 0xFFFFFFFFFFFFFFFFUL, 0x0UL, 0)]
    [InlineData("i64.gt_s", 0x80000000UL, 0xFFFFFFFF80000000UL, 1)]
    [InlineData("i64.gt_s", 0x100000000UL, 0xFFFFFFFFUL, 1)]
    [InlineData("i64.gt_s", 0xFFFFFFFFUL, 0x100000000UL, 0)]
    [InlineData("i64.gt_s", 0x100000000UL, 0x100000000UL, 0)]
    [InlineData("i64.gt_s", 0x1UL, 0x100000001UL, 0)]
    [InlineData("i64.gt_u", 0x8000000000000000UL, 0x7FFFFFFFFFFFFFFFUL, 1)]
    [InlineData("i64.gt_u", 0xFFFFFFFFFFFFFFFFUL, 0x0UL, 1)]
    [InlineData("i64.gt_u", 0x80000000UL, 0xFFFFFFFF80000000UL, 0)]
    [InlineData("i64.gt_u", 0x100000000UL, 0xFFFFFFFFUL, 1)]
    [InlineData("i64.gt_u", 0xFFFFFFFFUL, 0x100000000UL, 0)]
    [InlineData("i64.gt_u", 0x100000000UL, 0x100000000UL, 0)]
    [InlineData("i64.gt_u", 0x1UL, 0x100000001UL, 0)]
    [InlineData("i64.le_s", 0x8000000000000000UL, 0x7FFFFFFFFFFFFFFFUL, 1)]
    [InlineData("i64.le_s", 0xFFFFFFFFFFFFFFFFUL, 0x0UL, 1)]
    [InlineData("i64.le_s", 0x80000000UL, 0xFFFFFFFF80000000UL, 0)]
    [InlineData("i64.le_s", 0x100000000UL, 0xFFFFFFFFUL, 0)]
    [InlineData("i64.le_s", 0xFFFFFFFFUL, 0x100000000UL, 1)]
    [InlineData("i64.le_s", 0x100000000UL, 0x100000000UL, 1)]
    [InlineData("i64.le_s", 0x1UL, 0x100000001UL, 1)]
    [InlineData("i64.le_u", 0x8000000000000000UL, 0x7FFFFFFFFFFFFFFFUL, 0)]
    [InlineData("i64.le_u", 0xFFFFFFFFFFFFFFFFUL, 0x0UL, 0)]
    [InlineData("i64.le_u", 0x80000000UL, 0xFFFFFFFF80000000UL, 1)]
    [InlineData("i64.le_u", 0x100000000UL, 0xFFFFFFFFUL, 0)]
    [InlineData("i64.le_u", 0xFFFFFFFFUL, 0x100000000UL, 1)]
    [InlineData("i64.le_u", 0x100000000UL, 0x100000000UL, 1)]
    [InlineData("i64.le_u", 0x1UL, 0x100000001UL, 1)]
    [InlineData("i64.ge_s", 0x8000000000000000UL, 0x7FFFFFFFFFFFFFFFUL, 0)]
    [InlineData("i64.ge_s", 0xFFFFFFFFFFFFFFFFUL, 0x0UL, 0)]
    [InlineData("i64.ge_s", 0x80000000UL, 0xFFFFFFFF80000000UL, 1)]
    [InlineData("i64.ge_s", 0x100000000UL, 0xFFFFFFFFUL, 1)]
    [InlineData("i64.ge_s", 0xFFFFFFFFUL, 0x100000000UL, 0)]
    [InlineData("i64.ge_s", 0x100000000UL, 0x100000000UL, 1)]
    [InlineData("i64.ge_s", 0x1UL, 0x100000001UL, 0)]
    [InlineData("i64.ge_u", 0x8000000000000000UL, 0x7FFFFFFFFFFFFFFFUL, 1)]
    [InlineData("i64.ge_u", 0xFFFFFFFFFFFFFFFFUL, 0x0UL, 1)]
    [InlineData("i64.ge_u", 0x80000000UL, 0xFFFFFFFF80000000UL, 0)]
    [InlineData("i64.ge_u", 0x100000000UL, 0xFFFFFFFFUL, 1)]
    [InlineData("i64.ge_u", 0xFFFFFFFFUL, 0x100000000UL, 0)]
    [InlineData("i64.ge_u", 0x100000000UL, 0x100000000UL, 1)]
    [InlineData("i64.ge_u", 0x1UL, 0x100000001UL, 0)]
    public void IntegerComparison(string op, ulong a, ulong b, int expected)
    {
        Wat.CheckBinary(op, a, b, (ulong)expected);
        CheckConsumers(op, Wat.TypeOf(op), a, b, expected);
    }

    [Theory]
    [InlineData("f32.eq", 0x0UL, 0x80000000UL, 1)] // 0 -0
    [InlineData("f32.eq", 0x80000000UL, 0x0UL, 1)] // -0 0
    [InlineData("f32.eq", 0x3F800000UL, 0x7FC00000UL, 0)] // 1 qnan
    [InlineData("f32.eq", 0x7FC00000UL, 0x3F800000UL, 0)] // qnan 1
    [InlineData("f32.eq", 0x7FC00000UL, 0x7FC00000UL, 0)] // qnan qnan
    [InlineData("f32.eq", 0x7FA00001UL, 0x3F800000UL, 0)] // snan 1
    [InlineData("f32.eq", 0x3F800000UL, 0x7FA00001UL, 0)] // 1 snan
    [InlineData("f32.eq", 0xFFC00000UL, 0xFF800000UL, 0)] // -nan -inf
    [InlineData("f32.eq", 0x7FC12345UL, 0x7FC12345UL, 0)] // nanp nanp
    [InlineData("f32.eq", 0x7F800000UL, 0x7F800000UL, 1)] // inf inf
    [InlineData("f32.eq", 0xFF800000UL, 0x7F800000UL, 0)] // -inf inf
    [InlineData("f32.eq", 0x1UL, 0x0UL, 0)] // min 0
    [InlineData("f32.eq", 0x0UL, 0x1UL, 0)] // 0 min
    [InlineData("f32.eq", 0x7F7FFFFFUL, 0x7F800000UL, 0)] // max inf
    [InlineData("f32.eq", 0x3F800000UL, 0xBF800000UL, 0)] // 1 -1
    [InlineData("f32.ne", 0x0UL, 0x80000000UL, 0)] // 0 -0
    [InlineData("f32.ne", 0x80000000UL, 0x0UL, 0)] // -0 0
    [InlineData("f32.ne", 0x3F800000UL, 0x7FC00000UL, 1)] // 1 qnan
    [InlineData("f32.ne", 0x7FC00000UL, 0x3F800000UL, 1)] // qnan 1
    [InlineData("f32.ne", 0x7FC00000UL, 0x7FC00000UL, 1)] // qnan qnan
    [InlineData("f32.ne", 0x7FA00001UL, 0x3F800000UL, 1)] // snan 1
    [InlineData("f32.ne", 0x3F800000UL, 0x7FA00001UL, 1)] // 1 snan
    [InlineData("f32.ne", 0xFFC00000UL, 0xFF800000UL, 1)] // -nan -inf
    [InlineData("f32.ne", 0x7FC12345UL, 0x7FC12345UL, 1)] // nanp nanp
    [InlineData("f32.ne", 0x7F800000UL, 0x7F800000UL, 0)] // inf inf
    [InlineData("f32.ne", 0xFF800000UL, 0x7F800000UL, 1)] // -inf inf
    [InlineData("f32.ne", 0x1UL, 0x0UL, 1)] // min 0
    [InlineData("f32.ne", 0x0UL, 0x1UL, 1)] // 0 min
    [InlineData("f32.ne", 0x7F7FFFFFUL, 0x7F800000UL, 1)] // max inf
    [InlineData("f32.ne", 0x3F800000UL, 0xBF800000UL, 1)] // 1 -1
    [InlineData("f32.lt", 0x0UL, 0x80000000UL, 0)] // 0 -0
    [InlineData("f32.lt", 0x80000000UL, 0x0UL, 0)] // -0 0
    [InlineData("f32.lt", 0x3F800000UL, 0x7FC00000UL, 0)] // 1 qnan
    [InlineData("f32.lt", 0x7FC00000UL, 0x3F800000UL, 0)] // qnan 1
    [InlineData("f32.lt", 0x7FC00000UL, 0x7FC00000UL, 0)] // qnan qnan
    [InlineData("f32.lt", 0x7FA00001UL, 0x3F800000UL, 0)] // snan 1
    [InlineData("f32.lt", 0x3F800000UL, 0x7FA00001UL, 0)] // 1 snan
    [InlineData("f32.lt", 0xFFC00000UL, 0xFF800000UL, 0)] // -nan -inf
    [InlineData("f32.lt", 0x7FC12345UL, 0x7FC12345UL, 0)] // nanp nanp
    [InlineData("f32.lt", 0x7F800000UL, 0x7F800000UL, 0)] // inf inf
    [InlineData("f32.lt", 0xFF800000UL, 0x7F800000UL, 1)] // -inf inf
    [InlineData("f32.lt", 0x1UL, 0x0UL, 0)] // min 0
    [InlineData("f32.lt", 0x0UL, 0x1UL, 1)] // 0 min
    [InlineData("f32.lt", 0x7F7FFFFFUL, 0x7F800000UL, 1)] // max inf
    [InlineData("f32.lt", 0x3F800000UL, 0xBF800000UL, 0)] // 1 -1
    [InlineData("f32.gt", 0x0UL, 0x80000000UL, 0)] // 0 -0
    [InlineData("f32.gt", 0x80000000UL, 0x0UL, 0)] // -0 0
    [InlineData("f32.gt", 0x3F800000UL, 0x7FC00000UL, 0)] // 1 qnan
    [InlineData("f32.gt", 0x7FC00000UL, 0x3F800000UL, 0)] // qnan 1
    [InlineData("f32.gt", 0x7FC00000UL, 0x7FC00000UL, 0)] // qnan qnan
    [InlineData("f32.gt", 0x7FA00001UL, 0x3F800000UL, 0)] // snan 1
    [InlineData("f32.gt", 0x3F800000UL, 0x7FA00001UL, 0)] // 1 snan
    [InlineData("f32.gt", 0xFFC00000UL, 0xFF800000UL, 0)] // -nan -inf
    [InlineData("f32.gt", 0x7FC12345UL, 0x7FC12345UL, 0)] // nanp nanp
    [InlineData("f32.gt", 0x7F800000UL, 0x7F800000UL, 0)] // inf inf
    [InlineData("f32.gt", 0xFF800000UL, 0x7F800000UL, 0)] // -inf inf
    [InlineData("f32.gt", 0x1UL, 0x0UL, 1)] // min 0
    [InlineData("f32.gt", 0x0UL, 0x1UL, 0)] // 0 min
    [InlineData("f32.gt", 0x7F7FFFFFUL, 0x7F800000UL, 0)] // max inf
    [InlineData("f32.gt", 0x3F800000UL, 0xBF800000UL, 1)] // 1 -1
    [InlineData("f32.le", 0x0UL, 0x80000000UL, 1)] // 0 -0
    [InlineData("f32.le", 0x80000000UL, 0x0UL, 1)] // -0 0
    [InlineData("f32.le", 0x3F800000UL, 0x7FC00000UL, 0)] // 1 qnan
    [InlineData("f32.le", 0x7FC00000UL, 0x3F800000UL, 0)] // qnan 1
    [InlineData("f32.le", 0x7FC00000UL, 0x7FC00000UL, 0)] // qnan qnan
    [InlineData("f32.le", 0x7FA00001UL, 0x3F800000UL, 0)] // snan 1
    [InlineData("f32.le", 0x3F800000UL, 0x7FA00001UL, 0)] // 1 snan
    [InlineData("f32.le", 0xFFC00000UL, 0xFF800000UL, 0)] // -nan -inf
    [InlineData("f32.le", 0x7FC12345UL, 0x7FC12345UL, 0)] // nanp nanp
    [InlineData("f32.le", 0x7F800000UL, 0x7F800000UL, 1)] // inf inf
    [InlineData("f32.le", 0xFF800000UL, 0x7F800000UL, 1)] // -inf inf
    [InlineData("f32.le", 0x1UL, 0x0UL, 0)] // min 0
    [InlineData("f32.le", 0x0UL, 0x1UL, 1)] // 0 min
    [InlineData("f32.le", 0x7F7FFFFFUL, 0x7F800000UL, 1)] // max inf
    [InlineData("f32.le", 0x3F800000UL, 0xBF800000UL, 0)] // 1 -1
    [InlineData("f32.ge", 0x0UL, 0x80000000UL, 1)] // 0 -0
    [InlineData("f32.ge", 0x80000000UL, 0x0UL, 1)] // -0 0
    [InlineData("f32.ge", 0x3F800000UL, 0x7FC00000UL, 0)] // 1 qnan
    [InlineData("f32.ge", 0x7FC00000UL, 0x3F800000UL, 0)] // qnan 1
    [InlineData("f32.ge", 0x7FC00000UL, 0x7FC00000UL, 0)] // qnan qnan
    [InlineData("f32.ge", 0x7FA00001UL, 0x3F800000UL, 0)] // snan 1
    [InlineData("f32.ge", 0x3F800000UL, 0x7FA00001UL, 0)] // 1 snan
    [InlineData("f32.ge", 0xFFC00000UL, 0xFF800000UL, 0)] // -nan -inf
    [InlineData("f32.ge", 0x7FC12345UL, 0x7FC12345UL, 0)] // nanp nanp
    [InlineData("f32.ge", 0x7F800000UL, 0x7F800000UL, 1)] // inf inf
    [InlineData("f32.ge", 0xFF800000UL, 0x7F800000UL, 0)] // -inf inf
    [InlineData("f32.ge", 0x1UL, 0x0UL, 1)] // min 0
    [InlineData("f32.ge", 0x0UL, 0x1UL, 0)] // 0 min
    [InlineData("f32.ge", 0x7F7FFFFFUL, 0x7F800000UL, 0)] // max inf
    [InlineData("f32.ge", 0x3F800000UL, 0xBF800000UL, 1)] // 1 -1
    [InlineData("f64.eq", 0x0UL, 0x8000000000000000UL, 1)] // 0 -0
    [InlineData("f64.eq", 0x8000000000000000UL, 0x0UL, 1)] // -0 0
    [InlineData("f64.eq", 0x3FF0000000000000UL, 0x7FF8000000000000UL, 0)] // 1 qnan
    [InlineData("f64.eq", 0x7FF8000000000000UL, 0x3FF0000000000000UL, 0)] // qnan 1
    [InlineData("f64.eq", 0x7FF8000000000000UL, 0x7FF8000000000000UL, 0)] // qnan qnan
    [InlineData("f64.eq", 0x7FF4000000000001UL, 0x3FF0000000000000UL, 0)] // snan 1
    [InlineData("f64.eq", 0x3FF0000000000000UL, 0x7FF4000000000001UL, 0)] // 1 snan
    [InlineData("f64.eq", 0xFFF8000000000000UL, 0xFFF0000000000000UL, 0)] // -nan -inf
    [InlineData("f64.eq", 0x7FF8000000012345UL, 0x7FF8000000012345UL, 0)] // nanp nanp
    [InlineData("f64.eq", 0x7FF0000000000000UL, 0x7FF0000000000000UL, 1)] // inf inf
    [InlineData("f64.eq", 0xFFF0000000000000UL, 0x7FF0000000000000UL, 0)] // -inf inf
    [InlineData("f64.eq", 0x1UL, 0x0UL, 0)] // min 0
    [InlineData("f64.eq", 0x0UL, 0x1UL, 0)] // 0 min
    [InlineData("f64.eq", 0x7FEFFFFFFFFFFFFFUL, 0x7FF0000000000000UL, 0)] // max inf
    [InlineData("f64.eq", 0x3FF0000000000000UL, 0xBFF0000000000000UL, 0)] // 1 -1
    [InlineData("f64.ne", 0x0UL, 0x8000000000000000UL, 0)] // 0 -0
    [InlineData("f64.ne", 0x8000000000000000UL, 0x0UL, 0)] // -0 0
    [InlineData("f64.ne", 0x3FF0000000000000UL, 0x7FF8000000000000UL, 1)] // 1 qnan
    [InlineData("f64.ne", 0x7FF8000000000000UL, 0x3FF0000000000000UL, 1)] // qnan 1
    [InlineData("f64.ne", 0x7FF8000000000000UL, 0x7FF8000000000000UL, 1)] // qnan qnan
    [InlineData("f64.ne", 0x7FF4000000000001UL, 0x3FF0000000000000UL, 1)] // snan 1
    [InlineData("f64.ne", 0x3FF0000000000000UL, 0x7FF4000000000001UL, 1)] // 1 snan
    [InlineData("f64.ne", 0xFFF8000000000000UL, 0xFFF0000000000000UL, 1)] // -nan -inf
    [InlineData("f64.ne", 0x7FF8000000012345UL, 0x7FF8000000012345UL, 1)] // nanp nanp
    [InlineData("f64.ne", 0x7FF0000000000000UL, 0x7FF0000000000000UL, 0)] // inf inf
    [InlineData("f64.ne", 0xFFF0000000000000UL, 0x7FF0000000000000UL, 1)] // -inf inf
    [InlineData("f64.ne", 0x1UL, 0x0UL, 1)] // min 0
    [InlineData("f64.ne", 0x0UL, 0x1UL, 1)] // 0 min
    [InlineData("f64.ne", 0x7FEFFFFFFFFFFFFFUL, 0x7FF0000000000000UL, 1)] // max inf
    [InlineData("f64.ne", 0x3FF0000000000000UL, 0xBFF0000000000000UL, 1)] // 1 -1
    [InlineData("f64.lt", 0x0UL, 0x8000000000000000UL, 0)] // 0 -0
    [InlineData("f64.lt", 0x8000000000000000UL, 0x0UL, 0)] // -0 0
    [InlineData("f64.lt", 0x3FF0000000000000UL, 0x7FF8000000000000UL, 0)] // 1 qnan
    [InlineData("f64.lt", 0x7FF8000000000000UL, 0x3FF0000000000000UL, 0)] // qnan 1
    [InlineData("f64.lt", 0x7FF8000000000000UL, 0x7FF8000000000000UL, 0)] // qnan qnan
    [InlineData("f64.lt", 0x7FF4000000000001UL, 0x3FF0000000000000UL, 0)] // snan 1
    [InlineData("f64.lt", 0x3FF0000000000000UL, 0x7FF4000000000001UL, 0)] // 1 snan
    [InlineData("f64.lt", 0xFFF8000000000000UL, 0xFFF0000000000000UL, 0)] // -nan -inf
    [InlineData("f64.lt", 0x7FF8000000012345UL, 0x7FF8000000012345UL, 0)] // nanp nanp
    [InlineData("f64.lt", 0x7FF0000000000000UL, 0x7FF0000000000000UL, 0)] // inf inf
    [InlineData("f64.lt", 0xFFF0000000000000UL, 0x7FF0000000000000UL, 1)] // -inf inf
    [InlineData("f64.lt", 0x1UL, 0x0UL, 0)] // min 0
    [InlineData("f64.lt", 0x0UL, 0x1UL, 1)] // 0 min
    [InlineData("f64.lt", 0x7FEFFFFFFFFFFFFFUL, 0x7FF0000000000000UL, 1)] // max inf
    [InlineData("f64.lt", 0x3FF0000000000000UL, 0xBFF0000000000000UL, 0)] // 1 -1
    [InlineData("f64.gt", 0x0UL, 0x8000000000000000UL, 0)] // 0 -0
    [InlineData("f64.gt", 0x8000000000000000UL, 0x0UL, 0)] // -0 0
    [InlineData("f64.gt", 0x3FF0000000000000UL, 0x7FF8000000000000UL, 0)] // 1 qnan
    [InlineData("f64.gt", 0x7FF8000000000000UL, 0x3FF0000000000000UL, 0)] // qnan 1
    [InlineData("f64.gt", 0x7FF8000000000000UL, 0x7FF8000000000000UL, 0)] // qnan qnan
    [InlineData("f64.gt", 0x7FF4000000000001UL, 0x3FF0000000000000UL, 0)] // snan 1
    [InlineData("f64.gt", 0x3FF0000000000000UL, 0x7FF4000000000001UL, 0)] // 1 snan
    [InlineData("f64.gt", 0xFFF8000000000000UL, 0xFFF0000000000000UL, 0)] // -nan -inf
    [InlineData("f64.gt", 0x7FF8000000012345UL, 0x7FF8000000012345UL, 0)] // nanp nanp
    [InlineData("f64.gt", 0x7FF0000000000000UL, 0x7FF0000000000000UL, 0)] // inf inf
    [InlineData("f64.gt", 0xFFF0000000000000UL, 0x7FF0000000000000UL, 0)] // -inf inf
    [InlineData("f64.gt", 0x1UL, 0x0UL, 1)] // min 0
    [InlineData("f64.gt", 0x0UL, 0x1UL, 0)] // 0 min
    [InlineData("f64.gt", 0x7FEFFFFFFFFFFFFFUL, 0x7FF0000000000000UL, 0)] // max inf
    [InlineData("f64.gt", 0x3FF0000000000000UL, 0xBFF0000000000000UL, 1)] // 1 -1
    [InlineData("f64.le", 0x0UL, 0x8000000000000000UL, 1)] // 0 -0
    [InlineData("f64.le", 0x8000000000000000UL, 0x0UL, 1)] // -0 0
    [InlineData("f64.le", 0x3FF0000000000000UL, 0x7FF8000000000000UL, 0)] // 1 qnan
    [InlineData("f64.le", 0x7FF8000000000000UL, 0x3FF0000000000000UL, 0)] // qnan 1
    [InlineData("f64.le", 0x7FF8000000000000UL, 0x7FF8000000000000UL, 0)] // qnan qnan
    [InlineData("f64.le", 0x7FF4000000000001UL, 0x3FF0000000000000UL, 0)] // snan 1
    [InlineData("f64.le", 0x3FF0000000000000UL, 0x7FF4000000000001UL, 0)] // 1 snan
    [InlineData("f64.le", 0xFFF8000000000000UL, 0xFFF0000000000000UL, 0)] // -nan -inf
    [InlineData("f64.le", 0x7FF8000000012345UL, 0x7FF8000000012345UL, 0)] // nanp nanp
    [InlineData("f64.le", 0x7FF0000000000000UL, 0x7FF0000000000000UL, 1)] // inf inf
    [InlineData("f64.le", 0xFFF0000000000000UL, 0x7FF0000000000000UL, 1)] // -inf inf
    [InlineData("f64.le", 0x1UL, 0x0UL, 0)] // min 0
    [InlineData("f64.le", 0x0UL, 0x1UL, 1)] // 0 min
    [InlineData("f64.le", 0x7FEFFFFFFFFFFFFFUL, 0x7FF0000000000000UL, 1)] // max inf
    [InlineData("f64.le", 0x3FF0000000000000UL, 0xBFF0000000000000UL, 0)] // 1 -1
    [InlineData("f64.ge", 0x0UL, 0x8000000000000000UL, 1)] // 0 -0
    [InlineData("f64.ge", 0x8000000000000000UL, 0x0UL, 1)] // -0 0
    [InlineData("f64.ge", 0x3FF0000000000000UL, 0x7FF8000000000000UL, 0)] // 1 qnan
    [InlineData("f64.ge", 0x7FF8000000000000UL, 0x3FF0000000000000UL, 0)] // qnan 1
    [InlineData("f64.ge", 0x7FF8000000000000UL, 0x7FF8000000000000UL, 0)] // qnan qnan
    [InlineData("f64.ge", 0x7FF4000000000001UL, 0x3FF0000000000000UL, 0)] // snan 1
    [InlineData("f64.ge", 0x3FF0000000000000UL, 0x7FF4000000000001UL, 0)] // 1 snan
    [InlineData("f64.ge", 0xFFF8000000000000UL, 0xFFF0000000000000UL, 0)] // -nan -inf
    [InlineData("f64.ge", 0x7FF8000000012345UL, 0x7FF8000000012345UL, 0)] // nanp nanp
    [InlineData("f64.ge", 0x7FF0000000000000UL, 0x7FF0000000000000UL, 1)] // inf inf
    [InlineData("f64.ge", 0xFFF0000000000000UL, 0x7FF0000000000000UL, 0)] // -inf inf
    [InlineData("f64.ge", 0x1UL, 0x0UL, 1)] // min 0
    [InlineData("f64.ge", 0x0UL, 0x1UL, 0)] // 0 min
    [InlineData("f64.ge", 0x7FEFFFFFFFFFFFFFUL, 0x7FF0000000000000UL, 0)] // max inf
    [InlineData("f64.ge", 0x3FF0000000000000UL, 0xBFF0000000000000UL, 1)] // 1 -1
    public void FloatComparison(string op, ulong a, ulong b, int expected)
    {
        Wat.CheckFloat(op, op.Substring(0, 3), "i32", new[] { a, b }, (ulong)expected);
        CheckConsumers(op, Wat.BitsType(op.Substring(0, 3)), a, b, expected);
    }

    /// <summary>The comparison as a branch or select condition, operands from parameters (floats reinterpreted from bits).</summary>
    private static void CheckConsumers(string op, string paramType, ulong a, ulong b, int expected)
    {
        var type = op.Substring(0, 3);
        string Operand(int i) => type == paramType ? $"(local.get {i})" : $"({type}.reinterpret_{paramType} (local.get {i}))";
        var cmp = $"({op} {Operand(0)} {Operand(1)})";
        var sig = $"(param {paramType} {paramType}) (result i32)";
        using var instance = Wat.Functions("",
            ("if", sig, $"(if (result i32) {cmp} (then (i32.const 7)) (else (i32.const 9)))"),
            ("if_eqz", sig, $"(if (result i32) (i32.eqz {cmp}) (then (i32.const 7)) (else (i32.const 9)))"),
            ("br_if", sig, $"(block (result i32) (drop (br_if 0 (i32.const 7) {cmp})) (i32.const 9))"),
            ("br_if_eqz", sig, $"(block (result i32) (drop (br_if 0 (i32.const 7) (i32.eqz {cmp}))) (i32.const 9))"),
            ("select", sig, $"(select (i32.const 7) (i32.const 9) {cmp})"),
            ("eqz", sig, $"(i32.eqz {cmp})"));
        var args = new[] { Wat.Arg(paramType, a), Wat.Arg(paramType, b) };
        var yes = expected != 0;
        var what = $"{op} {Wat.Hex(a)} {Wat.Hex(b)}";
        Assert.True((yes ? 7 : 9) == (int)instance.Invoke("if", args)!, what + " as an if condition");
        Assert.True((yes ? 9 : 7) == (int)instance.Invoke("if_eqz", args)!, what + " negated as an if condition");
        Assert.True((yes ? 7 : 9) == (int)instance.Invoke("br_if", args)!, what + " as a br_if condition");
        Assert.True((yes ? 9 : 7) == (int)instance.Invoke("br_if_eqz", args)!, what + " negated as a br_if condition");
        Assert.True((yes ? 7 : 9) == (int)instance.Invoke("select", args)!, what + " as a select condition");
        Assert.True((yes ? 0 : 1) == (int)instance.Invoke("eqz", args)!, what + " under i32.eqz");
    }
}
