using System;
using System.Collections.Immutable;
using WasmToolkit.Instructions;

namespace WasmToolkit.Text;

/// <summary>
/// Walks a <see cref="Module"/> and writes it as WAT (spec 6.6 "Modules"), fields in binary section
/// order so that re-parsing assigns every item the index it had.
/// </summary>
/// <remarks>
/// One instance prints one module; not thread-safe. Item headers carry <c>$name</c> or an index comment
/// <c>(;3;)</c>; references are <c>$name</c> where <see cref="PrinterNames"/> has one, otherwise indices.
/// Function bodies are printed flat (spec 6.5 "Instructions", no folding), read with
/// <see cref="InstructionReader"/>, so printing allocates nothing per instruction.
/// </remarks>
internal sealed partial class ModuleTextWriter
{
    // Declared locals beyond this count are not printed (a comment says so): a body can declare up to
    // 2^32 - 1 locals in six bytes, which would print as gigabytes of text.
    private const ulong MaxPrintedLocals = 1 << 20;

    // Data segments longer than this print one string literal per line of this many bytes.
    private const int DataBytesPerLine = 32;

    private static readonly string?[] s_noNames = new string?[0];

    private readonly Module _module;
    private readonly TextPrinterOptions _options;
    private readonly TextOutput _out;
    private readonly PrinterNames _names;
    private string?[] _locals = s_noNames;
    private bool _lineHasComment;

    public ModuleTextWriter(Module module, PrinterNames names, TextOutput output, TextPrinterOptions options)
    {
        _module = module;
        _names = names;
        _out = output;
        _options = options;
    }

    public void WriteModule()
    {
        _out.Indent = 0;
        _out.Write("(module");
        if (_names.Module is { } moduleName) _out.WriteSpaced(moduleName);
        WriteTypes();
        WriteImports();
        WriteFunctions();
        WriteTables();
        WriteMemories();
        WriteGlobals();
        WriteExports();
        WriteStart();
        WriteElements();
        WriteData();
        WriteCustomSections();
        Close(indent: 0);
        _out.NewLine();
    }

    // ---- module fields -------------------------------------------------------------------------

    private void WriteTypes()
    {
        for (var i = 0; i < _module.Types.Length; i++)
        {
            BeginLine(1);
            _out.Write("(type");
            WriteDefinitionId(_names.Types, (uint)i);
            _out.Write(" (func");
            WriteSignature(_module.Types[i], s_noNames);
            _out.Write("))");
        }
    }

    private void WriteImports()
    {
        uint funcs = 0, tables = 0, memories = 0, globals = 0;
        foreach (var import in _module.Imports)
        {
            BeginLine(1);
            if (import.Kind is not (ExternalKind.Function or ExternalKind.Table or ExternalKind.Memory or ExternalKind.Global))
            {
                // Tags (exception handling) carry a type the 2.0 model does not keep.
                _out.Write(";; unsupported import kind ");
                _out.WriteDecimal((ulong)import.Kind);
                _out.Write(": ");
                TextEscaper.WriteQuoted(_out, import.Module);
                _out.Write(' ');
                TextEscaper.WriteQuoted(_out, import.Name);
                _lineHasComment = true;
                continue;
            }

            _out.Write("(import ");
            TextEscaper.WriteQuoted(_out, import.Module);
            _out.Write(' ');
            TextEscaper.WriteQuoted(_out, import.Name);
            switch (import.Kind)
            {
                case ExternalKind.Function:
                    _out.Write(" (func");
                    WriteDefinitionId(_names.Functions, funcs++);
                    WriteTypeUse(import.FunctionType.Value, s_noNames);
                    break;
                case ExternalKind.Table:
                    _out.Write(" (table");
                    WriteDefinitionId(_names.Tables, tables++);
                    WriteTableType(import.Table);
                    break;
                case ExternalKind.Memory:
                    _out.Write(" (memory");
                    WriteDefinitionId(_names.Memories, memories++);
                    WriteLimits(import.Memory.Limits);
                    break;
                default:
                    _out.Write(" (global");
                    WriteDefinitionId(_names.Globals, globals++);
                    _out.Write(' ');
                    WriteGlobalType(import.Global);
                    break;
            }

            _out.Write("))");
        }
    }

