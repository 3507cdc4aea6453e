using System;
using System.Collections.Immutable;
using WasmToolkit.Binary.Internal;
using WasmToolkit.Diagnostics;
using WasmToolkit.Instructions;

namespace WasmToolkit.Binary;

// One method per section (spec 5.5.3–5.5.15).
internal sealed partial class ModuleDecoder
{
    // spec 5.5.3
    private bool ReadCustomSection(ref SpanReader r, SectionId after, ByteSpan span)
    {
        if (!TryReadName(ref r, out var name)) return false;
        var dataStart = r.Offset;
        var data = _bytes.AsMemory(dataStart, r.Remaining);
        r.Position += r.Remaining;
        _customSections.Add(new CustomSection(name, data, after, span));
        if (name == "name" && !NameSectionCodec.TryDecode(data.Span, dataStart, out _, out var problem))
        {
            Report(DiagnosticCatalog.MalformedCustomSection, dataStart, name, problem);
        }

        return true;
    }

    // spec 5.5.4
    private bool ReadTypeSection(ref SpanReader r)
    {
        if (!TryReadCount(ref r, WasmLimits.MaxTypes, "types", out var count)) return false;
        var types = ImmutableArray.CreateBuilder<FuncType>(count);
        for (var i = 0; i < count; i++)
        {
            var start = r.Offset;
            if (!r.TryReadByte(out var form)) return false;
            if (form != 0x60)
            {
                // The reference interpreter reads the form as a signed LEB128 byte, so a continuation bit
                // means an over-long integer.
                return (form & 0x80) != 0
                    ? r.Fail(DiagnosticCatalog.IntegerRepresentationTooLong, start)
                    : r.Fail(DiagnosticCatalog.MalformedFunctionType, start, form);
            }

            if (!TryReadValTypes(ref r, WasmLimits.MaxFunctionParams, "parameters", out var parameters)) return false;
            if (!TryReadValTypes(ref r, WasmLimits.MaxFunctionReturns, "results", out var results)) return false;
            types.Add(new FuncType(parameters, results, ByteSpan.FromBounds(start, r.Offset)));
        }

        _types = types.MoveToImmutable();
        return true;
    }

    private static bool TryReadValTypes(ref SpanReader r, int limit, string what, out ImmutableArray<ValType> types)
    {
        types = ImmutableArray<ValType>.Empty;
        if (!TryReadCount(ref r, limit, what, out var count)) return false;
        if (count == 0) return true;
        var builder = ImmutableArray.CreateBuilder<ValType>(count);
        for (var i = 0; i < count; i++)
        {
            if (!TryReadValType(ref r, out var t)) return false;
            builder.Add(t);
        }

        types = builder.MoveToImmutable();
        return true;
    }

    // spec 5.5.5
    private bool ReadImportSection(ref SpanReader r)
    {
        if (!TryReadCount(ref r, WasmLimits.MaxImports, "imports", out var count)) return false;
        var imports = ImmutableArray.CreateBuilder<Import>(count);
        for (var i = 0; i < count; i++)
        {
            var start = r.Offset;
            if (!TryReadName(ref r, out var module) || !TryReadName(ref r, out var name)) return false;
            var kindAt = r.Offset;
            if (!r.TryReadByte(out var kind)) return false;
            switch (kind)
            {
                case 0:
                    if (!r.TryReadVarUInt32(out var typeIndex)) return false;
                    imports.Add(Import.Function(module, name, typeIndex, ByteSpan.FromBounds(start, r.Offset)));
                    break;
                case 1:
                    if (!TryReadTableType(ref r, out var tableType)) return false;
                    imports.Add(Import.ForTable(module, name, tableType, ByteSpan.FromBounds(start, r.Offset)));
                    break;
                case 2:
                    if (!TryReadLimits(ref r, isMemory: true, out var memoryLimits)) return false;
                    imports.Add(Import.ForMemory(module, name, new MemoryType(memoryLimits), ByteSpan.FromBounds(start, r.Offset)));
                    break;
                case 3:
                    if (!TryReadGlobalType(ref r, out var globalType)) return false;
                    imports.Add(Import.ForGlobal(module, name, globalType, ByteSpan.FromBounds(start, r.Offset)));
                    break;
                default:
                    return r.Fail(DiagnosticCatalog.MalformedImportKind, kindAt, kind);
            }
        }

        _imports = imports.MoveToImmutable();
        return true;
    }

    private bool TryReadTableType(ref SpanReader r, out TableType type)
    {
        type = default;
        if (!TryReadRefType(ref r, out var elementType)) return false;
        if (!TryReadLimits(ref r, isMemory: false, out var limits)) return false;
        type = new TableType(elementType, limits);
        return true;
    }

