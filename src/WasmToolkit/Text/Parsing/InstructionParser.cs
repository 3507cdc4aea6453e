using System.Collections.Generic;
using System.Collections.Immutable;
using WasmToolkit.Binary.Internal;
using WasmToolkit.Diagnostics;
using WasmToolkit.Instructions;

namespace WasmToolkit.Text;

/// <summary>
/// Parses instructions (spec 6.5), flat and folded, and encodes them to the binary format as it
/// goes (spec 5.4), resolving labels, locals and module-level identifiers.
/// </summary>
/// <remarks>
/// One instance per function body or constant expression. Folded instructions
/// <c>(op imm* folded*)</c> are written operands first (spec 6.5.9 "Folded Instructions").
/// Each encoded instruction's text (its name and immediates, not its folded operands; the <c>end</c>
/// keyword or closing parenthesis for an <c>end</c>) goes to the module's source map, at the code's
/// virtual offset (<see cref="TextSourceMap"/>).
/// </remarks>
internal sealed class InstructionParser
{
    private readonly ModuleParser _p;
    private readonly IndexSpace _locals;
    private readonly ByteWriter _writer = new();
    private readonly List<string?> _labels = new();

    // An `else` is written only once its branch has an instruction, as wabt does: an empty else
    // branch means the same and leaves it out, and the suite's binaries come from wabt.
    private bool _pendingElse;
    private TextSpan _pendingElseSpan;

    public InstructionParser(ModuleParser parser, IndexSpace? locals)
    {
        _p = parser;
        _locals = locals ?? new IndexSpace("local", "local");
        CodeOffset = parser.SourceMap.Next;
    }

    /// <summary>The virtual offset of the code's first byte (see <see cref="TextSourceMap"/>).</summary>
    public int CodeOffset { get; }

    /// <summary>Parses <c>instr*</c>: stops at <c>)</c>, <c>end</c>, <c>else</c> or the end of input.</summary>
    public void ParseInstructions()
    {
        while (true)
        {
            if (_p.Kind == TokenKind.LeftParen)
            {
                ParseFoldedInstruction();
            }
            else if (_p.Kind == TokenKind.Keyword && !_p.IsKeyword("end") && !_p.IsKeyword("else"))
            {
                ParsePlainInstruction();
            }
            else if (_p.Kind == TokenKind.Reserved)
            {
                throw _p.Unexpected("an instruction");
            }
            else
            {
                return;
            }
        }
    }

    /// <summary>
    /// Appends the final <c>end</c> and returns the bytes. The <c>end</c> maps to the closing parenthesis
    /// at the current position (of the function, global, item…), or the token just read.
    /// </summary>
    public byte[] FinishExpression()
    {
        var close = _p.Kind == TokenKind.RightParen ? _p.Current : _p.Tokens[System.Math.Max(_p.Pos - 1, 0)];
        EmitEnd(close.Span);
        _p.SourceMap.EndCode(CodeOffset + _writer.Length);
        return _writer.ToArray();
    }

    /// <summary>The finished code as a constant expression at its virtual offset.</summary>
    public ConstantExpression FinishConstantExpression() => new(FinishExpression(), CodeOffset);

    /// <summary>Maps the next byte written to <paramref name="text"/>.</summary>
    private void Map(TextSpan text) => _p.SourceMap.Add(CodeOffset + _writer.Length, text);

    /// <summary>The text from <paramref name="first"/> to the last token read: an instruction and its immediates.</summary>
    private TextSpan SpanFrom(in Token first) => TextSpan.FromBounds(first.Start, System.Math.Max(first.End, _p.Tokens[System.Math.Max(_p.Pos - 1, 0)].End));

    private void Emit(Instruction instruction, TextSpan text)
    {
        FlushElse();
        Map(text);
        instruction.WriteTo(_writer);
        if (instruction.Opcode is Opcode.MemoryInit or Opcode.DataDrop) _p.UsesDataCount = true;
    }

    private void FlushElse()
    {
        if (!_pendingElse) return;
        _pendingElse = false;
        Map(_pendingElseSpan);
        _writer.WriteByte(0x05);
    }

    private void BeginElse(TextSpan text)
    {
        FlushElse();
        _pendingElse = true;
        _pendingElseSpan = text;
    }

    private void EmitEnd(TextSpan text)
    {
        _pendingElse = false;
        Map(text);
        _writer.WriteByte(0x0B);
    }

