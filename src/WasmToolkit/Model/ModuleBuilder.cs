using System.Collections.Immutable;

namespace WasmToolkit;

/// <summary>
/// Mutable staging area for a <see cref="Module"/>: add items, then <see cref="ToModule"/> freezes them
/// (the builder-then-freeze pattern of Roslyn's <c>ArrayBuilder</c>).
/// </summary>
/// <remarks>Not thread-safe. The <c>Add*</c> methods return the new item's index in its index space.</remarks>
public sealed class ModuleBuilder
{
    // The start span of the module this builder came from, kept while Start is unchanged.
    private readonly FuncIndex? _readStart;
    private readonly ByteSpan _readStartSpan;

    public ModuleBuilder()
    {
    }

    internal ModuleBuilder(Module module)
    {
        Types.AddRange(module.Types);
        Imports.AddRange(module.Imports);
        Functions.AddRange(module.Functions);
        Tables.AddRange(module.Tables);
        Memories.AddRange(module.Memories);
        Globals.AddRange(module.Globals);
        Exports.AddRange(module.Exports);
        Start = module.Start;
        _readStart = module.Start;
        _readStartSpan = module.StartSpan;
        Elements.AddRange(module.Elements);
        DataCount = module.DataCount;
        Data.AddRange(module.Data);
        CustomSections.AddRange(module.CustomSections);
    }

    public ImmutableArray<FuncType>.Builder Types { get; } = ImmutableArray.CreateBuilder<FuncType>();

    public ImmutableArray<Import>.Builder Imports { get; } = ImmutableArray.CreateBuilder<Import>();

    public ImmutableArray<FunctionDefinition>.Builder Functions { get; } = ImmutableArray.CreateBuilder<FunctionDefinition>();

    public ImmutableArray<TableDefinition>.Builder Tables { get; } = ImmutableArray.CreateBuilder<TableDefinition>();

    public ImmutableArray<MemoryDefinition>.Builder Memories { get; } = ImmutableArray.CreateBuilder<MemoryDefinition>();

    public ImmutableArray<GlobalDefinition>.Builder Globals { get; } = ImmutableArray.CreateBuilder<GlobalDefinition>();

    public ImmutableArray<Export>.Builder Exports { get; } = ImmutableArray.CreateBuilder<Export>();

    public FuncIndex? Start { get; set; }

    public ImmutableArray<ElementSegment>.Builder Elements { get; } = ImmutableArray.CreateBuilder<ElementSegment>();

    public uint? DataCount { get; set; }

    public ImmutableArray<DataSegment>.Builder Data { get; } = ImmutableArray.CreateBuilder<DataSegment>();

    public ImmutableArray<CustomSection>.Builder CustomSections { get; } = ImmutableArray.CreateBuilder<CustomSection>();

    /// <summary>Adds <paramref name="type"/> unless an equal type exists; returns its index.</summary>
    public TypeIndex AddType(FuncType type)
    {
        for (var i = 0; i < Types.Count; i++)
        {
            if (Types[i].Equals(type)) return (uint)i;
        }

        Types.Add(type);
        return (uint)(Types.Count - 1);
    }

    /// <summary>Adds a function import; returns its function index. Imports must precede definitions.</summary>
    public FuncIndex ImportFunction(string module, string name, FuncType type)
    {
        if (Functions.Count > 0) throw new System.InvalidOperationException("Add function imports before defined functions so indices stay stable.");
        var index = CountImports(ExternalKind.Function);
        Imports.Add(Import.Function(module, name, AddType(type)));
        return index;
    }

    /// <summary>Adds a function; returns its index in the function index space.</summary>
    public FuncIndex AddFunction(FuncType type, ImmutableArray<LocalGroup> locals, System.ReadOnlyMemory<byte> code)
    {
        Functions.Add(new FunctionDefinition(AddType(type), locals, code));
        return (uint)(CountImports(ExternalKind.Function) + Functions.Count - 1);
    }

    /// <summary>Adds a function whose body is given as instructions (the final <c>end</c> is appended).</summary>
    public FuncIndex AddFunction(FuncType type, ImmutableArray<LocalGroup> locals, params Instructions.Instruction[] body)
    {
        var writer = new Binary.Internal.ByteWriter();
        foreach (var instruction in body) instruction.WriteTo(writer);
        writer.WriteByte(0x0B);
        return AddFunction(type, locals, writer.ToArray());
    }

    public MemoryIndex AddMemory(MemoryType type)
    {
        Memories.Add(new MemoryDefinition(type));
        return (uint)(CountImports(ExternalKind.Memory) + Memories.Count - 1);
    }

    public TableIndex AddTable(TableType type)
    {
        Tables.Add(new TableDefinition(type));
        return (uint)(CountImports(ExternalKind.Table) + Tables.Count - 1);
    }

    public GlobalIndex AddGlobal(GlobalType type, ConstantExpression init)
    {
        Globals.Add(new GlobalDefinition(type, init));
        return (uint)(CountImports(ExternalKind.Global) + Globals.Count - 1);
    }

    public void AddExport(string name, ExternalKind kind, uint index) => Exports.Add(new Export(name, kind, index));

    /// <summary>Freezes the contents into a module.</summary>
    public Module ToModule() => new(
        Types.ToImmutable(), Imports.ToImmutable(), Functions.ToImmutable(), Tables.ToImmutable(), Memories.ToImmutable(),
        Globals.ToImmutable(), Exports.ToImmutable(), Start, Elements.ToImmutable(), DataCount, Data.ToImmutable(),
        CustomSections.ToImmutable(), Start == _readStart ? _readStartSpan : default);

    private uint CountImports(ExternalKind kind)
    {
        var n = 0u;
        foreach (var import in Imports)
        {
            if (import.Kind == kind) n++;
        }

        return n;
    }
}
