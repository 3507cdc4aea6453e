using System;
using System.Collections.Immutable;
using System.Text;
using WasmToolkit.Binary.Internal;
using WasmToolkit.Diagnostics;
using WasmToolkit.Instructions;

namespace WasmToolkit.Binary;

/// <summary>
/// Decodes one module (spec 5.5): the framing of sections here, each section's contents in its own
/// method below. One instance per read; not thread-safe.
/// </summary>
internal sealed partial class ModuleDecoder
{
    private readonly byte[] _bytes;
    private readonly ReadOptions _options;
    private readonly WasmFeatures _features;
    private readonly ImmutableArray<Diagnostic>.Builder _diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
    private bool _failed;

    private ImmutableArray<FuncType> _types = ImmutableArray<FuncType>.Empty;
    private ImmutableArray<Import> _imports = ImmutableArray<Import>.Empty;
    private ImmutableArray<TypeIndex> _functionTypes = ImmutableArray<TypeIndex>.Empty;
    private ImmutableArray<FunctionDefinition> _functions = ImmutableArray<FunctionDefinition>.Empty;
    private ImmutableArray<TableDefinition> _tables = ImmutableArray<TableDefinition>.Empty;
    private ImmutableArray<MemoryDefinition> _memories = ImmutableArray<MemoryDefinition>.Empty;
    private ImmutableArray<GlobalDefinition> _globals = ImmutableArray<GlobalDefinition>.Empty;
    private ImmutableArray<Export> _exports = ImmutableArray<Export>.Empty;
    private FuncIndex? _start;
    private ByteSpan _startSpan;
    private ImmutableArray<ElementSegment> _elements = ImmutableArray<ElementSegment>.Empty;
    private uint? _dataCount;
    private ImmutableArray<DataSegment> _data = ImmutableArray<DataSegment>.Empty;
    private readonly ImmutableArray<CustomSection>.Builder _customSections = ImmutableArray.CreateBuilder<CustomSection>();
    private readonly ImmutableArray<SectionInfo>.Builder _sections = ImmutableArray.CreateBuilder<SectionInfo>();
    private bool _sawCode;
    private bool _nonCanonical;
    private bool _sawData;
    private int _codeSectionOffset;

    public ModuleDecoder(byte[] bytes, ReadOptions options)
    {
        _bytes = bytes;
        _options = options;
        _features = options.Features;
    }

    public ModuleReadResult Decode()
    {
        var r = new SpanReader(_bytes);
        if (!ReadHeader(ref r)) return Finish();

        var lastRank = 0;
        var lastId = SectionId.Custom;
        while (!r.IsAtEnd)
        {
            var sectionStart = r.Offset;
            r.TryReadByte(out var idByte);
            if (!r.TryReadVarUInt32(out var size))
            {
                Report(ref r);
                break;
            }

            var contentStart = r.Offset;
            if (size > (uint)r.Remaining)
            {
                Report(DiagnosticCatalog.LengthOutOfBounds, contentStart, "section of " + size + " bytes extends past the end of the module");
                break;
            }

            var rank = SectionRank(idByte);
            if (rank < 0)
            {
                Report(DiagnosticCatalog.MalformedSectionId, sectionStart, idByte);
                break;
            }

            if (rank > 0)
            {
                if (rank <= lastRank)
                {
                    Report(DiagnosticCatalog.UnexpectedContentAfterLastSection, sectionStart, "section " + (SectionId)idByte + " is duplicated or out of order");
                    break;
                }

                lastRank = rank;
            }

            var section = new SpanReader(_bytes.AsSpan(contentStart, (int)size), contentStart);
            var customCountBefore = _customSections.Count;
            r.Position += (int)size;
            var ok = DecodeSection((SectionId)idByte, ref section, lastId, ByteSpan.FromBounds(sectionStart, contentStart + (int)size));
            if (!ok)
            {
                // Running out of bytes inside a section is the spec's "unexpected end of section or function".
                if (section.ErrorDescriptor == DiagnosticCatalog.UnexpectedEnd)
                {
                    Report(DiagnosticCatalog.UnexpectedEndOfSectionOrFunction, section.ErrorOffset);
                }
                else
                {
                    Report(ref section);
                }
            }
            else if (!section.IsAtEnd)
            {
                Report(DiagnosticCatalog.SectionSizeMismatch, section.Offset, "section " + (SectionId)idByte + " has " + section.Remaining + " bytes left over");
            }

            var customName = idByte == 0 && _customSections.Count > customCountBefore ? _customSections[_customSections.Count - 1].Name : null;
            _sections.Add(new SectionInfo((SectionId)idByte, ByteSpan.FromBounds(sectionStart, contentStart + (int)size), new ByteSpan(contentStart, (int)size), customName));
            if (idByte != 0) lastId = (SectionId)idByte;
            if (section.SawOverlongEncoding || (ok && IsEmpty((SectionId)idByte))) _nonCanonical = true;
            if (_failed) break;
        }

        if (r.SawOverlongEncoding) _nonCanonical = true;
        if (!_failed)
        {
            if (_functionTypes.Length != _functions.Length)
            {
                Report(DiagnosticCatalog.FunctionAndCodeInconsistent, _sawCode ? _codeSectionOffset : _bytes.Length, _functionTypes.Length, _functions.Length);
            }
            else if (_dataCount is { } count && count != (uint)_data.Length && (_sawData || count != 0))
            {
                Report(DiagnosticCatalog.DataCountInconsistent, _bytes.Length, count, _data.Length);
            }
            else if (_dataCount is { } declared && !_sawData && declared != 0)
            {
                Report(DiagnosticCatalog.DataCountInconsistent, _bytes.Length, declared, 0);
            }
        }

        return Finish();
    }

