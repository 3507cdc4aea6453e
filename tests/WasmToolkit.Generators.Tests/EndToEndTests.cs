using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Xunit;

namespace WasmToolkit.Generators.Tests;

/// <summary>
/// The generated bindings compiled together with a small C# program against the real runtime, loaded and run:
/// exports called through the typed path, imports served by C# objects implementing the generated interfaces.
/// </summary>
public class EndToEndTests
{
    internal const string MathProgram = """
        using System;
        using System.Text;
        using WasmToolkit.Runtime;

        namespace Demo;

        public sealed class Env : IMathModuleEnvImports
        {
            public int Logged;
            public void Log(int value) => Logged += value;
            public int Scale(int value) => value * 10;
            public double Mix(int a, long b, float c, double d, int e) => a + b + c + d + e;
        }

        public static class Program
        {
            public static string Run()
            {
                var env = new Env();
                using var m = new MathModule(env);
                var sb = new StringBuilder();
                sb.Append("add=").Append(m.Add(2, 40)).Append('\n');
                sb.Append("add_scaled=").Append(m.AddScaled(3, 4)).Append(" logged=").Append(env.Logged).Append('\n');
                var (f, l) = m.Swap(7L, 1.5f);
                sb.Append("swap=").Append(f).Append(',').Append(l).Append('\n');
                sb.Append("sum5=").Append(m.Sum5(-1, -2L, 3.5f, 4.25, -5)).Append('\n');
                m.Bump();
                m.Bump();
                sb.Append("counter=").Append(m.Counter).Append('\n');
                m.Counter = 41;
                m.Bump();
                sb.Append("counter=").Append(m.Counter).Append('\n');
                sb.Append("pi=").Append(m.Pi).Append('\n');
                var o = new object();
                sb.Append("echo=").Append(ReferenceEquals(m.EchoRef(o), o)).Append('\n');
                sb.Append("2x=").Append(m._2x(1.25)).Append('\n');
                m.Store(16, 0x01020304);
                sb.Append("memory[16]=").Append(m.Memory.GetSpan()[16]).Append('\n');
                sb.Append("table=").Append(m.Table is not null).Append('\n');
                using var second = new MathModule(new Env());
                sb.Append("second.counter=").Append(second.Counter).Append(" shared code=").Append(ReferenceEquals(m.Instance.Compiled, second.Instance.Compiled)).Append('\n');
                return sb.ToString();
            }

            public static long Allocations(int n)
            {
                using var m = new MathModule(new Env());
                var sum = 0.0;
                for (var pass = 0; pass < 2; pass++)
                {
                    var before = GC.GetAllocatedBytesForCurrentThread();
                    for (var i = 0; i < n; i++)
                    {
                        sum += m.Add(i, 1) + m.AddScaled(i, 1) + m.Counter + m._2x(i) + m.Sum5(i, -i, 1f, 2.0, 3);
                        var (f, l) = m.Swap(i, 1.5f);
                        sum += f + l;
                        m.Bump();
                        m.Store(0, i);
                    }

                    var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                    if (pass == 1) return sum > 0 ? allocated : -1;
                }

                return -1;
            }
        }
        """;

    private const string PluginProgram = """
        using WasmToolkit;
        using WasmToolkit.Runtime;

        namespace Demo;

        internal sealed class Env : IPluginEnvImports
        {
            public (int, long) Pair(int value) => (value + 1, value * 100L);
            public object? Handle(object? value) => value is string s ? s + "!" : value;
            public Global Base { get; } = new Global(new GlobalType(ValType.I32, false), 5);
        }

        internal sealed class HostIo : IPluginHostIoImports
        {
            public int Read() => 7;
            public Memory Memory { get; } = new Memory(1);
        }

        public static class Program
        {
            public static string Run()
            {
                using var plugin = new Plugin(new Env(), new HostIo());
                var run = plugin.Instance.GetFunction("run");
                return "run=" + plugin.Run(3) + " pass=" + plugin.Pass("hi") + " ident=" + (plugin.Ident(null) is null) + "," + ReferenceEquals(plugin.Ident(run), run);
            }
        }
        """;

    [Fact]
    public void TypedExportsAndImportsRun()
    {
        var assembly = Build(GeneratorTests.MathSource, MathProgram, ("/p/math.wat", GeneratorTests.Module("math.wat")));
        var output = (string)assembly.GetType("Demo.Program")!.GetMethod("Run")!.Invoke(null, null)!;
        Assert.Equal(
            "add=42\nadd_scaled=70 logged=3\nswap=1.5,7\nsum5=-0.25\ncounter=2\ncounter=42\npi=3.5\necho=True\n2x=2.5\nmemory[16]=4\ntable=True\nsecond.counter=0 shared code=True\n",
            output);
    }

    [Fact]
    public void TypedCallsDoNotAllocate()
    {
        var assembly = Build(GeneratorTests.MathSource, MathProgram, ("/p/math.wat", GeneratorTests.Module("math.wat")));
        var allocated = (long)assembly.GetType("Demo.Program")!.GetMethod("Allocations")!.Invoke(null, new object[] { 1000 })!;
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void UntypedImportsMultipleResultsExternrefGlobalAndMemoryImports()
    {
        var assembly = Build(GeneratorTests.ImportsSource, PluginProgram, ("/p/modules/imports.wat", GeneratorTests.Module("imports.wat")));
        var output = (string)assembly.GetType("Demo.Program")!.GetMethod("Run")!.Invoke(null, null)!;
        Assert.Equal("run=316 pass=hi! ident=True,True", output);
    }

    private static Assembly Build(string source, string program, params (string Path, string Text)[] files)
        => Build(source, program, files.Select(f => (AdditionalText)new GeneratorHarness.InMemoryAdditionalText(f.Path, f.Text)).ToArray());

    /// <summary>Runs the generator, compiles its output with <paramref name="program"/>, and loads the assembly.</summary>
    internal static Assembly Build(string source, string program, params AdditionalText[] files)
    {
        var compilation = GeneratorHarness.CreateCompilation(source, program).WithAssemblyName("Consumer" + Guid.NewGuid().ToString("N"));
        GeneratorHarness.CreateDriver(files).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        Assert.Empty(GeneratorHarness.Render(generatorDiagnostics));
        using var stream = new MemoryStream();
        var emitted = output.Emit(stream);
        Assert.True(emitted.Success, GeneratorHarness.Render(emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        stream.Position = 0;
        return AssemblyLoadContext.Default.LoadFromStream(stream);
    }
}
