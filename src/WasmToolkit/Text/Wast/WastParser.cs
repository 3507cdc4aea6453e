using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using WasmToolkit.Diagnostics;

namespace WasmToolkit.Text;

/// <summary>
/// Parses WAST scripts, the spec test suite's format (the reference interpreter's
/// <c>script</c> grammar): module definitions, <c>register</c>, actions and assertions.
/// </summary>
/// <remarks>Never throws on bad input; a command with errors is reported and skipped.</remarks>
public static class WastParser
{
    /// <summary>Parses a script; <paramref name="path"/> only labels locations.</summary>
    public static WastParseResult Parse(string text, string? path = null)
    {
        if (text is null) throw new ArgumentNullException(nameof(text));
        return Parse(new SourceText(text, path), new List<Diagnostic>());
    }

    /// <summary>Parses a script from UTF-8 bytes (e.g. a file's contents); invalid UTF-8 is a diagnostic.</summary>
    public static WastParseResult Parse(ReadOnlySpan<byte> utf8, string? path = null)
    {
        var diagnostics = new List<Diagnostic>();
        var source = TextDecoding.Decode(utf8, path, diagnostics);
        return Parse(source, diagnostics);
    }

    private static WastParseResult Parse(SourceText source, List<Diagnostic> diagnostics)
    {
        var tokens = Lexer.Tokenize(source, diagnostics);
        var parser = new ScriptParser(source, tokens, diagnostics);
        var commands = parser.ParseCommands();
        return new WastParseResult(new WastScript(source, commands), diagnostics.ToImmutableArray());
    }

    /// <summary>The recursive-descent parser over one script's tokens.</summary>
    private sealed class ScriptParser : TokenParser
    {
        public ScriptParser(SourceText source, Token[] tokens, List<Diagnostic> diagnostics)
            : base(source, tokens, diagnostics)
        {
        }

        public ImmutableArray<WastCommand> ParseCommands()
        {
            var commands = ImmutableArray.CreateBuilder<WastCommand>();
            if (StartsWithModuleField())
            {
                // A script may be a bare module: its fields without (module …) (inline-module.wast).
                commands.Add(ParseInlineModule());
                return commands.ToImmutable();
            }

            while (Kind != TokenKind.EndOfFile)
            {
                var start = Pos;
                try
                {
                    if (Kind != TokenKind.LeftParen) throw Unexpected("a script command");
                    commands.Add(ParseCommand());
                }
                catch (ParseAbort)
                {
                    Pos = Tokens[start].Kind == TokenKind.LeftParen ? Math.Min(Tokens[start].Match + 1, Tokens.Length - 1) : start + 1;
                }
            }

            return commands.ToImmutable();
        }

        private bool StartsWithModuleField()
        {
            if (!IsOpen()) return false;
            var keyword = PeekToken(1);
            if (keyword.Kind != TokenKind.Keyword) return false;
            return TokenText(keyword) is "type" or "import" or "func" or "table" or "memory" or "global" or "export" or "start" or "elem" or "data";
        }

        private WastCommand ParseInlineModule()
        {
            var moduleDiagnostics = new List<Diagnostic>();
            var moduleParser = new ModuleParser(Source, Tokens, moduleDiagnostics, WasmFeatures.V2);
            Module? module;
            try
            {
                module = moduleParser.ParseModuleOrFields();
            }
            catch (ParseAbort)
            {
                module = null;
            }

            Diagnostics.AddRange(moduleDiagnostics);
            Pos = Tokens.Length - 1;
            var span = TextSpan.FromBounds(Tokens[0].Start, Tokens[Tokens.Length - 1].Start);
            var ok = moduleDiagnostics.Count == 0 && module is not null;
            var definition = new WastModuleDefinition(WastModuleKind.Text, null, Source, span, ok ? module : null, moduleDiagnostics.ToImmutableArray(), null, parsed: true, ok ? moduleParser.GetSourceMap() : null);
            return new WastModuleCommand(definition.Line, span, definition);
        }

