using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using WasmToolkit.Diagnostics;
using WasmToolkit.Validation.Internal;

namespace WasmToolkit.Validation;

/// <summary>
/// Validates modules (spec chapter 3): module-level rules (3.4) and every function body by the
/// algorithm of the spec's appendix, returning diagnostics and the facts later layers need.
/// </summary>
/// <remarks>
/// Never throws for a bad module: every problem becomes a <see cref="Diagnostic"/> (ids WASM2000–2999,
/// messages starting with the spec test suite's phrase). Each function body stops at its first error,
/// as the reference interpreter does, but the other bodies and the module-level rules are still checked
/// so one run reports every independent problem. Bodies are read with <see cref="Instructions.InstructionReader"/>
/// and validated without allocating per instruction. Thread-safe: concurrent calls use separate state.
/// </remarks>
public static class ModuleValidator
{
    /// <summary>Validates <paramref name="module"/> against <paramref name="features"/>.</summary>
    /// <param name="module">The module to check.</param>
    /// <param name="features">The proposals allowed; WebAssembly 2.0 by default.</param>
    /// <param name="path">A file path to put in diagnostic locations.</param>
    public static ValidatedModule Validate(Module module, WasmFeatures features = WasmFeatures.V2, string? path = null)
        => Validate(module, features, path, CancellationToken.None);

    /// <summary>Validates <paramref name="module"/>, checking <paramref name="cancellationToken"/> between function bodies.</summary>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static ValidatedModule Validate(Module module, WasmFeatures features, string? path, CancellationToken cancellationToken)
        => Validate(module, features, path, 1, cancellationToken);

