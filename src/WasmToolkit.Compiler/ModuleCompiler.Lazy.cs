using System;
using System.Threading;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.InteropServices;
using WasmToolkit.Compiler.Arm64;
using WasmToolkit.Compiler.Baseline;
using WasmToolkit.Compiler.Pipeline;
using WasmToolkit.Compiler.X64;
using WasmToolkit.Diagnostics;
using WasmToolkit.Validation;

namespace WasmToolkit.Compiler;

/// <summary>Lazy compilation: validate everything now, compile each function on its first call.</summary>
public static partial class ModuleCompiler
{
    /// <summary>The trap stub every lazily compiled function carries a copy of (position-independent), per architecture.</summary>
    private static readonly byte[] s_x64TrapStub = X64Stubs.TrapStub();
    private static readonly byte[] s_arm64TrapStub = Arm64Stubs.TrapStub();

    /// <summary>Compiles <paramref name="module"/> lazily (see <see cref="TryCompileLazy"/>) or throws <see cref="CompileException"/>.</summary>
    public static CompiledModule CompileLazy(Module module, CompilerOptions? options = null)
    {
        var result = TryCompileLazy(module, options);
        return result.Module ?? throw new CompileException(result.Errors);
    }

    /// <summary>
    /// Validates <paramref name="module"/> in full (WebAssembly 2.0) and prepares it for compilation on first call:
    /// an invalid module fails here, with the validator's diagnostics as <see cref="CompileErrorKind.InvalidInput"/>
    /// errors, and so do module-level features the compiler does not support. No function is compiled yet.
    /// </summary>
    /// <remarks>
    /// <para>The result's <see cref="CompiledModule.Code"/> holds the trap stub, the entry stubs and one small
    /// compile stub per defined function (<see cref="X64LazyStub"/>, <see cref="Arm64LazyStub"/>). Instances point each function's
    /// function-reference record at its stub, and direct calls between functions go through those records
    /// (x64 <c>mov r11, [r15 + FuncRef(i)]; call [r11]</c>, ARM64 <c>ldr x16, [x28, #FuncRef(i)]; ldr x16, [x16]; blr x16</c>), so the first call through any path — a direct call,
    /// <c>call_indirect</c>, an export called from C#, a funcref handed to the host — reaches the stub, which
    /// asks the runtime (<see cref="BuiltinFunction.CompileLazy"/>) to compile the function through
    /// <see cref="CompiledModule.Lazy"/>, map it and switch the record to it. Later calls go straight to the code.</para>
    /// <para>A function the compiler does not support fails its first call with a <see cref="CompileException"/>
    /// (or, under <see cref="CompilerOptions.TrapOnUnsupportedFunctions"/>, traps like its eager stub would).</para>
    /// </remarks>
    public static CompileResult TryCompileLazy(Module module, CompilerOptions? options = null)
    {
        if (module is null) throw new ArgumentNullException(nameof(module));
        options ??= CompilerOptions.Default;
        var errors = ImmutableArray.CreateBuilder<CompileError>();
        var validated = ModuleValidator.Validate(module, WasmFeatures.V2, null, options.MaxDegreeOfParallelism, CancellationToken.None);
        foreach (var diagnostic in validated.Diagnostics)
        {
            if (!diagnostic.IsError) continue;
            var location = diagnostic.Location as BinaryLocation;
            errors.Add(new CompileError(
                CompileErrorKind.InvalidInput, diagnostic.Id + ": " + diagnostic.Message, (int?)location?.FunctionIndex, location?.InstructionOffset ?? location?.Span.Start));
        }

        if (errors.Count > 0) return new CompileResult(null, errors.ToImmutable());

        var unsupportedFunctions = ImmutableArray.CreateBuilder<CompileError>();
        CheckModule(module, options, errors, options.TrapOnUnsupportedFunctions ? unsupportedFunctions : errors);
        if (errors.Count > 0) return new CompileResult(null, errors.ToImmutable());

        var layout = VmContextLayout.For(module);
        var lazy = new LazyCompilation(new LazyUnits(module, options, layout), module.ImportedFunctionCount, module.Functions.Length);
        return new CompileResult(LinkLazy(module, options, lazy, unsupportedFunctions.ToImmutable()), ImmutableArray<CompileError>.Empty);
    }

