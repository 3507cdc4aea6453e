using System;
using System.Text;

namespace WasmToolkit.Text;

/// <summary>String literals and identifiers of the text format (spec 6.3.3 "Strings", 6.3.5 "Identifiers").</summary>
internal static class TextEscaper
{
    /// <summary>
    /// Writes <paramref name="bytes"/> as the inside of a string literal: printable ASCII as is, <c>\"</c>,
    /// <c>\\</c>, <c>\t</c>, <c>\n</c>, and <c>\hh</c> for every other byte, so any byte sequence round-trips.
    /// </summary>
    public static void WriteStringContents(TextOutput output, ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes) WriteByte(output, b);
    }

    /// <summary>Writes a quoted string literal holding the UTF-8 encoding of <paramref name="text"/>.</summary>
    public static void WriteQuoted(TextOutput output, string text)
    {
        output.Write('"');
        var ascii = true;
        foreach (var c in text)
        {
            if (c >= 0x80)
            {
                ascii = false;
                break;
            }
        }

        if (ascii)
        {
            foreach (var c in text) WriteByte(output, (byte)c);
        }
        else
        {
            // Non-ASCII names are escaped byte by byte (as wasm2wat does): unambiguous whatever the
            // encoding the text is later saved in. Lone surrogates become U+FFFD.
            WriteStringContents(output, Encoding.UTF8.GetBytes(text));
        }

        output.Write('"');
    }

    /// <summary>True when <c>$</c> + <paramref name="name"/> is a valid identifier (spec 6.3.5).</summary>
    public static bool IsValidIdentifier(string name)
    {
        if (name.Length == 0) return false;
        foreach (var c in name)
        {
            if (!IsIdChar(c)) return false;
        }

        return true;
    }

    /// <summary>The idchar set of spec 6.3.5.</summary>
    public static bool IsIdChar(char c)
    {
        if (c is >= '0' and <= '9' or >= 'a' and <= 'z' or >= 'A' and <= 'Z') return true;
        switch (c)
        {
            case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+': case '-': case '.':
            case '/': case ':': case '<': case '=': case '>': case '?': case '@': case '\\': case '^': case '_':
            case '`': case '|': case '~':
                return true;
            default:
                return false;
        }
    }

    private static void WriteByte(TextOutput output, byte b)
    {
        switch (b)
        {
            case (byte)'"': output.Write("\\\""); return;
            case (byte)'\\': output.Write("\\\\"); return;
            case (byte)'\t': output.Write("\\t"); return;
            case (byte)'\n': output.Write("\\n"); return;
        }

        if (b >= 0x20 && b < 0x7F)
        {
            output.Write((char)b);
        }
        else
        {
            output.Write('\\');
            output.Write(TextOutput.HexDigit(b >> 4));
            output.Write(TextOutput.HexDigit(b & 0xF));
        }
    }
}
