using System;
using WasmToolkit.Binary.Internal;

namespace WasmToolkit.Binary;

/// <summary>
/// Writes a <see cref="Module"/> in the binary format (spec chapter 5) with canonical (shortest)
/// LEB128 encodings. Custom sections go back where they were read (after the section named by
/// <see cref="CustomSection.After"/>); segments keep the encoding flags they were read with, so a
/// module read from canonical bytes is written back byte for byte.
/// </summary>
/// <remarks>Empty known sections are omitted. The module is not validated: invalid indices are written as given.</remarks>
public static class ModuleWriter
{
    /// <summary>Encodes <paramref name="module"/>.</summary>
    public static byte[] Write(Module module)
    {
        if (module is null) throw new ArgumentNullException(nameof(module));
        var output = new ByteWriter(1024);
        output.WriteBytes(new byte[] { 0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00 });
        var section = new ByteWriter(1024);
        var body = new ByteWriter(256);

        WriteCustomSections(output, section, module, SectionId.Custom);
        Emit(output, section, module, SectionId.Type, module.Types.Length > 0, () =>
        {
            section.WriteVarUInt32((uint)module.Types.Length);
            foreach (var type in module.Types)
            {
                section.WriteByte(0x60);
                section.WriteVarUInt32((uint)type.Parameters.Length);
                foreach (var p in type.Parameters) section.WriteValType(p);
                section.WriteVarUInt32((uint)type.Results.Length);
                foreach (var r in type.Results) section.WriteValType(r);
            }
        });
        Emit(output, section, module, SectionId.Import, module.Imports.Length > 0, () =>
        {
            section.WriteVarUInt32((uint)module.Imports.Length);
            foreach (var import in module.Imports)
            {
                section.WriteName(import.Module);
                section.WriteName(import.Name);
                section.WriteByte((byte)import.Kind);
                switch (import.Kind)
                {
                    case ExternalKind.Function: section.WriteVarUInt32(import.FunctionType.Value); break;
                    case ExternalKind.Table: WriteTableType(section, import.Table); break;
                    case ExternalKind.Memory: WriteLimits(section, import.Memory.Limits); break;
                    case ExternalKind.Global: WriteGlobalType(section, import.Global); break;
                }
            }
        });
        Emit(output, section, module, SectionId.Function, module.Functions.Length > 0, () =>
        {
            section.WriteVarUInt32((uint)module.Functions.Length);
            foreach (var f in module.Functions) section.WriteVarUInt32(f.Type.Value);
        });
        Emit(output, section, module, SectionId.Table, module.Tables.Length > 0, () =>
        {
            section.WriteVarUInt32((uint)module.Tables.Length);
            foreach (var t in module.Tables) WriteTableType(section, t.Type);
        });
        Emit(output, section, module, SectionId.Memory, module.Memories.Length > 0, () =>
        {
            section.WriteVarUInt32((uint)module.Memories.Length);
            foreach (var m in module.Memories) WriteLimits(section, m.Type.Limits);
        });
        Emit(output, section, module, SectionId.Global, module.Globals.Length > 0, () =>
        {
            section.WriteVarUInt32((uint)module.Globals.Length);
            foreach (var g in module.Globals)
            {
                WriteGlobalType(section, g.Type);
                section.WriteBytes(g.Init.Code.Span);
            }
        });
        Emit(output, section, module, SectionId.Export, module.Exports.Length > 0, () =>
        {
            section.WriteVarUInt32((uint)module.Exports.Length);
            foreach (var e in module.Exports)
            {
                section.WriteName(e.Name);
                section.WriteByte((byte)e.Kind);
                section.WriteVarUInt32(e.Index);
            }
        });
        Emit(output, section, module, SectionId.Start, module.Start.HasValue, () => section.WriteVarUInt32(module.Start!.Value.Value));
        Emit(output, section, module, SectionId.Element, module.Elements.Length > 0, () =>
        {
            section.WriteVarUInt32((uint)module.Elements.Length);
            foreach (var e in module.Elements) WriteElement(section, e);
        });
        Emit(output, section, module, SectionId.DataCount, module.DataCount.HasValue, () => section.WriteVarUInt32(module.DataCount!.Value));
        Emit(output, section, module, SectionId.Code, module.Functions.Length > 0, () =>
        {
            section.WriteVarUInt32((uint)module.Functions.Length);
            foreach (var f in module.Functions)
            {
                body.Clear();
                body.WriteVarUInt32((uint)f.Locals.Length);
                foreach (var group in f.Locals)
                {
                    body.WriteVarUInt32(group.Count);
                    body.WriteValType(group.Type);
                }

                body.WriteBytes(f.Code.Span);
                section.WriteVarUInt32((uint)body.Length);
                section.WriteBytes(body.WrittenSpan);
            }
        });
        Emit(output, section, module, SectionId.Data, module.Data.Length > 0, () =>
        {
            section.WriteVarUInt32((uint)module.Data.Length);
            foreach (var d in module.Data) WriteData(section, d);
        });

        return output.ToArray();
    }

