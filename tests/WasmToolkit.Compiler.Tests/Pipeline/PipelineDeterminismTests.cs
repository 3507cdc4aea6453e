using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using WasmToolkit.Binary;
using WasmToolkit.Tests.Infrastructure;
using WasmToolkit.Text;
using WasmToolkit.Validation;
using Xunit;
using Xunit.Abstractions;

namespace WasmToolkit.Compiler.Tests.Pipeline;

/// <summary>
/// DESIGN invariant 4 through every entry point of the pipeline: synchronous, <c>CompileAsync</c> (bytes and stream) and
/// <c>CompileStreamingAsync</c> (bytes arriving in small chunks) give the same bytes as a sequential synchronous compile,
/// with 1, 2 and 8 workers and with a pending-code budget so small that workers are throttled all the time.
/// </summary>
public class PipelineDeterminismTests
{
    private static readonly int[] Degrees = { 1, 2, 8 };

    private readonly ITestOutputHelper _output;

    public PipelineDeterminismTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<string> Inputs() => new() { "many", "mixed", "large" };

    private static byte[] Input(string name) => name switch
    {
        "many" => PipelineTestInputs.ManyFunctions(300),
        "mixed" => PipelineTestInputs.Mixed(),
        _ => PipelineTestInputs.Large(),
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task EveryEntryPointGivesTheSequentialBytes(string name)
    {
        var bytes = Input(name);
        var module = ModuleReader.Read(bytes).Module!;
        var expected = ModuleCompiler.Compile(module, new CompilerOptions { MaxDegreeOfParallelism = 1 });
        var chunk = bytes.Length > 100_000 ? 64 * 1024 : 7;
        if (name == "large")
        {
            // 5.2 MB of code: fewer combinations, still every entry point and a throttled run (the test takes seconds each).
            CompiledAssert.Identical(expected, ModuleCompiler.Compile(module, new CompilerOptions { MaxDegreeOfParallelism = 2, PendingCodeBudget = 1 }), "large, 2 workers, budget 1, sync");
            CompiledAssert.Identical(expected, await ModuleCompiler.CompileAsync(bytes, new CompilerOptions { MaxDegreeOfParallelism = 8 }), "large, 8 workers, async");
            CompiledAssert.Identical(expected, await ModuleCompiler.CompileStreamingAsync(new GatedStream(bytes, chunk), new CompilerOptions { MaxDegreeOfParallelism = 2 }), "large, 2 workers, streaming");
            return;
        }

        foreach (var degree in Degrees)
        {
            foreach (var budget in new[] { 64L << 20, 1 })
            {
                var options = new CompilerOptions { MaxDegreeOfParallelism = degree, PendingCodeBudget = budget };
                var where = $"{name}, {degree} workers, budget {budget}";
                CompiledAssert.Identical(expected, ModuleCompiler.Compile(module, options), where + ", sync");
                CompiledAssert.Identical(expected, await ModuleCompiler.CompileAsync(bytes, options), where + ", async bytes");
                CompiledAssert.Identical(expected, await ModuleCompiler.CompileAsync(new MemoryStream(bytes), options), where + ", async stream");
                CompiledAssert.Identical(expected, await ModuleCompiler.CompileStreamingAsync(new GatedStream(bytes, chunk), options), where + ", streaming");
            }
        }
    }

    [Fact]
    public async Task StreamingOneByteAtATimeGivesTheSameBytes()
    {
        // Every LEB128 and every body split across reads.
        var bytes = PipelineTestInputs.Mixed();
        var expected = ModuleCompiler.Compile(ModuleReader.Read(bytes).Module!);
        var observer = new CountingObserver();
        var streamed = await ModuleCompiler.CompileStreamingAsync(new GatedStream(bytes, 1), new CompilerOptions { MaxDegreeOfParallelism = 2 }, null, observer, default);
        CompiledAssert.Identical(expected, streamed, "one byte at a time");

        // The bodies were taken from the stream as they arrived, not from the module decoded at the end.
        Assert.Equal(expected.Functions.Length, observer.BodiesArrived);
    }

    [SkippableFact]
    public async Task SpecSuiteModulesStreamToTheEagerBytes()
    {
        var suite = SuiteLocator.Require();
        int modules = 0, early = 0;
        foreach (var file in SuiteLocator.CoreFiles(suite))
        {
            var parsed = WastParser.Parse(File.ReadAllText(file), file);
            foreach (var command in parsed.Script.Commands.OfType<WastModuleCommand>())
            {
                var content = command.Module.Load();
                byte[] bytes;
                if (content.Kind == WastModuleKind.Binary) bytes = content.Binary.ToArray();
                else if (content.Module is { } m && !content.Diagnostics.Any(d => d.IsError)) bytes = ModuleWriter.Write(m);
                else continue;

                var read = ModuleReader.Read(bytes, new ReadOptions { DecodeFunctionBodies = true });
                if (read.Module is null || !ModuleValidator.Validate(read.Module).IsValid) continue;
                var options = new CompilerOptions { TrapOnUnsupportedFunctions = true, MaxDegreeOfParallelism = 2 };
                var eager = ModuleCompiler.TryCompile(read.Module, options);
                if (eager.Module is null) continue;

                var observer = new CountingObserver();
                var streamed = await ModuleCompiler.CompileStreamingAsync(new GatedStream(bytes, 5), options, null, observer, default);
                CompiledAssert.Identical(eager.Module, streamed, $"{SuiteLocator.Name(suite, file)}:{command.Module.Line}");
                modules++;
                early += observer.BodiesArrived;
            }
        }

        _output.WriteLine($"{modules} modules streamed, {early} bodies compiled as they arrived");
        Assert.True(modules > 500, $"only {modules} suite modules streamed");
    }
}

/// <summary>Counts streamed bodies.</summary>
internal sealed class CountingObserver : WasmToolkit.Compiler.Pipeline.PipelineObserver
{
    private int _bodies;

    public int BodiesArrived => System.Threading.Volatile.Read(ref _bodies);

    public override void OnBodyArrived(int index) => System.Threading.Interlocked.Increment(ref _bodies);
}
