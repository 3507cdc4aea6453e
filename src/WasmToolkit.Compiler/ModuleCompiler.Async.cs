using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using WasmToolkit.Binary;
using WasmToolkit.Compiler.Pipeline;
using WasmToolkit.Validation;

namespace WasmToolkit.Compiler;

// Asynchronous compilation (V8's AsyncCompileJob): decode, validate, compile with K workers, link, off the caller's
// thread; any step can fail (the task faults with a CompileException carrying diagnostics) or be cancelled.
public static partial class ModuleCompiler
{
    /// <summary>
    /// Decodes, validates and compiles the module in <paramref name="bytes"/> on the thread pool.
    /// </summary>
    /// <param name="bytes">The module's bytes (copied once at the start, as <see cref="ModuleReader"/> does).</param>
    /// <param name="options">Compiler options; <see cref="CompilerOptions.Default"/> when null.</param>
    /// <param name="progress">Receives the step and the functions compiled out of the total.</param>
    /// <param name="cancellationToken">Stops every step: checked between function bodies and between units; the task
    /// then ends cancelled, with no worker left running.</param>
    /// <returns>The compiled module. The task faults with <see cref="CompileException"/> when the bytes are malformed
    /// (<see cref="CompileStep.Decode"/>), the module invalid (<see cref="CompileStep.Validate"/>) or not compilable
    /// (<see cref="CompileStep.Compile"/>); its <see cref="CompileException.Diagnostics"/> say why.</returns>
    public static Task<CompiledModule> CompileAsync(
        ReadOnlyMemory<byte> bytes, CompilerOptions? options = null, IProgress<CompileProgress>? progress = null, CancellationToken cancellationToken = default)
        => CompileAsync(bytes, options, progress, null, cancellationToken);

    /// <summary>
    /// Reads <paramref name="stream"/> to its end, then decodes, validates and compiles the module on the thread pool as
    /// <see cref="CompileAsync(ReadOnlyMemory{byte}, CompilerOptions?, IProgress{CompileProgress}?, CancellationToken)"/> does.
    /// Use <see cref="CompileStreamingAsync(Stream, CompilerOptions?, IProgress{CompileProgress}?, CancellationToken)"/> to compile while the bytes are still arriving.
    /// </summary>
    /// <remarks>The stream is read, not disposed. Its I/O errors fault the task as they are.</remarks>
    public static Task<CompiledModule> CompileAsync(
        Stream stream, CompilerOptions? options = null, IProgress<CompileProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (stream is null) throw new ArgumentNullException(nameof(stream));
        return Task.Run(
            () => CompileCoreAsync(
                async ct =>
                {
                    var buffer = new MemoryStream();
                    await stream.CopyToAsync(buffer, ct).ConfigureAwait(false);
                    return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
                },
                stream.CanSeek ? stream.Length : -1, options ?? CompilerOptions.Default, progress, null, cancellationToken),
            cancellationToken);
    }

    internal static Task<CompiledModule> CompileAsync(
        ReadOnlyMemory<byte> bytes, CompilerOptions? options, IProgress<CompileProgress>? progress, PipelineObserver? observer, CancellationToken cancellationToken)
        => Task.Run(
            () => CompileCoreAsync(_ => new ValueTask<ReadOnlyMemory<byte>>(bytes), bytes.Length, options ?? CompilerOptions.Default, progress, observer, cancellationToken),
            cancellationToken);

    private static async Task<CompiledModule> CompileCoreAsync(
        Func<CancellationToken, ValueTask<ReadOnlyMemory<byte>>> read, long length, CompilerOptions options, IProgress<CompileProgress>? progress,
        PipelineObserver? observer, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var id = CompilerEventSource.NextCompilationId();
        var outcome = "failed";
        ModuleCompilation? compilation = null;
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Report(new CompileProgress(CompileStep.Decode, 0, 0));
            CompilerEventSource.Log.DecodeStart(id, length);
            var decoded = false;
            var functions = 0;
            Module module;
            try
            {
                var bytes = await read(cancellationToken).ConfigureAwait(false);
                var result = ModuleReader.Read(bytes);
                if (result.Module is null) throw new CompileException(CompileStep.Decode, result.Diagnostics);
                module = result.Module;
                functions = module.Functions.Length;
                decoded = true;
            }
            finally
            {
                CompilerEventSource.Log.DecodeStop(id, functions, decoded);
            }

            Validate(id, module, options, progress, cancellationToken);
            compilation = new ModuleCompilation(module, options, id, progress, observer, cancellationToken);
            compilation.Start();
            await compilation.CompileAsync().ConfigureAwait(false);
            var linked = compilation.Link(module);
            if (linked.Module is null) throw new CompileException(linked.Errors);
            outcome = "compiled";
            return linked.Module;
        }
        catch (OperationCanceledException)
        {
            outcome = "cancelled";
            throw;
        }
        finally
        {
            Record("async", outcome, clock, compilation);
        }
    }

    /// <summary>
    /// The validate step: events, progress, and a <see cref="CompileException"/> when the module is invalid. The bodies are
    /// validated on as many threads as the compile may use (the same result as one thread).
    /// </summary>
    internal static void Validate(long id, Module module, CompilerOptions options, IProgress<CompileProgress>? progress, CancellationToken cancellationToken)
    {
        progress?.Report(new CompileProgress(CompileStep.Validate, 0, module.Functions.Length));
        CompilerEventSource.Log.ValidateStart(id, module.Functions.Length);
        var valid = false;
        try
        {
            var validated = ModuleValidator.Validate(module, WasmFeatures.V2, null, options.MaxDegreeOfParallelism, cancellationToken);
            if (!validated.IsValid) throw new CompileException(CompileStep.Validate, validated.Diagnostics);
            valid = true;
        }
        finally
        {
            CompilerEventSource.Log.ValidateStop(id, module.Functions.Length, valid);
        }
    }

    internal static void Record(string mode, string outcome, Stopwatch clock, ModuleCompilation? compilation)
    {
        if (compilation is not null) compilation.Record(mode, outcome, clock);
        else CompilerMetrics.Record(mode, outcome, clock.Elapsed.TotalSeconds, 0, 0);
    }
}
