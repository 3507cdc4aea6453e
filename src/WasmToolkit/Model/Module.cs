using System;
using System.Collections.Immutable;
using System.Threading;

namespace WasmToolkit;

/// <summary>
/// A WebAssembly module (spec 2.5): immutable, thread-safe, edited through <c>With*</c> methods and
/// <see cref="ModuleBuilder"/>.
/// </summary>
/// <remarks>
/// Index spaces: imports come first in each of the function, table, memory and global spaces, then
/// the definitions (<see cref="Functions"/>, <see cref="Tables"/>…). Custom sections, the <c>name</c>
/// section included, are kept as bytes with their position; <see cref="Names"/> decodes the name
/// section on first use.
/// </remarks>
public sealed class Module
{
    private NameSection? _names;

    public Module(
        ImmutableArray<FuncType> types = default,
        ImmutableArray<Import> imports = default,
        ImmutableArray<FunctionDefinition> functions = default,
        ImmutableArray<TableDefinition> tables = default,
        ImmutableArray<MemoryDefinition> memories = default,
        ImmutableArray<GlobalDefinition> globals = default,
        ImmutableArray<Export> exports = default,
        FuncIndex? start = null,
        ImmutableArray<ElementSegment> elements = default,
        uint? dataCount = null,
        ImmutableArray<DataSegment> data = default,
        ImmutableArray<CustomSection> customSections = default,
        ByteSpan startSpan = default)
    {
        Types = OrEmpty(types);
        Imports = OrEmpty(imports);
        Functions = OrEmpty(functions);
        Tables = OrEmpty(tables);
        Memories = OrEmpty(memories);
        Globals = OrEmpty(globals);
        Exports = OrEmpty(exports);
        Start = start;
        Elements = OrEmpty(elements);
        DataCount = dataCount;
        Data = OrEmpty(data);
        CustomSections = OrEmpty(customSections);
        StartSpan = start is null ? default : startSpan;

        foreach (var import in Imports)
        {
            switch (import.Kind)
            {
                case ExternalKind.Function: ImportedFunctionCount++; break;
                case ExternalKind.Table: ImportedTableCount++; break;
                case ExternalKind.Memory: ImportedMemoryCount++; break;
                case ExternalKind.Global: ImportedGlobalCount++; break;
            }
        }
    }

    /// <summary>A module with nothing in it.</summary>
    public static Module Empty { get; } = new();

    public ImmutableArray<FuncType> Types { get; }

    public ImmutableArray<Import> Imports { get; }

    /// <summary>Functions defined here; their indices start after the imported functions.</summary>
    public ImmutableArray<FunctionDefinition> Functions { get; }

    public ImmutableArray<TableDefinition> Tables { get; }

    public ImmutableArray<MemoryDefinition> Memories { get; }

    public ImmutableArray<GlobalDefinition> Globals { get; }

    public ImmutableArray<Export> Exports { get; }

    /// <summary>The start function, if any.</summary>
    public FuncIndex? Start { get; }

    /// <summary>Where the start function was given (the start section's content), like the spans of the other items; empty when built in code.</summary>
    public ByteSpan StartSpan { get; }

    public ImmutableArray<ElementSegment> Elements { get; }

    /// <summary>The data count section's value, if present (required by <c>memory.init</c>/<c>data.drop</c>).</summary>
    public uint? DataCount { get; }

    public ImmutableArray<DataSegment> Data { get; }

    /// <summary>Custom sections in file order.</summary>
    public ImmutableArray<CustomSection> CustomSections { get; }

    public int ImportedFunctionCount { get; }

    public int ImportedTableCount { get; }

    public int ImportedMemoryCount { get; }

    public int ImportedGlobalCount { get; }

    /// <summary>Size of the function index space.</summary>
    public int TotalFunctionCount => ImportedFunctionCount + Functions.Length;

    public int TotalTableCount => ImportedTableCount + Tables.Length;

    public int TotalMemoryCount => ImportedMemoryCount + Memories.Length;

    public int TotalGlobalCount => ImportedGlobalCount + Globals.Length;

    /// <summary>The decoded <c>name</c> section, or <see cref="NameSection.Empty"/>.</summary>
    public NameSection Names
    {
        get
        {
            if (_names is null)
            {
                var decoded = NameSection.Empty;
                foreach (var section in CustomSections)
                {
                    if (section.Name == "name")
                    {
                        decoded = Binary.NameSectionCodec.Decode(section.Data.Span);
                        break;
                    }
                }

                Interlocked.CompareExchange(ref _names, decoded, null);
            }

            return _names!;
        }
    }

    /// <summary>The type index of function <paramref name="index"/> (imported or defined), or null when out of range.</summary>
    public TypeIndex? GetFunctionTypeIndex(FuncIndex index)
    {
        var i = index.Value;
        if (i < (uint)ImportedFunctionCount)
        {
            var n = 0u;
            foreach (var import in Imports)
            {
                if (import.Kind != ExternalKind.Function) continue;
                if (n++ == i) return import.FunctionType;
            }
        }

        var defined = i - (uint)ImportedFunctionCount;
        return defined < (uint)Functions.Length ? Functions[(int)defined].Type : null;
    }

