using System;
using System.IO;

namespace WasmToolkit.Text;

/// <summary>
/// A buffered, indenting character sink for the printer: numbers are formatted straight into the
/// buffer so printing allocates nothing per instruction.
/// </summary>
/// <remarks>
/// Lines end with <c>\n</c> whatever the platform, so output is deterministic. Indentation is written
/// lazily before the first character of a line. Call <see cref="Flush"/> at the end.
/// </remarks>
internal sealed class TextOutput
{
    private const int BufferSize = 4096;

    private readonly TextWriter _writer;
    private readonly char[] _buffer = new char[BufferSize];
    private readonly int _indentSize;
    private int _length;
    private bool _atLineStart = true;

    public TextOutput(TextWriter writer, int indentSize)
    {
        _writer = writer;
        _indentSize = Math.Max(0, Math.Min(indentSize, 16));
    }

    /// <summary>Current nesting level; applied at the start of the next line.</summary>
    public int Indent { get; set; }

    /// <summary>True when nothing has been written on the current line.</summary>
    public bool AtLineStart => _atLineStart;

    public void Write(char c)
    {
        BeginWrite(1);
        _buffer[_length++] = c;
    }

    public void Write(string text)
    {
        if (text.Length == 0) return;
        if (text.Length > BufferSize / 2)
        {
            BeginWrite(0);
            FlushBuffer();
            _writer.Write(text);
            return;
        }

        BeginWrite(text.Length);
        text.CopyTo(0, _buffer, _length, text.Length);
        _length += text.Length;
    }

    /// <summary>Writes a space, then <paramref name="text"/>.</summary>
    public void WriteSpaced(string text)
    {
        Write(' ');
        Write(text);
    }

    /// <summary>Unsigned decimal.</summary>
    public void WriteDecimal(ulong value)
    {
        BeginWrite(20);
        var digits = 1;
        for (var v = value / 10; v != 0; v /= 10) digits++;
        var end = _length + digits;
        var i = end;
        do
        {
            _buffer[--i] = (char)('0' + (int)(value % 10));
            value /= 10;
        }
        while (value != 0);
        _length = end;
    }

    /// <summary>Signed decimal.</summary>
    public void WriteDecimal(long value)
    {
        if (value < 0)
        {
            Write('-');
            WriteDecimal(unchecked((ulong)(-(value + 1)) + 1));
        }
        else
        {
            WriteDecimal((ulong)value);
        }
    }

    /// <summary>Lowercase hexadecimal digits without prefix, at least <paramref name="minDigits"/> of them.</summary>
    public void WriteHexDigits(ulong value, int minDigits = 1)
    {
        BeginWrite(16);
        var digits = 1;
        for (var v = value >> 4; v != 0; v >>= 4) digits++;
        if (digits < minDigits) digits = Math.Min(minDigits, 16);
        var end = _length + digits;
        for (var i = end - 1; i >= _length; i--)
        {
            _buffer[i] = HexDigit((int)(value & 0xF));
            value >>= 4;
        }

        _length = end;
    }

    /// <summary><c>0x</c> and lowercase hexadecimal digits.</summary>
    public void WriteHex(ulong value, int minDigits = 1)
    {
        Write("0x");
        WriteHexDigits(value, minDigits);
    }

    public void NewLine()
    {
        EnsureRoom(1);
        _buffer[_length++] = '\n';
        _atLineStart = true;
    }

    /// <summary>Ends the current line unless nothing was written on it.</summary>
    public void EnsureLineStart()
    {
        if (!_atLineStart) NewLine();
    }

    public void Flush()
    {
        FlushBuffer();
        _writer.Flush();
    }

    internal static char HexDigit(int value) => (char)(value < 10 ? '0' + value : 'a' + value - 10);

    private void BeginWrite(int room)
    {
        if (_atLineStart)
        {
            _atLineStart = false;
            var spaces = Indent * _indentSize;
            while (spaces > 0)
            {
                EnsureRoom(1);
                var n = Math.Min(spaces, BufferSize - _length);
                for (var i = 0; i < n; i++) _buffer[_length + i] = ' ';
                _length += n;
                spaces -= n;
            }
        }

        EnsureRoom(room);
    }

    private void EnsureRoom(int room)
    {
        if (_length + room > BufferSize) FlushBuffer();
    }

    private void FlushBuffer()
    {
        if (_length == 0) return;
        _writer.Write(_buffer, 0, _length);
        _length = 0;
    }
}
