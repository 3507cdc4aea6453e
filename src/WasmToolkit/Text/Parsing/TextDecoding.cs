using System;
using System.Collections.Generic;
using System.Text;
using WasmToolkit.Diagnostics;

namespace WasmToolkit.Text;

/// <summary>Turns the bytes of a <c>.wat</c>/<c>.wast</c> file into text (spec 6.2: source text is UTF-8).</summary>
internal static class TextDecoding
{
    private static readonly UTF8Encoding s_strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly UTF8Encoding s_lenient = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>
    /// Decodes UTF-8; invalid sequences become U+FFFD and one "malformed UTF-8 encoding"
    /// diagnostic at the first of them.
    /// </summary>
    public static SourceText Decode(ReadOnlySpan<byte> utf8, string? path, List<Diagnostic> diagnostics)
    {
        var bytes = utf8.ToArray();
        var offset = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
        try
        {
            return new SourceText(s_strict.GetString(bytes, offset, bytes.Length - offset), path);
        }
        catch (DecoderFallbackException)
        {
            var text = s_lenient.GetString(bytes, offset, bytes.Length - offset);
            var source = new SourceText(text, path);
            var at = Math.Max(0, text.IndexOf('\uFFFD'));
            diagnostics.Add(Diagnostic.Create(DiagnosticCatalog.TextMalformedUtf8, new TextLocation(source, new TextSpan(at, 1))));
            return source;
        }
    }
}