    /// <summary>The type of global <paramref name="index"/> (imported or defined), or null when out of range.</summary>
    public GlobalType? GetGlobalType(GlobalIndex index)
    {
        var i = index.Value;
        if (i < (uint)ImportedGlobalCount)
        {
            var n = 0u;
            foreach (var import in Imports)
            {
                if (import.Kind != ExternalKind.Global) continue;
                if (n++ == i) return import.Global;
            }
        }

        var defined = i - (uint)ImportedGlobalCount;
        return defined < (uint)Globals.Length ? Globals[(int)defined].Type : null;
    }

    /// <summary>The type of function <paramref name="index"/>, or null when the function or its type index is out of range.</summary>
    public FuncType? GetFunctionType(FuncIndex index)
        => GetFunctionTypeIndex(index) is { } t && t.Value < (uint)Types.Length ? Types[(int)t.Value] : null;

    /// <summary>Returns this module when nothing changes, a new one otherwise (Roslyn's <c>Update</c> pattern).</summary>
    public Module Update(
        ImmutableArray<FuncType> types, ImmutableArray<Import> imports, ImmutableArray<FunctionDefinition> functions,
        ImmutableArray<TableDefinition> tables, ImmutableArray<MemoryDefinition> memories, ImmutableArray<GlobalDefinition> globals,
        ImmutableArray<Export> exports, FuncIndex? start, ImmutableArray<ElementSegment> elements, uint? dataCount,
        ImmutableArray<DataSegment> data, ImmutableArray<CustomSection> customSections)
    {
        if (types == Types && imports == Imports && functions == Functions && tables == Tables && memories == Memories
            && globals == Globals && exports == Exports && start == Start && elements == Elements && dataCount == DataCount
            && data == Data && customSections == CustomSections)
        {
            return this;
        }

        // The start span stays with an unchanged start function, as node spans stay with their nodes.
        return new Module(types, imports, functions, tables, memories, globals, exports, start, elements, dataCount, data, customSections, start == Start ? StartSpan : default);
    }

    public Module WithTypes(ImmutableArray<FuncType> types) => Update(types, Imports, Functions, Tables, Memories, Globals, Exports, Start, Elements, DataCount, Data, CustomSections);

    public Module WithImports(ImmutableArray<Import> imports) => Update(Types, imports, Functions, Tables, Memories, Globals, Exports, Start, Elements, DataCount, Data, CustomSections);

    public Module WithFunctions(ImmutableArray<FunctionDefinition> functions) => Update(Types, Imports, functions, Tables, Memories, Globals, Exports, Start, Elements, DataCount, Data, CustomSections);

    public Module WithTables(ImmutableArray<TableDefinition> tables) => Update(Types, Imports, Functions, tables, Memories, Globals, Exports, Start, Elements, DataCount, Data, CustomSections);

    public Module WithMemories(ImmutableArray<MemoryDefinition> memories) => Update(Types, Imports, Functions, Tables, memories, Globals, Exports, Start, Elements, DataCount, Data, CustomSections);

    public Module WithGlobals(ImmutableArray<GlobalDefinition> globals) => Update(Types, Imports, Functions, Tables, Memories, globals, Exports, Start, Elements, DataCount, Data, CustomSections);

    public Module WithExports(ImmutableArray<Export> exports) => Update(Types, Imports, Functions, Tables, Memories, Globals, exports, Start, Elements, DataCount, Data, CustomSections);

    public Module WithStart(FuncIndex? start) => Update(Types, Imports, Functions, Tables, Memories, Globals, Exports, start, Elements, DataCount, Data, CustomSections);

    public Module WithElements(ImmutableArray<ElementSegment> elements) => Update(Types, Imports, Functions, Tables, Memories, Globals, Exports, Start, elements, DataCount, Data, CustomSections);

    public Module WithDataCount(uint? dataCount) => Update(Types, Imports, Functions, Tables, Memories, Globals, Exports, Start, Elements, dataCount, Data, CustomSections);

    public Module WithData(ImmutableArray<DataSegment> data) => Update(Types, Imports, Functions, Tables, Memories, Globals, Exports, Start, Elements, DataCount, data, CustomSections);

    public Module WithCustomSections(ImmutableArray<CustomSection> customSections) => Update(Types, Imports, Functions, Tables, Memories, Globals, Exports, Start, Elements, DataCount, Data, customSections);

    /// <summary>Replaces (or adds, at the end) the <c>name</c> section with <paramref name="names"/> encoded.</summary>
    public Module WithNames(NameSection names)
    {
        var encoded = new CustomSection("name", Binary.NameSectionCodec.Encode(names), SectionId.Data);
        var sections = CustomSections;
        for (var i = 0; i < sections.Length; i++)
        {
            if (sections[i].Name == "name")
            {
                return WithCustomSections(sections.SetItem(i, new CustomSection("name", encoded.Data, sections[i].After)));
            }
        }

        return WithCustomSections(sections.Add(encoded));
    }

    /// <summary>A builder holding this module's contents.</summary>
    public ModuleBuilder ToBuilder() => new(this);

    private static ImmutableArray<T> OrEmpty<T>(ImmutableArray<T> array) => array.IsDefault ? ImmutableArray<T>.Empty : array;
}
