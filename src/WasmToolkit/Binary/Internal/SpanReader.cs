using System;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using WasmToolkit.Diagnostics;

namespace WasmToolkit.Binary.Internal;

/// <summary>
/// A forward-only cursor over bytes that decodes the binary format's primitives (spec 5.2) with one
/// bounds check per read and no exceptions (after SRM's <c>BlobReader</c>).
/// </summary>
/// <remarks>
/// The first failure is recorded (<see cref="ErrorDescriptor"/>, <see cref="ErrorOffset"/>); reads after
/// a failure return false and leave the cursor where it was. Offsets are absolute: the position in the
/// span plus the base offset given at construction.
/// </remarks>
internal ref struct SpanReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly int _base;
    private int _pos;

    public SpanReader(ReadOnlySpan<byte> data, int baseOffset = 0)
    {
        _data = data;
        _base = baseOffset;
        _pos = 0;
        ErrorDescriptor = null;
        ErrorOffset = 0;
        ErrorArguments = null;
        SawOverlongEncoding = false;
    }

    /// <summary>The first error met, or null.</summary>
    public DiagnosticDescriptor? ErrorDescriptor { get; private set; }

    /// <summary>Absolute offset of the first error.</summary>
    public int ErrorOffset { get; private set; }

    /// <summary>Arguments for the error message's placeholders (never null once an error is recorded).</summary>
    public object?[]? ErrorArguments { get; private set; }

    /// <summary>The first error argument, if any.</summary>
    public readonly object? ErrorArgument => ErrorArguments is { Length: > 0 } a ? a[0] : null;

    public readonly bool HasError => ErrorDescriptor is not null;

    /// <summary>
    /// True once an unsigned LEB128 integer used more bytes than needed (a last byte of zero). Such input
    /// is valid, but not canonical: a writer would encode it shorter.
    /// </summary>
    public bool SawOverlongEncoding { readonly get; set; }

    /// <summary>Position relative to the start of the span.</summary>
    public int Position
    {
        readonly get => _pos;
        set => _pos = value;
    }

    /// <summary>Absolute offset of the next byte.</summary>
    public readonly int Offset => _base + _pos;

    public readonly int BaseOffset => _base;

    public readonly int Remaining => _data.Length - _pos;

    public readonly bool IsAtEnd => _pos >= _data.Length;

    public readonly ReadOnlySpan<byte> Data => _data;

    /// <summary>Records an error at <paramref name="offset"/> unless one is already recorded; returns false.</summary>
    public bool Fail(DiagnosticDescriptor descriptor, int offset, params object?[] arguments)
    {
        if (ErrorDescriptor is null)
        {
            ErrorDescriptor = descriptor;
            ErrorOffset = offset;
            ErrorArguments = arguments;
        }

        return false;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool FailEnd(string what) => Fail(DiagnosticCatalog.UnexpectedEnd, Offset, what);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadByte(out byte value)
    {
        if ((uint)_pos < (uint)_data.Length)
        {
            value = _data[_pos++];
            return true;
        }

        value = 0;
        return FailEnd("byte");
    }

    public bool TryPeekByte(out byte value)
    {
        if ((uint)_pos < (uint)_data.Length)
        {
            value = _data[_pos];
            return true;
        }

        value = 0;
        return false;
    }

    public bool TryReadBytes(int count, out ReadOnlySpan<byte> bytes)
    {
        if (count >= 0 && count <= _data.Length - _pos)
        {
            bytes = _data.Slice(_pos, count);
            _pos += count;
            return true;
        }

        bytes = default;
        return FailEnd("bytes");
    }

    public bool TryReadUInt32Fixed(out uint value)
    {
        if (_data.Length - _pos >= 4)
        {
            value = BinaryPrimitives.ReadUInt32LittleEndian(_data.Slice(_pos));
            _pos += 4;
            return true;
        }

        value = 0;
        return FailEnd("u32");
    }

    public bool TryReadUInt64Fixed(out ulong value)
    {
        if (_data.Length - _pos >= 8)
        {
            value = BinaryPrimitives.ReadUInt64LittleEndian(_data.Slice(_pos));
            _pos += 8;
            return true;
        }

        value = 0;
        return FailEnd("u64");
    }

    /// <summary>Unsigned LEB128 of at most 32 bits (spec 5.2.2): at most 5 bytes, unused bits of the last zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadVarUInt32(out uint value)
    {
        // Fast path: one byte.
        var pos = _pos;
        var data = _data;
        if ((uint)pos < (uint)data.Length)
        {
            uint b = data[pos];
            if (b < 0x80)
            {
                _pos = pos + 1;
                value = b;
                return true;
            }
        }

        return TryReadVarUInt32Slow(out value);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool TryReadVarUInt32Slow(out uint value)
    {
        // Two to four bytes without the general loop; five bytes, truncation and errors go the long way.
        var pos = _pos;
        var data = _data;
        if ((uint)(pos + 3) < (uint)data.Length)
        {
            uint result = data[pos] & 0x7Fu;
            uint b = data[pos + 1];
            result |= (b & 0x7F) << 7;
            if (b < 0x80)
            {
                _pos = pos + 2;
                value = result;
                if (b == 0) SawOverlongEncoding = true;
                return true;
            }

            b = data[pos + 2];
            result |= (b & 0x7F) << 14;
            if (b < 0x80)
            {
                _pos = pos + 3;
                value = result;
                if (b == 0) SawOverlongEncoding = true;
                return true;
            }

            b = data[pos + 3];
            result |= (b & 0x7F) << 21;
            if (b < 0x80)
            {
                _pos = pos + 4;
                value = result;
                if (b == 0) SawOverlongEncoding = true;
                return true;
            }

            // Fifth and last byte: no continuation, and the bits beyond 32 zero.
            if ((uint)(pos + 4) < (uint)data.Length)
            {
                b = data[pos + 4];
                if (b < 0x10)
                {
                    _pos = pos + 5;
                    value = result | (b << 28);
                    if (b == 0) SawOverlongEncoding = true;
                    return true;
                }
            }
        }

        var start = _pos;
        if (!TryReadVarUInt64Core(32, out var wide))
        {
            _pos = start;
            value = 0;
            return false;
        }

        value = (uint)wide;
        return true;
    }

    /// <summary>Unsigned LEB128 of at most 64 bits.</summary>
    public bool TryReadVarUInt64(out ulong value)
    {
        var start = _pos;
        if (!TryReadVarUInt64Core(64, out value))
        {
            _pos = start;
            return false;
        }

        return true;
    }

    /// <summary>Signed LEB128 of at most 32 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadVarInt32(out int value)
    {
        // Fast path: one byte, sign-extended from bit 6.
        var pos = _pos;
        var data = _data;
        if ((uint)pos < (uint)data.Length)
        {
            int b = data[pos];
            if (b < 0x80)
            {
                _pos = pos + 1;
                value = (b << 25) >> 25;
                return true;
            }
        }

        return TryReadVarInt32Slow(out value);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool TryReadVarInt32Slow(out int value)
    {
        // Two to four bytes without the general loop, sign-extended from the last byte's bit 6; five bytes,
        // truncation and errors go the long way.
        var pos = _pos;
        var data = _data;
        if ((uint)(pos + 3) < (uint)data.Length)
        {
            int result = data[pos] & 0x7F;
            int b = data[pos + 1];
            result |= (b & 0x7F) << 7;
            if (b < 0x80)
            {
                _pos = pos + 2;
                value = (result << 18) >> 18;
                return true;
            }

            b = data[pos + 2];
            result |= (b & 0x7F) << 14;
            if (b < 0x80)
            {
                _pos = pos + 3;
                value = (result << 11) >> 11;
                return true;
            }

            b = data[pos + 3];
            result |= (b & 0x7F) << 21;
            if (b < 0x80)
            {
                _pos = pos + 4;
                value = (result << 4) >> 4;
                return true;
            }

            // Fifth and last byte: no continuation, and bits 3-6 (the sign and the unused bits) all equal.
            if ((uint)(pos + 4) < (uint)data.Length)
            {
                b = data[pos + 4];
                if ((b & 0xF8) == 0 || (b & 0xF8) == 0x78)
                {
                    _pos = pos + 5;
                    value = result | (b << 28);
                    return true;
                }
            }
        }

        var start = _pos;
        if (!TryReadVarInt64Core(32, out var wide))
        {
            _pos = start;
            value = 0;
            return false;
        }

        value = (int)wide;
        return true;
    }

    /// <summary>Signed LEB128 of at most 33 bits (block types, spec 5.4.1).</summary>
    public bool TryReadVarInt33(out long value)
    {
        var start = _pos;
        if (!TryReadVarInt64Core(33, out value))
        {
            _pos = start;
            return false;
        }

        return true;
    }

    /// <summary>Signed LEB128 of at most 64 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadVarInt64(out long value)
    {
        // Fast path: one byte, sign-extended from bit 6.
        var pos = _pos;
        var data = _data;
        if ((uint)pos < (uint)data.Length)
        {
            long b = data[pos];
            if (b < 0x80)
            {
                _pos = pos + 1;
                value = (b << 57) >> 57;
                return true;
            }
        }

        return TryReadVarInt64Slow(out value);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool TryReadVarInt64Slow(out long value)
    {
        // Up to nine bytes (63 bits) without the general loop, sign-extended from the last byte's bit 6; ten
        // bytes, truncation and errors go the long way.
        var pos = _pos;
        var data = _data;
        if (pos >= 0 && pos <= data.Length - 9)
        {
            ulong result = 0;
            var shift = 0;
            for (var i = 0; i < 9; i++)
            {
                ulong b = data[pos + i];
                result |= (b & 0x7F) << shift;
                shift += 7;
                if (b < 0x80)
                {
                    _pos = pos + i + 1;
                    value = (long)(result << (64 - shift)) >> (64 - shift);
                    return true;
                }
            }

            // Tenth and last byte: no continuation, and bits 0-6 (the sign and the unused bits) all equal.
            if ((uint)(pos + 9) < (uint)data.Length)
            {
                ulong b = data[pos + 9];
                if (b == 0 || b == 0x7F)
                {
                    _pos = pos + 10;
                    value = (long)(result | (b << 63));
                    return true;
                }
            }
        }

        var start = _pos;
        if (!TryReadVarInt64Core(64, out value))
        {
            _pos = start;
            return false;
        }

        return true;
    }

    private bool TryReadVarUInt64Core(int bits, out ulong value)
    {
        value = 0;
        var maxBytes = (bits + 6) / 7;
        var begin = Offset;
        for (var i = 0; ; i++)
        {
            if ((uint)_pos >= (uint)_data.Length) return FailEnd("LEB128 integer");
            var b = _data[_pos++];
            var shift = 7 * i;
            if (i == maxBytes - 1)
            {
                // Last permitted byte: no continuation, and bits beyond the width must be zero.
                if ((b & 0x80) != 0) return Fail(DiagnosticCatalog.IntegerRepresentationTooLong, begin);
                var usedBits = bits - shift;
                if (usedBits < 7 && (b >> usedBits) != 0) return Fail(DiagnosticCatalog.IntegerTooLarge, begin);
                value |= (ulong)b << shift;
                if (b == 0) SawOverlongEncoding = true;
                return true;
            }

            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                if (b == 0 && i > 0) SawOverlongEncoding = true;
                return true;
            }
        }
    }

    private bool TryReadVarInt64Core(int bits, out long value)
    {
        value = 0;
        var maxBytes = (bits + 6) / 7;
        var begin = Offset;
        ulong result = 0;
        for (var i = 0; ; i++)
        {
            if ((uint)_pos >= (uint)_data.Length) return FailEnd("LEB128 integer");
            var b = _data[_pos++];
            var shift = 7 * i;
            if (i == maxBytes - 1)
            {
                if ((b & 0x80) != 0) return Fail(DiagnosticCatalog.IntegerRepresentationTooLong, begin);
                var usedBits = bits - shift; // bits of the value in this byte, sign bit included
                if (usedBits < 7)
                {
                    // The unused high bits must all equal the sign bit.
                    var signAndUnused = (sbyte)(b << 1) >> usedBits; // arithmetic shift over bits 6..usedBits-1
                    if (signAndUnused != 0 && signAndUnused != -1) return Fail(DiagnosticCatalog.IntegerTooLarge, begin);
                }

                result |= (ulong)(b & 0x7F) << shift;
                var total = shift + 7;
                if (total < 64 && (b & 0x40) != 0) result |= ~0UL << total;
                value = (long)result;
                return true;
            }

            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                var total = shift + 7;
                if (total < 64 && (b & 0x40) != 0) result |= ~0UL << total;
                value = (long)result;
                return true;
            }
        }
    }
}
