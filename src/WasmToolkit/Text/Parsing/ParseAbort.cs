using System;

namespace WasmToolkit.Text;

/// <summary>
/// Unwinds the recursive-descent parser to the enclosing module field after an error has been
/// reported. It never leaves the parser: every entry point catches it, so callers only ever see
/// diagnostics.
/// </summary>
internal sealed class ParseAbort : Exception
{
    public static ParseAbort Instance { get; } = new();
}
