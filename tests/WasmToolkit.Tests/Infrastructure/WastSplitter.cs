using System.Collections.Generic;

namespace WasmToolkit.Tests.Infrastructure;

/// <summary>
/// Splits a <c>.wast</c> script into its top-level S-expressions (spec 6.3 lexical format: strings,
/// <c>;;</c> line comments and nested <c>(; ;)</c> block comments are skipped while matching parentheses).
/// </summary>
/// <remarks>
/// Used when wast2json rejects a whole script over one form it does not support, so the remaining
/// <c>module</c> (and assertion) commands can still be converted: one at a time by the printer's
/// suite fixture, or with the rejected forms blanked out by the validator's suite test.
/// </remarks>
internal static class WastSplitter
{
    /// <summary>The top-level forms in order, each with its first keyword (<c>module</c>, <c>assert_return</c>, …).</summary>
    public static List<WastForm> Split(string script)
    {
        var forms = new List<WastForm>();
        var i = 0;
        while (i < script.Length)
        {
            var c = script[i];
            if (c == '(' && Peek(script, i + 1) == ';')
            {
                i = SkipBlockComment(script, i);
            }
            else if (c == ';' && Peek(script, i + 1) == ';')
            {
                i = SkipLine(script, i);
            }
            else if (c == '(')
            {
                var end = SkipForm(script, i);
                var text = script.Substring(i, end - i);
                forms.Add(new WastForm(Keyword(text), i, end - i, text));
                i = end;
            }
            else
            {
                i++;
            }
        }

        return forms;
    }

    private static char Peek(string s, int i) => i < s.Length ? s[i] : '\0';

    private static int SkipLine(string s, int i)
    {
        while (i < s.Length && s[i] != '\n') i++;
        return i;
    }

    private static int SkipBlockComment(string s, int i)
    {
        var depth = 0;
        while (i < s.Length)
        {
            if (s[i] == '(' && Peek(s, i + 1) == ';')
            {
                depth++;
                i += 2;
            }
            else if (s[i] == ';' && Peek(s, i + 1) == ')')
            {
                depth--;
                i += 2;
                if (depth == 0) return i;
            }
            else
            {
                i++;
            }
        }

        return i;
    }

    private static int SkipForm(string s, int i)
    {
        var depth = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (c == '(' && Peek(s, i + 1) == ';')
            {
                i = SkipBlockComment(s, i);
                continue;
            }

            if (c == ';' && Peek(s, i + 1) == ';')
            {
                i = SkipLine(s, i);
                continue;
            }

            if (c == '"')
            {
                i++;
                while (i < s.Length && s[i] != '"') i += s[i] == '\\' ? 2 : 1;
                i++;
                continue;
            }

            if (c == '(') depth++;
            if (c == ')')
            {
                depth--;
                if (depth == 0) return i + 1;
            }

            i++;
        }

        return s.Length;
    }

    private static string Keyword(string form)
    {
        var i = 1;
        while (i < form.Length && char.IsWhiteSpace(form[i])) i++;
        var start = i;
        while (i < form.Length && !char.IsWhiteSpace(form[i]) && form[i] != '(' && form[i] != ')') i++;
        return form.Substring(start, i - start);
    }
}

/// <summary>One top-level form of a script: its keyword, where it stands (offset and length) and its text.</summary>
internal sealed record WastForm(string Keyword, int Start, int Length, string Text);
