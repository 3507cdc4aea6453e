using System.Collections.Immutable;
using WasmToolkit.Diagnostics;

namespace WasmToolkit.Validation;

/// <summary>
/// A module with the outcome of validating it: diagnostics and the semantic facts later layers need
/// (resolved index spaces, per-function facts, canonical type ids, declared function references).
/// </summary>
/// <remarks>
/// Immutable and thread-safe. Produced by <see cref="ModuleValidator.Validate(Module, WasmFeatures, string?)"/>
/// for any module, valid or not; the facts are only trustworthy when <see cref="IsValid"/> is true
/// (out-of-range references resolve to defaults in an invalid module).
/// </remarks>
public sealed class ValidatedModule
{
    private readonly bool[] _declaredFunctions;

    internal ValidatedModule(
        Module module,
        WasmFeatures features,
        ImmutableArray<Diagnostic> diagnostics,
        ImmutableArray<FunctionInfo> functions,
        ImmutableArray<TypeIndex> functionTypeIndices,
        ImmutableArray<TableType> tables,
        ImmutableArray<MemoryType> memories,
        ImmutableArray<GlobalType> globals,
        ImmutableArray<int> canonicalTypeIds,
        bool[] declaredFunctions)
    {
        Module = module;
        Features = features;
        Diagnostics = diagnostics;
        Functions = functions;
        FunctionTypeIndices = functionTypeIndices;
        Tables = tables;
        Memories = memories;
        Globals = globals;
        CanonicalTypeIds = canonicalTypeIds;
        _declaredFunctions = declaredFunctions;
        var declared = ImmutableArray.CreateBuilder<FuncIndex>();
        for (var i = 0u; i < (uint)declaredFunctions.Length; i++)
        {
            if (declaredFunctions[i]) declared.Add(i);
        }

        DeclaredFunctionReferences = declared.ToImmutable();
        var valid = true;
        foreach (var d in diagnostics)
        {
            if (d.IsError) valid = false;
        }

        IsValid = valid;
    }

    /// <summary>The module that was validated.</summary>
    public Module Module { get; }

    /// <summary>The features it was validated against.</summary>
    public WasmFeatures Features { get; }

    /// <summary>Everything found wrong, in module order (types, imports, … then function bodies).</summary>
    public ImmutableArray<Diagnostic> Diagnostics { get; }

    /// <summary>True when no diagnostic is an error.</summary>
    public bool IsValid { get; }

    /// <summary>Facts about each defined function; entry <c>i</c> is function <c>ImportedFunctionCount + i</c>.</summary>
    public ImmutableArray<FunctionInfo> Functions { get; }

    /// <summary>The type index of every function of the function index space (imports first).</summary>
    public ImmutableArray<TypeIndex> FunctionTypeIndices { get; }

    /// <summary>The type of every table of the table index space (imports first).</summary>
    public ImmutableArray<TableType> Tables { get; }

    /// <summary>The type of every memory of the memory index space (imports first).</summary>
    public ImmutableArray<MemoryType> Memories { get; }

    /// <summary>The type of every global of the global index space (imports first).</summary>
    public ImmutableArray<GlobalType> Globals { get; }

    /// <summary>
    /// One id per type index; structurally equal function types share the id (the smallest type index
    /// of that shape), so a runtime <c>call_indirect</c> check is one integer comparison.
    /// </summary>
    public ImmutableArray<int> CanonicalTypeIds { get; }

    /// <summary>
    /// <c>C.refs</c> of spec 3.4.10, ascending: functions named in element segments, exports and
    /// constant expressions. <c>ref.func</c> in a body may only name these, so they are the functions
    /// that can become references at run time.
    /// </summary>
    public ImmutableArray<FuncIndex> DeclaredFunctionReferences { get; }

    /// <summary>The facts about function <paramref name="index"/> when it is defined here; null for imports and out-of-range indices.</summary>
    public FunctionInfo? GetFunctionInfo(FuncIndex index)
    {
        var defined = (long)index.Value - Module.ImportedFunctionCount;
        return defined >= 0 && defined < Functions.Length ? Functions[(int)defined] : null;
    }

    /// <summary>The type of function <paramref name="index"/>, or null when out of range.</summary>
    public FuncType? GetFunctionType(FuncIndex index)
    {
        if (index.Value >= (uint)FunctionTypeIndices.Length) return null;
        var type = FunctionTypeIndices[(int)index.Value].Value;
        return type < (uint)Module.Types.Length ? Module.Types[(int)type] : null;
    }

    /// <summary>True when <paramref name="index"/> is in <see cref="DeclaredFunctionReferences"/>.</summary>
    public bool IsDeclaredFunctionReference(FuncIndex index)
        => index.Value < (uint)_declaredFunctions.Length && _declaredFunctions[index.Value];
}
