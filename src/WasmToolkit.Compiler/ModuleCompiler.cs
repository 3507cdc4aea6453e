using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using WasmToolkit.Compiler.Baseline;
using WasmToolkit.Compiler.X64;

namespace WasmToolkit.Compiler;

/// <summary>
/// Compiles a module to machine code: a pure function of the module and the options (DESIGN invariant 4).
/// </summary>
/// <remarks>
/// The module is assumed valid (the compiler checks only what it needs not to crash and reports the
/// rest as <see cref="CompileErrorKind.InvalidInput"/>). When the validator lands, an overload taking
/// its <c>ValidatedModule</c> forwards the module and uses its per-function facts (maximum stack height,
/// which locals are written).
/// <para>Each defined function is one compilation unit; units run on the thread pool up to
/// <see cref="CompilerOptions.MaxDegreeOfParallelism"/> at a time and their results are published in
/// index order (code, errors, statistics), so the output is byte-identical for every degree of parallelism.</para>
/// </remarks>
public static partial class ModuleCompiler
{
    /// <summary>Compiles <paramref name="module"/> or throws <see cref="CompileException"/>.</summary>
    public static CompiledModule Compile(Module module, CompilerOptions? options = null)
    {
        var result = TryCompile(module, options);
        return result.Module ?? throw new CompileException(result.Errors);
    }

    /// <summary>Compiles <paramref name="module"/>; failures, including unsupported features, come back as typed errors.</summary>
    public static CompileResult TryCompile(Module module, CompilerOptions? options = null)
    {
        if (module is null) throw new ArgumentNullException(nameof(module));
        options ??= CompilerOptions.Default;
        var errors = ImmutableArray.CreateBuilder<CompileError>();
        var unsupportedFunctions = ImmutableArray.CreateBuilder<CompileError>();
        CheckModule(module, errors, options.TrapOnUnsupportedFunctions ? unsupportedFunctions : errors);

        var imported = module.ImportedFunctionCount;
        var count = module.Functions.Length;
        var layout = VmContextLayout.For(module);
        var units = new UnitResult[count];
        if (options.MaxDegreeOfParallelism == 1 || count < 2)
        {
            var worker = new Worker(options.X64Features, layout);
            for (var i = 0; i < count; i++) units[i] = CompileUnit(module, options, worker, i);
        }
        else
        {
            // Units share nothing mutable (each worker has its own assembler, reset before every unit, and
            // each unit its own result slot), so the order in which workers finish cannot show in the
            // output: results are published by index below.
            Parallel.For(
                0,
                count,
                new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism },
                () => new Worker(options.X64Features, layout),
                (i, _, worker) =>
                {
                    units[i] = CompileUnit(module, options, worker, i);
                    return worker;
                },
                _ => { });
        }

        var codes = new FunctionCode[count];
        var types = new FuncType[count];
        int spills = 0, instructions = 0;
        for (var i = 0; i < count; i++)
        {
            var unit = units[i];

            // An unexpected exception is a compiler bug; rethrow the first by index, as the sequential loop would.
            unit.Exception?.Throw();
            if (unit.Error is { } error) errors.Add(error);
            if (unit.Unsupported is { } unsupported) unsupportedFunctions.Add(unsupported);
            if (unit.Type is null) continue;
            types[i] = unit.Type;
            codes[i] = unit.Code!;
            spills += unit.Spills;
            instructions += unit.Instructions;
        }

