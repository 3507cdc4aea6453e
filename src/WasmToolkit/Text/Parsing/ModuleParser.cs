using System.Collections.Generic;
using System.Collections.Immutable;
using WasmToolkit.Diagnostics;
using WasmToolkit.Instructions;

namespace WasmToolkit.Text;

/// <summary>
/// Parses the fields of one text module (spec 6.6 "Modules") into a <see cref="Module"/>.
/// </summary>
/// <remarks>
/// Two passes over the fields, because identifiers may be used before their definition:
/// the first (<c>ModuleParser.Declarations.cs</c>) binds the identifiers of every index space in
/// definition order and reads the explicit types; the second (this file) reads each field fully,
/// resolving identifiers and encoding function bodies (<see cref="InstructionParser"/>). Types
/// created implicitly by type uses (spec 6.6.5) are appended after the explicit ones in order
/// of first use. Every item built gets a span, and every encoded body a code offset, in the virtual
/// layout of <see cref="TextSourceMap"/>, which <see cref="SourceMap"/> records as it goes.
/// </remarks>
internal sealed partial class ModuleParser : TokenParser
{
    private readonly List<FuncType> _types = new();
    private readonly List<TextSpan> _typeSpans = new();
    private readonly List<Import> _imports = new();
    private readonly List<FunctionDefinition> _functions = new();
    private readonly List<TableDefinition> _tables = new();
    private readonly List<MemoryDefinition> _memories = new();
    private readonly List<GlobalDefinition> _globals = new();
    private readonly List<Export> _exports = new();
    private readonly List<ElementSegment> _elements = new();
    private readonly List<DataSegment> _data = new();
    private readonly List<IndirectNameMap> _localNames = new();
    private FuncIndex? _start;
    private ByteSpan _startSpan;
    private int _explicitTypeCount;
    private uint _nextFunc;
    private uint _nextTable;
    private uint _nextMemory;
    private uint _nextGlobal;
    private uint _nextElem;
    private uint _nextData;
    private TextSpan _fieldSpan;

    public ModuleParser(SourceText source, Token[] tokens, List<Diagnostic> diagnostics, WasmFeatures features)
        : base(source, tokens, diagnostics)
    {
        Features = features;
    }

    public WasmFeatures Features { get; }

    /// <summary>The source map being recorded: virtual offsets of items and encoded instructions.</summary>
    public TextSourceMapBuilder SourceMap { get; } = new();

    public IndexSpace TypeSpace { get; } = new("type", "type");

    public IndexSpace FuncSpace { get; } = new("func", "function");

    public IndexSpace TableSpace { get; } = new("table", "table");

    public IndexSpace MemorySpace { get; } = new("memory", "memory");

    public IndexSpace GlobalSpace { get; } = new("global", "global");

    public IndexSpace ElemSpace { get; } = new("elem", "elem segment");

    public IndexSpace DataSpace { get; } = new("data", "data segment");

    /// <summary>Set when a body uses <c>memory.init</c> or <c>data.drop</c>, which need the data count section (spec 5.5.16).</summary>
    public bool UsesDataCount { get; set; }

    /// <summary>
    /// Parses a whole module at the current position: <c>(module $id? field*)</c>, or a bare
    /// sequence of fields (the abbreviation of spec 6.6.14) up to the end of input.
    /// </summary>
    public Module? ParseModuleOrFields()
    {
        var errorsBefore = Diagnostics.Count;
        string? name = null;
        int end;
        if (IsOpen("module"))
        {
            end = Current.Match;
            Pos += 2;
            name = TryIdentifier();
            ParseFields(end);
            if (Kind == TokenKind.RightParen) Pos++;
            else if (Diagnostics.Count == errorsBefore) Report(DiagnosticCatalog.UnexpectedEndOfInput, Current, ")");
            if (Kind != TokenKind.EndOfFile && Diagnostics.Count == errorsBefore) Report(DiagnosticCatalog.UnexpectedToken, Current, CurrentText, "end of input");
        }
        else
        {
            end = Tokens.Length - 1;
            ParseFields(end);
        }

        return Diagnostics.Count > errorsBefore ? null : Build(name);
    }