    /// <summary>The image of a lazy module: the trap stub, one entry stub per signature, one compile stub per function.</summary>
    private static CompiledModule LinkLazy(Module module, CompilerOptions options, LazyCompilation lazy, ImmutableArray<CompileError> unsupportedFunctions)
    {
        var count = module.Functions.Length;
        var imported = module.ImportedFunctionCount;
        var arm64 = options.Architecture == TargetArchitecture.Arm64;
        var header = ImageHeader.For(module, options.Architecture);
        const int trapStubOffset = ImageHeader.TrapStubOffset;
        var firstStub = header.Size;
        var stubStride = arm64 ? Arm64LazyStub.Stride : (X64LazyStub.Size + 15) & ~15;
        var stubSize = arm64 ? Arm64LazyStub.Size : X64LazyStub.Size;
        var trapReturnOffset = arm64 ? Arm64LazyStub.TrapReturnOffset : X64LazyStub.TrapReturnOffset;
        var image = new byte[firstStub + (count * stubStride)];
        image.AsSpan().Fill(header.PaddingByte);
        header.WriteTo(image);

        var functions = ImmutableArray.CreateBuilder<CompiledFunction>(count);
        var trapSites = new TrapSite[count];
        for (var i = 0; i < count; i++)
        {
            var offset = firstStub + (i * stubStride);
            if (arm64) Arm64LazyStub.Write(image, offset, imported + i, trapStubOffset);
            else X64LazyStub.Write(image, offset, imported + i, trapStubOffset);

            // The stub's failure path is a trap site of the function (at its body), so a compile that fails on
            // first call shows in the wasm stack trace as that function, called from its caller.
            trapSites[i] = new TrapSite(offset + trapReturnOffset, imported + i, module.Functions[i].CodeOffset, TrapKind.HostException);
            functions.Add(new CompiledFunction(imported + i, module.GetFunctionType((uint)(imported + i))!, offset, stubSize, header.FunctionStub[i]));
        }

        var statistics = new CompilationStatistics(0, image.Length, 0, 0, trapSites.Length);
        return new CompiledModule(
            module, options, ImmutableCollectionsMarshal.AsImmutableArray(image), trapStubOffset, functions.MoveToImmutable(), header.Stubs,
            ImmutableCollectionsMarshal.AsImmutableArray(trapSites), ImmutableArray<TrapSite>.Empty, statistics, unsupportedFunctions)
        {
            Lazy = lazy,
        };
    }

    /// <summary>Compiles single functions of one module for <see cref="LazyCompilation"/>, reusing compile workers across calls and threads.</summary>
    internal sealed class LazyUnits
    {
        private readonly Module _module;
        private readonly CompilerOptions _options;
        private readonly VmContextLayout _layout;

        private static readonly Comparison<TrapSite> s_siteOrder = (a, b) => a.ReturnOffset.CompareTo(b.ReturnOffset);

        public LazyUnits(Module module, CompilerOptions options, VmContextLayout layout)
        {
            _module = module;
            _options = options;
            _layout = layout;
        }

        /// <summary>Compiles defined function <paramref name="definedIndex"/> with lazy calls and links it into a self-contained blob.</summary>
        /// <param name="definedIndex">Index among the defined functions.</param>
        /// <param name="unsupported">Why the function became a trapping stub, under <see cref="CompilerOptions.TrapOnUnsupportedFunctions"/>.</param>
        /// <exception cref="CompileException">The function did not compile.</exception>
        public LazyFunctionCode Compile(int definedIndex, out CompileError? unsupported)
        {
            // A worker of the shared pool (one per thread compiling at once), lent for this function only: a lazy module
            // used to keep its own workers, about 0.9 MB each, for as long as it lived.
            var worker = WorkerPool.Rent(_options, _layout);
            worker.LazyCalls = _module.ImportedFunctionCount;
            try
            {
                return CompileWith(worker, definedIndex, out unsupported);
            }
            finally
            {
                WorkerPool.Return(_options, worker);
            }
        }

