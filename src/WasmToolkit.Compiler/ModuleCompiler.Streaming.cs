using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using WasmToolkit.Compiler.Pipeline;

namespace WasmToolkit.Compiler;

// Streaming compilation (V8's AsyncStreamingProcessor): bodies compile while later bytes are still arriving.
public static partial class ModuleCompiler
{
    /// <summary>
    /// Compiles the module in <paramref name="stream"/> while it is still being read: the sections before the code section
    /// are decoded as they arrive, then each function body is validated and handed to the background workers as soon as
    /// its bytes are there. At the end the whole module is decoded and validated as usual (an invalid module fails with
    /// the same diagnostics as <see cref="CompileAsync(ReadOnlyMemory{byte}, CompilerOptions?, IProgress{CompileProgress}?, CancellationToken)"/>)
    /// and the code already compiled is used: it is byte-identical to an eager compile's.
    /// </summary>
    /// <param name="stream">The module's bytes; read to its end, not disposed. Its I/O errors fault the task as they are.</param>
    /// <param name="options">Compiler options; <see cref="CompilerOptions.Default"/> when null.</param>
    /// <param name="progress">Receives the step and the functions compiled out of the total.</param>
    /// <param name="cancellationToken">Stops reading and compiling; the task then ends cancelled with no worker left running.</param>
    /// <returns>The compiled module, or a task faulted with <see cref="CompileException"/> as for <c>CompileAsync</c>.</returns>
    public static Task<CompiledModule> CompileStreamingAsync(
        Stream stream, CompilerOptions? options = null, IProgress<CompileProgress>? progress = null, CancellationToken cancellationToken = default)
        => CompileStreamingAsync(stream, options, progress, null, cancellationToken);

    internal static Task<CompiledModule> CompileStreamingAsync(
        Stream stream, CompilerOptions? options, IProgress<CompileProgress>? progress, PipelineObserver? observer, CancellationToken cancellationToken)
    {
        if (stream is null) throw new ArgumentNullException(nameof(stream));
        var streaming = new StreamingCompilation(stream, options ?? CompilerOptions.Default, progress, observer, cancellationToken);
        return Task.Run(streaming.RunAsync, cancellationToken);
    }
}
