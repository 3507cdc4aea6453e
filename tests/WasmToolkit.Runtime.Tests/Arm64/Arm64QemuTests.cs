using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using WasmToolkit.Benchmarks.Kernels;
using WasmToolkit.Cli.Wast;
using WasmToolkit.Compiler;
using WasmToolkit.Runtime.Tests;
using WasmToolkit.Runtime;
using WasmToolkit.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace WasmToolkit.Runtime.Tests.Arm64;

/// <summary>
/// The ARM64 backend executed for real: <c>eng/arm64/run-wast.sh</c> publishes <c>wasmtk</c> self-contained for
/// linux-arm64 and runs <c>wasmtk wast</c> under <c>qemu-aarch64-static</c>, so every module is compiled by the ARM64
/// backend and run by an arm64 process. Skipped with the reason when qemu or the arm64 libc is missing (fails under
/// <c>CI=true</c>). The tests of one class run one after another, so they share one incremental publish.
/// </summary>
public partial class Arm64QemuTests
{
    private readonly ITestOutputHelper _output;

    public Arm64QemuTests(ITestOutputHelper output) => _output = output;

    /// <summary>The 2.0 suite's core files (not simd/): nothing fails or skips, and the counts are x64's on the same files.</summary>
    [SkippableFact]
    public void CoreGroupPassesUnderQemuWithTheCountsOfX64()
    {
        var files = SuiteLocator.CoreFiles(SuiteLocator.Require());
        RunUnderQemu(files);
    }

    /// <summary>The 2.0 suite's <c>simd/</c> files (v128 values and every SIMD operation): nothing fails or skips, and the counts are x64's.</summary>
    [SkippableFact]
    public void SimdGroupPassesUnderQemuWithTheCountsOfX64()
    {
        var files = SuiteLocator.SimdFiles(SuiteLocator.Require());
        Assert.NotEmpty(files);
        RunUnderQemu(files);
    }