    /// <summary>Parses <c>(module $id? field*)</c> at the current position (the script's module command); leaves the position after it.</summary>
    public Module? ParseModule(out string? id)
    {
        var errorsBefore = Diagnostics.Count;
        var end = Current.Match;
        Pos += 2;
        id = TryIdentifier();
        ParseFields(end);
        if (Tokens[end].Kind != TokenKind.RightParen && Diagnostics.Count == errorsBefore) Report(DiagnosticCatalog.UnexpectedEndOfInput, Tokens[end], ")");
        Pos = System.Math.Min(end + 1, Tokens.Length - 1);
        return Diagnostics.Count > errorsBefore ? null : Build(id);
    }

    /// <summary>Parses the fields from the current position up to token <paramref name="end"/> (exclusive).</summary>
    private void ParseFields(int end)
    {
        var start = Pos;
        DeclareFields(start, end);
        Pos = start;
        while (Pos < end)
        {
            var fieldStart = Pos;
            try
            {
                if (Kind != TokenKind.LeftParen) throw Unexpected("a module field");
                ParseField();
            }
            catch (ParseAbort)
            {
                // Resume after the field that failed (or after the stray token).
                Pos = Tokens[fieldStart].Kind == TokenKind.LeftParen ? Tokens[fieldStart].Match + 1 : fieldStart + 1;
            }
        }
    }

    private void ParseField()
    {
        _fieldSpan = GroupSpan(Pos);
        var close = Current.Match;
        var keyword = PeekToken(1);
        if (keyword.Kind != TokenKind.Keyword)
        {
            Pos++;
            throw Unexpected("a module field");
        }

        switch (TokenText(keyword))
        {
            case "type":
                // Read completely by the declaration pass.
                Pos = close + 1;
                return;
            case "import": ParseImport(); break;
            case "func": ParseFunc(); break;
            case "table": ParseTable(); break;
            case "memory": ParseMemory(); break;
            case "global": ParseGlobal(); break;
            case "export": ParseExport(); break;
            case "start": ParseStart(); break;
            case "elem": ParseElem(); break;
            case "data": ParseData(); break;
            default:
                Pos++;
                throw Unexpected("a module field");
        }
    }

    /// <summary>The recorded source map (call once the module is built).</summary>
    public TextSourceMap GetSourceMap() => SourceMap.ToMap(Source);

    private Module Build(string? name)
    {
        // Types get their spans last: implicit types are found while bodies are encoded, so their
        // markers cannot go in text order without splitting a body's code.
        var types = ImmutableArray.CreateBuilder<FuncType>(_types.Count);
        for (var i = 0; i < _types.Count; i++) types.Add(new FuncType(_types[i].Parameters, _types[i].Results, SourceMap.AddItem(_typeSpans[i])));

        var module = new Module(
            types.MoveToImmutable(), _imports.ToImmutableArray(), _functions.ToImmutableArray(), _tables.ToImmutableArray(),
            _memories.ToImmutableArray(), _globals.ToImmutableArray(), _exports.ToImmutableArray(), _start,
            _elements.ToImmutableArray(), UsesDataCount ? (uint)_data.Count : null, _data.ToImmutableArray(), startSpan: _startSpan);

        var names = new NameSection
        {
            ModuleName = name?.Substring(1),
            FunctionNames = FuncSpace.Names,
            LocalNames = _localNames.ToImmutableArray(),
            TypeNames = TypeSpace.Names,
            TableNames = TableSpace.Names,
            MemoryNames = MemorySpace.Names,
            GlobalNames = GlobalSpace.Names,
            ElementNames = ElemSpace.Names,
            DataNames = DataSpace.Names,
        };
        var hasNames = names.ModuleName is not null || names.FunctionNames.Length > 0 || names.LocalNames.Length > 0
            || names.TypeNames.Length > 0 || names.TableNames.Length > 0 || names.MemoryNames.Length > 0
            || names.GlobalNames.Length > 0 || names.ElementNames.Length > 0 || names.DataNames.Length > 0;
        return hasNames ? module.WithNames(names) : module;
    }

