using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using WasmToolkit.Binary;
using WasmToolkit.Compiler;

namespace WasmToolkit.Benchmarks.Kernels;

/// <summary>One compute kernel: a freestanding C program built to <c>Kernels/NAME.wasm</c> by <c>Kernels/build.sh</c>.</summary>
/// <param name="Name">File name without extension; also the benchmark parameter.</param>
/// <param name="BenchmarkInput">The <c>n</c> passed to <c>run(n)</c> by the run-time benchmarks and the node script.</param>
/// <param name="Expected">The checksum <c>run(BenchmarkInput)</c> returns (measured with Wasmtime and V8; a check that every engine did the work).</param>
/// <param name="TestInputs">Small inputs for the differential test.</param>
/// <param name="What">What the kernel exercises.</param>
public sealed record Kernel(string Name, int BenchmarkInput, int Expected, ImmutableArray<int> TestInputs, string What)
{
    public override string ToString() => Name;
}

/// <summary>
/// The kernels and how to load them, shared by the benchmarks and the differential test
/// (<c>tests/WasmToolkit.Runtime.Tests/DifferentialTests.cs</c> links this file).
/// </summary>
/// <remarks>
/// Every kernel exports <c>run: [i32] -> [i32]</c> and a memory; none imports anything. <see cref="TryCompile"/>
/// compiles strictly (every function in full); what the compiler rejects becomes the skip reason.
/// </remarks>
public static class KernelCatalog
{
    /// <summary>Environment variable naming the kernel folder, for runs outside the source tree.</summary>
    public const string EnvironmentVariable = "WASMTK_KERNELS";

    public static ImmutableArray<Kernel> All { get; } = ImmutableArray.Create(
        new Kernel("sieve", 1_000_000, 155103587, ImmutableArray.Create(0, 2, 100, 10_000), "integer loop: sieve of Eratosthenes and Collatz walks"),
        new Kernel("mandelbrot", 300, -1077693018, ImmutableArray.Create(0, 1, 17, 64), "f64 arithmetic and compares in a tight loop"),
        new Kernel("nbody", 100_000, 1316670727, ImmutableArray.Create(0, 1, 1000, 5000), "f64 with sqrt and division, f32 accumulation, struct fields in memory"),
        new Kernel("matmul", 200, 1692795405, ImmutableArray.Create(0, 1, 7, 40), "memory-heavy: f64 matrix multiply, loads and stores"),
        new Kernel("quicksort", 500_000, 1137721814, ImmutableArray.Create(0, 1, 15, 1000, 20_000), "memory-heavy, branchy: recursive quicksort of i32"),
        new Kernel("fib", 32, -809843530, ImmutableArray.Create(0, 1, 2, 20, 25), "calls: doubly recursive Fibonacci on i64"),
        new Kernel("indirect", 5_000_000, 1702204345, ImmutableArray.Create(0, 1, 5000, 100_000), "indirect calls: handlers through a function-pointer table (call_indirect)"),
        new Kernel("simd", 20_000, 1631756992, ImmutableArray.Create(0, 1, 2, 7, 50), "128-bit SIMD: f32x4 clamped products, u8x16 saturating blends and shuffles, i16x8 dot/q15/narrow, i32x4 shifts"));

    /// <summary>Looks a kernel up by name.</summary>
    public static Kernel Get(string name) => All.Single(k => k.Name == name);

    /// <summary>The folder holding the <c>.wasm</c> files: <see cref="EnvironmentVariable"/>, beside the executable, or in the source tree above it.</summary>
    public static string Directory { get; } = Find();

    /// <summary>The bytes of <paramref name="kernel"/>'s module.</summary>
    public static byte[] ReadBytes(Kernel kernel) => File.ReadAllBytes(Path.Combine(Directory, kernel.Name + ".wasm"));

    /// <summary>Reads <paramref name="bytes"/>; throws when the module is malformed (the checked-in files never are).</summary>
    public static Module Read(byte[] bytes, string name)
    {
        ModuleReadResult read = ModuleReader.Read(bytes, name);
        return read.Module ?? throw new InvalidOperationException($"{name} is malformed: " + string.Join("; ", read.Diagnostics));
    }

    /// <summary>
    /// Compiles <paramref name="module"/> with today's compiler for this process's processor (the options
    /// <c>Instance.Create(module)</c> uses), or explains why it cannot run yet: the reasons of every function compiled
    /// to a trapping stub, or the compile errors.
    /// </summary>
    public static CompiledModule? TryCompile(Module module, out string? skipReason)
    {
        CompileResult result = ModuleCompiler.TryCompile(module, WasmToolkit.Runtime.HostFeatures.CompilerOptions);
        if (result.Module is not { } compiled)
        {
            skipReason = "does not compile: " + string.Join("; ", result.Errors);
            return null;
        }

        var stubbed = compiled.UnsupportedFunctions.Where(e => e.FunctionIndex is not null).ToList();
        if (stubbed.Count > 0)
        {
            skipReason = $"{stubbed.Count} function(s) not supported by the compiler yet: " +
                         string.Join("; ", stubbed.Select(e => e.ToString()).Distinct().Take(3));
            return null;
        }

        skipReason = null;
        return compiled;
    }

    private static string Find()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment)) return Path.GetFullPath(fromEnvironment);

        string besideExe = Path.Combine(AppContext.BaseDirectory, "Kernels");
        if (File.Exists(Path.Combine(besideExe, "fib.wasm"))) return besideExe;

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "WasmToolkit.Benchmarks", "Kernels");
            if (File.Exists(Path.Combine(candidate, "fib.wasm"))) return candidate;
        }

        throw new FileNotFoundException(
            $"Kernel modules not found beside {AppContext.BaseDirectory} or in the source tree above it; set {EnvironmentVariable}.");
    }
}
