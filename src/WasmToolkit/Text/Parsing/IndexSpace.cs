using System.Collections.Generic;
using System.Collections.Immutable;
using WasmToolkit.Diagnostics;

namespace WasmToolkit.Text;

/// <summary>
/// One index space of a module or function (spec 6.6.1 "Identifier context"): types, functions,
/// tables, memories, globals, element and data segments, locals. Binds <c>$id</c>s to indices in
/// definition order and resolves references to them.
/// </summary>
internal sealed class IndexSpace
{
    private readonly Dictionary<string, uint> _byName = new(System.StringComparer.Ordinal);
    private readonly List<NameAssociation> _names = new();

    /// <param name="declaredKind">The spec's word in "duplicate …" messages (<c>func</c>, <c>local</c>…).</param>
    /// <param name="referenceKind">The spec's word in "unknown …" messages (<c>function</c>, <c>elem segment</c>…).</param>
    public IndexSpace(string declaredKind, string referenceKind)
    {
        DeclaredKind = declaredKind;
        ReferenceKind = referenceKind;
    }

    public string DeclaredKind { get; }

    public string ReferenceKind { get; }

    public uint Count { get; private set; }

    /// <summary>Bound names in index order (without the <c>$</c>).</summary>
    public ImmutableArray<NameAssociation> Names => _names.ToImmutableArray();

    /// <summary>Appends an item, binding <paramref name="id"/> if given; duplicates are reported and not rebound.</summary>
    public uint Add(string? id, TokenParser parser, in Token at)
    {
        var index = Count++;
        if (id is null) return index;
        if (_byName.ContainsKey(id))
        {
            parser.Report(DiagnosticCatalog.DuplicateIdentifier, at, DeclaredKind, id);
            return index;
        }

        _byName.Add(id, index);
        _names.Add(new NameAssociation(index, id.Substring(1)));
        return index;
    }

    public bool TryResolve(string id, out uint index) => _byName.TryGetValue(id, out index);

    /// <summary>Reads an index or identifier at the parser's position (spec 6.6.1: <c>x ::= u32 | id</c>).</summary>
    public uint Resolve(TokenParser parser)
    {
        var token = parser.Current;
        if (token.Kind == TokenKind.Integer) return parser.ExpectU32("a " + ReferenceKind + " index");
        if (token.Kind != TokenKind.Identifier) throw parser.Unexpected("a " + ReferenceKind + " index or identifier");
        parser.Advance();
        var id = parser.TokenText(token);
        if (TryResolve(id, out var index)) return index;
        throw parser.Fail(DiagnosticCatalog.UnknownIdentifier, token, ReferenceKind, id);
    }

    /// <summary>True when the current token can start an index (for optional indices).</summary>
    public static bool AtIndex(TokenParser parser) => parser.Kind is TokenKind.Integer or TokenKind.Identifier;
}