    // ---- types and type uses (spec 6.4.6, 6.6.3) ----

    /// <summary>The type at <paramref name="index"/> among explicit and implicit types so far, or null.</summary>
    public FuncType? GetType(uint index) => index < (uint)_types.Count ? _types[(int)index] : null;

    /// <summary>
    /// The smallest index of a type equal to <paramref name="type"/>, appending it when there is none
    /// (spec 6.6.5); <paramref name="text"/> is the type use that creates it.
    /// </summary>
    public uint FindOrAddType(FuncType type, TextSpan text)
    {
        for (var i = 0; i < _types.Count; i++)
        {
            if (_types[i].Equals(type)) return (uint)i;
        }

        _types.Add(type);
        _typeSpans.Add(text);
        return (uint)(_types.Count - 1);
    }

    /// <summary>The text of the parenthesised group opening at token <paramref name="open"/>.</summary>
    public TextSpan GroupSpan(int open)
    {
        var close = Tokens[Tokens[open].Match < 0 ? open : Tokens[open].Match];
        return TextSpan.FromBounds(Tokens[open].Start, close.Kind == TokenKind.RightParen ? close.End : System.Math.Max(close.Start, Tokens[open].End));
    }

    /// <summary>The text from <paramref name="first"/> to the last token read, or <paramref name="first"/> when nothing was read.</summary>
    public TextSpan SpanSince(in Token first)
    {
        var last = Tokens[System.Math.Max(Pos - 1, 0)];
        return last.End > first.Start ? TextSpan.FromBounds(first.Start, last.End) : first.Span;
    }

    /// <summary>
    /// Reads <c>(param …)* (result …)*</c>; parameter identifiers go to <paramref name="ids"/> when
    /// given. Block types and <c>call_indirect</c> bind no identifiers (spec 6.5.2), so there an
    /// identifier is an unexpected token.
    /// </summary>
    public bool ParseParamsAndResults(List<ValType> parameters, List<ValType> results, List<(string? Id, Token At)>? ids, bool allowIds = true)
    {
        var any = false;
        while (IsOpen("param"))
        {
            any = true;
            Pos += 2;
            if (Kind == TokenKind.Identifier && !allowIds) throw Unexpected("a value type");
            if (Kind == TokenKind.Identifier)
            {
                var at = Current;
                var id = TokenText(Advance());
                parameters.Add(ExpectValType());
                ids?.Add((id, at));
            }
            else
            {
                while (TryValType(out var t))
                {
                    parameters.Add(t);
                    ids?.Add((null, default));
                }
            }

            ExpectClose();
        }

        while (IsOpen("result"))
        {
            any = true;
            Pos += 2;
            while (TryValType(out var t)) results.Add(t);
            ExpectClose();
        }

        // Parameters must come before results and the type reference first (spec 6.6.3).
        if (IsOpen("param") || IsOpen("type")) throw Unexpected("results or instructions");
        return any;
    }

    /// <summary>
    /// A type use: <c>(type x)? (param …)* (result …)*</c>. With <c>(type x)</c> and inline
    /// declarations both, they must agree ("inline function type"); without <c>(type x)</c> the
    /// type is found or created (spec 6.6.5).
    /// </summary>
    public FunctionSignature ParseTypeUse(bool allowIds = true)
    {
        var first = Current;
        uint? explicitIndex = null;
        var typeToken = default(Token);
        if (IsOpen("type"))
        {
            Pos += 2;
            typeToken = Current;
            explicitIndex = TypeSpace.Resolve(this);
            ExpectClose();
        }

        var parameters = new List<ValType>();
        var results = new List<ValType>();
        var ids = new List<(string? Id, Token At)>();
        var inline = ParseParamsAndResults(parameters, results, ids, allowIds);
        var inlineType = new FuncType(parameters.ToImmutableArray(), results.ToImmutableArray());
        if (explicitIndex is { } index)
        {
            var referenced = GetType(index);
            if (inline)
            {
                if (referenced is null) throw Fail(DiagnosticCatalog.UnknownTypeIndex, typeToken, TokenText(typeToken));
                if (!referenced.Equals(inlineType)) throw Fail(DiagnosticCatalog.InlineFunctionTypeMismatch, typeToken, TokenText(typeToken));
                return new FunctionSignature(index, referenced, ids);
            }

            // Parameters of a type referenced by index are unnamed locals.
            ids.Clear();
            var type = referenced ?? FuncType.Empty;
            for (var i = 0; i < type.Parameters.Length; i++) ids.Add((null, default));
            return new FunctionSignature(index, type, ids);
        }

        return new FunctionSignature(FindOrAddType(inlineType, SpanSince(first)), inlineType, ids);
    }

