using System;
using System.Collections.Generic;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;

namespace WasmToolkit.Compiler.Pipeline;

/// <summary>
/// Schedules a module's compilation units (V8's <c>BackgroundCompileJob</c> over <c>CompilationUnitQueues</c>):
/// up to K workers pull units in index order, and the thread that finishes a unit publishes every result that has
/// become contiguous, in index order, so the output never depends on which worker ran what.
/// </summary>
/// <remarks>
/// <para><b>Budget.</b> Pending code is the machine code of units that are finished but not yet published (they wait
/// for a lower-indexed unit). When it goes above <see cref="CompilerOptions.PendingCodeBudget"/> workers stop taking
/// units; they take units again once it has fallen to half (hysteresis, so they do not flap around the limit). A unit
/// is only taken while pending ≤ budget, and the lowest unpublished unit is always in flight when anything is
/// pending, so pending never exceeds budget + the code of K − 1 units (the units in flight besides the lowest when
/// the last of them was taken): budget + one unit with two workers.</para>
/// <para><b>Workers.</b> A worker runs while there is a unit to take; it exits (rather than blocking a thread) when
/// there is none, when the budget is exceeded or when the job is stopped, and new workers are started when units
/// arrive (streaming) or the budget allows again. Each worker rents a <see cref="ModuleCompiler.Worker"/> (assembler and
/// function compiler), kept for the next worker, so at most K serve the job; when the job completes they go back to
/// <see cref="WorkerPool"/> for the next compilation.</para>
/// <para><b>Cancellation.</b> Checked between units: a stopped job lets each worker finish its current unit, then
/// completes (cancelled) once no worker is left.</para>
/// </remarks>
internal sealed class CompilationJob
{
    private readonly object _gate = new();
    private readonly Func<int, ModuleCompiler.Worker, UnitResult> _compile;
    private readonly Func<ModuleCompiler.Worker> _createWorker;
    private readonly Action<ModuleCompiler.Worker> _returnWorker;
    private readonly CodePublisher _publisher;
    private readonly int _total;
    private readonly int _maxWorkers;
    private readonly long _budget;
    private readonly UnitResult[] _results;
    private readonly bool[] _finished;
    private readonly Stack<ModuleCompiler.Worker> _idleWorkers = new();
    private readonly PipelineObserver? _observer;
    private readonly IProgress<CompileProgress>? _progress;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationToken _cancellationToken;
    private CancellationTokenRegistration _registration;
    private int _available;
    private int _nextToTake;
    private int _active;
    private long _pending;
    private bool _throttled;
    private bool _stopped;
    private ExceptionDispatchInfo? _fault;
    private readonly object _reportGate = new();
    private int _lastReported;
    private readonly List<Task> _spawned = new();
    private bool _collectSpawned;

    public CompilationJob(
        int total, CompilerOptions options, CodePublisher publisher, Func<ModuleCompiler.Worker> createWorker, Action<ModuleCompiler.Worker> returnWorker,
        Func<int, ModuleCompiler.Worker, UnitResult> compile, PipelineObserver? observer, IProgress<CompileProgress>? progress, CancellationToken cancellationToken, int available)
    {
        _total = total;
        _available = Math.Min(available, total);
        _maxWorkers = options.MaxDegreeOfParallelism;
        _budget = options.PendingCodeBudget;
        _publisher = publisher;
        _createWorker = createWorker;
        _returnWorker = returnWorker;
        _compile = compile;
        _observer = observer;
        _progress = progress;
        _cancellationToken = cancellationToken;
        _results = new UnitResult[total];
        _finished = new bool[total];
    }

    /// <summary>Completes when every unit is published and no worker is left, or cancelled/faulted once no worker is left.</summary>
    public Task Completion => _done.Task;

    /// <summary>Starts workers on the thread pool for the units made available so far; call once.</summary>
    public void Start()
    {
        _registration = _cancellationToken.Register(static s => ((CompilationJob)s!).Stop(), this);
        lock (_gate)
        {
            SpawnLocked();
            CompleteIfDoneLocked();
        }
    }

    /// <summary>Sequential and synchronous compiles: the calling thread is one of the workers; returns when the job is complete.</summary>
    public void RunOnCallingThread()
    {
        _registration = _cancellationToken.Register(static s => ((CompilationJob)s!).Stop(), this);
        lock (_gate)
        {
            _collectSpawned = true;
            _active++;
            _observer?.WorkerStarted();
            SpawnLocked();
        }

        WorkerLoop();

        // Wait for the pool workers by their tasks first: Task.Wait runs a worker that is still queued inline when it can
        // (a caller on the thread pool), so a busy pool does not hold up a compile whose units are all done.
        while (true)
        {
            Task[] spawned;
            lock (_gate)
            {
                spawned = _spawned.ToArray();
                _spawned.Clear();
            }

            if (spawned.Length == 0) break;
            Task.WaitAll(spawned);
        }

        _done.Task.GetAwaiter().GetResult();
    }