    private void ParsePlainInstruction()
    {
        var token = _p.Current;
        switch (_p.TokenText(token))
        {
            case "block":
            case "loop":
            {
                _p.Advance();
                var label = _p.TryIdentifier();
                var blockType = ParseBlockType();
                Emit(new Instruction(token.Length == 5 ? Opcode.Block : Opcode.Loop) { BlockType = blockType }, SpanFrom(token));
                _labels.Add(label);
                ParseInstructions();
                var end = _p.ExpectKeyword("end");
                CheckEndLabel(label);
                _labels.RemoveAt(_labels.Count - 1);
                EmitEnd(SpanFrom(end));
                return;
            }

            case "if":
            {
                _p.Advance();
                var label = _p.TryIdentifier();
                var blockType = ParseBlockType();
                Emit(new Instruction(Opcode.If) { BlockType = blockType }, SpanFrom(token));
                _labels.Add(label);
                ParseInstructions();
                var elseToken = _p.Current;
                if (_p.TryKeyword("else"))
                {
                    CheckEndLabel(label);
                    BeginElse(SpanFrom(elseToken));
                    ParseInstructions();
                }

                var end = _p.ExpectKeyword("end");
                CheckEndLabel(label);
                _labels.RemoveAt(_labels.Count - 1);
                EmitEnd(SpanFrom(end));
                return;
            }
        }

        var operation = ParseOperation();
        Emit(operation, SpanFrom(token));
    }

    /// <summary>Parses one <c>( … )</c> folded instruction.</summary>
    public void ParseFoldedInstruction()
    {
        _p.ExpectOpen();
        var token = _p.Current;
        if (token.Kind != TokenKind.Keyword) throw _p.Unexpected("an instruction");
        switch (_p.TokenText(token))
        {
            case "block":
            case "loop":
            {
                _p.Advance();
                var label = _p.TryIdentifier();
                var blockType = ParseBlockType();
                Emit(new Instruction(token.Length == 5 ? Opcode.Block : Opcode.Loop) { BlockType = blockType }, SpanFrom(token));
                _labels.Add(label);
                ParseInstructions();
                var close = _p.Current;
                _p.ExpectClose();
                _labels.RemoveAt(_labels.Count - 1);
                EmitEnd(close.Span);
                return;
            }

            case "if":
            {
                _p.Advance();
                var label = _p.TryIdentifier();
                var blockType = ParseBlockType();
                var ifSpan = SpanFrom(token);
                while (_p.IsOpen() && !_p.IsOpen("then")) ParseFoldedInstruction();
                Emit(new Instruction(Opcode.If) { BlockType = blockType }, ifSpan);
                _labels.Add(label);
                _p.ExpectOpen("then");
                ParseInstructions();
                _p.ExpectClose();
                if (_p.IsOpen("else"))
                {
                    var elseToken = _p.PeekToken(1);
                    _p.Pos += 2;
                    BeginElse(elseToken.Span);
                    ParseInstructions();
                    _p.ExpectClose();
                }

                var close = _p.Current;
                _p.ExpectClose();
                _labels.RemoveAt(_labels.Count - 1);
                EmitEnd(close.Span);
                return;
            }
        }

        var instruction = ParseOperation();
        var text = SpanFrom(token);
        while (_p.IsOpen()) ParseFoldedInstruction();
        _p.ExpectClose();
        Emit(instruction, text);
    }

    /// <summary>The label after <c>else</c> or <c>end</c>, if any, must repeat the block's label (spec 6.5.2).</summary>
    private void CheckEndLabel(string? label)
    {
        if (_p.Kind != TokenKind.Identifier) return;
        var token = _p.Advance();
        var id = _p.TokenText(token);
        if (id != label) throw _p.Fail(DiagnosticCatalog.MismatchingLabel, token, id);
    }

