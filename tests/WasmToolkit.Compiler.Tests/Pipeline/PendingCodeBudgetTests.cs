using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using WasmToolkit.Binary;
using WasmToolkit.Compiler.Pipeline;
using Xunit;

namespace WasmToolkit.Compiler.Tests.Pipeline;

/// <summary>
/// The pending-code budget (finished-but-unpublished code). What is guaranteed, and checked here: a worker takes a unit
/// only while pending ≤ budget, so pending never exceeds budget + the code of K − 1 units (K workers): budget + one unit
/// with two workers. Above the budget workers stop taking units until pending has fallen to half of it.
/// </summary>
public class PendingCodeBudgetTests
{
    [Theory]
    [InlineData(2, 1)]
    [InlineData(2, 200)]
    [InlineData(8, 1)]
    [InlineData(8, 1000)]
    public async Task PendingCodeStaysWithinTheBudgetPlusTheUnitsInFlight(int workers, long budget)
    {
        var bytes = PipelineTestInputs.ManyFunctions(400);
        var observer = new PipelineObserver();
        var compiled = await ModuleCompiler.CompileAsync(bytes, new CompilerOptions { MaxDegreeOfParallelism = workers, PendingCodeBudget = budget }, null, observer, default);

        Assert.Equal(400, observer.UnitsFinished);
        var bound = budget + (workers - 1) * (long)observer.MaxUnitBytes;
        Assert.True(observer.MaxPendingBytes <= bound, $"pending reached {observer.MaxPendingBytes} > budget {budget} + {workers - 1} x {observer.MaxUnitBytes}");
        Assert.Equal(0, observer.ActiveWorkers);
        Assert.Equal(ModuleCompiler.Compile(ModuleReader.Read(bytes).Module!).Code.AsSpan().ToArray(), compiled.Code.AsSpan().ToArray());
    }

    [Fact]
    public async Task WorkersStopAboveTheBudgetAndResumeAtHalf()
    {
        // Unit 0 is held until unit 1 has finished, so unit 1's code is pending (it waits for unit 0). With a budget of
        // one byte that throttles: the second worker must not start another unit until unit 0 is published.
        var observer = new GateObserver();
        var bytes = PipelineTestInputs.ManyFunctions(50);
        var task = ModuleCompiler.CompileAsync(bytes, new CompilerOptions { MaxDegreeOfParallelism = 2, PendingCodeBudget = 1 }, null, observer, default);
        await task.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.True(observer.ThrottleCount >= 1, "never throttled");
        Assert.Empty(observer.StartedWhileThrottled);
        Assert.True(observer.PendingWhenThrottled > 0);
        Assert.True(observer.MaxPendingBytes <= 1 + observer.MaxUnitBytes, $"pending {observer.MaxPendingBytes} above budget + one unit ({observer.MaxUnitBytes})");
        Assert.Equal(0, observer.ActiveWorkers);
    }

    [Fact]
    public void SequentialCompilationHoldsNoPendingCode()
    {
        var observer = new PipelineObserver();
        ModuleCompiler.TryCompile(ModuleReader.Read(PipelineTestInputs.ManyFunctions(100)).Module!, new CompilerOptions { MaxDegreeOfParallelism = 1, PendingCodeBudget = 1 }, null, observer, default);
        Assert.Equal(0, observer.MaxPendingBytes);
        Assert.Equal(1, observer.MaxActiveWorkers);
        Assert.Equal(0, observer.ThrottleCount);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void BudgetMustBePositive(long value)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CompilerOptions { PendingCodeBudget = value });
        Assert.Equal(64L << 20, new CompilerOptions().PendingCodeBudget);
        Assert.Equal(CompilationTier.Baseline, new CompilerOptions().Tier);
    }

    private sealed class GateObserver : PipelineObserver
    {
        private readonly ManualResetEventSlim _unit1Finished = new();
        private volatile bool _throttled;

        public List<int> StartedWhileThrottled { get; } = new();

        public long PendingWhenThrottled { get; private set; }

        public override void OnUnitTaken(int index)
        {
            // Under the job's lock, as throttling is: a unit taken just before the throttle may still start after it.
            if (_throttled) StartedWhileThrottled.Add(index);
        }

        public override void OnUnitStarting(int index)
        {
            // A guard against a hang, not an assertion: unit 1 is taken by the other worker right away.
            if (index == 0) Assert.True(_unit1Finished.Wait(TimeSpan.FromMinutes(1)), "unit 1 never finished while unit 0 was held");
        }

        public override void OnUnitFinished(int index, int codeBytes, long pendingBytes, bool throttled)
        {
            if (index == 1) _unit1Finished.Set();
        }

        public override void OnThrottled(long pendingBytes)
        {
            PendingWhenThrottled = pendingBytes;
            _throttled = true;
        }

        public override void OnResumed(long pendingBytes) => _throttled = false;
    }
}