    // ---- fields (spec 6.6.4–6.6.13) ----

    /// <summary>Inline exports <c>(export "name")*</c> of a definition (spec 6.6.14 abbreviations).</summary>
    private void ParseInlineExports(ExternalKind kind, uint index)
    {
        while (IsOpen("export"))
        {
            var text = GroupSpan(Pos);
            Pos += 2;
            var name = ExpectName();
            ExpectClose();
            _exports.Add(new Export(name, kind, index, SourceMap.AddItem(text)));
        }
    }

    /// <summary>An inline <c>(import "module" "name")</c>, or null.</summary>
    private (string Module, string Name)? ParseInlineImport()
    {
        if (!IsOpen("import")) return null;
        Pos += 2;
        var module = ExpectName();
        var name = ExpectName();
        ExpectClose();
        return (module, name);
    }

    private void ParseImport()
    {
        Pos += 2;
        var module = ExpectName();
        var name = ExpectName();
        ExpectOpen();
        if (Kind != TokenKind.Keyword) throw Unexpected("func, table, memory or global");
        switch (CurrentText)
        {
            case "func":
            {
                Pos++;
                _nextFunc++;
                TryIdentifier();
                _imports.Add(Import.Function(module, name, ParseTypeUse().TypeIndex, SourceMap.AddItem(_fieldSpan)));
                break;
            }

            case "table":
                Pos++;
                _nextTable++;
                TryIdentifier();
                _imports.Add(Import.ForTable(module, name, ParseTableType(), SourceMap.AddItem(_fieldSpan)));
                break;
            case "memory":
                Pos++;
                _nextMemory++;
                TryIdentifier();
                _imports.Add(Import.ForMemory(module, name, new MemoryType(ParseLimits()), SourceMap.AddItem(_fieldSpan)));
                break;
            case "global":
                Pos++;
                _nextGlobal++;
                TryIdentifier();
                _imports.Add(Import.ForGlobal(module, name, ParseGlobalType(), SourceMap.AddItem(_fieldSpan)));
                break;
            default:
                throw Unexpected("func, table, memory or global");
        }

        ExpectClose();
        ExpectClose();
    }

    private void ParseFunc()
    {
        Pos += 2;
        var index = _nextFunc++;
        TryIdentifier();
        ParseInlineExports(ExternalKind.Function, index);
        if (ParseInlineImport() is { } import)
        {
            var importSignature = ParseTypeUse();
            _imports.Add(Import.Function(import.Module, import.Name, importSignature.TypeIndex, SourceMap.AddItem(_fieldSpan)));
            ExpectClose();
            return;
        }

        var signature = ParseTypeUse();
        var locals = new IndexSpace("local", "local");
        foreach (var (id, at) in signature.ParameterIds) locals.Add(id, this, at);

        var groups = new List<LocalGroup>();
        while (IsOpen("local"))
        {
            Pos += 2;
            if (Kind == TokenKind.Identifier)
            {
                var at = Current;
                var id = TokenText(Advance());
                locals.Add(id, this, at);
                AddLocal(groups, ExpectValType());
            }
            else
            {
                while (TryValType(out var t))
                {
                    locals.Add(null, this, default);
                    AddLocal(groups, t);
                }
            }

            ExpectClose();
        }

        // The function's marker, then its body: its span contains its code, as a binary's body entry does.
        var marker = SourceMap.BeginItem(_fieldSpan);
        var body = new InstructionParser(this, locals);
        body.ParseInstructions();
        var code = body.FinishExpression();
        ExpectClose();
        _functions.Add(new FunctionDefinition(signature.TypeIndex, groups.ToImmutableArray(), code, SourceMap.EndItem(marker), body.CodeOffset));
        var localNames = locals.Names;
        if (localNames.Length > 0) _localNames.Add(new IndirectNameMap(index, localNames));
    }