    /// <summary>
    /// A block type (spec 6.5.2): nothing, one <c>(result t)</c>, or a type use (which may create
    /// a type, spec 6.6.5).
    /// </summary>
    private BlockType ParseBlockType()
    {
        if (_p.IsOpen("type"))
        {
            // A referenced type of the short forms is written short, as wabt writes it.
            var use = _p.ParseTypeUse(allowIds: false);
            if (use.Type.Parameters.Length == 0 && use.Type.Results.Length == 0 && _p.GetType(use.TypeIndex) is not null) return BlockType.Empty;
            if (use.Type.Parameters.Length == 0 && use.Type.Results.Length == 1) return BlockType.FromValue(use.Type.Results[0]);
            return BlockType.FromTypeIndex(use.TypeIndex);
        }

        if (!_p.IsOpen("param") && !_p.IsOpen("result")) return BlockType.Empty;
        var first = _p.Current;
        var parameters = new List<ValType>();
        var results = new List<ValType>();
        _p.ParseParamsAndResults(parameters, results, ids: null, allowIds: false);
        if (parameters.Count == 0 && results.Count == 0) return BlockType.Empty;
        if (parameters.Count == 0 && results.Count == 1) return BlockType.FromValue(results[0]);
        return BlockType.FromTypeIndex(_p.FindOrAddType(new FuncType(parameters.ToImmutableArray(), results.ToImmutableArray()), _p.SpanSince(first)));
    }

    private uint ResolveLabel()
    {
        var token = _p.Current;
        if (token.Kind == TokenKind.Integer) return _p.ExpectU32("a label");
        if (token.Kind != TokenKind.Identifier) throw _p.Unexpected("a label");
        _p.Advance();
        var id = _p.TokenText(token);
        for (var i = _labels.Count - 1; i >= 0; i--)
        {
            if (_labels[i] == id) return (uint)(_labels.Count - 1 - i);
        }

        throw _p.Fail(DiagnosticCatalog.UnknownIdentifier, token, "label", id);
    }

