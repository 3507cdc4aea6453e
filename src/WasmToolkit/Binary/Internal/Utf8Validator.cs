using System;

namespace WasmToolkit.Binary.Internal;

/// <summary>Strict UTF-8 well-formedness (spec 5.2.4 names; Unicode table 3-7) without exceptions.</summary>
internal static class Utf8Validator
{
    public static bool IsValid(ReadOnlySpan<byte> s)
    {
        var i = 0;
        while (i < s.Length)
        {
            var b = s[i];
            if (b < 0x80)
            {
                i++;
                continue;
            }

            int need;
            int min;
            if (b >= 0xC2 && b <= 0xDF) { need = 1; min = 0x80; }
            else if (b >= 0xE0 && b <= 0xEF) { need = 2; min = 0x800; }
            else if (b >= 0xF0 && b <= 0xF4) { need = 3; min = 0x10000; }
            else return false;

            var cp = b & (0x3F >> need);
            for (var k = 1; k <= need; k++)
            {
                if (i + k >= s.Length) return false;
                var c = s[i + k];
                if ((c & 0xC0) != 0x80) return false;
                cp = (cp << 6) | (c & 0x3F);
            }

            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
            i += need + 1;
        }

        return true;
    }
}
