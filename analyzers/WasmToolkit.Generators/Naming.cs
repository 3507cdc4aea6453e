using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace WasmToolkit.Generators;

/// <summary>
/// WebAssembly names (any UTF-8 string) to C# identifiers. The mapping depends on the name alone, so a
/// member keeps its name when other exports come and go; two names that map to one identifier are
/// reported rather than renamed with a counter (which would make names depend on export order).
/// </summary>
internal static class Naming
{
    /// <summary>PascalCase: characters that cannot be in an identifier separate words (<c>get_value</c>, <c>get-value</c> → <c>GetValue</c>).</summary>
    public static string Pascal(string name)
    {
        var sb = new StringBuilder(name.Length);
        var upper = true;
        foreach (var c in name)
        {
            if (c != '_' && SyntaxFacts.IsIdentifierPartCharacter(c) && !char.IsControl(c))
            {
                sb.Append(upper ? char.ToUpperInvariant(c) : c);
                upper = false;
            }
            else
            {
                upper = true;
            }
        }

        if (sb.Length == 0) return "_";
        if (!SyntaxFacts.IsIdentifierStartCharacter(sb[0])) sb.Insert(0, '_');
        return Escape(sb.ToString());
    }

    /// <summary>camelCase, for parameters.</summary>
    public static string Camel(string name)
    {
        var pascal = Pascal(name).TrimStart('@');
        var camel = char.ToLowerInvariant(pascal[0]) + pascal.Substring(1);
        return Escape(camel);
    }

    private static string Escape(string identifier)
        => SyntaxFacts.GetKeywordKind(identifier) != SyntaxKind.None
            ? "@" + identifier
            : identifier;

    /// <summary>A C# string literal for <paramref name="value"/>.</summary>
    public static string Literal(string value) => SymbolDisplay.FormatLiteral(value, quote: true);
}