    private void WriteFunctions()
    {
        var index = (uint)_module.ImportedFunctionCount;
        foreach (var function in _module.Functions)
        {
            WriteFunction(function, index++);
        }
    }

    private void WriteFunction(FunctionDefinition function, uint index)
    {
        var type = GetType(function.Type.Value);
        var parameterCount = (ulong)(type?.Parameters.Length ?? 0);
        var localCount = function.LocalCount;
        _locals = _options.UseNames ? _names.GetLocals(index, parameterCount + localCount) : s_noNames;

        BeginLine(1);
        _out.Write("(func");
        WriteDefinitionId(_names.Functions, index);
        WriteTypeUse(function.Type.Value, _locals);
        WriteOffsetComment(function.CodeOffset);

        if (localCount > MaxPrintedLocals)
        {
            BeginLine(2);
            _out.Write(";; malformed: ");
            _out.WriteDecimal(localCount);
            _out.Write(" locals declared; not printed");
            _lineHasComment = true;
        }
        else if (localCount > 0)
        {
            BeginLine(2);
            WriteLocals(function.Locals, (uint)parameterCount);
        }

        WriteBody(function, index);
        Close();
        _locals = s_noNames;
    }

    private void WriteLocals(ImmutableArray<LocalGroup> groups, uint firstIndex)
    {
        // Unnamed locals share one (local …) run; a named one needs its own (local $x t).
        var index = firstIndex;
        var inRun = false;
        var first = true;
        foreach (var group in groups)
        {
            for (var i = 0u; i < group.Count; i++, index++)
            {
                var name = PrinterNames.Get(_locals, index);
                if (name is not null)
                {
                    if (inRun) _out.Write(')');
                    inRun = false;
                    if (!first) _out.Write(' ');
                    _out.Write("(local ");
                    _out.Write(name);
                    _out.Write(' ');
                    WriteValType(group.Type);
                    _out.Write(')');
                }
                else
                {
                    if (!inRun)
                    {
                        if (!first) _out.Write(' ');
                        _out.Write("(local");
                        inRun = true;
                    }

                    _out.Write(' ');
                    WriteValType(group.Type);
                }

                first = false;
            }
        }

        if (inRun) _out.Write(')');
    }

    private void WriteTables()
    {
        var index = (uint)_module.ImportedTableCount;
        foreach (var table in _module.Tables)
        {
            BeginLine(1);
            _out.Write("(table");
            WriteDefinitionId(_names.Tables, index++);
            WriteTableType(table.Type);
            if (table.Init is { } init) WriteConstantExpression(init, wrapper: null);
            Close();
        }
    }

    private void WriteMemories()
    {
        var index = (uint)_module.ImportedMemoryCount;
        foreach (var memory in _module.Memories)
        {
            BeginLine(1);
            _out.Write("(memory");
            WriteDefinitionId(_names.Memories, index++);
            WriteLimits(memory.Type.Limits);
            _out.Write(')');
        }
    }

    private void WriteGlobals()
    {
        var index = (uint)_module.ImportedGlobalCount;
        foreach (var global in _module.Globals)
        {
            BeginLine(1);
            _out.Write("(global");
            WriteDefinitionId(_names.Globals, index++);
            _out.Write(' ');
            WriteGlobalType(global.Type);
            WriteConstantExpression(global.Init, wrapper: null);
            Close();
        }
    }

    private void WriteExports()
    {
        foreach (var export in _module.Exports)
        {
            BeginLine(1);
            _out.Write("(export ");
            TextEscaper.WriteQuoted(_out, export.Name);
            switch (export.Kind)
            {
                case ExternalKind.Function:
                    _out.Write(" (func ");
                    WriteReference(_names.Functions, export.Index);
                    break;
                case ExternalKind.Table:
                    _out.Write(" (table ");
                    WriteReference(_names.Tables, export.Index);
                    break;
                case ExternalKind.Memory:
                    _out.Write(" (memory ");
                    WriteReference(_names.Memories, export.Index);
                    break;
                case ExternalKind.Global:
                    _out.Write(" (global ");
                    WriteReference(_names.Globals, export.Index);
                    break;
                default:
                    _out.Write(" (tag ");
                    _out.WriteDecimal((ulong)export.Index);
                    break;
            }

            _out.Write("))");
        }
    }

