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

    private const string VectorsProgram = """
        using System;
        using System.Runtime.Intrinsics;
        using System.Text;
        using WasmToolkit;
        using WasmToolkit.Runtime;

        namespace Demo;

        public sealed class Env : IVectorsEnvImports
        {
            public Vector128<byte> Twist(Vector128<byte> v, int n) => Vector128.Create(v.AsUInt64()[1], v.AsUInt64()[0] + (ulong)n).AsByte();
            public (Vector128<byte>, int) Split(int a, Vector128<byte> v, long b) => (v + Vector128.Create((byte)a), (int)(v.AsInt32()[3] + b));
            public Vector128<byte> Tag(object? tag, Vector128<byte> v) => tag is string s ? Vector128.Create((byte)s.Length) : v;
            public Global Seed { get; } = new Global(new GlobalType(ValType.V128, false), Vector128.Create(10, 20, 30, 40));
        }

        public static class Program
        {
            private static readonly Vector128<byte> s_v = Vector128.Create((byte)0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);

            private static string Show(Vector128<byte> v) => "<" + v.AsInt32()[0] + ", " + v.AsInt32()[1] + ", " + v.AsInt32()[2] + ", " + v.AsInt32()[3] + ">";

            public static string Run()
            {
                using var m = new Vectors(new Env());
                var sb = new StringBuilder();
                sb.Append("twist=").Append(Show(m.Twist(s_v, 1))).Append('\n');
                var (split, sum) = m.Split(1, s_v, 100);
                sb.Append("split=").Append(Show(split)).Append(',').Append(sum).Append('\n');
                sb.Append("tag=").Append(Show(m.Tag("abc", s_v))).Append(',').Append(m.Tag(null, s_v) == s_v).Append('\n');
                sb.Append("id=").Append(m.Id(s_v) == s_v).Append('\n');
                var (n, b) = m.Pick(s_v, -7, Vector128.Create(5, 6, 7, 8).AsByte());
                sb.Append("pick=").Append(n).Append(',').Append(Show(b)).Append('\n');
                var (t, c) = m.TwistTwice(s_v);
                sb.Append("twist_twice=").Append(Show(t)).Append(',').Append(c).Append('\n');
                sb.Append("ones=").Append(m.Ones == Vector128.Create((byte)1)).Append('\n');
                sb.Append("acc=").Append(Show(m.Acc)).Append('\n');
                m.Acc = s_v;
                sb.Append("acc=").Append(m.Acc == s_v).Append('\n');
                return sb.ToString();
            }

            public static long Allocations(int n)
            {
                using var m = new Vectors(new Env());
                var acc = Vector128<byte>.Zero;
                for (var pass = 0; pass < 2; pass++)
                {
                    var before = GC.GetAllocatedBytesForCurrentThread();
                    for (var i = 0; i < n; i++)
                    {
                        acc ^= m.Twist(acc, i) ^ m.Id(acc) ^ m.Ones ^ m.Acc;
                        var (split, sum) = m.Split(i, acc, i);
                        var (_, picked) = m.Pick(split, sum, acc);
                        var (twisted, _) = m.TwistTwice(picked);
                        acc ^= twisted;
                    }

                    var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                    if (pass == 1) return acc != Vector128<byte>.AllBitsSet ? allocated : -1;
                }

                return -1;
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

    /// <summary>v128 as <c>Vector128&lt;byte&gt;</c> both ways: typed handles, slot calls with two slots per vector, boxed beside a reference, globals.</summary>
    [Fact]
    public void V128ExportsImportsAndGlobalsRoundTrip()
    {
        var assembly = Build(GeneratorTests.VectorsSource, VectorsProgram, ("/p/vectors.wat", GeneratorTests.Module("vectors.wat")));
        var output = (string)assembly.GetType("Demo.Program")!.GetMethod("Run")!.Invoke(null, null)!;
        Assert.Equal(
            "twist=<185207048, 252579084, 50462977, 117835012>\n"
            + "split=<67305985, 134678021, 202050057, 269422093>,252579184\n"
            + "tag=<50529027, 50529027, 50529027, 50529027>,True\n"
            + "id=True\n"
            + "pick=-7,<5, 6, 7, 8>\n"
            + "twist_twice=<202050057, 269422093, 67305987, 134678021>,117835015\n"
            + "ones=True\n"
            + "acc=<10, 20, 30, 40>\n"
            + "acc=True\n",
            output);
        var allocated = (long)assembly.GetType("Demo.Program")!.GetMethod("Allocations")!.Invoke(null, new object[] { 1000 })!;
        Assert.Equal(0, allocated);
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
