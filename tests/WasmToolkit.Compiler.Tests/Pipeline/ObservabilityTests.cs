using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Diagnostics.Tracing;
using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace WasmToolkit.Compiler.Tests.Pipeline;

/// <summary>
/// The Meter <c>WasmToolkit.Compiler</c> and the EventSource <c>WasmToolkit-Compiler</c>, heard through a
/// <see cref="MeterListener"/> and an <see cref="EventListener"/>. Other tests compile at the same time, so each test
/// finds its own compilation by a function count no other test uses.
/// </summary>
public class ObservabilityTests
{
    [Fact]
    public async Task MeterReportsDurationCodeSizeFunctionsAndModules()
    {
        const int Functions = 173;
        var measurements = new ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == CompilerMetrics.MeterName) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => measurements.Enqueue((i.Name, v, ToDictionary(tags))));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => measurements.Enqueue((i.Name, v, ToDictionary(tags))));
        listener.Start();

        var compiled = await ModuleCompiler.CompileAsync(PipelineTestInputs.ManyFunctions(Functions));
        listener.Dispose();

        var mine = measurements.Where(m => Equals(m.Tags.GetValueOrDefault("wasmtk.compile.mode"), "async")).ToList();
        Assert.Contains(mine, m => m.Instrument == CompilerMetrics.FunctionsCompiled && m.Value == Functions);
        Assert.Contains(mine, m => m.Instrument == CompilerMetrics.CodeSize && m.Value == compiled.Code.Length);
        Assert.Contains(mine, m => m.Instrument == CompilerMetrics.CompileDuration && m.Value > 0 && Equals(m.Tags["wasmtk.compile.outcome"], "compiled"));
        Assert.Contains(mine, m => m.Instrument == CompilerMetrics.ModulesCompiled && m.Value == 1 && Equals(m.Tags["wasmtk.compile.outcome"], "compiled"));
    }

    [Fact]
    public async Task FailedCompilesCountAsFailed()
    {
        var outcomes = new ConcurrentQueue<string?>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == CompilerMetrics.MeterName && instrument.Name == CompilerMetrics.ModulesCompiled) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var t = ToDictionary(tags);
            if (Equals(t.GetValueOrDefault("wasmtk.compile.mode"), "streaming")) outcomes.Enqueue(t.GetValueOrDefault("wasmtk.compile.outcome") as string);
        });
        listener.Start();
        await Assert.ThrowsAsync<CompileException>(() => ModuleCompiler.CompileStreamingAsync(new GatedStream(new byte[] { 1, 2, 3 }, 1)));
        listener.Dispose();
        Assert.Contains("failed", outcomes);
    }

    [Fact]
    public async Task EventSourceTracesEveryStepWithFunctionCounts()
    {
        const int Functions = 61;
        using var listener = new StepListener();
        await ModuleCompiler.CompileAsync(PipelineTestInputs.ManyFunctions(Functions));
        var streamed = await ModuleCompiler.CompileStreamingAsync(new GatedStream(PipelineTestInputs.ManyFunctions(Functions + 1), 101));

        var byCompilation = listener.Events.GroupBy(e => (long)e.Payload![0]!).Select(g => g.ToList()).ToList();
        var eager = byCompilation.Single(g => g.Any(e => e.EventName == "DecodeStop" && (int)e.Payload![1]! == Functions));
        Assert.Equal(
            new[] { "DecodeStart", "DecodeStop", "ValidateStart", "ValidateStop", "CompileStart", "CompileStop", "LinkStart", "LinkStop" },
            eager.Select(e => e.EventName));
        Assert.Equal(Functions, (int)eager.Single(e => e.EventName == "CompileStart").Payload![1]!);
        Assert.Equal(Functions, (int)eager.Single(e => e.EventName == "CompileStop").Payload![1]!);
        Assert.True((bool)eager.Single(e => e.EventName == "CompileStop").Payload![2]!);
        Assert.All(eager, e => Assert.Equal("WasmToolkit-Compiler", e.EventSource.Name));

        // Streaming: compiling starts when the code section arrives, before decoding has finished.
        var streaming = byCompilation.Single(g => g.Any(e => e.EventName == "DecodeStop" && (int)e.Payload![1]! == Functions + 1));
        var names = streaming.Select(e => e.EventName).ToList();
        Assert.True(names.IndexOf("CompileStart") < names.IndexOf("DecodeStop"), string.Join(", ", names));
        Assert.Equal(streamed.Code.Length, (long)streaming.Single(e => e.EventName == "LinkStop").Payload![2]!);
    }

    private static Dictionary<string, object?> ToDictionary(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var d = new Dictionary<string, object?>();
        foreach (var t in tags) d[t.Key] = t.Value;
        return d;
    }

    private sealed class StepListener : EventListener
    {
        public ConcurrentQueue<EventWrittenEventArgs> Events { get; } = new();

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "WasmToolkit-Compiler") EnableEvents(eventSource, EventLevel.Informational);
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData) => Events.Enqueue(eventData);
    }
}
