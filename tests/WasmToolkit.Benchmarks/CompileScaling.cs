using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Linq;
using WasmToolkit.Compiler;

namespace WasmToolkit.Benchmarks;

/// <summary>
/// <c>-- --scaling</c>: how compile time scales from one worker to all cores, outside BenchmarkDotNet. Alternates one
/// worker and <see cref="Environment.ProcessorCount"/> workers (at least two) on each compile input (so drift hits both alike), 20
/// warm-up rounds then 20 measured, and prints the minimum and median of each with the pipeline's own steps from the
/// <c>WasmToolkit-Compiler</c> EventSource (compile: the workers; link: the serial tail), so the serial part and the
/// run-to-run spread are visible separately.
/// </summary>
internal static class CompileScaling
{
    private const int Rounds = 40;

    public static void Run()
    {
        using var steps = new StepListener();
        foreach (var name in CompileInput.Names)
        {
            var module = CompileInput.Get(name).Read();
            var workers = new[] { 1, Math.Max(2, Environment.ProcessorCount) };
            var samples = workers.ToDictionary(w => w, _ => new List<(double Total, double Compile, double Link)>());
            for (var round = 0; round < Rounds; round++)
            {
                var w = workers[round % 2];
                var options = new CompilerOptions { MaxDegreeOfParallelism = w };
                var clock = Stopwatch.StartNew();
                ModuleCompiler.Compile(module, options);
                clock.Stop();
                if (round >= Rounds / 2) samples[w].Add((clock.Elapsed.TotalMilliseconds, steps.CompileMs, steps.LinkMs));
            }

            var summary = workers.ToDictionary(w => w, w =>
            {
                var sorted = samples[w].OrderBy(x => x.Total).ToList();
                return (Min: sorted[0], Median: sorted[sorted.Count / 2]);
            });
            foreach (var w in workers)
            {
                var (min, median) = summary[w];
                Console.WriteLine($"{name}, {w} worker(s): min {min.Total:F0} ms (compile step {min.Compile:F0}, link {min.Link:F0}), median {median.Total:F0} ms (compile step {median.Compile:F0}, link {median.Link:F0})");
            }

            var (one, all) = (summary[workers[0]], summary[workers[1]]);
            Console.WriteLine($"{name}: speed-up {one.Min.Total / all.Min.Total:F2}x (minimums), {one.Median.Total / all.Median.Total:F2}x (medians)");
        }
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