    private static bool TryReadGlobalType(ref SpanReader r, out GlobalType type)
    {
        type = default;
        if (!TryReadValType(ref r, out var valueType)) return false;
        var at = r.Offset;
        if (!r.TryReadByte(out var mutability)) return false;
        if (mutability > 1) return r.Fail(DiagnosticCatalog.MalformedMutability, at, mutability);
        type = new GlobalType(valueType, mutability == 1);
        return true;
    }

    // spec 5.5.6
    private bool ReadFunctionSection(ref SpanReader r)
    {
        if (!TryReadCount(ref r, WasmLimits.MaxFunctions, "functions", out var count)) return false;
        var types = ImmutableArray.CreateBuilder<TypeIndex>(count);
        for (var i = 0; i < count; i++)
        {
            if (!r.TryReadVarUInt32(out var t)) return false;
            types.Add(t);
        }

        _functionTypes = types.MoveToImmutable();
        return true;
    }

    // spec 5.5.7
    private bool ReadTableSection(ref SpanReader r)
    {
        if (!TryReadCount(ref r, WasmLimits.MaxTables, "tables", out var count)) return false;
        var tables = ImmutableArray.CreateBuilder<TableDefinition>(count);
        for (var i = 0; i < count; i++)
        {
            var start = r.Offset;
            if (!TryReadTableType(ref r, out var type)) return false;
            tables.Add(new TableDefinition(type, null, ByteSpan.FromBounds(start, r.Offset)));
        }

        _tables = tables.MoveToImmutable();
        return true;
    }

    // spec 5.5.8
    private bool ReadMemorySection(ref SpanReader r)
    {
        if (!TryReadCount(ref r, WasmLimits.MaxMemories, "memories", out var count)) return false;
        var memories = ImmutableArray.CreateBuilder<MemoryDefinition>(count);
        for (var i = 0; i < count; i++)
        {
            var start = r.Offset;
            if (!TryReadLimits(ref r, isMemory: true, out var limits)) return false;
            memories.Add(new MemoryDefinition(new MemoryType(limits), ByteSpan.FromBounds(start, r.Offset)));
        }

        _memories = memories.MoveToImmutable();
        return true;
    }

    // spec 5.5.9
    private bool ReadGlobalSection(ref SpanReader r)
    {
        if (!TryReadCount(ref r, WasmLimits.MaxGlobals, "globals", out var count)) return false;
        var globals = ImmutableArray.CreateBuilder<GlobalDefinition>(count);
        for (var i = 0; i < count; i++)
        {
            var start = r.Offset;
            if (!TryReadGlobalType(ref r, out var type)) return false;
            if (!TryReadConstantExpression(ref r, out var init)) return false;
            globals.Add(new GlobalDefinition(type, init!, ByteSpan.FromBounds(start, r.Offset)));
        }

        _globals = globals.MoveToImmutable();
        return true;
    }

    // spec 5.5.10
    private bool ReadExportSection(ref SpanReader r)
    {
        if (!TryReadCount(ref r, WasmLimits.MaxExports, "exports", out var count)) return false;
        var exports = ImmutableArray.CreateBuilder<Export>(count);
        for (var i = 0; i < count; i++)
        {
            var start = r.Offset;
            if (!TryReadName(ref r, out var name)) return false;
            var kindAt = r.Offset;
            if (!r.TryReadByte(out var kind)) return false;
            if (kind > 3) return r.Fail(DiagnosticCatalog.MalformedImportKind, kindAt, kind);
            if (!r.TryReadVarUInt32(out var index)) return false;
            exports.Add(new Export(name, (ExternalKind)kind, index, ByteSpan.FromBounds(start, r.Offset)));
        }

        _exports = exports.MoveToImmutable();
        return true;
    }

    // spec 5.5.11
    private bool ReadStartSection(ref SpanReader r)
    {
        var start = r.Offset;
        if (!r.TryReadVarUInt32(out var index)) return false;
        _start = index;
        _startSpan = ByteSpan.FromBounds(start, r.Offset);
        return true;
    }

