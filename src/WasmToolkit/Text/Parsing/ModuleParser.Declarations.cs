using System.Collections.Generic;
using System.Collections.Immutable;
using WasmToolkit.Diagnostics;

namespace WasmToolkit.Text;

// The declaration pass: binds identifiers in every module-level index space and reads explicit
// type definitions, so the second pass can resolve uses that precede definitions (spec 6.6.1:
// the identifier context is built from the whole module).
internal sealed partial class ModuleParser
{
    private string? _firstDefinition;

    private void DeclareFields(int start, int end)
    {
        Pos = start;
        while (Pos < end)
        {
            if (Kind != TokenKind.LeftParen)
            {
                Pos++;
                continue;
            }

            var close = Current.Match;
            var keyword = PeekToken(1);
            var fieldStart = Pos;
            Pos += 2;
            try
            {
                _fieldSpan = GroupSpan(fieldStart);
                if (keyword.Kind == TokenKind.Keyword) Declare(TokenText(keyword), keyword);
            }
            catch (ParseAbort)
            {
                // Reported; the second pass skips type fields, so nothing is reported twice.
            }

            Pos = System.Math.Max(close + 1, fieldStart + 1);
        }

        _explicitTypeCount = _types.Count;
    }

    private void Declare(string keyword, in Token at)
    {
        switch (keyword)
        {
            case "type":
                DeclareType(at);
                break;
            case "import":
            {
                if (Kind == TokenKind.String) Pos++;
                if (Kind == TokenKind.String) Pos++;
                if (Kind != TokenKind.LeftParen) return;
                var kind = PeekToken(1);
                Pos += 2;
                var space = SpaceOf(kind);
                if (space is null) return;
                CheckImportOrder(at);
                space.Add(TryIdentifier(), this, kind);
                break;
            }

            case "func":
            case "table":
            case "memory":
            case "global":
            {
                var space = SpaceOf(at)!;
                var idToken = Current;
                space.Add(TryIdentifier(), this, idToken);
                while (IsOpen("export")) SkipGroup();
                if (IsOpen("import"))
                {
                    CheckImportOrder(at);
                    return;
                }

                _firstDefinition ??= keyword == "func" ? "function" : keyword;
                if (keyword == "table")
                {
                    // (table reftype (elem …)) also defines an element segment here.
                    if (Kind == TokenKind.Keyword && IsOpen1("elem")) ElemSpace.Add(null, this, at);
                }
                else if (keyword == "memory" && IsOpen("data"))
                {
                    DataSpace.Add(null, this, at);
                }

                break;
            }

            case "elem":
            {
                var idToken = Current;
                ElemSpace.Add(TryIdentifier(), this, idToken);
                break;
            }

            case "data":
            {
                var idToken = Current;
                DataSpace.Add(TryIdentifier(), this, idToken);
                break;
            }
        }
    }

    private bool IsOpen1(string keyword) => PeekToken(1).Kind == TokenKind.LeftParen && IsKeyword(PeekToken(2), keyword);

    private IndexSpace? SpaceOf(in Token keyword)
    {
        if (keyword.Kind != TokenKind.Keyword) return null;
        return TokenText(keyword) switch
        {
            "func" => FuncSpace,
            "table" => TableSpace,
            "memory" => MemorySpace,
            "global" => GlobalSpace,
            _ => null,
        };
    }

    /// <summary>Imports must precede every function, table, memory and global definition (spec 6.6.15).</summary>
    private void CheckImportOrder(in Token at)
    {
        if (_firstDefinition is not null) Report(DiagnosticCatalog.ImportAfterDefinition, at, _firstDefinition);
    }

    /// <summary><c>(type $id? (func (param …)* (result …)*))</c> (spec 6.6.2).</summary>
    private void DeclareType(in Token at)
    {
        var idToken = Current;
        TypeSpace.Add(TryIdentifier(), this, idToken);
        var parameters = new List<ValType>();
        var results = new List<ValType>();
        try
        {
            ExpectOpen("func");
            TryIdentifier();
            ParseParamsAndResults(parameters, results, ids: null);
            ExpectClose();
            ExpectClose();
        }
        finally
        {
            // Keep indices aligned with the type space even when the definition is malformed.
            _types.Add(new FuncType(parameters.ToImmutableArray(), results.ToImmutableArray()));
            _typeSpans.Add(_fieldSpan);
        }
    }
}