    /// <summary>Units below <paramref name="count"/> may be taken (streaming makes them available as their bodies arrive).</summary>
    public void MakeAvailable(int count)
    {
        lock (_gate)
        {
            if (count <= _available) return;
            _available = Math.Min(count, _total);
            SpawnLocked();
        }
    }

    /// <summary>Stops taking units (cancellation, or a failure elsewhere in the pipeline); the job completes cancelled once its workers have left.</summary>
    public void Stop()
    {
        lock (_gate)
        {
            _stopped = true;
            CompleteIfDoneLocked();
        }
    }

    private void SpawnLocked()
    {
        while (!_stopped && !_throttled && _active < _maxWorkers && _active < _available - _nextToTake)
        {
            _active++;
            _observer?.WorkerStarted();
            var task = Task.Run(WorkerLoop);
            if (_collectSpawned) _spawned.Add(task);
        }
    }

    private void WorkerLoop()
    {
        ModuleCompiler.Worker? worker = null;
        try
        {
            while (true)
            {
                int index;
                lock (_gate)
                {
                    if (_stopped || _throttled || _nextToTake >= _available)
                    {
                        // Leave under the same lock that saw nothing to do, so whoever makes work available next sees
                        // this worker gone and starts another.
                        if (worker is not null) _idleWorkers.Push(worker);
                        worker = null;
                        _active--;
                        _observer?.WorkerStopped();
                        CompleteIfDoneLocked();
                        return;
                    }

                    index = _nextToTake++;
                    _observer?.OnUnitTaken(index);
                    if (worker is null && _idleWorkers.Count > 0) worker = _idleWorkers.Pop();
                }

                worker ??= _createWorker();
                _observer?.OnUnitStarting(index);
                var result = _compile(index, worker);
                Finish(index, result);
            }
        }
        catch (Exception e)
        {
            // Units catch their own exceptions, so this is a pipeline bug (or a test hook throwing): fail the job.
            lock (_gate)
            {
                _fault ??= ExceptionDispatchInfo.Capture(e);
                _stopped = true;
                _active--;
                _observer?.WorkerStopped();
                CompleteIfDoneLocked();
            }
        }
    }

    private void Finish(int index, in UnitResult result)
    {
        int published;
        lock (_gate)
        {
            _results[index] = result;
            _finished[index] = true;
            _pending += result.CodeBytes;
            while (_publisher.Published < _total && _finished[_publisher.Published])
            {
                var next = _publisher.Published;
                var unit = _results[next];
                _results[next] = default;
                _pending -= unit.CodeBytes;
                _publisher.Publish(unit);
            }

            published = _publisher.Published;
            if (_pending > _budget)
            {
                if (!_throttled)
                {
                    _throttled = true;
                    _observer?.Throttled(_pending);
                }
            }
            else if (_throttled && _pending <= _budget / 2)
            {
                _throttled = false;
                _observer?.OnResumed(_pending);
                SpawnLocked();
            }

            _observer?.UnitFinished(index, result.CodeBytes, _pending, _throttled);
        }

        Report(published);
    }

    private void Report(int published)
    {
        if (_progress is null) return;

        // About a hundred reports per module, the last one always; in order (a separate lock, so a slow consumer never
        // holds up the job's own lock).
        var step = Math.Max(1, _total / 100);
        lock (_reportGate)
        {
            if (published <= _lastReported || (published != _total && published - _lastReported < step)) return;
            _lastReported = published;
            _progress.Report(new CompileProgress(CompileStep.Compile, published, _total));
        }
    }

    private void CompleteIfDoneLocked()
    {
        if (_active != 0 || (_fault is null && !_stopped && _publisher.Published != _total)) return;

        // Every worker has left (each pushed its ModuleCompiler.Worker first), so no thread uses them any more.
        while (_idleWorkers.Count > 0) _returnWorker(_idleWorkers.Pop());
        _registration.Unregister();
        if (_fault is not null) _done.TrySetException(_fault.SourceException);
        else if (_stopped) _done.TrySetCanceled(_cancellationToken.IsCancellationRequested ? _cancellationToken : new CancellationToken(true));
        else _done.TrySetResult();
    }
}