        if (errors.Count > 0) return new CompileResult(null, errors.ToImmutable());
        return new CompileResult(Link(module, options, codes, types, spills, instructions, unsupportedFunctions.ToImmutable()), ImmutableArray<CompileError>.Empty);
    }

    /// <summary>What one compile thread keeps from function to function: a macro-assembler and a function compiler over it.</summary>
    private sealed class Worker
    {
        public Worker(X64Features features, VmContextLayout layout)
        {
            Assembler = new X64MacroAssembler(features, layout);
            Compiler = new FunctionCompiler(Assembler);
        }

        public X64MacroAssembler Assembler { get; }

        public FunctionCompiler Compiler { get; }
    }

    /// <summary>What compiling one function gave; exactly one of code, error or exception is the outcome.</summary>
    private readonly record struct UnitResult(
        FuncType? Type, FunctionCode? Code, int Spills, int Instructions, CompileError? Error, CompileError? Unsupported, ExceptionDispatchInfo? Exception);

    /// <summary>
    /// Compiles defined function <paramref name="i"/>: one compilation unit (V8's <c>WasmCompilationUnit</c>).
    /// Thread-safe: reads only the immutable module and options, writes only <paramref name="worker"/> (the calling
    /// thread's, reset for every unit, so what it compiled before cannot show) and its own result.
    /// </summary>
    private static UnitResult CompileUnit(Module module, CompilerOptions options, Worker worker, int i)
    {
        var function = module.Functions[i];
        var index = module.ImportedFunctionCount + i;
        try
        {
            var type = module.GetFunctionType((uint)index);
            if (type is null) return new UnitResult(null, null, 0, 0, new CompileError(CompileErrorKind.InvalidInput, "function has an unknown type index", index), null, null);
            var offset = function.CodeOffset;
            try
            {
                worker.Assembler.Reset();
                var code = worker.Compiler.Compile(module, function, type, out var s, out var n, out offset);
                return new UnitResult(type, code, s, n, null, null, null);
            }
            catch (CompileFailure failure) when (failure.Kind == CompileErrorKind.Unsupported && options.TrapOnUnsupportedFunctions)
            {
                worker.Assembler.Reset();
                var stub = FunctionCompiler.CompileUnsupportedStub(worker.Assembler, function.CodeOffset);
                return new UnitResult(type, stub, 0, 0, null, new CompileError(failure.Kind, failure.Message, index, offset), null);
            }
            catch (CompileFailure failure)
            {
                return new UnitResult(type, null, 0, 0, new CompileError(failure.Kind, failure.Message, index, offset), null, null);
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or IndexOutOfRangeException)
            {
                return new UnitResult(type, null, 0, 0, new CompileError(CompileErrorKind.Internal, e.Message, index, offset), null, null);
            }
        }
        catch (Exception e)
        {
            return new UnitResult(null, null, 0, 0, null, null, ExceptionDispatchInfo.Capture(e));
        }
    }

    /// <param name="module">The module to check.</param>
    /// <param name="errors">Where fatal unsupported features go.</param>
    /// <param name="tolerated">Where features go that instances can do without because only functions that
    /// use them need them (globals of type v128): <paramref name="errors"/> too, unless
    /// <see cref="CompilerOptions.TrapOnUnsupportedFunctions"/> is set.</param>
    private static void CheckModule(Module module, ImmutableArray<CompileError>.Builder errors, ImmutableArray<CompileError>.Builder tolerated)
    {
        void Unsupported(string what) => errors.Add(new CompileError(CompileErrorKind.Unsupported, what + " is not supported by the x64 baseline compiler yet"));
        void Tolerated(string what) => tolerated.Add(new CompileError(CompileErrorKind.Unsupported, what + " is not supported by the x64 baseline compiler yet"));

        foreach (var import in module.Imports)
        {
            if (import.Kind == ExternalKind.Table && import.Table.Limits.Is64) Unsupported("64-bit tables");
            if (import.Kind == ExternalKind.Global && !IsSupportedValueType(import.Global.ValueType)) Tolerated($"globals of type {import.Global.ValueType}");
        }

        // Table indices are i32 in 2.0; 64-bit tables (3.0) would need 64-bit bounds checks.
        foreach (var table in module.Tables)
        {
            if (table.Type.Limits.Is64) Unsupported("64-bit tables");
        }

        if (module.TotalMemoryCount > 1) Unsupported("more than one memory");
        foreach (var memory in module.Memories)
        {
            if (memory.Type.Limits.Is64) Unsupported("64-bit memories");
            if (memory.Type.Limits.IsShared) Unsupported("shared memories");
        }

        foreach (var global in module.Globals)
        {
            if (!IsSupportedValueType(global.Type.ValueType)) Tolerated($"globals of type {global.Type.ValueType}");
        }
    }

    /// <summary>Numbers and references: everything but v128 (SIMD).</summary>
    private static bool IsSupportedValueType(ValType type) => type.Kind != ValTypeKind.V128;

    private static CompiledModule Link(Module module, CompilerOptions options, FunctionCode[] codes, FuncType[] types, int spills, int instructions, ImmutableArray<CompileError> unsupportedFunctions)
    {
        // Lay everything out first, then copy once into a buffer of the exact size that becomes the module's code
        // (no List<byte> growth and no copies of a 15 MB array on the large object heap).
        static int Align(int offset) => (offset + 15) & ~15;

        var trapStub = X64Stubs.TrapStub();
        var trapStubOffset = 0;
        var size = Align(trapStub.Length);

        var stubs = ImmutableArray.CreateBuilder<EntryStub>();
        var stubBytes = new List<byte[]>();
        var stubIndex = new Dictionary<FuncType, int>();
        var functionStub = new int[types.Length];
        for (var i = 0; i < types.Length; i++)
        {
            if (!stubIndex.TryGetValue(types[i], out var s))
            {
                var bytes = X64Stubs.EntryStub(types[i]);
                s = stubs.Count;
                stubIndex.Add(types[i], s);
                stubs.Add(new EntryStub(types[i], size, bytes.Length));
                stubBytes.Add(bytes);
                size = Align(size + bytes.Length);
            }

            functionStub[i] = s;
        }

        var offsets = new int[codes.Length];
        int trapSiteCount = 0, callSiteCount = 0;
        for (var i = 0; i < codes.Length; i++)
        {
            offsets[i] = size;
            size = Align(size + codes[i].Bytes.Length);
            trapSiteCount += codes[i].TrapSites.Length;
            callSiteCount += codes[i].CallSites.Length;
        }

        // The last function is padded too, as before (the padding is int3).
        var bytesArray = new byte[size];
        bytesArray.AsSpan().Fill(0xCC);
        trapStub.CopyTo(bytesArray, trapStubOffset);
        for (var s = 0; s < stubBytes.Count; s++) stubBytes[s].CopyTo(bytesArray, stubs[s].Offset);

        var functions = ImmutableArray.CreateBuilder<CompiledFunction>(codes.Length);
        var trapSites = new TrapSite[trapSiteCount];
        var callSites = new TrapSite[callSiteCount];
        int trapSiteAt = 0, callSiteAt = 0;
        var imported = module.ImportedFunctionCount;
        for (var i = 0; i < codes.Length; i++)
        {
            var offset = offsets[i];
            var code = codes[i];
            code.Bytes.Span.CopyTo(bytesArray.AsSpan(offset));
            foreach (var reloc in code.Relocations)
            {
                var at = offset + reloc.Offset;
                var target = reloc.Kind == RelocationKind.Function ? offsets[reloc.Target] : trapStubOffset;
                BitConverter.TryWriteBytes(bytesArray.AsSpan(at, 4), target - (at + 4));
            }

            foreach (var site in code.TrapSites)
            {
                trapSites[trapSiteAt++] = new TrapSite(offset + site.ReturnOffset, imported + i, site.WasmOffset, site.Kind);
            }

            foreach (var site in code.CallSites)
            {
                callSites[callSiteAt++] = new TrapSite(offset + site.ReturnOffset, imported + i, site.WasmOffset, 0);
            }

            functions.Add(new CompiledFunction(imported + i, types[i], offset, code.Bytes.Length, functionStub[i]));
        }

        // Functions are laid out in order and each one's trap sites come in code order, so they are normally sorted
        // already (checking is linear; sorting a sorted array was ~4% of compile time); sort only when not.
        if (!IsSorted(trapSites)) Array.Sort(trapSites, s_byReturnOffset);
        var statistics = new CompilationStatistics(codes.Length, bytesArray.Length, instructions, spills, trapSites.Length);
        return new CompiledModule(
            module, options, ImmutableCollectionsMarshal.AsImmutableArray(bytesArray), trapStubOffset, functions.MoveToImmutable(), stubs.ToImmutable(),
            ImmutableCollectionsMarshal.AsImmutableArray(trapSites), ImmutableCollectionsMarshal.AsImmutableArray(callSites), statistics, unsupportedFunctions);
    }

    private static bool IsSorted(TrapSite[] sites)
    {
        for (var i = 1; i < sites.Length; i++)
        {
            if (sites[i - 1].ReturnOffset > sites[i].ReturnOffset) return false;
        }

        return true;
    }

    private static readonly Comparison<TrapSite> s_byReturnOffset = (a, b) => a.ReturnOffset.CompareTo(b.ReturnOffset);
}
