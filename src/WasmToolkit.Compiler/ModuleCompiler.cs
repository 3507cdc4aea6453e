using System;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Threading;
using WasmToolkit.Compiler.Arm64;
using WasmToolkit.Compiler.Baseline;
using WasmToolkit.Compiler.Pipeline;
using WasmToolkit.Compiler.X64;

namespace WasmToolkit.Compiler;

/// <summary>
/// Compiles a module to machine code: a pure function of the module and the options (DESIGN invariant 4).
/// </summary>
/// <remarks>
/// The module is assumed valid (the compiler checks only what it needs not to crash and reports the
/// rest as <see cref="CompileErrorKind.InvalidInput"/>); the asynchronous and streaming entry points decode
/// and validate first.
/// <para>Each defined function is one compilation unit; up to <see cref="CompilerOptions.MaxDegreeOfParallelism"/>
/// workers pull units in index order and results are published in index order as they become contiguous
/// (code, errors, statistics), so the output is byte-identical for every degree of parallelism. Finished but
/// unpublished code is bounded by <see cref="CompilerOptions.PendingCodeBudget"/> (<c>docs/compile-pipeline.md</c>).</para>
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
        => TryCompile(module, options, null, CancellationToken.None);

    /// <summary>
    /// Compiles <paramref name="module"/> on the calling thread and up to <see cref="CompilerOptions.MaxDegreeOfParallelism"/> − 1
    /// thread-pool workers, reporting functions compiled to <paramref name="progress"/>.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (checked between functions; no worker is left running).</exception>
    public static CompileResult TryCompile(Module module, CompilerOptions? options, IProgress<CompileProgress>? progress, CancellationToken cancellationToken = default)
        => TryCompile(module, options, progress, null, cancellationToken);

    internal static CompileResult TryCompile(Module module, CompilerOptions? options, IProgress<CompileProgress>? progress, PipelineObserver? observer, CancellationToken cancellationToken)
    {
        if (module is null) throw new ArgumentNullException(nameof(module));
        options ??= CompilerOptions.Default;
        var clock = Stopwatch.StartNew();
        var id = CompilerEventSource.NextCompilationId();
        var compilation = new ModuleCompilation(module, options, id, progress, observer, cancellationToken);
        var outcome = "failed";
        try
        {
            compilation.RunOnCallingThread();
            var result = compilation.Link(module);
            if (result.Succeeded) outcome = "compiled";
            return result;
        }
        catch (OperationCanceledException)
        {
            outcome = "cancelled";
            throw;
        }
        finally
        {
            compilation.Record("sync", outcome, clock);
        }
    }

    /// <summary>What one compile thread keeps from function to function: a macro-assembler and a function compiler over it.</summary>
    /// <remarks>Reusing them is most of why compiling is fast (no per-function buffers); a worker is used by one thread at a time.</remarks>
    internal sealed class Worker
    {
        /// <summary>A worker with the macro-assembler of <paramref name="options"/>' target.</summary>
        public Worker(CompilerOptions options, VmContextLayout layout)
        {
            Assembler = options.Architecture switch
            {
                TargetArchitecture.X64 => new X64MacroAssembler(options.X64Features, layout),
                TargetArchitecture.Arm64 => new Arm64MacroAssembler(layout),
                _ => throw new NotSupportedException($"No macro-assembler for {options.Architecture}."),
            };
            Compiler = new FunctionCompiler(Assembler);
        }

        public IMacroAssembler Assembler { get; }

        public FunctionCompiler Compiler { get; }

        /// <summary>Points a pooled worker at another module's context layout (<see cref="WorkerPool"/>).</summary>
        public void Bind(VmContextLayout layout)
        {
            switch (Assembler)
            {
                case X64MacroAssembler x64: x64.Layout = layout; break;
                case Arm64MacroAssembler arm64: arm64.Layout = layout; break;
            }
        }

        /// <summary>
        /// Calls to other defined functions go through their function records (lazy compilation; see
        /// <see cref="X64MacroAssembler.LazyCalls"/>) when set, else direct.
        /// </summary>
        public int? LazyCalls
        {
            set
            {
                switch (Assembler)
                {
                    case X64MacroAssembler x64: x64.LazyCalls = value; break;
                    case Arm64MacroAssembler arm64: arm64.LazyCalls = value; break;
                }
            }
        }

        /// <summary>Before the worker goes back to <see cref="WorkerPool"/>: drops the last module and spare code memory, and direct calls again.</summary>
        public void Forget()
        {
            Compiler.Forget();
            LazyCalls = null;
            if (Assembler is X64MacroAssembler x64) x64.TrimMemory();
        }

        /// <summary>
        /// Compiles one function with this worker's assembler, reset first. An ARM64 function whose conditional branches
        /// do not reach their labels (over 1 MiB of code) is compiled again with long branches.
        /// </summary>
        public FunctionCode Compile(Module module, FunctionDefinition function, FuncType type, out int spills, out int instructions, out int failureOffset)
        {
            Assembler.Reset();
            try
            {
                return Compiler.Compile(module, function, type, out spills, out instructions, out failureOffset);
            }
            catch (Arm64BranchesOutOfReach) when (Assembler is Arm64MacroAssembler arm64)
            {
                arm64.LongBranches = true;
                try
                {
                    Assembler.Reset();
                    return Compiler.Compile(module, function, type, out spills, out instructions, out failureOffset);
                }
                finally
                {
                    arm64.LongBranches = false;
                }
            }
        }
    }

    /// <param name="module">The module to check.</param>
    /// <param name="errors">Where fatal unsupported features go.</param>
    /// <param name="tolerated">Where features go that instances can do without because only functions that
    /// use them need them (globals of type v128): <paramref name="errors"/> too, unless
    /// <see cref="CompilerOptions.TrapOnUnsupportedFunctions"/> is set.</param>
    /// <param name="options">The target: v128 globals need an x64 target with SIMD (<see cref="X64Features.Sse41"/>).</param>
    internal static void CheckModule(Module module, CompilerOptions options, ImmutableArray<CompileError>.Builder errors, ImmutableArray<CompileError>.Builder tolerated)
    {
        bool IsSupportedValueType(ValType type) => type.Kind != ValTypeKind.V128 || SupportsSimd(options);

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

    /// <summary>Whether the target lowers v128 values (x64 with SSE4.1; ARM64 always: Advanced SIMD is part of A64): as the macro-assembler's <c>SupportsSimd</c> says.</summary>
    private static bool SupportsSimd(CompilerOptions options)
        => options.Architecture == TargetArchitecture.Arm64 || (options.Architecture == TargetArchitecture.X64 && X64MacroAssembler.SupportsSimdWith(options.X64Features));
}