    private void WriteStart()
    {
        if (_module.Start is not { } start) return;
        BeginLine(1);
        _out.Write("(start ");
        WriteReference(_names.Functions, start.Value);
        _out.Write(')');
    }

    private void WriteElements()
    {
        for (var i = 0; i < _module.Elements.Length; i++)
        {
            var segment = _module.Elements[i];
            BeginLine(1);
            _out.Write("(elem");
            WriteDefinitionId(_names.Elements, (uint)i);

            // Pick the text form that maps back to the binary flags read (spec 5.5.12): an explicit
            // (table x) for flags 2 and 6, the legacy "offset funcidx*" form for flag 0.
            var legacy = false;
            switch (segment.Mode)
            {
                case SegmentMode.Active:
                    var explicitTable = segment.Table.Value != 0 || segment.Encoding is 2 or 6;
                    if (explicitTable)
                    {
                        _out.Write(" (table ");
                        WriteReference(_names.Tables, segment.Table.Value);
                        _out.Write(')');
                    }

                    if (segment.Offset is { } offset) WriteConstantExpression(offset, "offset");
                    legacy = !explicitTable && !segment.UsesExpressions && segment.ElementType == ValType.FuncRef;
                    break;
                case SegmentMode.Declarative:
                    _out.Write(" declare");
                    break;
            }

            if (segment.UsesExpressions)
            {
                _out.Write(' ');
                WriteValType(segment.ElementType);
                foreach (var item in segment.Expressions) WriteConstantExpression(item, "item");
            }
            else
            {
                if (!legacy) _out.Write(" func");
                foreach (var function in segment.FunctionIndices)
                {
                    _out.Write(' ');
                    WriteReference(_names.Functions, function.Value);
                }
            }

            Close();
        }
    }

    private void WriteData()
    {
        for (var i = 0; i < _module.Data.Length; i++)
        {
            var segment = _module.Data[i];
            BeginLine(1);
            _out.Write("(data");
            WriteDefinitionId(_names.Data, (uint)i);
            if (segment.Mode == SegmentMode.Active)
            {
                if (segment.Memory.Value != 0 || segment.Encoding == 2)
                {
                    _out.Write(" (memory ");
                    WriteReference(_names.Memories, segment.Memory.Value);
                    _out.Write(')');
                }

                if (segment.Offset is { } offset) WriteConstantExpression(offset, "offset");
            }

            var bytes = segment.Data.Span;
            if (bytes.Length <= DataBytesPerLine * 3 / 2)
            {
                _out.Write(" \"");
                TextEscaper.WriteStringContents(_out, bytes);
                _out.Write('"');
            }
            else
            {
                for (var at = 0; at < bytes.Length; at += DataBytesPerLine)
                {
                    BeginLine(2);
                    _out.Write('"');
                    TextEscaper.WriteStringContents(_out, bytes.Slice(at, Math.Min(DataBytesPerLine, bytes.Length - at)));
                    _out.Write('"');
                }
            }

            Close();
        }
    }

    private void WriteCustomSections()
    {
        if (!_options.IncludeCustomSectionComments) return;
        foreach (var section in _module.CustomSections)
        {
            BeginLine(1);
            _out.Write(";; custom section ");
            TextEscaper.WriteQuoted(_out, section.Name);
            _out.Write(", ");
            _out.WriteDecimal((ulong)section.Data.Length);
            _out.Write(" bytes");
            if (section.After != SectionId.Custom)
            {
                _out.Write(", after section ");
                _out.WriteDecimal((ulong)section.After);
            }

            _lineHasComment = true;
        }
    }

    // ---- types ---------------------------------------------------------------------------------

    private FuncType? GetType(uint index) => index < (uint)_module.Types.Length ? _module.Types[(int)index] : null;

    /// <summary><c> (type N)</c>, then the signature when the type exists, with parameter names.</summary>
    private void WriteTypeUse(uint typeIndex, string?[] parameterNames)
    {
        _out.Write(" (type ");
        WriteReference(_names.Types, typeIndex);
        _out.Write(')');
        if (GetType(typeIndex) is { } type) WriteSignature(type, parameterNames);
    }