    private ModuleReadResult Finish()
    {
        if (_failed) return new ModuleReadResult(null, _diagnostics.ToImmutable(), _sections.ToImmutable(), false);
        var module = new Module(_types, _imports, _functions, _tables, _memories, _globals, _exports, _start, _elements, _dataCount, _data, _customSections.ToImmutable(), _startSpan);
        return new ModuleReadResult(module, _diagnostics.ToImmutable(), _sections.ToImmutable(), !_nonCanonical);
    }

    // spec 5.5.16: the magic and version.
    private bool ReadHeader(ref SpanReader r)
    {
        if (_bytes.Length < 4)
        {
            Report(DiagnosticCatalog.UnexpectedEnd, _bytes.Length, "the module is shorter than its 8-byte header");
            return false;
        }

        if (!r.TryReadBytes(4, out var magic) || magic[0] != 0 || magic[1] != 0x61 || magic[2] != 0x73 || magic[3] != 0x6D)
        {
            Report(DiagnosticCatalog.MagicHeaderNotDetected, 0);
            return false;
        }

        if (!r.TryReadUInt32Fixed(out var version))
        {
            Report(DiagnosticCatalog.UnexpectedEnd, _bytes.Length, "the module is shorter than its 8-byte header");
            return false;
        }

        if (version != 1)
        {
            Report(DiagnosticCatalog.UnknownBinaryVersion, 4, version);
            return false;
        }

        return true;
    }

    /// <summary>A known section with no items: valid, but the writer leaves it out, so not canonical.</summary>
    private bool IsEmpty(SectionId id) => id switch
    {
        SectionId.Type => _types.Length == 0,
        SectionId.Import => _imports.Length == 0,
        SectionId.Function => _functionTypes.Length == 0,
        SectionId.Table => _tables.Length == 0,
        SectionId.Memory => _memories.Length == 0,
        SectionId.Global => _globals.Length == 0,
        SectionId.Export => _exports.Length == 0,
        SectionId.Element => _elements.Length == 0,
        SectionId.Code => _functions.Length == 0,
        SectionId.Data => _data.Length == 0,
        _ => false,
    };

    /// <summary>Order of known sections (spec 5.5.2: data count sits between element and code); 0 for custom; -1 unknown.</summary>
    private int SectionRank(byte id) => id switch
    {
        0 => 0,
        1 => 1,
        2 => 2,
        3 => 3,
        4 => 4,
        5 => 5,
        13 when (_features & WasmFeatures.ExceptionHandling) != 0 => 6,
        6 => 7,
        7 => 8,
        8 => 9,
        9 => 10,
        12 => 11,
        10 => 12,
        11 => 13,
        _ => -1,
    };

    private bool DecodeSection(SectionId id, ref SpanReader r, SectionId after, ByteSpan span) => id switch
    {
        SectionId.Custom => ReadCustomSection(ref r, after, span),
        SectionId.Type => ReadTypeSection(ref r),
        SectionId.Import => ReadImportSection(ref r),
        SectionId.Function => ReadFunctionSection(ref r),
        SectionId.Table => ReadTableSection(ref r),
        SectionId.Memory => ReadMemorySection(ref r),
        SectionId.Global => ReadGlobalSection(ref r),
        SectionId.Export => ReadExportSection(ref r),
        SectionId.Start => ReadStartSection(ref r),
        SectionId.Element => ReadElementSection(ref r),
        SectionId.DataCount => ReadDataCountSection(ref r),
        SectionId.Code => ReadCodeSection(ref r, span),
        SectionId.Data => ReadDataSection(ref r),
        _ => r.Fail(DiagnosticCatalog.MalformedSectionId, span.Start, (int)id),
    };

    private void Report(ref SpanReader r)
    {
        if (r.ErrorDescriptor is { } d) Report(d, r.ErrorOffset, r.ErrorArguments ?? System.Array.Empty<object?>());
        else Report(DiagnosticCatalog.UnexpectedEnd, r.Offset, "section");
    }

    private void Report(DiagnosticDescriptor descriptor, int offset, params object?[] args)
    {
        var location = new BinaryLocation(new ByteSpan(offset, offset < _bytes.Length ? 1 : 0), _options.Path);
        var diagnostic = Diagnostic.Create(descriptor, location, args);
        _diagnostics.Add(diagnostic);
        if (diagnostic.IsError) _failed = true;
    }