        private WastCommand ParseCommand()
        {
            var open = Current;
            var close = Tokens[open.Match];
            var span = TextSpan.FromBounds(open.Start, close.Kind == TokenKind.RightParen ? close.End : close.Start);
            var line = Source.GetLinePosition(open.Start).Line + 1;
            var keyword = PeekToken(1);
            var name = keyword.Kind == TokenKind.Keyword ? TokenText(keyword) : "";
            switch (name)
            {
                case "module":
                    return new WastModuleCommand(line, span, ParseModuleDefinition(deferText: false));
                case "register":
                {
                    Pos += 2;
                    var registered = ExpectName();
                    var id = TryIdentifier();
                    ExpectClose();
                    return new WastRegisterCommand(line, span, registered, id);
                }

                case "invoke":
                case "get":
                    return new WastActionCommand(line, span, ParseAction());
                case "assert_return":
                {
                    Pos += 2;
                    var action = ParseAction();
                    var results = ImmutableArray.CreateBuilder<WastResult>();
                    while (IsOpen()) results.Add(ParseResult());
                    ExpectClose();
                    return new WastAssertReturnCommand(line, span, action, results.ToImmutable());
                }

                case "assert_trap":
                {
                    Pos += 2;
                    WastAction? action = null;
                    WastModuleDefinition? module = null;
                    if (IsOpen("module")) module = ParseModuleDefinition(deferText: false);
                    else action = ParseAction();
                    var message = ExpectName();
                    ExpectClose();
                    return new WastAssertTrapCommand(line, span, action, module, message);
                }

                case "assert_exhaustion":
                {
                    Pos += 2;
                    var action = ParseAction();
                    var message = ExpectName();
                    ExpectClose();
                    return new WastAssertExhaustionCommand(line, span, action, message);
                }

                case "assert_invalid":
                case "assert_malformed":
                case "assert_unlinkable":
                case "assert_uninstantiable":
                {
                    var kind = name switch
                    {
                        "assert_invalid" => WastCommandKind.AssertInvalid,
                        "assert_malformed" => WastCommandKind.AssertMalformed,
                        "assert_unlinkable" => WastCommandKind.AssertUnlinkable,
                        _ => WastCommandKind.AssertUninstantiable,
                    };
                    Pos += 2;
                    if (!IsOpen("module")) throw Unexpected("(module");
                    var module = ParseModuleDefinition(deferText: kind == WastCommandKind.AssertMalformed);
                    var message = ExpectName();
                    ExpectClose();
                    return new WastAssertModuleCommand(kind, line, span, module, message);
                }

                default:
                    Pos++;
                    if (Kind == TokenKind.Keyword && KnownKeywords.IsKnown(name)) throw Fail(DiagnosticCatalog.UnknownScriptCommand, keyword, name);
                    throw Unexpected("a script command");
            }
        }

        /// <summary>
        /// <c>(module $id? binary "…"*)</c>, <c>(module $id? quote "…"*)</c> or
        /// <c>(module $id? field*)</c>; text is parsed now unless <paramref name="deferText"/>.
        /// </summary>
        private WastModuleDefinition ParseModuleDefinition(bool deferText)
        {
            var start = Pos;
            var open = Current;
            var closeIndex = open.Match;
            var close = Tokens[closeIndex];
            var span = TextSpan.FromBounds(open.Start, close.Kind == TokenKind.RightParen ? close.End : close.Start);
            Pos += 2;
            var id = TryIdentifier();
            if (TryKeyword("binary"))
            {
                var bytes = ReadStrings();
                ExpectClose();
                return new WastModuleDefinition(WastModuleKind.Binary, id, Source, span, null, default, bytes, parsed: false);
            }

            if (TryKeyword("quote"))
            {
                var bytes = ReadStrings();
                ExpectClose();
                return new WastModuleDefinition(WastModuleKind.Quote, id, Source, span, null, default, bytes, parsed: false);
            }

            if (deferText)
            {
                Pos = Math.Min(closeIndex + 1, Tokens.Length - 1);
                return new WastModuleDefinition(WastModuleKind.Text, id, Source, span, null, default, null, parsed: false);
            }

            // Parse on the script's own tokens; the module's diagnostics are the script's too.
            var moduleDiagnostics = new List<Diagnostic>();
            var moduleParser = new ModuleParser(Source, Tokens, moduleDiagnostics, WasmFeatures.V2) { Pos = start };
            Module? module;
            try
            {
                module = moduleParser.ParseModule(out _);
            }
            catch (ParseAbort)
            {
                module = null;
            }

            Diagnostics.AddRange(moduleDiagnostics);
            Pos = Math.Min(closeIndex + 1, Tokens.Length - 1);
            var ok = moduleDiagnostics.Count == 0 && module is not null;
            return new WastModuleDefinition(WastModuleKind.Text, id, Source, span, ok ? module : null, moduleDiagnostics.ToImmutableArray(), null, parsed: true, ok ? moduleParser.GetSourceMap() : null);
        }

