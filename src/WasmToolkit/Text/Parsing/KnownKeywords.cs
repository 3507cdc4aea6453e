using System;
using System.Collections.Generic;
using WasmToolkit.Instructions;

namespace WasmToolkit.Text;

/// <summary>
/// Every keyword of the text and script formats. A keyword outside this set is reported as an
/// "unknown operator" (as the reference interpreter's lexer does); a known keyword in the wrong
/// place is an "unexpected token".
/// </summary>
internal static class KnownKeywords
{
    private static readonly HashSet<string> s_structural = new(StringComparer.Ordinal)
    {
        "module", "type", "func", "param", "result", "local", "global", "table", "memory", "elem", "data",
        "import", "export", "start", "mut", "offset", "item", "declare", "then", "else", "end", "block", "loop", "if",
        "funcref", "externref", "extern", "i32", "i64", "f32", "f64", "v128", "i8x16", "i16x8", "i32x4", "i64x2",
        "f32x4", "f64x2", "binary", "quote", "register", "invoke", "get", "assert_return", "assert_trap",
        "assert_exhaustion", "assert_invalid", "assert_malformed", "assert_unlinkable", "assert_uninstantiable",
        "ref.extern", "nan:canonical", "nan:arithmetic", "script", "input", "output",
    };

    public static bool IsKnown(string keyword)
    {
        if (s_structural.Contains(keyword) || OpcodeTable.TryGetByName(keyword, out _)) return true;
        return keyword.StartsWith("offset=", StringComparison.Ordinal) || keyword.StartsWith("align=", StringComparison.Ordinal);
    }
}