    /// <summary>
    /// Validates <paramref name="module"/> with the function bodies spread over up to <paramref name="maxDegreeOfParallelism"/>
    /// threads (the calling one among them); the result, diagnostics and their order included, is the one a single
    /// thread gives. Cancellation is checked between groups of bodies.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDegreeOfParallelism"/> is below 1.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static ValidatedModule Validate(Module module, WasmFeatures features, string? path, int maxDegreeOfParallelism, CancellationToken cancellationToken)
    {
        if (module is null) throw new ArgumentNullException(nameof(module));
        if (maxDegreeOfParallelism < 1) throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism), maxDegreeOfParallelism, "The degree of parallelism must be at least 1.");
        var context = new ModuleContext(module, features, path);
        var code = CodeValidator.Rent();
        try
        {
            var canonicalTypeIds = ValidateTypes(context);
            var spaces = ResolveIndexSpaces(context, code);
            ValidateExports(context);
            ValidateStart(context);
            ValidateElements(context, code);
            ValidateData(context, code);

            var functions = new FunctionInfo[module.Functions.Length];
            if (maxDegreeOfParallelism == 1 || functions.Length < 2 * BodiesPerGroup)
            {
                for (var i = 0; i < functions.Length; i++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    functions[i] = code.ValidateFunction(context, i);
                }
            }
            else
            {
                ValidateBodiesInParallel(context, functions, maxDegreeOfParallelism, cancellationToken);
            }

            return new ValidatedModule(
                module, features, context.Diagnostics.ToImmutable(), ImmutableCollectionsMarshal.AsImmutableArray(functions), spaces.FunctionTypeIndices,
                spaces.Tables, spaces.Memories, spaces.Globals, canonicalTypeIds, context.DeclaredFunctions);
        }
        finally
        {
            CodeValidator.Return(code);
        }
    }

    /// <summary>Bodies validated by one thread at a time in <see cref="ValidateBodiesInParallel"/>: enough to make a group's overhead small, few enough to balance the threads.</summary>
    private const int BodiesPerGroup = 64;

    /// <summary>
    /// The bodies in groups of consecutive functions, a validator per thread and a diagnostics list per group; the groups'
    /// diagnostics are appended in index order afterwards, as the single-threaded loop would have added them (bodies are
    /// the last thing validated, and the context is only read while they are).
    /// </summary>
    private static void ValidateBodiesInParallel(ModuleContext context, FunctionInfo[] functions, int maxDegreeOfParallelism, CancellationToken cancellationToken)
    {
        var groups = (functions.Length + BodiesPerGroup - 1) / BodiesPerGroup;
        var diagnostics = new ImmutableArray<Diagnostic>[groups];
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism, CancellationToken = cancellationToken };
        Parallel.For(
            0,
            groups,
            options,
            CodeValidator.Rent,
            (group, _, code) =>
            {
                var own = context.WithOwnDiagnostics();
                var end = Math.Min(functions.Length, (group + 1) * BodiesPerGroup);
                for (var i = group * BodiesPerGroup; i < end; i++) functions[i] = code.ValidateFunction(own, i);
                diagnostics[group] = own.Diagnostics.ToImmutable();
                return code;
            },
            CodeValidator.Return);

        foreach (var group in diagnostics) context.Diagnostics.AddRange(group);
    }

    /// <summary>The module-level part of <see cref="Validate(Module, WasmFeatures, string?, CancellationToken)"/> up to the code section (no data segments): the context bodies are validated in.</summary>
    internal static ModuleContext ValidatePrefix(Module module, WasmFeatures features, string? path, CodeValidator code)
    {
        var context = new ModuleContext(module, features, path);
        ValidateTypes(context);
        ResolveIndexSpaces(context, code);
        ValidateExports(context);
        ValidateStart(context);
        ValidateElements(context, code);
        return context;
    }

    // spec 3.2.3 "Function Types"; canonical ids for run-time signature checks.
    private static ImmutableArray<int> ValidateTypes(ModuleContext context)
    {
        var types = context.Module.Types;
        context.TypeParameters = new StackType[types.Length][];
        context.TypeResults = new StackType[types.Length][];
        var ids = ImmutableArray.CreateBuilder<int>(types.Length);
        var canonical = new Dictionary<FuncType, int>();
        for (var i = 0; i < types.Length; i++)
        {
            var type = types[i];
            context.TypeParameters[i] = StackTypes.From(type.Parameters, context.Features);
            context.TypeResults[i] = StackTypes.From(type.Results, context.Features);
            CheckValueTypes(context, type.Parameters, type.Span);
            CheckValueTypes(context, type.Results, type.Span);
            if (type.Results.Length > 1 && !context.Has(WasmFeatures.MultiValue))
            {
                context.Report(DiagnosticCatalog.InvalidResultArity, type.Span, $"type {i} has {type.Results.Length} results without multi-value");
            }

            if (!canonical.TryGetValue(type, out var id))
            {
                id = i;
                canonical.Add(type, id);
            }

            ids.Add(id);
        }

        return ids.MoveToImmutable();
    }

    private static void CheckValueTypes(ModuleContext context, ImmutableArray<ValType> types, ByteSpan span)
    {
        foreach (var type in types)
        {
            if (StackTypes.From(type, context.Features) == StackType.Invalid) context.Report(DiagnosticCatalog.InvalidValueType, span, type);
        }
    }

    private readonly struct IndexSpaces
    {
        public ImmutableArray<TypeIndex> FunctionTypeIndices { get; init; }

        public ImmutableArray<TableType> Tables { get; init; }

        public ImmutableArray<MemoryType> Memories { get; init; }

        public ImmutableArray<GlobalType> Globals { get; init; }
    }

    // spec 3.4.7 "Imports", 3.4.1–3.4.4 (functions, tables, memories, globals): the index spaces, imports first.
    private static IndexSpaces ResolveIndexSpaces(ModuleContext context, CodeValidator code)
    {
        var module = context.Module;
        var functionTypes = ImmutableArray.CreateBuilder<TypeIndex>(module.TotalFunctionCount);
        var tables = ImmutableArray.CreateBuilder<TableType>(module.TotalTableCount);
        var memories = ImmutableArray.CreateBuilder<MemoryType>(module.TotalMemoryCount);
        var globals = ImmutableArray.CreateBuilder<GlobalType>(module.TotalGlobalCount);
        context.FunctionTypes = new int[module.TotalFunctionCount];
        context.TableElementTypes = new StackType[module.TotalTableCount];
        context.GlobalTypes = new StackType[module.TotalGlobalCount];
        context.GlobalMutable = new bool[module.TotalGlobalCount];
        context.DeclaredFunctions = new bool[module.TotalFunctionCount];

        foreach (var import in module.Imports)
        {
            switch (import.Kind)
            {
                case ExternalKind.Function:
                    context.FunctionTypes[functionTypes.Count] = ResolveFunctionType(context, import.FunctionType, import.Span);
                    functionTypes.Add(import.FunctionType);
                    break;
                case ExternalKind.Table:
                    context.TableElementTypes[tables.Count] = ValidateTableType(context, import.Table, import.Span);
                    tables.Add(import.Table);
                    break;
                case ExternalKind.Memory:
                    ValidateMemoryType(context, import.Memory, import.Span, memories.Count);
                    memories.Add(import.Memory);
                    break;
                case ExternalKind.Global:
                    context.GlobalTypes[globals.Count] = ValidateGlobalType(context, import.Global, import.Span);
                    context.GlobalMutable[globals.Count] = import.Global.IsMutable;
                    if (import.Global.IsMutable && !context.Has(WasmFeatures.MutableGlobal))
                    {
                        context.Report(DiagnosticCatalog.ProposalNotEnabled, import.Span, "a mutable global import", "mutable-global");
                    }

                    globals.Add(import.Global);
                    break;
                default:
                    context.Report(DiagnosticCatalog.UnknownExternalKind, import.Span, import.Kind);
                    break;
            }
        }

        foreach (var function in module.Functions)
        {
            context.FunctionTypes[functionTypes.Count] = ResolveFunctionType(context, function.Type, function.Span);
            functionTypes.Add(function.Type);
        }

        // Constant expressions see only the imported globals (spec 3.4.10, context C').
        context.ConstantGlobalCount = module.ImportedGlobalCount;

        foreach (var table in module.Tables)
        {
            var elementType = ValidateTableType(context, table.Type, table.Span);
            context.TableElementTypes[tables.Count] = elementType;
            tables.Add(table.Type);
            if (table.Init is { } init)
            {
                if (!context.Has(WasmFeatures.FunctionReferences)) context.Report(DiagnosticCatalog.ProposalNotEnabled, table.Span, "a table initialiser", "function-references");
                else if (elementType != StackType.Invalid) code.ValidateConstantExpression(context, init, elementType);
            }
        }

        foreach (var memory in module.Memories)
        {
            ValidateMemoryType(context, memory.Type, memory.Span, memories.Count);
            memories.Add(memory.Type);
        }

        context.MemoryCount = memories.Count;

        foreach (var global in module.Globals)
        {
            var type = ValidateGlobalType(context, global.Type, global.Span);
            context.GlobalTypes[globals.Count] = type;
            context.GlobalMutable[globals.Count] = global.Type.IsMutable;
            globals.Add(global.Type);
            if (type != StackType.Invalid) code.ValidateConstantExpression(context, global.Init, type);
        }

        context.ElementCount = module.Elements.Length;
        context.DataCount = module.DataCount;

        return new IndexSpaces
        {
            FunctionTypeIndices = functionTypes.MoveToImmutable(),
            Tables = tables.MoveToImmutable(),
            Memories = memories.MoveToImmutable(),
            Globals = globals.MoveToImmutable(),
        };
    }

    private static int ResolveFunctionType(ModuleContext context, TypeIndex type, ByteSpan span)
    {
        if (type.Value < (uint)context.Module.Types.Length) return (int)type.Value;
        context.Report(DiagnosticCatalog.UnknownType, span, type.Value);
        return -1;
    }

    // spec 3.2.4 "Table Types" with 3.2.1 "Limits" (range 2^32 − 1).
    private static StackType ValidateTableType(ModuleContext context, TableType type, ByteSpan span)
    {
        var limits = type.Limits;
        if (limits.Is64 && !context.Has(WasmFeatures.Memory64)) context.Report(DiagnosticCatalog.ProposalNotEnabled, span, "a 64-bit table", "memory64");
        if (limits.IsShared) context.Report(DiagnosticCatalog.ProposalNotEnabled, span, "a shared table", "shared-everything");
        var range = limits.Is64 ? ulong.MaxValue : uint.MaxValue;
        if (limits.Minimum > range || limits.Maximum > range) context.Report(DiagnosticCatalog.TableSizeTooLarge, span);
        if (limits.Maximum is { } max && limits.Minimum > max) context.Report(DiagnosticCatalog.LimitsMinimumGreaterThanMaximum, span);
        return ReferenceType(context, type.ElementType, span);
    }

    private static StackType ReferenceType(ModuleContext context, ValType type, ByteSpan span)
    {
        var elementType = StackTypes.From(type, context.Features);
        if (elementType == StackType.Invalid)
        {
            context.Report(DiagnosticCatalog.InvalidValueType, span, type);
        }
        else if (!type.IsReference)
        {
            context.Report(DiagnosticCatalog.ReferenceTypeExpected, span, type);
            return StackType.Invalid;
        }

        return elementType;
    }

    // spec 3.2.5 "Memory Types": at most 65536 pages (2^48 with memory64), and one memory in 2.0.
    private static void ValidateMemoryType(ModuleContext context, MemoryType type, ByteSpan span, int index)
    {
        if (index == 1 && !context.Has(WasmFeatures.MultiMemory)) context.Report(DiagnosticCatalog.MultipleMemories, span);
        var limits = type.Limits;
        if (limits.Is64 && !context.Has(WasmFeatures.Memory64)) context.Report(DiagnosticCatalog.ProposalNotEnabled, span, "a 64-bit memory", "memory64");
        var range = limits.Is64 ? 1UL << 48 : 65536UL;
        if (limits.Minimum > range || limits.Maximum > range) context.Report(DiagnosticCatalog.MemorySizeTooLarge, span);
        if (limits.Maximum is { } max && limits.Minimum > max) context.Report(DiagnosticCatalog.LimitsMinimumGreaterThanMaximum, span);
        if (limits.IsShared)
        {
            if (!context.Has(WasmFeatures.Threads)) context.Report(DiagnosticCatalog.ProposalNotEnabled, span, "a shared memory", "threads");
            else if (limits.Maximum is null) context.Report(DiagnosticCatalog.SharedMemoryNeedsMaximum, span);
        }
    }

    // spec 3.2.6 "Global Types".
    private static StackType ValidateGlobalType(ModuleContext context, GlobalType type, ByteSpan span)
    {
        var valueType = StackTypes.From(type.ValueType, context.Features);
        if (valueType == StackType.Invalid) context.Report(DiagnosticCatalog.InvalidValueType, span, type.ValueType);
        return valueType;
    }

    // spec 3.4.8 "Exports": names unique, indices in range; exported functions join C.refs.
    private static void ValidateExports(ModuleContext context)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var export in context.Module.Exports)
        {
            if (!names.Add(export.Name)) context.Report(DiagnosticCatalog.DuplicateExportName, export.Span, export.Name);
            switch (export.Kind)
            {
                case ExternalKind.Function:
                    if (export.Index < (uint)context.FunctionTypes.Length) context.DeclaredFunctions[export.Index] = true;
                    else context.Report(DiagnosticCatalog.UnknownFunction, export.Span, export.Index);
                    break;
                case ExternalKind.Table:
                    if (export.Index >= (uint)context.TableElementTypes.Length) context.Report(DiagnosticCatalog.UnknownTable, export.Span, export.Index);
                    break;
                case ExternalKind.Memory:
                    if (export.Index >= (uint)context.MemoryCount) context.Report(DiagnosticCatalog.UnknownMemory, export.Span, export.Index);
                    break;
                case ExternalKind.Global:
                    if (export.Index >= (uint)context.GlobalTypes.Length) context.Report(DiagnosticCatalog.UnknownGlobal, export.Span, export.Index);
                    break;
                default:
                    context.Report(DiagnosticCatalog.UnknownExternalKind, export.Span, export.Kind);
                    break;
            }
        }
    }

    // spec 3.4.9 "Start Function": an existing function of type [] → [].
    private static void ValidateStart(ModuleContext context)
    {
        if (context.Module.Start is not { } start) return;
        if (start.Value >= (uint)context.FunctionTypes.Length)
        {
            context.Report(DiagnosticCatalog.UnknownFunction, context.Module.StartSpan, start.Value);
            return;
        }

        var type = context.FunctionTypes[start.Value];
        if (type >= 0 && (context.TypeParameters[type].Length != 0 || context.TypeResults[type].Length != 0))
        {
            context.Report(DiagnosticCatalog.StartFunctionType, context.Module.StartSpan, start.Value, context.Module.Types[type]);
        }
    }

    // spec 3.4.5 "Element Segments".
    private static void ValidateElements(ModuleContext context, CodeValidator code)
    {
        foreach (var segment in context.Module.Elements)
        {
            var elementType = ReferenceType(context, segment.ElementType, segment.Span);
            if (segment.UsesExpressions)
            {
                if (elementType != StackType.Invalid)
                {
                    foreach (var item in segment.Expressions) code.ValidateConstantExpression(context, item, elementType);
                }
            }
            else
            {
                if (elementType != StackType.FuncRef && elementType != StackType.Invalid)
                {
                    context.Report(DiagnosticCatalog.TypeMismatch, segment.Span, $"function indices in a segment of {segment.ElementType}");
                }

                foreach (var function in segment.FunctionIndices)
                {
                    if (function.Value < (uint)context.FunctionTypes.Length) context.DeclaredFunctions[function.Value] = true;
                    else context.Report(DiagnosticCatalog.UnknownFunction, segment.Span, function.Value);
                }
            }

            if (segment.Mode != SegmentMode.Active) continue;
            var table = segment.Table.Value;
            if (table >= (uint)context.TableElementTypes.Length)
            {
                context.Report(DiagnosticCatalog.UnknownTable, segment.Span, table);
            }
            else
            {
                var tableType = context.TableElementTypes[table];
                if (tableType != elementType && tableType != StackType.Invalid && elementType != StackType.Invalid)
                {
                    context.Report(DiagnosticCatalog.TypeMismatch, segment.Span, $"a segment of {segment.ElementType} for table {table} of {StackTypes.Name(tableType)}");
                }
            }

            if (segment.Offset is { } offset)
            {
                var is64 = table < (uint)context.TableElementTypes.Length && IsTable64(context, table);
                code.ValidateConstantExpression(context, offset, is64 ? StackType.I64 : StackType.I32);
            }
        }
    }

    // spec 3.4.6 "Data Segments" and 5.5.16 (data count must match the data section).
    private static void ValidateData(ModuleContext context, CodeValidator code)
    {
        foreach (var segment in context.Module.Data)
        {
            if (segment.Mode != SegmentMode.Active) continue;
            var memory = segment.Memory.Value;
            var known = memory < (uint)context.MemoryCount;
            if (!known) context.Report(DiagnosticCatalog.UnknownMemory, segment.Span, memory);
            if (segment.Offset is { } offset)
            {
                var is64 = known && IsMemory64(context, memory);
                code.ValidateConstantExpression(context, offset, is64 ? StackType.I64 : StackType.I32);
            }
        }

        if (context.DataCount is { } count && count != (uint)context.Module.Data.Length)
        {
            context.Report(DiagnosticCatalog.DataCountMismatch, default, count, context.Module.Data.Length);
        }
    }

    private static bool IsTable64(ModuleContext context, uint index)
    {
        var module = context.Module;
        if (index >= (uint)module.ImportedTableCount) return module.Tables[(int)(index - (uint)module.ImportedTableCount)].Type.Limits.Is64;
        var n = 0u;
        foreach (var import in module.Imports)
        {
            if (import.Kind == ExternalKind.Table && n++ == index) return import.Table.Limits.Is64;
        }

        return false;
    }

    private static bool IsMemory64(ModuleContext context, uint index)
    {
        var module = context.Module;
        if (index >= (uint)module.ImportedMemoryCount) return module.Memories[(int)(index - (uint)module.ImportedMemoryCount)].Type.Limits.Is64;
        var n = 0u;
        foreach (var import in module.Imports)
        {
            if (import.Kind == ExternalKind.Memory && n++ == index) return import.Memory.Limits.Is64;
        }

        return false;
    }
}