        /// <summary><c>(invoke $id? "name" const*)</c> or <c>(get $id? "name")</c>.</summary>
        private WastAction ParseAction()
        {
            ExpectOpen();
            WastActionKind kind;
            if (TryKeyword("invoke")) kind = WastActionKind.Invoke;
            else if (TryKeyword("get")) kind = WastActionKind.Get;
            else throw Unexpected("invoke or get");
            var id = TryIdentifier();
            var name = ExpectName();
            var arguments = ImmutableArray.CreateBuilder<WastValue>();
            if (kind == WastActionKind.Invoke)
            {
                while (IsOpen()) arguments.Add(ParseConstant());
            }

            ExpectClose();
            return new WastAction(kind, id, name, arguments.ToImmutable());
        }

        /// <summary>An argument: <c>(t.const …)</c>, <c>(ref.null t)</c>, <c>(ref.extern n)</c>, <c>(ref.func n)</c>.</summary>
        private WastValue ParseConstant()
        {
            var result = ParseResult();
            if (!result.IsExact) throw Fail(DiagnosticCatalog.UnexpectedToken, Tokens[Pos - 1], "a pattern", "a constant");
            return result.Value;
        }

        /// <summary>An expected result: a constant or a pattern (NaN patterns, lane patterns, any reference).</summary>
        private WastResult ParseResult()
        {
            ExpectOpen();
            if (Kind != TokenKind.Keyword) throw Unexpected("a constant");
            WastResult result;
            switch (CurrentText)
            {
                case "i32.const":
                    Pos++;
                    result = WastResult.Exact(WastValue.FromI32((int)(uint)ExpectInt(32)));
                    break;
                case "i64.const":
                    Pos++;
                    result = WastResult.Exact(WastValue.FromI64((long)ExpectInt(64)));
                    break;
                case "f32.const":
                case "f64.const":
                {
                    var is32 = CurrentText[1] == '3';
                    Pos++;
                    var nan = TryNanPattern();
                    if (nan != WastNanPattern.None)
                    {
                        var kind = is32 ? WastValueKind.F32 : WastValueKind.F64;
                        result = new WastResult(kind, default, nan, default, default, false);
                    }
                    else
                    {
                        result = WastResult.Exact(is32 ? WastValue.FromF32Bits(ExpectF32()) : WastValue.FromF64Bits(ExpectF64()));
                    }

                    break;
                }

                case "v128.const":
                    Pos++;
                    result = ParseVectorResult();
                    break;
                case "ref.null":
                    Pos++;
                    result = WastResult.Exact(WastValue.RefNull(ExpectHeapType()));
                    break;
                case "ref.extern":
                case "ref.func":
                {
                    var isExtern = CurrentText == "ref.extern";
                    Pos++;
                    if (Kind == TokenKind.RightParen)
                    {
                        var kind = isExtern ? WastValueKind.RefExtern : WastValueKind.RefFunc;
                        result = new WastResult(kind, default, WastNanPattern.None, default, default, anyReference: true);
                    }
                    else
                    {
                        var n = ExpectU32("a reference number");
                        result = WastResult.Exact(isExtern ? WastValue.RefExtern(n) : WastValue.RefFunc(n));
                    }

                    break;
                }

                default:
                    throw Unexpected("a constant");
            }

            ExpectClose();
            return result;
        }

        private WastNanPattern TryNanPattern()
        {
            if (TryKeyword("nan:canonical")) return WastNanPattern.Canonical;
            if (TryKeyword("nan:arithmetic")) return WastNanPattern.Arithmetic;
            return WastNanPattern.None;
        }

        /// <summary><c>v128.const shape lane*</c> where float lanes may be NaN patterns.</summary>
        private WastResult ParseVectorResult()
        {
            var lanes = ImmutableArray.CreateBuilder<WastLane>();
            var isFloat = Kind == TokenKind.Keyword && CurrentText.Length > 0 && CurrentText[0] == 'f';
            var vector = ExpectV128Lanes(out var shapeName, (index, width) =>
            {
                var nan = isFloat ? TryNanPattern() : WastNanPattern.None;
                if (nan != WastNanPattern.None)
                {
                    lanes.Add(new WastLane(0, nan));
                    return 0;
                }

                var bits = !isFloat ? ExpectInt(width) : width == 32 ? ExpectF32() : ExpectF64();
                lanes.Add(new WastLane(bits, WastNanPattern.None));
                return bits;
            });
            var shape = shapeName switch
            {
                "i8x16" => WastLaneShape.I8x16,
                "i16x8" => WastLaneShape.I16x8,
                "i32x4" => WastLaneShape.I32x4,
                "i64x2" => WastLaneShape.I64x2,
                "f32x4" => WastLaneShape.F32x4,
                _ => WastLaneShape.F64x2,
            };
            return new WastResult(WastValueKind.V128, WastValue.FromV128(vector), WastNanPattern.None, shape, lanes.ToImmutable(), false);
        }
    }
}
