using System;
using System.Buffers.Binary;
using System.Text;

namespace WasmToolkit.Compiler.Serialization.Internal;

/// <summary>
/// A cursor over a cache's payload: every read is bounds-checked; the first read past the end or of a
/// malformed value records what failed (<see cref="Error"/>) and later reads return zeros, so a decoder
/// reads a whole table and checks once (after SRM's <c>BlobReader</c>, minus the exceptions).
/// </summary>
internal ref struct CacheReader
{
    private static readonly UTF8Encoding s_strictUtf8 = new(false, true);

    private readonly ReadOnlySpan<byte> _bytes;

    /// <param name="bytes">The bytes to read.</param>
    /// <param name="baseOffset">Where <paramref name="bytes"/> starts in the file, for diagnostic offsets.</param>
    public CacheReader(ReadOnlySpan<byte> bytes, int baseOffset)
    {
        _bytes = bytes;
        BaseOffset = baseOffset;
        Offset = 0;
        Error = null;
        ErrorOffset = 0;
    }

    public int BaseOffset { get; }

    /// <summary>Position in the bytes given (not the file).</summary>
    public int Offset { get; private set; }

    public readonly int Remaining => _bytes.Length - Offset;

    public readonly bool IsAtEnd => Offset == _bytes.Length;

    /// <summary>The first failure, or null.</summary>
    public string? Error { get; private set; }

    /// <summary>File offset of the first failure.</summary>
    public int ErrorOffset { get; private set; }

    public readonly bool Failed => Error is not null;

    /// <summary>Records a failure at the current position (the first one wins).</summary>
    public void Fail(string what)
    {
        if (Error is not null) return;
        Error = what;
        ErrorOffset = BaseOffset + Offset;
        Offset = _bytes.Length;
    }

    private bool Take(int count, string what, out ReadOnlySpan<byte> span)
    {
        if (Error is null && count >= 0 && count <= Remaining)
        {
            span = _bytes.Slice(Offset, count);
            Offset += count;
            return true;
        }

        Fail($"{what} needs {count} bytes at payload offset {Offset}, {Remaining} left");
        span = default;
        return false;
    }

    public byte Byte(string what) => Take(1, what, out var s) ? s[0] : (byte)0;

    public uint U32(string what) => Take(4, what, out var s) ? BinaryPrimitives.ReadUInt32LittleEndian(s) : 0;

    public int I32(string what) => Take(4, what, out var s) ? BinaryPrimitives.ReadInt32LittleEndian(s) : 0;

    /// <summary>A non-negative int.</summary>
    public int Length(string what)
    {
        var value = U32(what);
        if (value <= int.MaxValue) return (int)value;
        Fail($"{what} {value} is out of range");
        return 0;
    }

    /// <summary>
    /// A count of items of <paramref name="itemSize"/> bytes each that must fit in what is left, so a corrupt
    /// count cannot make the decoder allocate more than the cache's own size.
    /// </summary>
    public int Count(string what, int itemSize)
    {
        var count = Length(what);
        if ((long)count * itemSize <= Remaining) return count;
        Fail($"{what} {count} needs {(long)count * itemSize} bytes, {Remaining} left");
        return 0;
    }

    /// <summary>A u32 length and that many bytes.</summary>
    public ReadOnlySpan<byte> Blob(string what)
    {
        var length = Length(what + " length");
        return Take(length, what, out var s) ? s : default;
    }

    /// <summary>A u32 length and that many bytes of strict UTF-8.</summary>
    public string String(string what)
    {
        var bytes = Blob(what);
        if (Failed) return "";
        try
        {
            return s_strictUtf8.GetString(bytes);
        }
        catch (ArgumentException)
        {
            Fail(what + " is not valid UTF-8");
            return "";
        }
    }
}