        private LazyFunctionCode CompileWith(Worker worker, int definedIndex, out CompileError? unsupported)
        {
            var function = _module.Functions[definedIndex];
            var index = _module.ImportedFunctionCount + definedIndex;
            var type = _module.GetFunctionType((uint)index)!;
            var offset = function.CodeOffset;
            unsupported = null;
            FunctionCode code;
            try
            {
                code = worker.Compile(_module, function, type, out _, out _, out offset);
            }
            catch (CompileFailure failure) when (failure.Kind == CompileErrorKind.Unsupported && _options.TrapOnUnsupportedFunctions)
            {
                worker.Assembler.Reset();
                code = FunctionCompiler.CompileUnsupportedStub(worker.Assembler, function.CodeOffset);
                unsupported = new CompileError(failure.Kind, failure.Message, index, offset);
            }
            catch (CompileFailure failure)
            {
                throw new CompileException(ImmutableArray.Create(new CompileError(failure.Kind, failure.Message, index, offset)));
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or IndexOutOfRangeException)
            {
                throw new CompileException(ImmutableArray.Create(new CompileError(CompileErrorKind.Internal, e.Message, index, offset)));
            }

            var linked = LinkFunction(code, index, _options.Architecture);

            // Copied into the function's own blob: the worker's chunk may take later functions.
            code.ReleaseBytes();
            return linked;
        }

        /// <summary>The trap stub, then the function (16-byte aligned); trap-stub calls patched, sites made blob-relative.</summary>
        private static LazyFunctionCode LinkFunction(FunctionCode code, int functionIndex, TargetArchitecture architecture)
        {
            // Padding (int3, or udf #0 on ARM64) after the function too: a function may end with a trap-stub call, whose
            // return address must still fall inside the blob's range for the runtime's code-address lookups.
            var arm64 = architecture == TargetArchitecture.Arm64;
            var trapStub = arm64 ? s_arm64TrapStub : s_x64TrapStub;
            var entry = (trapStub.Length + 15) & ~15;
            var bytes = new byte[(entry + code.Bytes.Length + 16) & ~15];
            bytes.AsSpan().Fill(ImageHeader.PaddingFor(architecture));
            trapStub.CopyTo(bytes, 0);
            code.Bytes.Span.CopyTo(bytes.AsSpan(entry));
            foreach (var reloc in code.Relocations)
            {
                // Lazy calls go through records; a relative call to another function would mean the worker was not in lazy mode.
                if (reloc.Kind != RelocationKind.TrapStub) throw new InvalidOperationException("A lazily compiled function has a direct call relocation.");
                var at = entry + reloc.Offset;
                if (arm64)
                {
                    // bl: imm26 = (0 - at) / 4, the trap stub at the blob's start.
                    var word = BitConverter.ToUInt32(bytes, at);
                    BitConverter.TryWriteBytes(bytes.AsSpan(at, 4), (word & 0xFC00_0000) | ((uint)(-at / 4) & 0x03FF_FFFF));
                }
                else
                {
                    BitConverter.TryWriteBytes(bytes.AsSpan(at, 4), 0 - (at + 4));
                }
            }

            var trapSites = new TrapSite[code.TrapSites.Length];
            for (var i = 0; i < trapSites.Length; i++)
            {
                var site = code.TrapSites[i];
                trapSites[i] = new TrapSite(entry + site.ReturnOffset, functionIndex, site.WasmOffset, site.Kind);
            }

            var callSites = new TrapSite[code.CallSites.Length];
            for (var i = 0; i < callSites.Length; i++)
            {
                var site = code.CallSites[i];
                callSites[i] = new TrapSite(entry + site.ReturnOffset, functionIndex, site.WasmOffset, 0);
            }

            // Few per function, usually in order already; lookups binary-search them.
            Array.Sort(trapSites, s_siteOrder);
            Array.Sort(callSites, s_siteOrder);
            return new LazyFunctionCode(
                functionIndex, ImmutableCollectionsMarshal.AsImmutableArray(bytes), entry,
                ImmutableCollectionsMarshal.AsImmutableArray(trapSites), ImmutableCollectionsMarshal.AsImmutableArray(callSites));
        }
    }
}
