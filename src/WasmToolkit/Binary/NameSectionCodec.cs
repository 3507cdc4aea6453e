using System;
using System.Collections.Immutable;
using WasmToolkit.Binary.Internal;

namespace WasmToolkit.Binary;

/// <summary>
/// Decodes and encodes the <c>name</c> custom section (spec 7.4, with the extended-name-section
/// subsections 3–11). Custom sections do not make a module malformed, so a broken name section is
/// reported as a warning by the reader and decodes to whatever subsections came before the damage.
/// </summary>
internal static class NameSectionCodec
{
    private const byte ModuleId = 0, FunctionId = 1, LocalId = 2, LabelId = 3, TypeId = 4, TableId = 5,
        MemoryId = 6, GlobalId = 7, ElementId = 8, DataId = 9, FieldId = 10, TagId = 11;

    /// <summary>Decodes leniently: subsections up to the first problem.</summary>
    public static NameSection Decode(ReadOnlySpan<byte> data)
    {
        TryDecode(data, 0, out var names, out _);
        return names;
    }

    /// <summary>Decodes; false with a description of the first problem when the section is malformed.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> data, int baseOffset, out NameSection names, out string problem)
    {
        var r = new SpanReader(data, baseOffset);
        string? module = null;
        var functions = ImmutableArray<NameAssociation>.Empty;
        var locals = ImmutableArray<IndirectNameMap>.Empty;
        var labels = ImmutableArray<IndirectNameMap>.Empty;
        var types = ImmutableArray<NameAssociation>.Empty;
        var tables = ImmutableArray<NameAssociation>.Empty;
        var memories = ImmutableArray<NameAssociation>.Empty;
        var globals = ImmutableArray<NameAssociation>.Empty;
        var elements = ImmutableArray<NameAssociation>.Empty;
        var datas = ImmutableArray<NameAssociation>.Empty;
        var fields = ImmutableArray<IndirectNameMap>.Empty;
        var tags = ImmutableArray<NameAssociation>.Empty;
        problem = "";
        var lastId = -1;
        var ok = true;
        while (!r.IsAtEnd)
        {
            if (!r.TryReadByte(out var id) || !r.TryReadVarUInt32(out var size) || size > (uint)r.Remaining)
            {
                problem = "truncated subsection header at offset 0x" + r.Offset.ToString("x");
                ok = false;
                break;
            }

            if (id <= lastId && id <= TagId)
            {
                problem = "subsection " + id + " out of order";
                ok = false;
                break;
            }

            lastId = id;
            var sub = new SpanReader(data.Slice(r.Position, (int)size), r.Offset);
            r.Position += (int)size;
            var subOk = id switch
            {
                ModuleId => TryReadName(ref sub, out module),
                FunctionId => TryReadNameMap(ref sub, out functions),
                LocalId => TryReadIndirectNameMap(ref sub, out locals),
                LabelId => TryReadIndirectNameMap(ref sub, out labels),
                TypeId => TryReadNameMap(ref sub, out types),
                TableId => TryReadNameMap(ref sub, out tables),
                MemoryId => TryReadNameMap(ref sub, out memories),
                GlobalId => TryReadNameMap(ref sub, out globals),
                ElementId => TryReadNameMap(ref sub, out elements),
                DataId => TryReadNameMap(ref sub, out datas),
                FieldId => TryReadIndirectNameMap(ref sub, out fields),
                TagId => TryReadNameMap(ref sub, out tags),
                _ => true, // unknown subsections are skipped (spec 7.4)
            };
            if (!subOk || (id <= TagId && !sub.IsAtEnd))
            {
                problem = "subsection " + id + " is malformed";
                ok = false;
                break;
            }
        }

        names = new NameSection
        {
            ModuleName = module,
            FunctionNames = functions,
            LocalNames = locals,
            LabelNames = labels,
            TypeNames = types,
            TableNames = tables,
            MemoryNames = memories,
            GlobalNames = globals,
            ElementNames = elements,
            DataNames = datas,
            FieldNames = fields,
            TagNames = tags,
        };
        return ok;
    }

