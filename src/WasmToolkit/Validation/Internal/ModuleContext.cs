using System.Collections.Immutable;
using WasmToolkit.Diagnostics;

namespace WasmToolkit.Validation.Internal;

/// <summary>
/// The context <c>C</c> of spec 3.1.1 in the shape the code validator wants: every index space
/// resolved to arrays (imports first), types pre-converted to <see cref="StackType"/>.
/// </summary>
/// <remarks>Built once per <see cref="ModuleValidator.Validate(Module, WasmFeatures, string?)"/> call; read-only while bodies are validated.</remarks>
internal sealed class ModuleContext
{
    public ModuleContext(Module module, WasmFeatures features, string? path)
    {
        Module = module;
        Features = features;
        Path = path;
    }

    public Module Module { get; }

    public WasmFeatures Features { get; }

    public string? Path { get; }

    public ImmutableArray<Diagnostic>.Builder Diagnostics { get; } = ImmutableArray.CreateBuilder<Diagnostic>();

    /// <summary>Parameter types per type index.</summary>
    public StackType[][] TypeParameters = System.Array.Empty<StackType[]>();

    /// <summary>Result types per type index.</summary>
    public StackType[][] TypeResults = System.Array.Empty<StackType[]>();

    /// <summary>Type index per function index, −1 where the function's type index is out of range.</summary>
    public int[] FunctionTypes = System.Array.Empty<int>();

    /// <summary>Element type per table index.</summary>
    public StackType[] TableElementTypes = System.Array.Empty<StackType>();

    /// <summary>Size of the memory index space.</summary>
    public int MemoryCount;

    /// <summary>Value type per global index.</summary>
    public StackType[] GlobalTypes = System.Array.Empty<StackType>();

    /// <summary>Mutability per global index.</summary>
    public bool[] GlobalMutable = System.Array.Empty<bool>();

    /// <summary>Globals constant expressions may read (2.0: the imported ones).</summary>
    public int ConstantGlobalCount;

    /// <summary>Number of element segments.</summary>
    public int ElementCount;

    /// <summary>The data count section's value; null when the section is absent.</summary>
    public uint? DataCount;

    /// <summary><c>C.refs</c>: functions that bodies may name in <c>ref.func</c>.</summary>
    public bool[] DeclaredFunctions = System.Array.Empty<bool>();

    /// <summary>A copy sharing every resolved table but with its own diagnostics, so bodies can be validated on several threads.</summary>
    public ModuleContext WithOwnDiagnostics() => new(Module, Features, Path)
    {
        TypeParameters = TypeParameters,
        TypeResults = TypeResults,
        FunctionTypes = FunctionTypes,
        TableElementTypes = TableElementTypes,
        MemoryCount = MemoryCount,
        GlobalTypes = GlobalTypes,
        GlobalMutable = GlobalMutable,
        ConstantGlobalCount = ConstantGlobalCount,
        ElementCount = ElementCount,
        DataCount = DataCount,
        DeclaredFunctions = DeclaredFunctions,
    };

    public bool Has(WasmFeatures feature) => (Features & feature) == feature;

    public void Report(DiagnosticDescriptor descriptor, ByteSpan span, params object?[] args)
        => Diagnostics.Add(Diagnostic.Create(descriptor, new BinaryLocation(span, Path), args));
}