    private static void AddLocal(List<LocalGroup> groups, ValType type)
    {
        // Runs of one type share a group, as the binary format declares them (spec 5.5.13).
        if (groups.Count > 0 && groups[groups.Count - 1].Type == type)
        {
            groups[groups.Count - 1] = new LocalGroup(groups[groups.Count - 1].Count + 1, type);
        }
        else
        {
            groups.Add(new LocalGroup(1, type));
        }
    }

    /// <summary>Limits (spec 6.4.8): <c>min max?</c>, both u32 in 2.0.</summary>
    private Limits ParseLimits()
    {
        var min = ExpectU32("a limit");
        uint? max = Kind == TokenKind.Integer ? ExpectU32("a limit") : null;
        return new Limits(min, max);
    }

    private TableType ParseTableType()
    {
        var limits = ParseLimits();
        return new TableType(ExpectRefType(), limits);
    }

    private GlobalType ParseGlobalType()
    {
        if (IsOpen("mut"))
        {
            Pos += 2;
            var type = ExpectValType();
            ExpectClose();
            return new GlobalType(type, mutable: true);
        }

        return new GlobalType(ExpectValType(), mutable: false);
    }

    private void ParseTable()
    {
        Pos += 2;
        var index = _nextTable++;
        TryIdentifier();
        ParseInlineExports(ExternalKind.Table, index);
        if (ParseInlineImport() is { } import)
        {
            _imports.Add(Import.ForTable(import.Module, import.Name, ParseTableType(), SourceMap.AddItem(_fieldSpan)));
            ExpectClose();
            return;
        }

        if (Kind == TokenKind.Keyword && PeekToken(1).Kind == TokenKind.LeftParen)
        {
            // (table reftype (elem …)): a table sized to fit an active segment at offset 0 (spec 6.6.6).
            var elementType = ExpectRefType();
            var tableSpan = SourceMap.AddItem(_fieldSpan);
            var elemText = GroupSpan(Pos);
            var elemMarker = SourceMap.BeginItem(elemText);
            ExpectOpen("elem");
            var segment = ParseElemList(elementType, allowBareIndices: true, requireKind: false);
            ExpectClose();
            ExpectClose();
            var count = (uint)segment.Count;
            _tables.Add(new TableDefinition(new TableType(elementType, new Limits(count, count)), span: tableSpan));
            _nextElem++;
            _elements.Add(Rebuild(segment, SegmentMode.Active, index, ConstantExpression.I32Const(0), SourceMap.EndItem(elemMarker)));
            return;
        }

        _tables.Add(new TableDefinition(ParseTableType(), span: SourceMap.AddItem(_fieldSpan)));
        ExpectClose();
    }

    private void ParseMemory()
    {
        Pos += 2;
        var index = _nextMemory++;
        TryIdentifier();
        ParseInlineExports(ExternalKind.Memory, index);
        if (ParseInlineImport() is { } import)
        {
            _imports.Add(Import.ForMemory(import.Module, import.Name, new MemoryType(ParseLimits()), SourceMap.AddItem(_fieldSpan)));
            ExpectClose();
            return;
        }

        if (IsOpen("data"))
        {
            // (memory (data "…")): a memory of just enough pages for an active segment at 0 (spec 6.6.7).
            var memorySpan = SourceMap.AddItem(_fieldSpan);
            var dataSpan = SourceMap.AddItem(GroupSpan(Pos));
            Pos += 2;
            var bytes = ReadStrings();
            ExpectClose();
            ExpectClose();
            var pages = (uint)((bytes.LongLength + MemoryType.PageSize - 1) / MemoryType.PageSize);
            _memories.Add(new MemoryDefinition(new MemoryType(new Limits(pages, pages)), memorySpan));
            _nextData++;
            _data.Add(new DataSegment(SegmentMode.Active, bytes, index, ConstantExpression.I32Const(0), span: dataSpan));
            return;
        }

        _memories.Add(new MemoryDefinition(new MemoryType(ParseLimits()), SourceMap.AddItem(_fieldSpan)));
        ExpectClose();
    }