    /// <summary>
    /// The benchmark kernels compiled for ARM64 give x64's results: a script with each kernel as a binary module and
    /// <c>assert_return</c>s of <c>run(n)</c> for its test inputs (expected values computed here on x64) and its
    /// benchmark input (the catalog's checksum). Also reports the code size per function of both backends.
    /// </summary>
    [SkippableFact]
    public void KernelsGiveTheResultsOfX64UnderQemu()
    {
        var script = new StringBuilder();
        var commands = 0;
        foreach (var kernel in KernelCatalog.All)
        {
            var bytes = KernelCatalog.ReadBytes(kernel);
            var module = KernelCatalog.Read(bytes, kernel.Name);
            var x64 = ModuleCompiler.Compile(module, new CompilerOptions { Architecture = TargetArchitecture.X64 });
            var arm64 = ModuleCompiler.Compile(module, new CompilerOptions { Architecture = TargetArchitecture.Arm64 });
            _output.WriteLine($"{kernel.Name}: code bytes x64 {x64.Code.Length}, arm64 {arm64.Code.Length}; per function (x64/arm64): " +
                string.Join(", ", x64.Functions.Zip(arm64.Functions, (a, b) => $"f{a.FunctionIndex} {a.Size}/{b.Size}")));

            script.Append("(module $").Append(kernel.Name).Append(" binary \"");
            foreach (var b in bytes) script.Append('\\').Append(b.ToString("x2"));
            script.AppendLine("\")");
            using var instance = Instance.Create(x64);
            var run = instance.GetFunction<int, int>("run");
            foreach (var n in kernel.TestInputs)
            {
                script.AppendLine($"(assert_return (invoke \"run\" (i32.const {n})) (i32.const {run.Invoke(n)}))");
                commands++;
            }

            Assert.Equal(kernel.Expected, run.Invoke(kernel.BenchmarkInput));
            script.AppendLine($"(assert_return (invoke \"run\" (i32.const {kernel.BenchmarkInput})) (i32.const {kernel.Expected}))");
            commands++;
        }

        var path = Path.Combine(Path.GetTempPath(), $"wasmtk-kernels-{Environment.ProcessId}.wast");
        File.WriteAllText(path, script.ToString());
        try
        {
            Assert.Equal(commands + KernelCatalog.All.Length, RunUnderQemu([path]));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// Random programs (<see cref="RandomProgramModule"/>: integer and float trees, loops, loads, traps) compiled for ARM64
    /// give the results x64 gives here, bit for bit, or the same trap. A NaN result that x64 returns quiet is expected as
    /// <c>nan:arithmetic</c> (the payload of an operation's NaN is nondeterministic: spec 4.3.3); any other value exactly.
    /// </summary>
    [SkippableFact]
    public void RandomProgramsGiveTheResultsOfX64UnderQemu()
    {
        var script = new StringBuilder();
        var commands = 0;
        int[] seeds = [11, 12, 13, 14, 101, 102, 103, 104, 105, 106, 107, 108];
        foreach (var seed in seeds)
        {
            const int functions = 60;
            var program = RandomProgramModule.Build(seed, 5 + (seed % 4), functions);
            script.Append("(module binary \"");
            foreach (var b in program.Bytes) script.Append('\\').Append(b.ToString("x2"));
            script.AppendLine("\")");
            using var instance = Instance.Create(KernelCatalog.Read(program.Bytes, $"random-{seed}.wasm"));
            for (var f = 0; f < functions; f++)
            {
                for (var run = 0; run < 6; run++)
                {
                    var args = program.NextArguments();
                    var invoke = $"(invoke \"f{f}\" (i32.const {args[0]}) (i32.const {args[1]}) (i64.const {args[2]}) (i64.const {args[3]}))";
                    // The outcome first: an interpolated AppendLine writes its parts as it goes, even when the call throws.
                    string expected;
                    try
                    {
                        expected = $"(assert_return {invoke} {Wast(instance.Invoke("f" + f, args))})";
                    }
                    catch (TrapException e)
                    {
                        expected = e.Kind == TrapKind.CallStackExhausted ? $"(assert_exhaustion {invoke} \"{e.Kind.GetMessage()}\")" : $"(assert_trap {invoke} \"{e.Kind.GetMessage()}\")";
                    }

                    script.AppendLine(expected);

                    commands++;
                }
            }
        }

        var path = Path.Combine(Path.GetTempPath(), $"wasmtk-random-{Environment.ProcessId}.wast");
        File.WriteAllText(path, script.ToString());
        try
        {
            Assert.Equal(commands + seeds.Length, RunUnderQemu([path]));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>A result as a wast constant: floats in hexadecimal notation from their bits (exact), quiet NaNs as <c>nan:arithmetic</c>.</summary>
    private static string Wast(object? value) => value switch
    {
        int i => $"(i32.const {i})",
        long l => $"(i64.const {l})",
        float f => $"(f32.const {Float(BitConverter.SingleToUInt32Bits(f), 23, 8)})",
        double d => $"(f64.const {Float(BitConverter.DoubleToUInt64Bits(d), 52, 11)})",
        _ => throw new InvalidOperationException($"unexpected result {value}"),
    };

    private static string Float(ulong bits, int mantissaBits, int exponentBits)
    {
        var sign = (bits >> (mantissaBits + exponentBits)) != 0 ? "-" : "";
        var exponent = (int)((bits >> mantissaBits) & ((1UL << exponentBits) - 1));
        var mantissa = bits & ((1UL << mantissaBits) - 1);
        var maxExponent = (1 << exponentBits) - 1;
        var bias = (1 << (exponentBits - 1)) - 1;
        if (exponent == maxExponent)
        {
            if (mantissa == 0) return sign + "inf";
            return (mantissa >> (mantissaBits - 1)) != 0 ? "nan:arithmetic" : $"{sign}nan:0x{mantissa:x}";
        }

        // The fraction as whole hex digits: f32's 23 bits shifted to 24.
        var digits = (mantissaBits + 3) / 4;
        var fraction = (mantissa << ((digits * 4) - mantissaBits)).ToString("x" + digits);
        return exponent == 0 ? $"{sign}0x0.{fraction}p{1 - bias}" : $"{sign}0x1.{fraction}p{exponent - bias}";
    }

    /// <summary>
    /// Runs <paramref name="files"/> here (x64) and under qemu (ARM64): neither may fail or skip anything, and both must
    /// pass the same number of commands, which is returned.
    /// </summary>
    private int RunUnderQemu(string[] files)
    {
        var runner = new WastRunner(new WastRunOptions());
        var native = files.Select(runner.RunFile).ToList();
        var nativeProblems = native.SelectMany(r => r.Outcomes.Where(o => o.Status != WastStatus.Passed).Select(o => $"{r.Path}:{o.Line}: {o.Kind} {o.Status}: {o.Reason}")).Take(20).ToList();
        Assert.True(nativeProblems.Count == 0, "the script does not pass on this machine's backend:\n" + string.Join("\n", nativeProblems));

        var (exitCode, _, output) = Arm64Script.Run("run-wast.sh", "wasmtk-arm64-wast", "WASMTK_ARM64_OUT", ["--verbose", .. files], TimeSpan.FromMinutes(30));
        var summary = SummaryLine().Matches(output).LastOrDefault();
        Assert.True(summary is not null, $"run-wast.sh exited with {exitCode} and printed no summary:\n{output}");
        var (passed, failed, skipped) = (int.Parse(summary.Groups[1].Value), int.Parse(summary.Groups[2].Value), int.Parse(summary.Groups[3].Value));
        _output.WriteLine(output);
        Assert.True(failed == 0 && skipped == 0, $"arm64: {passed} passed, {failed} failed, {skipped} skipped:\n{output}");
        Assert.Equal(0, exitCode);
        Assert.Equal(native.Sum(r => r.Passed), passed);
        return passed;
    }

    [GeneratedRegex(@"^(\d+) passed, (\d+) failed, (\d+) skipped\s*$", RegexOptions.Multiline)]
    private static partial Regex SummaryLine();
}
