using System;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace WasmToolkit.Compiler.Pipeline;

/// <summary>
/// One module's compile and link steps over a <see cref="CompilationJob"/> and a <see cref="CodePublisher"/>, with their
/// trace events, progress and metrics. The sync, async and streaming entry points of <see cref="ModuleCompiler"/> differ
/// only in where the units' inputs come from and which thread waits.
/// </summary>
internal sealed class ModuleCompilation
{
    private readonly CompilerOptions _options;
    private readonly IProgress<CompileProgress>? _progress;
    private readonly ImmutableArray<CompileError>.Builder _errors = ImmutableArray.CreateBuilder<CompileError>();
    private readonly ImmutableArray<CompileError>.Builder _unsupported = ImmutableArray.CreateBuilder<CompileError>();
    private readonly CodePublisher _publisher;
    private readonly Module?[] _inputModules;
    private readonly FunctionDefinition?[] _inputFunctions;
    private readonly Module _unitModule;
    private int _linkedBytes;

    /// <summary>
    /// Prepares the compilation of <paramref name="unitModule"/>, the module the units compile against (the whole module,
    /// or for streaming its prefix); <paramref name="available"/> units have their inputs from the start (all but for streaming).
    /// </summary>
    public ModuleCompilation(
        Module unitModule, CompilerOptions options, long id, IProgress<CompileProgress>? progress, PipelineObserver? observer, CancellationToken cancellationToken, int? available = null)
    {
        _unitModule = unitModule;
        _options = options;
        _progress = progress;
        Id = id;
        ModuleCompiler.CheckModule(unitModule, options, _errors, options.TrapOnUnsupportedFunctions ? _unsupported : _errors);

        FunctionCount = unitModule.Functions.Length;
        _inputModules = new Module?[FunctionCount];
        _inputFunctions = new FunctionDefinition?[FunctionCount];
        _publisher = new CodePublisher(unitModule, options, _errors, _unsupported);
        var layout = VmContextLayout.For(unitModule);
        Job = new CompilationJob(
            FunctionCount, options, _publisher, () => WorkerPool.Rent(options, layout), worker => WorkerPool.Return(options, worker), CompileUnit, observer, progress, cancellationToken,
            available ?? FunctionCount);
    }

    public long Id { get; }

    public int FunctionCount { get; }

    public CompilationJob Job { get; }

    /// <summary>Streaming: the body of unit <paramref name="index"/> and the module it compiles against; call before making the unit available.</summary>
    public void SetInput(int index, Module module, FunctionDefinition function)
    {
        _inputModules[index] = module;
        _inputFunctions[index] = function;
    }

    private UnitResult CompileUnit(int index, ModuleCompiler.Worker worker)
    {
        var module = _inputModules[index] ?? _unitModule;
        var function = _inputFunctions[index] ?? _unitModule.Functions[index];
        return CompilationUnit.Compile(module, function, _options, worker, index);
    }

    /// <summary>Compiles every unit with the calling thread as one of the workers.</summary>
    public void RunOnCallingThread()
    {
        CompilerEventSource.Log.CompileStart(Id, FunctionCount, _options.MaxDegreeOfParallelism);
        var ok = false;
        try
        {
            Job.RunOnCallingThread();
            ok = true;
        }
        finally
        {
            CompilerEventSource.Log.CompileStop(Id, _publisher.Published, ok);
        }
    }

    /// <summary>Starts the workers on the thread pool; <see cref="CompileAsync"/> awaits them.</summary>
    public void Start()
    {
        CompilerEventSource.Log.CompileStart(Id, FunctionCount, _options.MaxDegreeOfParallelism);
        Job.Start();
    }

    /// <summary>Awaits the workers started by <see cref="Start"/>.</summary>
    public async Task CompileAsync()
    {
        var ok = false;
        try
        {
            await Job.Completion.ConfigureAwait(false);
            ok = true;
        }
        finally
        {
            CompilerEventSource.Log.CompileStop(Id, _publisher.Published, ok);
        }
    }

    /// <summary>Stops the workers (a failure elsewhere or cancellation) and waits until none is left, ignoring how the job ends.</summary>
    public async Task StopAsync()
    {
        Job.Stop();
        try
        {
            await Job.Completion.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The job's own outcome no longer matters: the caller reports its failure.
        }
    }

    /// <summary>Resolves calls and builds the result for <paramref name="module"/> (the whole module).</summary>
    public CompileResult Link(Module module)
    {
        CompilerEventSource.Log.LinkStart(Id, FunctionCount);
        var compiled = _publisher.Link(module, _unsupported.ToImmutable());
        _linkedBytes = compiled?.Code.Length ?? 0;
        CompilerEventSource.Log.LinkStop(Id, FunctionCount, _linkedBytes);
        _progress?.Report(new CompileProgress(CompileStep.Link, _publisher.Published, FunctionCount));
        return compiled is null ? new CompileResult(null, _errors.ToImmutable()) : new CompileResult(compiled, ImmutableArray<CompileError>.Empty);
    }

    public void Record(string mode, string outcome, Stopwatch clock)
        => CompilerMetrics.Record(mode, outcome, clock.Elapsed.TotalSeconds, _publisher.Published, _linkedBytes);
}