    private void ParseGlobal()
    {
        Pos += 2;
        var index = _nextGlobal++;
        TryIdentifier();
        ParseInlineExports(ExternalKind.Global, index);
        if (ParseInlineImport() is { } import)
        {
            _imports.Add(Import.ForGlobal(import.Module, import.Name, ParseGlobalType(), SourceMap.AddItem(_fieldSpan)));
            ExpectClose();
            return;
        }

        var type = ParseGlobalType();
        var marker = SourceMap.BeginItem(_fieldSpan);
        var init = ParseConstantExpression();
        ExpectClose();
        _globals.Add(new GlobalDefinition(type, init, SourceMap.EndItem(marker)));
    }

    /// <summary>Instructions up to the closing parenthesis, as a constant expression.</summary>
    private ConstantExpression ParseConstantExpression()
    {
        var parser = new InstructionParser(this, locals: null);
        parser.ParseInstructions();
        return parser.FinishConstantExpression();
    }

    private void ParseExport()
    {
        Pos += 2;
        var name = ExpectName();
        ExpectOpen();
        if (Kind != TokenKind.Keyword) throw Unexpected("func, table, memory or global");
        var keyword = CurrentText;
        Pos++;
        var (kind, space) = keyword switch
        {
            "func" => (ExternalKind.Function, FuncSpace),
            "table" => (ExternalKind.Table, TableSpace),
            "memory" => (ExternalKind.Memory, MemorySpace),
            "global" => (ExternalKind.Global, GlobalSpace),
            _ => (ExternalKind.Tag, null),
        };
        if (space is null)
        {
            Pos--;
            throw Unexpected("func, table, memory or global");
        }

        var index = space.Resolve(this);
        ExpectClose();
        ExpectClose();
        _exports.Add(new Export(name, kind, index, SourceMap.AddItem(_fieldSpan)));
    }

    private void ParseStart()
    {
        var at = Current;
        Pos += 2;
        var index = FuncSpace.Resolve(this);
        ExpectClose();
        if (_start is not null) throw Fail(DiagnosticCatalog.MultipleStart, at);
        _start = index;
        _startSpan = SourceMap.AddItem(_fieldSpan);
    }

    /// <summary>An offset: <c>(offset instr*)</c> or one folded instruction (spec 6.6.12 abbreviation).</summary>
    private ConstantExpression ParseOffset()
    {
        if (IsOpen("offset"))
        {
            Pos += 2;
            var expression = ParseConstantExpression();
            ExpectClose();
            return expression;
        }

        var parser = new InstructionParser(this, locals: null);
        parser.ParseFoldedInstruction();
        return parser.FinishConstantExpression();
    }

    private void ParseElem()
    {
        Pos += 2;
        _nextElem++;
        TryIdentifier();
        var marker = SourceMap.BeginItem(_fieldSpan);
        if (TryKeyword("declare"))
        {
            var declared = ParseElemList(ValType.FuncRef, allowBareIndices: false, requireKind: true);
            ExpectClose();
            _elements.Add(Rebuild(declared, SegmentMode.Declarative, 0, null, SourceMap.EndItem(marker)));
            return;
        }

        uint? table = null;
        if (IsOpen("table"))
        {
            Pos += 2;
            table = TableSpace.Resolve(this);
            ExpectClose();
        }
        else if (IndexSpace.AtIndex(this))
        {
            // The 1.0 form (elem x offset …) with a bare table index.
            table = TableSpace.Resolve(this);
        }

        if (table is not null || IsOpen())
        {
            var offset = ParseOffset();

            // After an offset, a bare list of function indices is the 1.0 abbreviation.
            var active = ParseElemList(ValType.FuncRef, allowBareIndices: true, requireKind: false);
            ExpectClose();
            _elements.Add(Rebuild(active, SegmentMode.Active, table ?? 0, offset, SourceMap.EndItem(marker)));
            return;
        }

        var passive = ParseElemList(ValType.FuncRef, allowBareIndices: false, requireKind: true);
        ExpectClose();
        _elements.Add(Rebuild(passive, SegmentMode.Passive, 0, null, SourceMap.EndItem(marker)));
    }

