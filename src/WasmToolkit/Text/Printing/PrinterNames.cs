using System.Collections.Generic;
using System.Collections.Immutable;

namespace WasmToolkit.Text;

/// <summary>
/// The <c>$identifiers</c> the printer may use: names from the name section that are valid WAT
/// identifiers (spec 6.3.5) and unique within their index space, stored with their <c>$</c>.
/// </summary>
/// <remarks>
/// A name that occurs twice in one index space is dropped for every index that carries it, so no
/// identifier is ever ambiguous; those items print as indices. Names of indices outside the space are ignored.
/// </remarks>
internal sealed class PrinterNames
{
    // Local names beyond this index are ignored: a name table is an array sized by the highest index.
    private const uint MaxNamedLocals = 1 << 20;

    private static readonly string?[] s_none = new string?[0];

    private readonly Dictionary<uint, ImmutableArray<NameAssociation>>? _localMaps;

    private PrinterNames()
    {
        Functions = Types = Tables = Memories = Globals = Elements = Data = s_none;
    }

    private PrinterNames(Module module, NameSection names)
    {
        Module = names.ModuleName is { } m && TextEscaper.IsValidIdentifier(m) ? "$" + m : null;
        Functions = Build(names.FunctionNames, module.TotalFunctionCount);
        Types = Build(names.TypeNames, module.Types.Length);
        Tables = Build(names.TableNames, module.TotalTableCount);
        Memories = Build(names.MemoryNames, module.TotalMemoryCount);
        Globals = Build(names.GlobalNames, module.TotalGlobalCount);
        Elements = Build(names.ElementNames, module.Elements.Length);
        Data = Build(names.DataNames, module.Data.Length);
        if (names.LocalNames.Length > 0)
        {
            _localMaps = new Dictionary<uint, ImmutableArray<NameAssociation>>();
            foreach (var map in names.LocalNames)
            {
                if (!_localMaps.ContainsKey(map.Index)) _localMaps.Add(map.Index, map.Names);
            }
        }
    }

    /// <summary>No names at all: everything prints as an index.</summary>
    public static PrinterNames None { get; } = new();

    public string? Module { get; }

    public string?[] Functions { get; }

    public string?[] Types { get; }

    public string?[] Tables { get; }

    public string?[] Memories { get; }

    public string?[] Globals { get; }

    public string?[] Elements { get; }

    public string?[] Data { get; }

    public static PrinterNames Create(Module module, NameSection names)
        => ReferenceEquals(names, NameSection.Empty) ? None : new PrinterNames(module, names);

    /// <summary>Identifiers of the locals (parameters first) of function <paramref name="function"/>.</summary>
    /// <param name="function">Index in the function index space.</param>
    /// <param name="localCount">Parameters plus declared locals.</param>
    public string?[] GetLocals(uint function, ulong localCount)
    {
        if (_localMaps is null || !_localMaps.TryGetValue(function, out var map) || map.Length == 0) return s_none;

        // Size the table by the highest named index rather than the local count, which may be huge.
        var max = 0u;
        foreach (var entry in map)
        {
            if (entry.Index < localCount && entry.Index < MaxNamedLocals && entry.Index >= max) max = entry.Index + 1;
        }

        return Build(map, (int)max);
    }

    private static string?[] Build(ImmutableArray<NameAssociation> map, int count)
    {
        if (map.Length == 0 || count <= 0) return s_none;
        var result = new string?[count];
        var seen = new Dictionary<string, int>(System.StringComparer.Ordinal);
        var duplicates = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (var entry in map)
        {
            if (entry.Index >= (uint)count || result[entry.Index] is not null || entry.Name is null) continue;
            if (!TextEscaper.IsValidIdentifier(entry.Name)) continue;
            if (seen.ContainsKey(entry.Name))
            {
                duplicates.Add(entry.Name);
                continue;
            }

            seen.Add(entry.Name, (int)entry.Index);
            result[entry.Index] = "$" + entry.Name;
        }

        foreach (var name in duplicates) result[seen[name]] = null;
        return result;
    }

    /// <summary>The identifier of <paramref name="index"/> in <paramref name="space"/>, or null.</summary>
    public static string? Get(string?[] space, uint index) => index < (uint)space.Length ? space[index] : null;
}
