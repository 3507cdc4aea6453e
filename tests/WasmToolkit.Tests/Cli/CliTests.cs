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

    [Fact]
    public void MissingFilesAreErrorsNotCrashes()
    {
        Assert.Equal(1, Run("inspect", Path.Combine(_dir, "nope.wasm")).Exit);
        Assert.Equal(1, Run("validate", Path.Combine(_dir, "nope.wasm")).Exit);
        Assert.Equal(2, Run("wast", Path.Combine(_dir, "nope")).Exit);
        Assert.Equal(2, Run("frobnicate").Exit);
    }
}