    /// <summary>A plain (non-block) instruction: its name and immediates (spec 6.5.2–6.5.7).</summary>
    private Instruction ParseOperation()
    {
        var token = _p.Current;
        var name = _p.TokenText(token);
        if (token.Kind != TokenKind.Keyword || !OpcodeTable.TryGetByName(name, out var info) || info.Opcode is Opcode.Else or Opcode.End)
        {
            throw _p.Unexpected("an instruction");
        }

        CheckFeature(info, token);
        _p.Advance();
        var opcode = info.Opcode;
        switch (info.Immediate)
        {
            case ImmediateKind.None:
                if (opcode == Opcode.Select && _p.IsOpen("result"))
                {
                    // select with result types is the typed select (0x1C, spec 6.5.3).
                    var types = ImmutableArray.CreateBuilder<ValType>();
                    while (_p.IsOpen("result"))
                    {
                        _p.Pos += 2;
                        while (_p.TryValType(out var t)) types.Add(t);
                        _p.ExpectClose();
                    }

                    return new Instruction(Opcode.SelectTyped) { SelectTypes = types.ToImmutable() };
                }

                return new Instruction(opcode);
            case ImmediateKind.Label:
                return new Instruction(opcode) { Index = ResolveLabel() };
            case ImmediateKind.BrTable:
            {
                var targets = new List<uint> { ResolveLabel() };
                while (IndexSpace.AtIndex(_p)) targets.Add(ResolveLabel());
                var last = targets[targets.Count - 1];
                targets.RemoveAt(targets.Count - 1);
                return new Instruction(opcode) { Index = last, BrTableTargets = targets.ToImmutableArray() };
            }

            case ImmediateKind.Func:
                return new Instruction(opcode) { Index = _p.FuncSpace.Resolve(_p) };
            case ImmediateKind.CallIndirect:
            {
                var table = IndexSpace.AtIndex(_p) ? _p.TableSpace.Resolve(_p) : 0;
                return new Instruction(opcode) { Index = _p.ParseTypeUse(allowIds: false).TypeIndex, Index2 = table };
            }

            case ImmediateKind.Local:
                return new Instruction(opcode) { Index = _locals.Resolve(_p) };
            case ImmediateKind.Global:
                return new Instruction(opcode) { Index = _p.GlobalSpace.Resolve(_p) };
            case ImmediateKind.Table:
                return new Instruction(opcode) { Index = IndexSpace.AtIndex(_p) ? _p.TableSpace.Resolve(_p) : 0 };
            case ImmediateKind.Memory:
                return new Instruction(opcode) { Index = IndexSpace.AtIndex(_p) ? _p.MemorySpace.Resolve(_p) : 0 };
            case ImmediateKind.Memarg:
                return new Instruction(opcode) { MemArg = ParseMemArg(info) };
            case ImmediateKind.MemargLane:
            {
                var memArg = ParseMemArg(info);
                return new Instruction(opcode) { MemArg = memArg, Lane = ParseLaneIndex() };
            }

            case ImmediateKind.I32:
                return new Instruction(opcode) { Value = _p.ExpectInt(32) };
            case ImmediateKind.I64:
                return new Instruction(opcode) { Value = _p.ExpectInt(64) };
            case ImmediateKind.F32:
                return new Instruction(opcode) { Value = _p.ExpectF32() };
            case ImmediateKind.F64:
                return new Instruction(opcode) { Value = _p.ExpectF64() };
            case ImmediateKind.HeapType:
                return new Instruction(opcode) { HeapType = _p.ExpectHeapType() };
            case ImmediateKind.SelectTypes:
                return new Instruction(opcode);
            case ImmediateKind.MemoryInit:
            {
                // memory.init x, or memory.init mem x with multi-memory; binary order is data, memory.
                var start = _p.Pos;
                if (!IndexSpace.AtIndex(_p)) throw _p.Unexpected("a data segment index");
                _p.Advance();
                if (!IndexSpace.AtIndex(_p))
                {
                    _p.Pos = start;
                    return new Instruction(opcode) { Index = _p.DataSpace.Resolve(_p) };
                }

                _p.Pos = start;
                var memory = _p.MemorySpace.Resolve(_p);
                return new Instruction(opcode) { Index = _p.DataSpace.Resolve(_p), Index2 = memory };
            }

            case ImmediateKind.Data:
                return new Instruction(opcode) { Index = _p.DataSpace.Resolve(_p) };
            case ImmediateKind.Elem:
                return new Instruction(opcode) { Index = _p.ElemSpace.Resolve(_p) };
            case ImmediateKind.MemoryCopy:
            {
                if (!IndexSpace.AtIndex(_p)) return new Instruction(opcode);
                var destination = _p.MemorySpace.Resolve(_p);
                return new Instruction(opcode) { Index = destination, Index2 = _p.MemorySpace.Resolve(_p) };
            }

            case ImmediateKind.TableInit:
            {
                // table.init x (elem, table 0) or table.init t x; binary order is elem, table.
                var start = _p.Pos;
                if (!IndexSpace.AtIndex(_p)) throw _p.Unexpected("an element segment index");
                _p.Advance();
                if (!IndexSpace.AtIndex(_p))
                {
                    _p.Pos = start;
                    return new Instruction(opcode) { Index = _p.ElemSpace.Resolve(_p) };
                }

                _p.Pos = start;
                var table = _p.TableSpace.Resolve(_p);
                return new Instruction(opcode) { Index = _p.ElemSpace.Resolve(_p), Index2 = table };
            }

            case ImmediateKind.TableCopy:
            {
                if (!IndexSpace.AtIndex(_p)) return new Instruction(opcode);
                var destination = _p.TableSpace.Resolve(_p);
                return new Instruction(opcode) { Index = destination, Index2 = _p.TableSpace.Resolve(_p) };
            }

            case ImmediateKind.V128:
                return new Instruction(opcode) { V128 = _p.ExpectV128Lanes(out _) };
            case ImmediateKind.Shuffle:
                return new Instruction(opcode) { V128 = ParseShuffleLanes(token) };
            case ImmediateKind.Lane:
                return new Instruction(opcode) { Lane = ParseLaneIndex() };
            default:
                throw _p.Unexpected("an instruction");
        }
    }

    private void CheckFeature(OpcodeInfo info, in Token token)
    {
        var required = RequiredFeature(info);
        if (required != WasmFeatures.None && (_p.Features & required) == 0)
        {
            throw _p.Fail(DiagnosticCatalog.FeatureNotEnabled, token, info.Name, "the " + FeatureName(required) + " feature");
        }
    }

    /// <summary>The 2.0 proposal an instruction belongs to (None for MVP instructions).</summary>
    private static WasmFeatures RequiredFeature(OpcodeInfo info)
    {
        if (info.Prefix == 0xFD) return WasmFeatures.Simd;
        if (info.Prefix == 0xFC) return info.Code < 8 ? WasmFeatures.SaturatingFloatToInt : info.Code < 12 ? WasmFeatures.BulkMemory : WasmFeatures.ReferenceTypes | WasmFeatures.BulkMemory;
        return info.Opcode switch
        {
            Opcode.I32Extend8S or Opcode.I32Extend16S or Opcode.I64Extend8S or Opcode.I64Extend16S or Opcode.I64Extend32S => WasmFeatures.SignExtension,
            Opcode.RefNull or Opcode.RefIsNull or Opcode.RefFunc or Opcode.TableGet or Opcode.TableSet or Opcode.SelectTyped => WasmFeatures.ReferenceTypes,
            _ => WasmFeatures.None,
        };
    }