    private void WriteSignature(FuncType type, string?[] parameterNames)
    {
        var inRun = false;
        for (var i = 0; i < type.Parameters.Length; i++)
        {
            var name = PrinterNames.Get(parameterNames, (uint)i);
            if (name is not null)
            {
                if (inRun) _out.Write(')');
                inRun = false;
                _out.Write(" (param ");
                _out.Write(name);
                _out.Write(' ');
                WriteValType(type.Parameters[i]);
                _out.Write(')');
            }
            else
            {
                _out.Write(inRun ? " " : " (param ");
                inRun = true;
                WriteValType(type.Parameters[i]);
            }
        }

        if (inRun) _out.Write(')');
        if (type.Results.Length == 0) return;
        _out.Write(" (result");
        foreach (var result in type.Results)
        {
            _out.Write(' ');
            WriteValType(result);
        }

        _out.Write(')');
    }

    private void WriteValType(ValType type)
    {
        switch (type.Kind)
        {
            case ValTypeKind.I32: _out.Write("i32"); return;
            case ValTypeKind.I64: _out.Write("i64"); return;
            case ValTypeKind.F32: _out.Write("f32"); return;
            case ValTypeKind.F64: _out.Write("f64"); return;
            case ValTypeKind.V128: _out.Write("v128"); return;
        }

        if (type.IsNullable && type.Heap == HeapType.Func)
        {
            _out.Write("funcref");
        }
        else if (type.IsNullable && type.Heap == HeapType.Extern)
        {
            _out.Write("externref");
        }
        else
        {
            _out.Write(type.IsNullable ? "(ref null " : "(ref ");
            WriteHeapType(type.Heap);
            _out.Write(')');
        }
    }

    private void WriteHeapType(HeapType heap)
    {
        if (heap.IsTypeIndex) WriteReference(_names.Types, heap.TypeIndex);
        else _out.Write(heap.ToString());
    }

    private void WriteLimits(Limits limits)
    {
        if (limits.Is64) _out.Write(" i64");
        _out.Write(' ');
        _out.WriteDecimal(limits.Minimum);
        if (limits.Maximum is { } max)
        {
            _out.Write(' ');
            _out.WriteDecimal(max);
        }

        if (limits.IsShared) _out.Write(" shared");
    }

    private void WriteTableType(TableType type)
    {
        WriteLimits(type.Limits);
        _out.Write(' ');
        WriteValType(type.ElementType);
    }

    private void WriteGlobalType(GlobalType type)
    {
        if (type.IsMutable) _out.Write("(mut ");
        WriteValType(type.ValueType);
        if (type.IsMutable) _out.Write(')');
    }

    // ---- layout helpers ------------------------------------------------------------------------

    /// <summary>Starts a new line at nesting level <paramref name="indent"/>.</summary>
    private void BeginLine(int indent)
    {
        _out.NewLine();
        _out.Indent = indent;
        _lineHasComment = false;
    }

    /// <summary>
    /// Writes the <c>)</c> of an item opened at nesting level <paramref name="indent"/>, on a line of its own
    /// when the current line ends in a <c>;;</c> comment.
    /// </summary>
    private void Close(int indent = 1)
    {
        if (_lineHasComment)
        {
            BeginLine(indent);
        }

        _out.Write(')');
    }

    /// <summary>The identifier of a defined item, or its index as a comment (<c>(;3;)</c>).</summary>
    private void WriteDefinitionId(string?[] space, uint index)
    {
        var name = _options.UseNames ? PrinterNames.Get(space, index) : null;
        if (name is not null)
        {
            _out.WriteSpaced(name);
        }
        else
        {
            _out.Write(" (;");
            _out.WriteDecimal((ulong)index);
            _out.Write(";)");
        }
    }

    /// <summary>A use of an item: its identifier or its index.</summary>
    private void WriteReference(string?[] space, uint index)
    {
        var name = _options.UseNames ? PrinterNames.Get(space, index) : null;
        if (name is not null) _out.Write(name);
        else _out.WriteDecimal((ulong)index);
    }

    private void WriteOffsetComment(int offset)
    {
        if (!_options.IncludeOffsets) return;
        _out.Write(" ;; @");
        _out.WriteHex((ulong)offset);
        _lineHasComment = true;
    }
}