    // spec 5.2.4: names are length-prefixed UTF-8.
    private static bool TryReadName(ref SpanReader r, out string name)
    {
        name = "";
        var at = r.Offset;
        if (!r.TryReadVarUInt32(out var length)) return false;
        if (length > (uint)r.Remaining) return r.Fail(DiagnosticCatalog.UnexpectedEnd, at, "name of " + length + " bytes");
        r.TryReadBytes((int)length, out var bytes);
        if (!Utf8Validator.IsValid(bytes)) return r.Fail(DiagnosticCatalog.MalformedUtf8, at);
        name = GetString(bytes);
        return true;
    }

    internal static string GetString(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty) return "";
#if NETSTANDARD2_0
        return Encoding.UTF8.GetString(bytes.ToArray());
#else
        return Encoding.UTF8.GetString(bytes);
#endif
    }

    /// <summary>Reads a vector count and checks it against the bytes left (each item takes at least one byte) and a limit.</summary>
    private static bool TryReadCount(ref SpanReader r, int limit, string what, out int count)
    {
        count = 0;
        var at = r.Offset;
        if (!r.TryReadVarUInt32(out var n)) return false;
        if (n > (uint)limit) return r.Fail(DiagnosticCatalog.ImplementationLimit, at, n + " " + what + " (limit " + limit + ")");
        if (n > (uint)r.Remaining) return r.Fail(DiagnosticCatalog.UnexpectedEndOfSectionOrFunction, at, n + " " + what + " but only " + r.Remaining + " bytes left");
        count = (int)n;
        return true;
    }

    private static bool TryReadValType(ref SpanReader r, out ValType type)
    {
        var at = r.Offset;
        type = default;
        if (!r.TryReadByte(out var b)) return false;
        return ValType.TryFromBinaryCode(b, out type) || r.Fail(DiagnosticCatalog.MalformedValueType, at, b);
    }

    private static bool TryReadRefType(ref SpanReader r, out ValType type)
    {
        var at = r.Offset;
        type = default;
        if (!r.TryReadByte(out var b)) return false;
        if (b == 0x70) type = ValType.FuncRef;
        else if (b == 0x6F) type = ValType.ExternRef;
        else return r.Fail(DiagnosticCatalog.MalformedReferenceType, at, b);
        return true;
    }

    // spec 5.3.7: limits. Flags: bit 0 has-max, bit 1 shared (threads), bit 2 64-bit (memory64).
    private bool TryReadLimits(ref SpanReader r, bool isMemory, out Limits limits)
    {
        limits = default;
        var at = r.Offset;
        if (!r.TryReadByte(out var flags)) return false;

        // The reference interpreter reads the flags as a LEB128 integer: a continuation bit is an over-long one.
        if ((flags & 0x80) != 0) return r.Fail(DiagnosticCatalog.IntegerRepresentationTooLong, at);
        var allowed = 0x01;
        if (isMemory && (_features & WasmFeatures.Threads) != 0) allowed |= 0x02;
        if (isMemory && (_features & WasmFeatures.Memory64) != 0) allowed |= 0x04;
        if ((flags & ~allowed) != 0) return r.Fail(DiagnosticCatalog.MalformedLimitsFlags, at, flags);
        var is64 = (flags & 0x04) != 0;
        ulong min;
        ulong? max = null;
        if (is64)
        {
            if (!r.TryReadVarUInt64(out min)) return false;
            if ((flags & 1) != 0)
            {
                if (!r.TryReadVarUInt64(out var m)) return false;
                max = m;
            }
        }
        else
        {
            if (!r.TryReadVarUInt32(out var min32)) return false;
            min = min32;
            if ((flags & 1) != 0)
            {
                if (!r.TryReadVarUInt32(out var m)) return false;
                max = m;
            }
        }

        limits = new Limits(min, max, (flags & 0x02) != 0, is64);
        return true;
    }

    /// <summary>Reads a constant expression: instructions up to and including the <c>end</c> at depth 0.</summary>
    private bool TryReadConstantExpression(ref SpanReader r, out ConstantExpression? expression)
    {
        expression = null;
        var startPos = r.Position;
        var startOffset = r.Offset;
        var instructions = new InstructionReader(r.Data.Slice(startPos), startOffset, _features);
        var depth = 0;
        while (instructions.Read())
        {
            switch (instructions.Opcode)
            {
                case Opcode.Block:
                case Opcode.Loop:
                case Opcode.If:
                    depth++;
                    break;
                case Opcode.End:
                    if (depth-- == 0)
                    {
                        var length = instructions.Offset - startOffset;
                        expression = new ConstantExpression(_bytes.AsMemory(startOffset, length), startOffset);
                        r.Position = startPos + length;
                        return true;
                    }

                    break;
            }
        }

        if (instructions.ErrorDescriptor is { } d) return r.Fail(d, instructions.ErrorOffset, instructions.ErrorArguments);
        return r.Fail(DiagnosticCatalog.UnexpectedEnd, instructions.Offset, "constant expression without end");
    }
}
