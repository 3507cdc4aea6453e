using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Linq;
using System.Threading;
using WasmToolkit.Compiler;

namespace WasmToolkit.Benchmarks;

/// <summary>
/// <c>-- --scaling</c>: how compile time scales from one worker to all cores, outside BenchmarkDotNet, and how much these
/// cores could give at most. The setups below run in turn on each compile input (so the machine's drift hits them alike),
/// each measured in the second half of its rounds:
/// <list type="bullet">
/// <item>one worker, on whichever core the scheduler picks;</item>
/// <item>one worker pinned to each core in turn: on a VM the cores need not be equally fast (another tenant on the host
/// core), and the ideal speed-up over the fastest core is then the sum over cores of (fastest time / that core's time);</item>
/// <item><see cref="Environment.ProcessorCount"/> workers (at least two);</item>
/// <item>as many independent one-worker compiles at once, one per thread, nothing shared but the process: what the cores
/// give when they run this work side by side with no pipeline at all (caches, memory and the collector shared).</item>
/// </list>
/// It prints the minimum and median of each, the pipeline's own steps from the <c>WasmToolkit-Compiler</c> EventSource
/// (compile: the workers; link: the serial tail), and the speed-ups against the ideal.
/// </summary>
internal static class CompileScaling
{
    private const int RoundsPerSetup = 24;

    private sealed record Setup(string Name, Action<Module> Compile, bool Steps)
    {
        public List<(double Total, double Compile, double Link)> Samples { get; } = new();

        public (double Min, double Median) Totals
        {
            get
            {
                var sorted = Samples.Select(x => x.Total).Order().ToList();
                return (sorted[0], sorted[sorted.Count / 2]);
            }
        }
    }

    public static void Run()
    {
        using var steps = new StepListener();
        var workers = Math.Max(2, Environment.ProcessorCount);
        var pinnable = OperatingSystem.IsLinux() || OperatingSystem.IsWindows();
        foreach (var name in CompileInput.Names)
        {
            var module = CompileInput.Get(name).Read();
            var one = new Setup("1 worker", m => Compile(m, 1), Steps: true);
            var cores = pinnable && Environment.ProcessorCount is > 1 and <= 64
                ? Enumerable.Range(0, Environment.ProcessorCount).Select(core => new Setup($"1 worker pinned to core {core}", m => CompilePinned(m, core), Steps: true)).ToList()
                : [];
            var all = new Setup($"{workers} workers", m => Compile(m, workers), Steps: true);
            var copies = new Setup($"{workers} independent one-worker compiles at once", m => CompileCopies(m, workers), Steps: false);
            var setups = new List<Setup> { one };
            setups.AddRange(cores);
            setups.Add(all);
            setups.Add(copies);

            var rounds = RoundsPerSetup * setups.Count;
            for (var round = 0; round < rounds; round++)
            {
                var setup = setups[round % setups.Count];
                var clock = Stopwatch.StartNew();
                setup.Compile(module);
                clock.Stop();
                if (round >= rounds / 2) setup.Samples.Add((clock.Elapsed.TotalMilliseconds, steps.CompileMs, steps.LinkMs));
            }

            foreach (var setup in setups)
            {
                var sorted = setup.Samples.OrderBy(x => x.Total).ToList();
                var (min, median) = (sorted[0], sorted[sorted.Count / 2]);
                Console.WriteLine(setup.Steps
                    ? $"{name}, {setup.Name}: min {min.Total:F0} ms (compile step {min.Compile:F0}, link {min.Link:F0}), median {median.Total:F0} ms (compile step {median.Compile:F0}, link {median.Link:F0})"
                    : $"{name}, {setup.Name}: min {min.Total:F0} ms, median {median.Total:F0} ms");
            }

            var speedup = (one.Totals.Min / all.Totals.Min, one.Totals.Median / all.Totals.Median);
            var side = (workers * one.Totals.Min / copies.Totals.Min, workers * one.Totals.Median / copies.Totals.Median);
            Console.WriteLine($"{name}: speed-up {speedup.Item1:F2}x (minimums), {speedup.Item2:F2}x (medians); independent compiles side by side {side.Item1:F2}x and {side.Item2:F2}x");
            if (cores.Count > 0)
            {
                var fastest = (cores.Min(c => c.Totals.Min), cores.Min(c => c.Totals.Median));
                var ideal = (cores.Sum(c => fastest.Item1 / c.Totals.Min), cores.Sum(c => fastest.Item2 / c.Totals.Median));
                var overFastest = (fastest.Item1 / all.Totals.Min, fastest.Item2 / all.Totals.Median);
                Console.WriteLine(
                    $"{name}: over the fastest core {overFastest.Item1:F2}x (minimums), {overFastest.Item2:F2}x (medians); ideal for these cores {ideal.Item1:F2}x and {ideal.Item2:F2}x; reached {overFastest.Item1 / ideal.Item1:P0} and {overFastest.Item2 / ideal.Item2:P0}");
            }
        }
    }

    private static void Compile(Module module, int workers) => ModuleCompiler.Compile(module, new CompilerOptions { MaxDegreeOfParallelism = workers });

    /// <summary>A one-worker compile on the calling thread with the process's affinity set to <paramref name="core"/> (on Linux the affinity of the main thread, which is the one compiling).</summary>
    private static void CompilePinned(Module module, int core)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsWindows()) throw new PlatformNotSupportedException();
        using var process = Process.GetCurrentProcess();
        var before = GetAffinity(process);
        SetAffinity(process, (nint)(1L << core));
        try
        {
            Compile(module, 1);
        }
        finally
        {
            SetAffinity(process, before);
        }
    }

#pragma warning disable CA1416 // Only reached on Linux and Windows (CompilePinned checks; the analyzer does not follow a two-platform guard).
    private static nint GetAffinity(Process process) => process.ProcessorAffinity;

    private static void SetAffinity(Process process, nint mask) => process.ProcessorAffinity = mask;
#pragma warning restore CA1416

    /// <summary>Compiles <paramref name="module"/> with one worker on each of <paramref name="copies"/> threads at once (the calling thread one of them).</summary>
    private static void CompileCopies(Module module, int copies)
    {
        var others = Enumerable.Range(1, copies - 1).Select(_ => new Thread(() => Compile(module, 1))).ToList();
        foreach (var thread in others) thread.Start();
        Compile(module, 1);
        foreach (var thread in others) thread.Join();
    }

    /// <summary>Durations of the last compile and link steps, from the compiler's EventSource.</summary>
    private sealed class StepListener : EventListener
    {
        private DateTime _compileStart;
        private DateTime _linkStart;

        public double CompileMs { get; private set; }

        public double LinkMs { get; private set; }

        protected override void OnEventSourceCreated(EventSource source)
        {
            if (source.Name == "WasmToolkit-Compiler") EnableEvents(source, EventLevel.Informational);
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            switch (e.EventName)
            {
                case "CompileStart": _compileStart = e.TimeStamp; break;
                case "CompileStop": CompileMs = (e.TimeStamp - _compileStart).TotalMilliseconds; break;
                case "LinkStart": _linkStart = e.TimeStamp; break;
                case "LinkStop": LinkMs = (e.TimeStamp - _linkStart).TotalMilliseconds; break;
            }
        }
    }
}