    private static bool TryReadName(ref SpanReader r, out string? name)
    {
        name = null;
        if (!r.TryReadVarUInt32(out var length) || length > (uint)r.Remaining) return false;
        r.TryReadBytes((int)length, out var bytes);
        if (!Utf8Validator.IsValid(bytes)) return false;
        name = ModuleDecoder.GetString(bytes);
        return true;
    }

    private static bool TryReadNameMap(ref SpanReader r, out ImmutableArray<NameAssociation> map)
    {
        map = ImmutableArray<NameAssociation>.Empty;
        if (!r.TryReadVarUInt32(out var count) || count > (uint)r.Remaining) return false;
        var builder = ImmutableArray.CreateBuilder<NameAssociation>((int)count);
        for (var i = 0u; i < count; i++)
        {
            if (!r.TryReadVarUInt32(out var index) || !TryReadName(ref r, out var name)) return false;
            builder.Add(new NameAssociation(index, name!));
        }

        map = builder.MoveToImmutable();
        return true;
    }

    private static bool TryReadIndirectNameMap(ref SpanReader r, out ImmutableArray<IndirectNameMap> map)
    {
        map = ImmutableArray<IndirectNameMap>.Empty;
        if (!r.TryReadVarUInt32(out var count) || count > (uint)r.Remaining) return false;
        var builder = ImmutableArray.CreateBuilder<IndirectNameMap>((int)count);
        for (var i = 0u; i < count; i++)
        {
            if (!r.TryReadVarUInt32(out var index) || !TryReadNameMap(ref r, out var inner)) return false;
            builder.Add(new IndirectNameMap(index, inner));
        }

        map = builder.MoveToImmutable();
        return true;
    }

    /// <summary>Encodes the subsections that have content, in id order.</summary>
    public static byte[] Encode(NameSection names)
    {
        var output = new ByteWriter();
        var sub = new ByteWriter();
        if (names.ModuleName is { } module)
        {
            sub.WriteName(module);
            Flush(output, ModuleId, sub);
        }

        WriteMap(output, sub, FunctionId, names.FunctionNames);
        WriteIndirect(output, sub, LocalId, names.LocalNames);
        WriteIndirect(output, sub, LabelId, names.LabelNames);
        WriteMap(output, sub, TypeId, names.TypeNames);
        WriteMap(output, sub, TableId, names.TableNames);
        WriteMap(output, sub, MemoryId, names.MemoryNames);
        WriteMap(output, sub, GlobalId, names.GlobalNames);
        WriteMap(output, sub, ElementId, names.ElementNames);
        WriteMap(output, sub, DataId, names.DataNames);
        WriteIndirect(output, sub, FieldId, names.FieldNames);
        WriteMap(output, sub, TagId, names.TagNames);
        return output.ToArray();
    }

    private static void WriteMap(ByteWriter output, ByteWriter sub, byte id, ImmutableArray<NameAssociation> map)
    {
        if (map.IsDefaultOrEmpty) return;
        WriteMapBody(sub, map);
        Flush(output, id, sub);
    }

    private static void WriteMapBody(ByteWriter w, ImmutableArray<NameAssociation> map)
    {
        w.WriteVarUInt32((uint)map.Length);
        foreach (var entry in map)
        {
            w.WriteVarUInt32(entry.Index);
            w.WriteName(entry.Name);
        }
    }

    private static void WriteIndirect(ByteWriter output, ByteWriter sub, byte id, ImmutableArray<IndirectNameMap> map)
    {
        if (map.IsDefaultOrEmpty) return;
        sub.WriteVarUInt32((uint)map.Length);
        foreach (var entry in map)
        {
            sub.WriteVarUInt32(entry.Index);
            WriteMapBody(sub, entry.Names);
        }

        Flush(output, id, sub);
    }

    private static void Flush(ByteWriter output, byte id, ByteWriter sub)
    {
        output.WriteByte(id);
        output.WriteVarUInt32((uint)sub.Length);
        output.WriteBytes(sub.WrittenSpan);
        sub.Clear();
    }
}
