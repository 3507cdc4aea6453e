using System;
using System.IO;
using System.Linq;
using WasmToolkit.Binary;
using WasmToolkit.Cli;
using WasmToolkit.Tests.Infrastructure;
using Xunit;

namespace WasmToolkit.Tests.Cli;

/// <summary>
/// The <c>wasmtk</c> commands run in process: output checked as snapshots (<c>CliTests.*.verified.txt</c>
/// beside this file, VERIFY_ACCEPT=1 to accept) and exit codes.
/// </summary>
public sealed class CliTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "wasmtk-cli-" + Guid.NewGuid().ToString("N"));

    public CliTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var exit = CliApplication.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Paths in output are made relative to the temp folder so snapshots are stable.</summary>
    private string Stable(string text) => text.Replace(_dir + Path.DirectorySeparatorChar, "").Replace(_dir, ".");

    [Fact]
    public void NoArgumentsInspectsAndValidatesTheEmbeddedSample()
    {
        var (exit, output, error) = Run();
        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Snapshot.Match(output);
    }

    [Fact]
    public void ValidateReportsInCompilerFormatAndFailsWithExitCode1()
    {
        var good = Write("good.wat", "(module (func (export \"f\") (result i32) (i32.const 1)))");
        var bad = Write("bad.wat", "(module (func (result i32) (i64.const 1)))");
        var malformed = Path.Combine(_dir, "malformed.wasm");
        File.WriteAllBytes(malformed, new byte[] { 0, 0x61, 0x73, 0x6D, 2, 0, 0, 0 });
        var (exit, output, _) = Run("validate", good, bad, malformed);
        Assert.Equal(1, exit);
        Snapshot.Match(Stable(output));
        Assert.Equal(0, Run("validate", good).Exit);
    }

    [Fact]
    public void InspectListsSectionsOfABinary()
    {
        var wat = Write("m.wat", "(module (memory 1) (func $f (export \"f\") (param i32) (result i32) local.get 0) (data (i32.const 0) \"hi\"))");
        var wasm = Path.Combine(_dir, "m.wasm");
        Assert.Equal(0, Run("convert", wat, wasm).Exit);
        var (exit, output, _) = Run("inspect", wasm);
        Assert.Equal(0, exit);
        Snapshot.Match(Stable(output));
    }

    [Fact]
    public void ConvertRoundTripsBetweenTextAndBinary()
    {
        var wat = Write("a.wat", "(module (global $g (mut i64) (i64.const -5)) (func $add (param i32 i32) (result i32) local.get 0 local.get 1 i32.add) (export \"add\" (func $add)))");
        var wasm = Path.Combine(_dir, "a.wasm");
        var back = Path.Combine(_dir, "b.wat");
        Assert.Equal(0, Run("convert", wat, wasm).Exit);
        Assert.Equal(0, Run("convert", wasm, back).Exit);
        var original = ModuleReader.Read(File.ReadAllBytes(wasm)).Module!;
        var reparsed = WasmToolkit.Text.TextModuleParser.Parse(File.ReadAllText(back)).Module!;
        Assert.Null(ModuleComparer.FindDifference(original, reparsed));
    }

    [Fact]
    public void WastPrintsCountsAndTheSummaryLineLast()
    {
        var script = Write("t.wast", string.Join("\n",
            "(module (func (export \"f\") (result i32) (i32.const 1)))",
            "(assert_return (invoke \"f\") (i32.const 1))",
            "(assert_invalid (module (func (result i32) (i64.const 1))) \"type mismatch\")",
            "(assert_malformed (module quote \"(func (i32.const 0x1_0000_0000) drop)\") \"constant out of range\")",
            "(assert_malformed (module binary \"\\00asm\\02\\00\\00\\00\") \"unknown binary version\")"));
        var (exit, output, _) = Run("wast", "--verbose", script);
        Assert.Equal(0, exit);
        var lines = output.TrimEnd('\n').Split('\n');
        // The assert_return runs on the runtime (Linux x64; the snapshot is taken there).
        Assert.Equal("5 passed, 0 failed, 0 skipped", lines.Last());
        Snapshot.Match(Stable(output));
    }

    [Fact]
    public void WastFailsWithExitCode1WhenAnAssertionFails()
    {
        var script = Write("f.wast", "(assert_invalid (module (func)) \"type mismatch\")");
        var (exit, output, _) = Run("wast", script);
        Assert.Equal(1, exit);
        Assert.EndsWith("0 passed, 1 failed, 0 skipped\n", output);
    }

    [SkippableFact]
    public void WastComparesFloatResultsBitForBitAndByNanPattern()
    {
        Skip.IfNot(System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.X64
            && System.OperatingSystem.IsLinux(), "the x64 runtime executes on Linux x64 only");
        var script = Write("f.wast", string.Join("\n",
            "(module (func (export \"z\") (result f32) (f32.const -0)) (func (export \"n\") (result f64) (f64.div (f64.const 0) (f64.const 0)))",
            "  (func (export \"a\") (param f64 f64) (result f64) (f64.add (local.get 0) (local.get 1))))",
            "(assert_return (invoke \"z\") (f32.const 0))",
            "(assert_return (invoke \"z\") (f32.const -0))",
            "(assert_return (invoke \"n\") (f64.const nan:canonical))",
            "(assert_return (invoke \"n\") (f64.const 1))",
            "(assert_return (invoke \"a\" (f64.const 0.5) (f64.const 0.25)) (f64.const 0.75))",
            "(assert_return (invoke \"a\" (f64.const 0.5) (f64.const 0.25)) (f64.const 0.7500000000000001))"));
        var (exit, output, _) = Run("wast", script);
        Assert.Equal(1, exit);
        Assert.Contains("f.wast:3: AssertReturn failed", output);
        Assert.Contains("f.wast:6: AssertReturn failed", output);
        Assert.Contains("f.wast:8: AssertReturn failed", output);
        Assert.EndsWith("4 passed, 3 failed, 0 skipped\n", output);
    }

    [SkippableFact]
    public void WastComparesVectorResultsLaneByLaneInTheirShape()
    {
        Skip.IfNot(System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.X64
            && System.OperatingSystem.IsLinux(), "the x64 runtime executes on Linux x64 only");
        var script = Write("v.wast", string.Join("\n",
            "(module (func (export \"id\") (param v128) (result v128) (local.get 0))",
            "  (func (export \"mix\") (param v128 i32 v128) (result i32 v128) (local.get 1) (local.get 2))",
            "  (global (export \"g\") v128 (v128.const f32x4 nan -0 1 -nan:0x600000)))",
            "(assert_return (invoke \"id\" (v128.const i8x16 -1 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15)) (v128.const i8x16 255 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15))",
            "(assert_return (invoke \"id\" (v128.const i32x4 1 2 3 4)) (v128.const i64x2 0x0000000200000001 0x0000000400000003))",
            "(assert_return (invoke \"id\" (v128.const i32x4 1 2 3 4)) (v128.const i32x4 1 2 3 5))",
            "(assert_return (invoke \"mix\" (v128.const i16x8 0 0 0 0 0 0 0 0) (i32.const 7) (v128.const f64x2 1.5 -0)) (i32.const 7) (v128.const f64x2 1.5 -0))",
            "(assert_return (invoke \"mix\" (v128.const i16x8 0 0 0 0 0 0 0 0) (i32.const 7) (v128.const f64x2 1.5 -0)) (i32.const 7) (v128.const f64x2 1.5 0))",
            "(assert_return (get \"g\") (v128.const f32x4 nan:canonical -0 1 nan:arithmetic))",
            "(assert_return (get \"g\") (v128.const f32x4 nan:arithmetic -0 nan:canonical nan:arithmetic))",
            "(assert_return (invoke \"id\" (v128.const f32x4 nan:0x600000 0 0 0)) (v128.const f32x4 nan:arithmetic 0 0 0))",
            "(assert_return (invoke \"id\" (v128.const f32x4 nan:0x600000 0 0 0)) (v128.const f32x4 nan:canonical 0 0 0))"));
        var (exit, output, _) = Run("wast", script);
        Assert.Equal(1, exit);
        Assert.Contains("v.wast:6: AssertReturn failed", output);
        Assert.Contains("expected ((v128.const i32x4 0x1 0x2 0x3 0x5))", output);
        Assert.Contains("= ((v128.const i32x4 0x00000001 0x00000002 0x00000003 0x00000004)), expected", output);
        Assert.Contains("v.wast:8: AssertReturn failed", output);
        Assert.Contains("v.wast:10: AssertReturn failed", output);
        Assert.Contains("v.wast:12: AssertReturn failed", output);
        Assert.EndsWith("6 passed, 4 failed, 0 skipped\n", output);
    }

    private const string Arithmetic = """
        (module
          (memory 1)
          (func $add (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
          (func $div (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
          (func $outer (export "outer") (param i32) (result i32) (call $div (i32.const 7) (local.get 0)))
          (func $wide (export "wide") (param i64 f32 f64) (result i64 f32 f64) (local.get 0) (local.get 1) (local.get 2))
          (func $load (export "load") (param i32) (result i64) (i64.load offset=8 (local.get 0))))
        """;

    private static bool OnX64Linux => System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.X64
        && System.OperatingSystem.IsLinux();

    /// <summary>The compile time varies from run to run; everything else in the summary is deterministic.</summary>
    private static string WithoutTiming(string text) => System.Text.RegularExpressions.Regex.Replace(text, "compile time .*", "compile time (varies)");

    [Fact]
    public void CompilePrintsASummaryAndTheSelectedFunctionsMachineCode()
    {
        var wat = Write("m.wat", Arithmetic);
        var wasm = Path.Combine(_dir, "m.wasm");
        Assert.Equal(0, Run("convert", wat, wasm).Exit);
        var (exit, output, error) = Run("compile", wasm, "--disasm", "--function", "$outer", "--jobs", "1");
        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Assert.Contains("compile time ", output);
        Snapshot.Match(Stable(WithoutTiming(output)));
    }

    [Fact]
    public void CompileOfTextShowsLinesAndColumnsAndSelectsByIndexOrExportName()
    {
        var wat = Write("m.wat", Arithmetic);
        var (exit, output, _) = Run("compile", wat, "-d", "-f", "1");
        Assert.Equal(0, exit);
        Assert.Contains("function 1 $div (func (param i32 i32) (result i32))", output);
        Assert.Contains("; wasm 4:59 i32.div_s: integer divide by zero", output);
        Assert.DoesNotContain("function 0 $add", output);
        var byExport = Run("compile", wat, "-d", "-f", "outer").Out;
        Assert.Contains("call    func[1] $div", byExport);
        Assert.Contains("; wasm 5:59 call 1 $div", byExport);
        Assert.Equal(5, Run("compile", wat, "-d").Out.Split('\n').Count(l => l.StartsWith("function ", StringComparison.Ordinal)));
    }

    [Fact]
    public void CompileErrorsPrintAsDiagnosticsWithExitCode1()
    {
        var imports = Write("imports.wat", "(module (import \"env\" \"log\" (func $log (param i32))) (func (export \"f\") (call $log (i32.const 1))))");
        var (exit, output, _) = Run("compile", imports);
        Assert.Equal(0, exit); // imports are the linker's business; the module compiles
        Assert.Contains("functions", output);

        // A function the compiler does not support (SIMD for a processor without SSE4.1): a warning and a trapping
        // stub, or with --strict an error at its instruction.
        var simd = Write("simd.wat", "(module (func $ok (result i32) (i32.const 1))\n  (func $vec (drop (v128.const i64x2 0 0))))");
        Assert.Contains("unsupported        0", Run("compile", simd).Out);
        var lenient = Run("compile", simd, "--x64-features", "popcnt");
        Assert.Equal(0, lenient.Exit);
        Assert.StartsWith("simd.wat(2,21): warning: ", Stable(lenient.Err));
        Assert.Contains("(function 1 $vec)", lenient.Err);
        Assert.Contains("unsupported        1 (compiled as trapping stubs)", lenient.Out);
        var strict = Run("compile", simd, "--strict", "--x64-features", "none");
        Assert.Equal(1, strict.Exit);
        Assert.StartsWith("simd.wat(2,21): error: ", Stable(strict.Err));

        var invalid = Write("invalid.wat", "(module (func (result i32) (i64.const 1)))");
        Assert.Equal(1, Run("compile", invalid).Exit);
        Assert.Contains("type mismatch", Run("compile", invalid).Err);
    }

    [Fact]
    public void CompileRejectsBadArgumentsWithExitCode2()
    {
        var wat = Write("m.wat", Arithmetic);
        Assert.Equal(2, Run("compile", wat, "--function", "9").Exit);
        Assert.Equal(2, Run("compile", wat, "--function", "$nope").Exit);
        Assert.Equal(2, Run("compile", wat, "--jobs", "0").Exit);
        Assert.Contains("unknown x64 feature \"sse5\"", Run("compile", wat, "--x64-features", "popcnt,sse5").Err);
        Assert.Contains("function index 9 out of range", Run("compile", wat, "--function", "9").Err);
    }

    [SkippableFact]
    public void RunInvokesAFunctionAndPrintsResultsOnePerLine()
    {
        Skip.IfNot(OnX64Linux, "the x64 runtime executes on Linux x64 only");
        var wat = Write("m.wat", Arithmetic);
        Assert.Equal((0, "-3\n", ""), Run("run", wat, "--invoke", "add", "2", "-5"));
        Assert.Equal((0, "-7\n", ""), Run("run", wat, "--invoke", "add", "-5", "-2"));
        Assert.Equal((0, "-7\n", ""), Run("run", wat, "--invoke", "add", "--", "-5", "-2"));
        Assert.Equal((0, "-1\n", ""), Run("run", wat, "--invoke", "add", "0x7fffffff", "0x80000000"));
        Assert.Equal((0, "-9223372036854775808\n-inf\n0.125\n", ""), Run("run", wat, "--invoke", "wide", "0x8000000000000000", "-inf", "0x1p-3"));
        Assert.Equal((0, "5\nNaN\n100000000000000000000\n", ""), Run("run", wat, "--invoke", "wide", "5", "nan", "1e20"));
        Assert.Equal((0, "0\n-0\n0.000001\n", ""), Run("run", wat, "--invoke", "wide", "0", "-0", "1e-6"));
        Assert.Equal((0, "0\n", ""), Run("run", wat, "--invoke", "load", "0"));

        // A v128 argument is v128.const's operand (shape, then lanes) in one argument; a result prints as i32x4.
        var vectors = Write("v.wat", "(module (func (export \"rev\") (param v128) (result v128) (i8x16.shuffle 12 13 14 15 8 9 10 11 4 5 6 7 0 1 2 3 (local.get 0) (local.get 0))))");
        Assert.Equal((0, "i32x4 0xffffffff 0x00000003 0x00000002 0x00000001\n", ""), Run("run", vectors, "--invoke", "rev", "i32x4 1 2 3 -1"));
        Assert.Equal((0, "i32x4 0x7f800000 0x7fc00000 0x80000000 0x3fc00000\n", ""), Run("run", vectors, "--invoke", "rev", "f32x4 1.5 -0 nan inf"));
        Assert.Equal(2, Run("run", vectors, "--invoke", "rev", "i32x4 1 2").Exit);
    }

    [SkippableFact]
    public void RunCallsStartThenUnderscoreStartByDefault()
    {
        Skip.IfNot(OnX64Linux, "the x64 runtime executes on Linux x64 only");
        var wat = Write("s.wat", """
            (module
              (global $g (mut i32) (i32.const 1))
              (func $init (global.set $g (i32.mul (global.get $g) (i32.const 10))))
              (func (export "_start") (result i32) (global.get $g))
              (start $init))
            """);
        Assert.Equal((0, "10\n", ""), Run("run", wat));
        var quiet = Write("q.wat", "(module (func (export \"f\") (result i32) (i32.const 1)))");
        Assert.Equal((0, "", ""), Run("run", quiet));
        var trapsAtStart = Write("t.wat", "(module (func $s unreachable) (start $s))");
        var (exit, _, error) = Run("run", trapsAtStart);
        Assert.Equal(1, exit);
        Assert.StartsWith("error: trap: unreachable\n", error);

        // A function the compiler leaves out (SIMD without SSE4.1) traps when called, and the error says why.
        var simd = Write("v.wat", "(module (func (export \"v\") (drop (v128.const i64x2 0 0))))");
        Assert.Equal((0, "", ""), Run("run", simd, "--invoke", "v"));
        var unsupported = Run("run", simd, "--invoke", "v", "--x64-features", "popcnt");
        Assert.Equal(1, unsupported.Exit);
        Assert.StartsWith("error: trap: function not supported by the compiler\nnote: v.wat(1,35): not compiled: ", Stable(unsupported.Err));
        Assert.Contains("v128.const", unsupported.Err);
    }

    [SkippableFact]
    public void RunReportsATrapWithTheWasmStackTraceAndExitCode1()
    {
        Skip.IfNot(OnX64Linux, "the x64 runtime executes on Linux x64 only");
        var wat = Write("m.wat", Arithmetic);
        var wasm = Path.Combine(_dir, "m.wasm");
        Assert.Equal(0, Run("convert", wat, wasm).Exit);
        var text = Run("run", wat, "--invoke", "outer", "0");
        var binary = Run("run", wasm, "--invoke", "outer", "0");
        var bounds = Run("run", wasm, "--invoke", "load", "65530");
        Assert.Equal(1, text.Exit);
        Assert.Equal(1, binary.Exit);
        Assert.Equal(1, bounds.Exit);
        Assert.Equal("", text.Out + binary.Out + bounds.Out);
        Snapshot.Match(Stable(string.Join("\n", "$ wasmtk run m.wat --invoke outer 0", text.Err, "$ wasmtk run m.wasm --invoke outer 0", binary.Err, "$ wasmtk run m.wasm --invoke load 65530", bounds.Err)));
    }

    [Fact]
    public void RunRejectsBadArgumentsWithExitCode2()
    {
        var wat = Write("m.wat", Arithmetic);
        var cases = new[]
        {
            new[] { "run", wat, "--invoke", "add", "1" },
            new[] { "run", wat, "--invoke", "add", "1", "2", "3" },
            new[] { "run", wat, "--invoke", "add", "1", "x" },
            new[] { "run", wat, "--invoke", "add", "1", "4294967296" },
            new[] { "run", wat, "--invoke", "add", "1", "1.5" },
            new[] { "run", wat, "--invoke", "wide", "1", "2", "(f64.const" },
            new[] { "run", wat, "--invoke", "nope" },
            new[] { "run", wat, "1", "2" },
        };
        var errors = new System.Text.StringBuilder();
        foreach (var args in cases)
        {
            var (exit, output, error) = Run(args);
            Assert.Equal(2, exit);
            Assert.Equal("", output);
            errors.Append("$ wasmtk ").Append(string.Join(' ', args.Skip(2).Prepend("run m.wat"))).Append('\n').Append(error);
        }

        Snapshot.Match(errors.ToString());
    }

    [Fact]
    public void RunNamesTheUnresolvedImportsOfAModule()
    {
        var wat = Write("i.wat", """
            (module
              (import "env" "log" (func (param i32)))
              (import "env" "memory" (memory 1))
              (import "spectest" "global_i32" (global i32))
              (func (export "_start")))
            """);
        var (exit, output, error) = Run("run", wat);
        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Snapshot.Match(Stable(error));
    }

    [Fact]
    public void MissingFilesAreErrorsNotCrashes()
    {
        Assert.Equal(1, Run("inspect", Path.Combine(_dir, "nope.wasm")).Exit);
        Assert.Equal(1, Run("validate", Path.Combine(_dir, "nope.wasm")).Exit);
        Assert.Equal(2, Run("wast", Path.Combine(_dir, "nope")).Exit);
        Assert.Equal(2, Run("frobnicate").Exit);
        Assert.Equal(1, Run("compile", Path.Combine(_dir, "nope.wasm")).Exit);
        Assert.Equal(1, Run("run", Path.Combine(_dir, "nope.wasm")).Exit);
    }
}
