using System.Numerics;

namespace WasmToolkit.Compiler.Arm64;

/// <summary>
/// The immediate encodings of A64 that are not plain bit fields: logical (bitmask) immediates and 8-bit floating-point
/// immediates. The backend asks <see cref="TryEncodeLogical"/> and falls back to a register when it returns false.
/// </summary>
public static class Arm64Immediates
{
    /// <summary>
    /// Encodes <paramref name="value"/> as a logical immediate of a 32-bit (<paramref name="is64Bit"/> false: only the low
    /// 32 bits count, the upper 32 must be zero or a sign extension) or 64-bit operation. A bitmask immediate is a
    /// rotated run of ones replicated over elements of 2, 4, 8, 16, 32 or 64 bits; 0 and all-ones are not encodable.
    /// </summary>
    /// <param name="value">The immediate.</param>
    /// <param name="is64Bit">True for an <c>x</c> destination.</param>
    /// <param name="encoding">The 13-bit field <c>N:immr:imms</c> (bits 22:10 of the instruction, shifted down).</param>
    /// <returns>False when the value is not a bitmask immediate.</returns>
    /// <remarks>The algorithm of LLVM's <c>AArch64_AM::processLogicalImmediate</c>.</remarks>
    public static bool TryEncodeLogical(ulong value, bool is64Bit, out uint encoding)
    {
        encoding = 0;
        if (!is64Bit)
        {
            var high = value >> 32;
            if (high != 0 && high != 0xFFFF_FFFF) return false;
            value = (value & 0xFFFF_FFFF) | (value << 32);
        }

        if (value == 0 || value == ulong.MaxValue) return false;

        // The smallest element size whose replication gives the value.
        var size = 64;
        do
        {
            size /= 2;
            var half = (1UL << size) - 1;
            if ((value & half) != ((value >> size) & half))
            {
                size *= 2;
                break;
            }
        }
        while (size > 2);

        var mask = ulong.MaxValue >> (64 - size);
        var element = value & mask;
        int rotation, ones;
        if (IsShiftedMask(element))
        {
            rotation = BitOperations.TrailingZeroCount(element);
            ones = BitOperations.TrailingZeroCount(~(element >> rotation));
        }
        else
        {
            // The run of ones wraps around the element: rotate the view by its zeros instead.
            element |= ~mask;
            if (!IsShiftedMask(~element)) return false;
            var leadingOnes = BitOperations.LeadingZeroCount(~element);
            rotation = 64 - leadingOnes;
            ones = leadingOnes + BitOperations.TrailingZeroCount(~element) - (64 - size);
        }

        var immr = (uint)((size - rotation) & (size - 1));
        var nimms = (uint)((~(size - 1) << 1) | (ones - 1));
        var n = ((nimms >> 6) & 1) ^ 1;
        encoding = (n << 12) | (immr << 6) | (nimms & 0x3F);
        return true;
    }

    /// <summary>
    /// Decodes a logical immediate field (<c>N:immr:imms</c>, as produced by <see cref="TryEncodeLogical"/>); false for
    /// the reserved encodings. A 32-bit value is returned zero-extended.
    /// </summary>
    public static bool TryDecodeLogical(uint encoding, bool is64Bit, out ulong value)
    {
        value = 0;
        var n = (encoding >> 12) & 1;
        var immr = (int)((encoding >> 6) & 0x3F);
        var imms = (int)(encoding & 0x3F);
        if (n == 1 && !is64Bit) return false;
        var combined = (n << 6) | (~(uint)imms & 0x3F);
        if (combined == 0) return false;
        var length = 31 - BitOperations.LeadingZeroCount(combined);
        if (length < 1) return false;
        var size = 1 << length;
        var levels = size - 1;
        var s = imms & levels;
        var r = immr & levels;
        if (s == levels) return false;
        var welem = (1UL << (s + 1)) - 1;
        var elemMask = size == 64 ? ulong.MaxValue : (1UL << size) - 1;
        var elem = r == 0 ? welem : ((welem >> r) | (welem << (size - r))) & elemMask;
        var result = 0UL;
        for (var i = 0; i < 64; i += size) result |= elem << i;
        value = is64Bit ? result : result & 0xFFFF_FFFF;
        return true;
    }

    /// <summary>
    /// Splits <paramref name="value"/> into the 12-bit immediate and shift of <c>add</c>/<c>sub</c>/<c>cmp</c> (immediate):
    /// 0–4095, or a multiple of 4096 up to 4095 × 4096. False when a register (or the opposite operation for a
    /// negative value) is needed.
    /// </summary>
    public static bool TryEncodeAddSub(long value, out int imm12, out int shift)
    {
        if ((ulong)value <= 0xFFF)
        {
            (imm12, shift) = ((int)value, 0);
            return true;
        }

        if ((value & 0xFFF) == 0 && (ulong)value <= 0xFFF_000)
        {
            (imm12, shift) = ((int)(value >> 12), 12);
            return true;
        }

        (imm12, shift) = (0, 0);
        return false;
    }

    /// <summary>
    /// Encodes <paramref name="value"/> as the 8-bit immediate of <c>fmov</c>: ±(16…31)/16 × 2^(−3…4), i.e. values
    /// such as 0.125, 0.5, 1.0, 1.5, 2.0, 10.0, 31.0 and their negatives (not 0.0). The same bits serve single and double.
    /// </summary>
    public static bool TryEncodeFloat(double value, out byte imm8)
    {
        for (var i = 0; i < 256; i++)
        {
            if (DecodeFloat((byte)i) == value && !double.IsNaN(value))
            {
                imm8 = (byte)i;
                return true;
            }
        }

        imm8 = 0;
        return false;
    }

    /// <summary>The value of an <c>fmov</c> 8-bit immediate (Arm ARM <c>VFPExpandImm</c>).</summary>
    public static double DecodeFloat(byte imm8)
    {
        var negative = (imm8 & 0x80) != 0;
        var b = (imm8 >> 6) & 1;
        var e = (imm8 >> 4) & 3;
        var m = imm8 & 15;
        var exponent = b == 0 ? e + 1 : e - 3;
        var magnitude = (16 + m) / 16.0 * System.Math.Pow(2, exponent);
        return negative ? -magnitude : magnitude;
    }

    private static bool IsShiftedMask(ulong value)
    {
        if (value == 0) return false;
        var filled = (value - 1) | value;
        return ((filled + 1) & filled) == 0;
    }
}