    private static void Emit(ByteWriter output, ByteWriter section, Module module, SectionId id, bool present, Action writeContents)
    {
        if (present)
        {
            section.Clear();
            writeContents();
            output.WriteByte((byte)id);
            output.WriteVarUInt32((uint)section.Length);
            output.WriteBytes(section.WrittenSpan);
        }

        // Custom sections that followed this section in the original stay after it even if it is now absent.
        WriteCustomSections(output, section, module, id);
    }

    private static void WriteCustomSections(ByteWriter output, ByteWriter section, Module module, SectionId after)
    {
        foreach (var custom in module.CustomSections)
        {
            if (custom.After != after) continue;
            section.Clear();
            section.WriteName(custom.Name);
            section.WriteBytes(custom.Data.Span);
            output.WriteByte(0);
            output.WriteVarUInt32((uint)section.Length);
            output.WriteBytes(section.WrittenSpan);
        }
    }

    private static void WriteLimits(ByteWriter w, Limits limits)
    {
        byte flags = 0;
        if (limits.Maximum.HasValue) flags |= 1;
        if (limits.IsShared) flags |= 2;
        if (limits.Is64) flags |= 4;
        w.WriteByte(flags);
        w.WriteVarUInt64(limits.Minimum);
        if (limits.Maximum is { } max) w.WriteVarUInt64(max);
    }

    private static void WriteTableType(ByteWriter w, TableType type)
    {
        w.WriteValType(type.ElementType);
        WriteLimits(w, type.Limits);
    }

    private static void WriteGlobalType(ByteWriter w, GlobalType type)
    {
        w.WriteValType(type.ValueType);
        w.WriteByte(type.IsMutable ? (byte)1 : (byte)0);
    }

    // spec 5.5.12: pick the flags the segment was read with when they still describe it, else the shortest form.
    private static void WriteElement(ByteWriter w, ElementSegment e)
    {
        var flags = e.Encoding is { } read && Describes(read, e) ? read : ChooseFlags(e);
        w.WriteVarUInt32((uint)flags);
        if ((flags & 3) == 2) w.WriteVarUInt32(e.Table.Value);
        if (e.Mode == SegmentMode.Active) w.WriteBytes(e.Offset!.Code.Span);
        if ((flags & 3) != 0)
        {
            if ((flags & 4) != 0) w.WriteValType(e.ElementType);
            else w.WriteByte(0x00);
        }

        if (e.UsesExpressions)
        {
            w.WriteVarUInt32((uint)e.Expressions.Length);
            foreach (var x in e.Expressions) w.WriteBytes(x.Code.Span);
        }
        else
        {
            w.WriteVarUInt32((uint)e.FunctionIndices.Length);
            foreach (var f in e.FunctionIndices) w.WriteVarUInt32(f.Value);
        }
    }

    private static bool Describes(int flags, ElementSegment e)
    {
        if (flags < 0 || flags > 7) return false;
        var mode = (flags & 1) == 0 ? SegmentMode.Active : (flags & 2) == 0 ? SegmentMode.Passive : SegmentMode.Declarative;
        if (mode != e.Mode || ((flags & 4) != 0) != e.UsesExpressions) return false;
        if (mode == SegmentMode.Active && (flags & 2) == 0 && e.Table.Value != 0) return false;
        if ((flags & 4) == 0 && e.ElementType != ValType.FuncRef) return false;
        return (flags & 3) != 0 || e.ElementType == ValType.FuncRef;
    }

    private static int ChooseFlags(ElementSegment e)
    {
        var flags = e.UsesExpressions ? 4 : 0;
        switch (e.Mode)
        {
            case SegmentMode.Passive: return flags | 1;
            case SegmentMode.Declarative: return flags | 3;
            default:
                return e.Table.Value == 0 && e.ElementType == ValType.FuncRef ? flags : flags | 2;
        }
    }

    private static void WriteData(ByteWriter w, DataSegment d)
    {
        if (d.Mode == SegmentMode.Passive)
        {
            w.WriteByte(1);
        }
        else if (d.Memory.Value != 0 || d.Encoding == 2)
        {
            w.WriteByte(2);
            w.WriteVarUInt32(d.Memory.Value);
            w.WriteBytes(d.Offset!.Code.Span);
        }
        else
        {
            w.WriteByte(0);
            w.WriteBytes(d.Offset!.Code.Span);
        }

        w.WriteVarUInt32((uint)d.Data.Length);
        w.WriteBytes(d.Data.Span);
    }
}