    /// <summary>
    /// An element list (spec 6.6.12): <c>func x*</c>, <c>reftype elemexpr*</c>, or (where allowed)
    /// bare function indices; returned as a passive segment for the caller to place.
    /// </summary>
    private ElementSegment ParseElemList(ValType defaultType, bool allowBareIndices, bool requireKind)
    {
        if (TryKeyword("func") || (!requireKind && allowBareIndices && !IsOpen() && !IsKeyword("funcref") && !IsKeyword("externref")))
        {
            var indices = new List<FuncIndex>();
            while (IndexSpace.AtIndex(this)) indices.Add(FuncSpace.Resolve(this));
            return new ElementSegment(SegmentMode.Passive, ValType.FuncRef, indices.ToImmutableArray(), default);
        }

        var type = defaultType;
        if (Kind == TokenKind.Keyword) type = ExpectRefType();
        else if (requireKind || !IsOpen()) throw Unexpected("func, funcref or externref");

        var expressions = new List<ConstantExpression>();
        while (IsOpen())
        {
            if (IsOpen("item"))
            {
                Pos += 2;
                expressions.Add(ParseConstantExpression());
                ExpectClose();
            }
            else
            {
                var parser = new InstructionParser(this, locals: null);
                parser.ParseFoldedInstruction();
                expressions.Add(parser.FinishConstantExpression());
            }
        }

        // wabt (the oracle the suite's binaries are compared with) writes a funcref segment whose
        // items are all ref.func as plain function indices; do the same so the bytes agree.
        if (type == ValType.FuncRef && TryGetRefFuncIndices(expressions, out var functions))
        {
            return new ElementSegment(SegmentMode.Passive, type, functions, default);
        }

        return new ElementSegment(SegmentMode.Passive, type, default, expressions.ToImmutableArray());
    }

    private static bool TryGetRefFuncIndices(List<ConstantExpression> expressions, out ImmutableArray<FuncIndex> functions)
    {
        var builder = ImmutableArray.CreateBuilder<FuncIndex>(expressions.Count);
        foreach (var e in expressions)
        {
            var instructions = e.Instructions;
            if (instructions.Length != 2 || instructions[0].Opcode != Opcode.RefFunc)
            {
                functions = default;
                return false;
            }

            builder.Add(instructions[0].Index);
        }

        functions = builder.MoveToImmutable();
        return true;
    }

    private static ElementSegment Rebuild(ElementSegment list, SegmentMode mode, uint table, ConstantExpression? offset, ByteSpan span)
        => new(mode, list.ElementType, list.UsesExpressions ? default : list.FunctionIndices, list.UsesExpressions ? list.Expressions : default, table, offset, span: span);

    private void ParseData()
    {
        Pos += 2;
        _nextData++;
        TryIdentifier();
        var marker = SourceMap.BeginItem(_fieldSpan);
        uint? memory = null;
        if (IsOpen("memory"))
        {
            Pos += 2;
            memory = MemorySpace.Resolve(this);
            ExpectClose();
        }
        else if (IndexSpace.AtIndex(this))
        {
            memory = MemorySpace.Resolve(this);
        }

        if (memory is not null || IsOpen())
        {
            var offset = ParseOffset();
            var bytes = ReadStrings();
            ExpectClose();
            _data.Add(new DataSegment(SegmentMode.Active, bytes, memory ?? 0, offset, span: SourceMap.EndItem(marker)));
            return;
        }

        var passive = ReadStrings();
        ExpectClose();
        _data.Add(new DataSegment(SegmentMode.Passive, passive, span: SourceMap.EndItem(marker)));
    }
}