    /// <summary>A proposal's name for messages, as the validator words it.</summary>
    private static string FeatureName(WasmFeatures feature) => feature switch
    {
        WasmFeatures.Simd => "simd",
        WasmFeatures.SaturatingFloatToInt => "saturating float-to-int",
        WasmFeatures.BulkMemory => "bulk memory",
        WasmFeatures.ReferenceTypes | WasmFeatures.BulkMemory => "bulk memory or reference types",
        WasmFeatures.SignExtension => "sign-extension",
        WasmFeatures.ReferenceTypes => "reference types",
        _ => feature.ToString(),
    };

    /// <summary>
    /// <c>offset=o? align=a?</c> (spec 6.5.6): the offset is a u32; the alignment a power of two,
    /// stored as its log2, defaulting to the natural alignment.
    /// </summary>
    private MemArg ParseMemArg(OpcodeInfo info)
    {
        ulong offset = 0;
        var alignExponent = (uint)info.NaturalAlignment;
        if (_p.Kind == TokenKind.Keyword && _p.CurrentText.StartsWith("offset=", System.StringComparison.Ordinal))
        {
            offset = ParseKeywordValue(7, "i32");
        }

        if (_p.Kind == TokenKind.Keyword && _p.CurrentText.StartsWith("align=", System.StringComparison.Ordinal))
        {
            var token = _p.Current;
            var align = ParseKeywordValue(6, "i32");
            if (align == 0 || (align & (align - 1)) != 0) throw _p.Fail(DiagnosticCatalog.AlignmentNotPowerOfTwo, token, align);
            alignExponent = 0;
            while ((1UL << (int)alignExponent) < align) alignExponent++;
        }

        return new MemArg(alignExponent, offset);
    }

    /// <summary>The u32 after <c>offset=</c> or <c>align=</c>.</summary>
    private ulong ParseKeywordValue(int prefixLength, string type)
    {
        var token = _p.Current;
        var start = token.Start + prefixLength;
        var length = token.Length - prefixLength;
        if (length == 0 || NumberLiterals.ClassifyNumber(_p.Text, start, length) != TokenKind.Integer || _p.Text[start] is '+' or '-')
        {
            throw _p.Fail(DiagnosticCatalog.UnknownOperator, token, _p.TokenText(token));
        }

        _p.Advance();
        if (!NumberLiterals.TryParseUnsigned(_p.Text, start, length, 32, out var value))
        {
            throw _p.Fail(DiagnosticCatalog.ConstantOutOfRange, token, type, _p.TokenText(token));
        }

        return value;
    }

    /// <summary>A lane index: a u8 literal (spec 6.5.7); its bound per shape is checked by validation.</summary>
    private byte ParseLaneIndex()
    {
        if (_p.Kind != TokenKind.Integer || _p.Text[_p.Current.Start] is '+' or '-') throw _p.Unexpected("a lane index");
        var token = _p.Advance();
        if (!NumberLiterals.TryParseUnsigned(_p.Text, token.Start, token.Length, 8, out var value))
        {
            throw _p.Fail(DiagnosticCatalog.MalformedLaneIndex, token, _p.TokenText(token));
        }

        return (byte)value;
    }

    private V128 ParseShuffleLanes(in Token at)
    {
        // Count the literals first: a float among them is a malformed lane index, a wrong count an
        // invalid lane length (the reference interpreter's order of checks).
        var count = 0;
        while (_p.PeekToken(count).Kind is TokenKind.Integer or TokenKind.Float)
        {
            var lane = _p.PeekToken(count);
            if (lane.Kind == TokenKind.Float || _p.Text[lane.Start] is '+' or '-') throw _p.Fail(DiagnosticCatalog.MalformedLaneIndex, lane, _p.TokenText(lane));
            count++;
        }

        if (count != 16) throw _p.Fail(DiagnosticCatalog.InvalidLaneLength, at, count);
        var bytes = new List<byte>();
        for (var i = 0; i < 16; i++) bytes.Add(ParseLaneIndex());
        return new V128(bytes.ToArray());
    }
}
