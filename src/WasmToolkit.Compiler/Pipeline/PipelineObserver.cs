using System.Threading;

namespace WasmToolkit.Compiler.Pipeline;

/// <summary>
/// A test hook into one compilation's scheduling: worker and unit events, the pending-code high-water mark.
/// The job calls every method under its lock except <see cref="OnUnitStarting"/>, which runs on the worker
/// thread before the unit compiles (a test may block there to force an order), and
/// <see cref="OnBodyArrived"/>, which runs on the streaming reader.
/// </summary>
internal class PipelineObserver
{
    private int _activeWorkers;

    /// <summary>Workers (threads running the take-compile-publish loop) of the job right now.</summary>
    public int ActiveWorkers => Volatile.Read(ref _activeWorkers);

    /// <summary>Most workers active at once.</summary>
    public int MaxActiveWorkers { get; private set; }

    /// <summary>The highest value of the pending-code count, as seen after each unit's publication step.</summary>
    public long MaxPendingBytes { get; private set; }

    /// <summary>The largest single unit's code.</summary>
    public int MaxUnitBytes { get; private set; }

    /// <summary>Times workers stopped taking units because pending code went above the budget.</summary>
    public int ThrottleCount { get; private set; }

    /// <summary>Units compiled (finished).</summary>
    public int UnitsFinished { get; private set; }

    internal void WorkerStarted()
    {
        var n = Interlocked.Increment(ref _activeWorkers);
        if (n > MaxActiveWorkers) MaxActiveWorkers = n;
    }

    internal void WorkerStopped() => Interlocked.Decrement(ref _activeWorkers);

    internal void UnitFinished(int index, int codeBytes, long pendingBytes, bool throttled)
    {
        UnitsFinished++;
        if (codeBytes > MaxUnitBytes) MaxUnitBytes = codeBytes;
        if (pendingBytes > MaxPendingBytes) MaxPendingBytes = pendingBytes;
        OnUnitFinished(index, codeBytes, pendingBytes, throttled);
    }

    internal void Throttled(long pendingBytes)
    {
        ThrottleCount++;
        OnThrottled(pendingBytes);
    }

    /// <summary>A worker took unit <paramref name="index"/> (under the lock, so in order with <see cref="OnThrottled"/> and <see cref="OnResumed"/>).</summary>
    public virtual void OnUnitTaken(int index)
    {
    }

    /// <summary>A worker is about to compile unit <paramref name="index"/> (on the worker thread, outside the lock).</summary>
    public virtual void OnUnitStarting(int index)
    {
    }

    /// <summary>Unit <paramref name="index"/> finished and whatever became contiguous was published.</summary>
    public virtual void OnUnitFinished(int index, int codeBytes, long pendingBytes, bool throttled)
    {
    }

    /// <summary>Pending code went above the budget: workers stop taking units.</summary>
    public virtual void OnThrottled(long pendingBytes)
    {
    }

    /// <summary>Pending code fell to half the budget: workers take units again.</summary>
    public virtual void OnResumed(long pendingBytes)
    {
    }

    /// <summary>Streaming: the bytes of defined function <paramref name="index"/>'s body have all arrived (and it was validated and queued).</summary>
    public virtual void OnBodyArrived(int index)
    {
    }
}