    // spec 5.5.12: eight encodings selected by a flags field.
    private bool ReadElementSection(ref SpanReader r)
    {
        if (!TryReadCount(ref r, WasmLimits.MaxElementSegments, "element segments", out var count)) return false;
        var segments = ImmutableArray.CreateBuilder<ElementSegment>(count);
        for (var i = 0; i < count; i++)
        {
            var start = r.Offset;
            if (!r.TryReadVarUInt32(out var flags)) return false;
            if (flags > 7) return r.Fail(DiagnosticCatalog.MalformedElementsSegmentKind, start, flags);

            // bit 0: passive or declarative (else active); bit 1: explicit table (active) or declarative;
            // bit 2: items are expressions (else function indices).
            var mode = (flags & 1) == 0 ? SegmentMode.Active : (flags & 2) == 0 ? SegmentMode.Passive : SegmentMode.Declarative;
            var explicitTable = (flags & 3) == 2;
            var usesExpressions = (flags & 4) != 0;
            uint table = 0;
            ConstantExpression? offset = null;
            if (explicitTable && !r.TryReadVarUInt32(out table)) return false;
            if (mode == SegmentMode.Active && !TryReadConstantExpression(ref r, out offset)) return false;

            var elementType = ValType.FuncRef;
            if ((flags & 3) != 0)
            {
                // Encodings 1, 2, 3 carry an element kind byte (0x00 = funcref); 5, 6, 7 a reference type.
                if (usesExpressions)
                {
                    if (!TryReadRefType(ref r, out elementType)) return false;
                }
                else
                {
                    var kindAt = r.Offset;
                    if (!r.TryReadByte(out var elemKind)) return false;
                    if (elemKind != 0) return r.Fail(DiagnosticCatalog.MalformedElementsSegmentKind, kindAt, "element kind " + elemKind);
                }
            }

            if (!TryReadCount(ref r, WasmLimits.MaxElementSegmentSize, "elements", out var n)) return false;
            ElementSegment segment;
            if (usesExpressions)
            {
                var items = ImmutableArray.CreateBuilder<ConstantExpression>(n);
                for (var k = 0; k < n; k++)
                {
                    if (!TryReadConstantExpression(ref r, out var item)) return false;
                    items.Add(item!);
                }

                segment = new ElementSegment(mode, elementType, default, items.MoveToImmutable(), table, offset, (int)flags, ByteSpan.FromBounds(start, r.Offset));
            }
            else
            {
                var functions = ImmutableArray.CreateBuilder<FuncIndex>(n);
                for (var k = 0; k < n; k++)
                {
                    if (!r.TryReadVarUInt32(out var f)) return false;
                    functions.Add(f);
                }

                segment = new ElementSegment(mode, elementType, functions.MoveToImmutable(), default, table, offset, (int)flags, ByteSpan.FromBounds(start, r.Offset));
            }

            segments.Add(segment);
        }

        _elements = segments.MoveToImmutable();
        return true;
    }

    // spec 5.5.16
    private bool ReadDataCountSection(ref SpanReader r)
    {
        if (!r.TryReadVarUInt32(out var count)) return false;
        _dataCount = count;
        return true;
    }

    // spec 5.5.13: each entry is size, local declarations, then the body's instructions.
    private bool ReadCodeSection(ref SpanReader r, ByteSpan span)
    {
        _sawCode = true;
        _codeSectionOffset = span.Start;
        var countAt = r.Offset;
        if (!TryReadCount(ref r, WasmLimits.MaxFunctions, "function bodies", out var count)) return false;
        if (count != _functionTypes.Length) return r.Fail(DiagnosticCatalog.FunctionAndCodeInconsistent, countAt, _functionTypes.Length, count);
        var functions = ImmutableArray.CreateBuilder<FunctionDefinition>(count);
        for (var i = 0; i < count; i++)
        {
            var sizeAt = r.Offset;
            if (!r.TryReadVarUInt32(out var size)) return false;
            if (size > (uint)r.Remaining) return r.Fail(DiagnosticCatalog.UnexpectedEndOfSectionOrFunction, sizeAt);
            if (size > WasmLimits.MaxFunctionSize) return r.Fail(DiagnosticCatalog.ImplementationLimit, sizeAt, "function body of " + size + " bytes");
            var bodyStart = r.Offset;
            var body = new SpanReader(_bytes.AsSpan(bodyStart, (int)size), bodyStart);
            r.Position += (int)size;

            if (!TryReadLocals(ref body, out var locals))
            {
                return body.ErrorDescriptor == DiagnosticCatalog.UnexpectedEnd
                    ? r.Fail(DiagnosticCatalog.UnexpectedEndOfSectionOrFunction, body.ErrorOffset)
                    : r.Fail(body.ErrorDescriptor!, body.ErrorOffset, body.ErrorArguments ?? System.Array.Empty<object?>());
            }

            if (body.SawOverlongEncoding) r.SawOverlongEncoding = true;
            var codeStart = body.Offset;
            var code = _bytes.AsMemory(codeStart, body.Remaining);
            if (_options.DecodeFunctionBodies && !CheckBody(ref r, code.Span, codeStart)) return false;
            functions.Add(new FunctionDefinition(_functionTypes[i], locals, code, ByteSpan.FromBounds(bodyStart, bodyStart + (int)size), codeStart));
        }

        _functions = functions.MoveToImmutable();
        return true;
    }

