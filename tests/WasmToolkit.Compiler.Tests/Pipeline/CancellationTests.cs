using System;
using System.Threading;
using System.Threading.Tasks;
using WasmToolkit.Binary;
using WasmToolkit.Compiler.Pipeline;
using Xunit;

namespace WasmToolkit.Compiler.Tests.Pipeline;

/// <summary>
/// Cancellation at random points (a fixed seed, so a failure replays): the task ends cancelled, and the job's count of
/// active workers, kept by the pipeline as workers start and leave, is 0 when it does: no thread is left compiling.
/// </summary>
public class CancellationTests
{
    private static readonly byte[] s_module = PipelineTestInputs.ManyFunctions(600);

    public static TheoryData<int, int> Seeds()
    {
        var data = new TheoryData<int, int>();
        foreach (var workers in new[] { 1, 2, 8 })
        {
            for (var seed = 0; seed < 4; seed++) data.Add(workers, seed);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task CancellingWhileUnitsCompileLeavesNoWorker(int workers, int seed)
    {
        // Cancel as unit k starts (a random unit): deterministic, and always while the job is running.
        var k = new Random(seed).Next(0, 600);
        using var cts = new CancellationTokenSource();
        var observer = new CancelAtObserver(k, cts);
        var task = ModuleCompiler.CompileAsync(s_module, new CompilerOptions { MaxDegreeOfParallelism = workers }, null, observer, cts.Token);
        var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        Assert.True(task.IsCanceled, "the task should end cancelled, not faulted: " + e);
        Assert.Equal(0, observer.ActiveWorkers);

        // Checked between units, under the job's lock: once cancellation has returned no worker takes a unit, so only
        // units the other workers had already taken can still start (at most one each). Counting units finished
        // instead would depend on how long the cancelling thread is preempted.
        Assert.True(observer.StartedAfterCancel <= workers - 1, $"{observer.StartedAfterCancel} units started after cancelling at unit {k} with {workers} workers");
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task CancellingStreamingAtARandomByteLeavesNoWorker(int workers, int seed)
    {
        // The stream stops at a random byte until cancellation; the module is partly queued by then.
        var at = new Random(seed).Next(1, s_module.Length);
        using var cts = new CancellationTokenSource();
        var stream = new GatedStream(s_module, 97, at);
        var observer = new PipelineObserver();
        var task = ModuleCompiler.CompileStreamingAsync(stream, new CompilerOptions { MaxDegreeOfParallelism = workers }, null, observer, cts.Token);
        while (stream.Delivered < at && !task.IsCompleted) await Task.Delay(1);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        Assert.True(task.IsCanceled);
        Assert.Equal(0, observer.ActiveWorkers);
    }

    [Fact]
    public async Task CancelledBeforeStartingNeverRuns()
    {
        var observer = new PipelineObserver();
        var task = ModuleCompiler.CompileAsync(s_module, null, null, observer, new CancellationToken(true));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        Assert.True(task.IsCanceled);
        Assert.Equal(0, observer.UnitsFinished);
        Assert.Equal(0, observer.MaxActiveWorkers);
    }

    [Fact]
    public void SynchronousCompileThrowsOnCancellationWithNoWorkerLeft()
    {
        using var cts = new CancellationTokenSource();
        var observer = new CancelAtObserver(100, cts);
        var module = ModuleReader.Read(s_module).Module!;
        Assert.ThrowsAny<OperationCanceledException>(() => ModuleCompiler.TryCompile(module, new CompilerOptions { MaxDegreeOfParallelism = 2 }, null, observer, cts.Token));
        Assert.Equal(0, observer.ActiveWorkers);
    }

    private sealed class CancelAtObserver : PipelineObserver
    {
        private readonly int _unit;
        private readonly CancellationTokenSource _cts;

        public CancelAtObserver(int unit, CancellationTokenSource cts)
        {
            _unit = unit;
            _cts = cts;
        }

        private int _cancelled;
        private int _startedAfterCancel;

        /// <summary>Units that started after <see cref="CancellationTokenSource.Cancel()"/> had returned.</summary>
        public int StartedAfterCancel => Volatile.Read(ref _startedAfterCancel);

        public override void OnUnitStarting(int index)
        {
            if (Volatile.Read(ref _cancelled) != 0) Interlocked.Increment(ref _startedAfterCancel);
            if (index != _unit) return;
            _cts.Cancel();
            Volatile.Write(ref _cancelled, 1);
        }
    }
}
