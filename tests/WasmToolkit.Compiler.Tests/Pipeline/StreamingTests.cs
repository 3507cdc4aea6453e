using System;
using System.Threading;
using System.Threading.Tasks;
using WasmToolkit.Binary;
using WasmToolkit.Compiler.Pipeline;
using Xunit;

namespace WasmToolkit.Compiler.Tests.Pipeline;

/// <summary>
/// Streaming overlaps compiling with reading: with the stream held before its last byte, every function whose body has
/// arrived is compiled before that byte is handed out. Deterministic: the stream waits on a gate the test opens only
/// after the pipeline has reported those units finished (the wait's timeout guards against a hang, it asserts nothing).
/// </summary>
public class StreamingTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(8)]
    public async Task EarlyFunctionsCompileBeforeTheLastByteArrives(int workers)
    {
        const int Count = 120;
        var bytes = PipelineTestInputs.ManyFunctions(Count);
        var module = ModuleReader.Read(bytes).Module!;
        var lastBody = module.Functions[Count - 1].Span;

        // Hold back everything from the middle of the last body on: bodies 0 … Count − 2 have arrived.
        var gate = lastBody.Start + lastBody.Length / 2;
        var stream = new GatedStream(bytes, 512, gate);
        var observer = new FinishedObserver(Count - 1);
        var progress = new SynchronousProgress();
        var task = ModuleCompiler.CompileStreamingAsync(stream, new CompilerOptions { MaxDegreeOfParallelism = workers }, progress, observer, default);

        Assert.True(observer.AllFinished.Wait(TimeSpan.FromMinutes(2)), $"only {observer.UnitsFinished} units compiled while the stream waited");
        Assert.Equal(gate, stream.Delivered);
        Assert.False(task.IsCompleted);
        Assert.Equal(Count - 1, observer.UnitsFinished);

        stream.Release();
        var streamed = await task.WaitAsync(TimeSpan.FromMinutes(2));
        CompiledAssert.Identical(ModuleCompiler.Compile(module), streamed, "streamed");
        Assert.Equal(Count, observer.UnitsFinished);
        Assert.Equal(Count, progress.LastCompiled);
        Assert.Equal(0, observer.ActiveWorkers);
    }

    [Fact]
    public async Task ProgressCountsFunctionsOutOfTheTotal()
    {
        var progress = new SynchronousProgress();
        await ModuleCompiler.CompileAsync(PipelineTestInputs.ManyFunctions(250), null, progress);
        Assert.Equal(250, progress.LastCompiled);
        Assert.Equal(250, progress.LastTotal);
        Assert.Equal(CompileStep.Link, progress.LastStep);
        Assert.True(progress.Reports > 2);
        Assert.True(progress.Monotonic, "progress went backwards");
    }

    private sealed class FinishedObserver : PipelineObserver
    {
        private readonly int _count;
        private int _finished;

        public FinishedObserver(int count) => _count = count;

        public ManualResetEventSlim AllFinished { get; } = new();

        public override void OnUnitFinished(int index, int codeBytes, long pendingBytes, bool throttled)
        {
            if (Interlocked.Increment(ref _finished) == _count) AllFinished.Set();
        }
    }

    /// <summary>Records reports on the reporting thread (<see cref="Progress{T}"/> would post them later).</summary>
    private sealed class SynchronousProgress : IProgress<CompileProgress>
    {
        private readonly object _gate = new();

        public int LastCompiled { get; private set; }

        public int LastTotal { get; private set; }

        public CompileStep LastStep { get; private set; }

        public int Reports { get; private set; }

        public bool Monotonic { get; private set; } = true;

        public void Report(CompileProgress value)
        {
            lock (_gate)
            {
                if (value.FunctionsCompiled < LastCompiled) Monotonic = false;
                LastCompiled = value.FunctionsCompiled;
                LastTotal = value.FunctionCount;
                LastStep = value.Step;
                Reports++;
            }
        }
    }
}