    private static bool TryReadLocals(ref SpanReader r, out ImmutableArray<LocalGroup> locals)
    {
        locals = ImmutableArray<LocalGroup>.Empty;
        var at = r.Offset;
        if (!TryReadCount(ref r, WasmLimits.MaxFunctionLocals, "local declarations", out var groups)) return false;
        if (groups == 0) return true;
        var builder = ImmutableArray.CreateBuilder<LocalGroup>(groups);
        ulong total = 0;
        for (var i = 0; i < groups; i++)
        {
            if (!r.TryReadVarUInt32(out var n)) return false;
            total += n;
            if (total > WasmLimits.MaxFunctionLocals) return r.Fail(DiagnosticCatalog.TooManyLocals, at, total, WasmLimits.MaxFunctionLocals);
            if (!TryReadValType(ref r, out var type)) return false;
            builder.Add(new LocalGroup(n, type));
        }

        locals = builder.MoveToImmutable();
        return true;
    }

    /// <summary>Decodes every instruction of a body: well-formed immediates, the final <c>end</c> exactly at the last byte.</summary>
    private bool CheckBody(ref SpanReader r, ReadOnlySpan<byte> code, int codeStart)
    {
        var reader = new InstructionReader(code, codeStart, _features);
        var depth = 0;
        while (reader.Read())
        {
            switch (reader.Opcode)
            {
                case Opcode.Block:
                case Opcode.Loop:
                case Opcode.If:
                    depth++;
                    break;
                case Opcode.End:
                    if (depth-- == 0)
                    {
                        return reader.IsAtEnd || r.Fail(DiagnosticCatalog.EndOpcodeExpected, reader.Offset);
                    }

                    break;
                case Opcode.MemoryInit:
                case Opcode.DataDrop:
                    if (_dataCount is null) return r.Fail(DiagnosticCatalog.DataCountRequired, reader.InstructionOffset);
                    break;
            }
        }

        if (reader.ErrorDescriptor is { } d)
        {
            return d == DiagnosticCatalog.UnexpectedEnd
                ? r.Fail(DiagnosticCatalog.UnexpectedEndOfSectionOrFunction, reader.ErrorOffset)
                : r.Fail(d, reader.ErrorOffset, reader.ErrorArguments);
        }

        return r.Fail(DiagnosticCatalog.EndOpcodeExpected, reader.Offset);
    }

    // spec 5.5.14: three encodings selected by a flags field.
    private bool ReadDataSection(ref SpanReader r)
    {
        _sawData = true;
        if (!TryReadCount(ref r, WasmLimits.MaxDataSegments, "data segments", out var count)) return false;
        if (_dataCount is { } declared && declared != (uint)count)
        {
            return r.Fail(DiagnosticCatalog.DataCountInconsistent, r.Offset, declared, count);
        }

        var segments = ImmutableArray.CreateBuilder<DataSegment>(count);
        for (var i = 0; i < count; i++)
        {
            var start = r.Offset;
            if (!r.TryReadVarUInt32(out var flags)) return false;
            uint memory = 0;
            ConstantExpression? offset = null;
            switch (flags)
            {
                case 0:
                    if (!TryReadConstantExpression(ref r, out offset)) return false;
                    break;
                case 1:
                    break;
                case 2:
                    if (!r.TryReadVarUInt32(out memory)) return false;
                    if (!TryReadConstantExpression(ref r, out offset)) return false;
                    break;
                default:
                    return r.Fail(DiagnosticCatalog.MalformedDataSegmentKind, start, flags);
            }

            var lengthAt = r.Offset;
            if (!r.TryReadVarUInt32(out var length)) return false;
            if (length > (uint)r.Remaining) return r.Fail(DiagnosticCatalog.UnexpectedEnd, lengthAt, "data segment of " + length + " bytes");
            var dataStart = r.Offset;
            r.Position += (int)length;
            var mode = flags == 1 ? SegmentMode.Passive : SegmentMode.Active;
            segments.Add(new DataSegment(mode, _bytes.AsMemory(dataStart, (int)length), memory, offset, (int)flags, ByteSpan.FromBounds(start, r.Offset)));
        }

        _data = segments.MoveToImmutable();
        return true;
    }
}
