using System.Collections.Immutable;

namespace WasmToolkit;

/// <summary>One index → name association of a name map (spec 7.4.1).</summary>
public readonly struct NameAssociation
{
    public NameAssociation(uint index, string name)
    {
        Index = index;
        Name = name;
    }

    public uint Index { get; }

    public string Name { get; }

    public override string ToString() => $"{Index}: {Name}";
}

/// <summary>Names of the items of one outer item, e.g. the locals of one function.</summary>
public readonly struct IndirectNameMap
{
    public IndirectNameMap(uint index, ImmutableArray<NameAssociation> names)
    {
        Index = index;
        Names = names.IsDefault ? ImmutableArray<NameAssociation>.Empty : names;
    }

    public uint Index { get; }

    public ImmutableArray<NameAssociation> Names { get; }
}

/// <summary>
/// The <c>name</c> custom section (spec 7.4): module, function and local names, and the extended
/// name subsections (labels, types, tables, memories, globals, element and data segments, fields, tags).
/// </summary>
public sealed class NameSection
{
    public static NameSection Empty { get; } = new();

    public string? ModuleName { get; init; }

    public ImmutableArray<NameAssociation> FunctionNames { get; init; } = ImmutableArray<NameAssociation>.Empty;

    public ImmutableArray<IndirectNameMap> LocalNames { get; init; } = ImmutableArray<IndirectNameMap>.Empty;

    public ImmutableArray<IndirectNameMap> LabelNames { get; init; } = ImmutableArray<IndirectNameMap>.Empty;

    public ImmutableArray<NameAssociation> TypeNames { get; init; } = ImmutableArray<NameAssociation>.Empty;

    public ImmutableArray<NameAssociation> TableNames { get; init; } = ImmutableArray<NameAssociation>.Empty;

    public ImmutableArray<NameAssociation> MemoryNames { get; init; } = ImmutableArray<NameAssociation>.Empty;

    public ImmutableArray<NameAssociation> GlobalNames { get; init; } = ImmutableArray<NameAssociation>.Empty;

    public ImmutableArray<NameAssociation> ElementNames { get; init; } = ImmutableArray<NameAssociation>.Empty;

    public ImmutableArray<NameAssociation> DataNames { get; init; } = ImmutableArray<NameAssociation>.Empty;

    public ImmutableArray<IndirectNameMap> FieldNames { get; init; } = ImmutableArray<IndirectNameMap>.Empty;

    public ImmutableArray<NameAssociation> TagNames { get; init; } = ImmutableArray<NameAssociation>.Empty;

    /// <summary>The name of function <paramref name="index"/>, if given.</summary>
    public string? GetFunctionName(uint index) => Find(FunctionNames, index);

    /// <summary>The name of local <paramref name="local"/> of function <paramref name="function"/>, if given.</summary>
    public string? GetLocalName(uint function, uint local)
    {
        foreach (var map in LocalNames)
        {
            if (map.Index == function) return Find(map.Names, local);
        }

        return null;
    }

    private static string? Find(ImmutableArray<NameAssociation> map, uint index)
    {
        foreach (var entry in map)
        {
            if (entry.Index == index) return entry.Name;
        }

        return null;
    }
}
