using System;
using System.IO;
using System.Linq;
using WasmToolkit.Cli;
using WasmToolkit.Compiler.Serialization;
using Xunit;

namespace WasmToolkit.Tests.Cli;

/// <summary>
/// Compiled-module caches on the command line: <c>wasmtk compile -o FILE.cwasm</c>, <c>run</c> and <c>inspect</c> of
/// a cache (recognised by magic, not extension), refusals printed as diagnostics with exit code 1, and
/// <c>wasmtk wast --compile-mode</c>. No snapshots: the output names the toolkit build, which changes every commit.
/// </summary>
public sealed class CacheCliTests : IDisposable
{
    private const string Module = """
        (module
          (memory 1)
          (data (i32.const 0) "\2a")
          (func $fac (export "fac") (param i64) (result i64)
            (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 1))
              (else (i64.mul (local.get 0) (call $fac (i64.sub (local.get 0) (i64.const 1)))))))
          (func $div (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
          (func (export "outer") (param i32) (result i32) (call $div (i32.const 7) (local.get 0)))
          (func (export "first") (result i32) (i32.load8_u (i32.const 0))))
        """;

    private readonly string _dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "wasmtk-cache-" + Guid.NewGuid().ToString("N"));

    public CacheCliTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var exit = CliApplication.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static bool OnX64Linux => System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.X64
        && OperatingSystem.IsLinux();

    private string Path(string name) => System.IO.Path.Combine(_dir, name);

    /// <summary>Compiles the test module to <paramref name="name"/>.</summary>
    private string CompileCache(string name = "m.cwasm")
    {
        File.WriteAllText(Path("m.wat"), Module);
        var (exit, output, error) = Run("compile", Path("m.wat"), "-o", Path(name));
        Assert.True(exit == 0, error);
        Assert.Contains("  wrote              " + Path(name) + " (", output);
        return Path(name);
    }

    [SkippableFact]
    public void CompileWritesACacheThatRunRunsByItsMagicWhateverTheExtension()
    {
        var cache = CompileCache();
        Assert.Equal("WTKCWASM", System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(cache), 0, 8));
        Skip.IfNot(OnX64Linux, "running compiled code needs Linux x64");

        Assert.Equal((0, "2432902008176640000\n", ""), Run("run", cache, "--invoke", "fac", "20"));
        Assert.Equal((0, "42\n", ""), Run("run", cache, "--invoke", "first"));
        File.Copy(cache, Path("m.bin"));
        Assert.Equal((0, "6\n", ""), Run("run", Path("m.bin"), "--invoke", "fac", "3"));
    }

    [SkippableFact]
    public void ATrapInACachedModuleNamesTheCacheInTheStackTrace()
    {
        var cache = CompileCache();
        Skip.IfNot(OnX64Linux, "running compiled code needs Linux x64");
        var (exit, output, error) = Run("run", cache, "--invoke", "outer", "0");
        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.StartsWith("error: trap: integer divide by zero\nwasm stack trace:\n  at function 1 $div " + cache + "(0x", error);
        Assert.Contains("  at function 2 " + cache + "(0x", error);
    }

    [Fact]
    public void RunRefusesADamagedCacheWithItsDiagnosticAndExitCode1()
    {
        var bytes = File.ReadAllBytes(CompileCache());
        var flipped = (byte[])bytes.Clone();
        flipped[bytes.Length / 2] ^= 0x10;
        File.WriteAllBytes(Path("flipped.cwasm"), flipped);
        var (exit, output, error) = Run("run", Path("flipped.cwasm"), "--invoke", "fac", "3");
        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Equal($"{Path("flipped.cwasm")}(0x{bytes.Length - 32:x}): error WASM4107: compiled module integrity check failed: the SHA-256 does not match the contents (the file is corrupted)\n", error);

        File.WriteAllBytes(Path("short.cwasm"), bytes.AsSpan(0, 100).ToArray());
        (exit, output, error) = Run("run", Path("short.cwasm"));
        Assert.Equal(1, exit);
        Assert.Contains("error WASM4102: compiled module truncated: the header needs ", error);

        var otherVersion = (byte[])bytes.Clone();
        otherVersion[8] = 9;
        File.WriteAllBytes(Path("v9.cwasm"), otherVersion);
        (exit, _, error) = Run("run", Path("v9.cwasm"));
        Assert.Equal(1, exit);
        Assert.Equal($"{Path("v9.cwasm")}(0x8): error WASM4103: unsupported compiled module format version 9 (this toolkit reads version {CompiledModuleSerializer.FormatVersion}); compile the module again\n", error);
    }

    [SkippableFact]
    public void AnArm64CacheIsWrittenOnX64AndRefusedThereWithTheArchitectureError()
    {
        File.WriteAllText(Path("m.wat"), Module);
        var (exit, output, error) = Run("compile", "--target", "arm64", Path("m.wat"), "-o", Path("a.cwasm"));
        Assert.True(exit == 0, error);
        Assert.StartsWith(Path("m.wat") + ": compiled for arm64\n", output);
        Assert.Contains("  wrote              " + Path("a.cwasm") + " (", output);
        Assert.Contains(", arm64)\n", output);

        (exit, output, _) = Run("inspect", Path("a.cwasm"));
        Assert.Equal(0, exit);
        Assert.Contains("  architecture       arm64\n", output);

        Skip.IfNot(OnX64Linux, "the refusal is the x64 host's");
        (exit, output, error) = Run("run", Path("a.cwasm"), "--invoke", "first");
        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Equal($"{Path("a.cwasm")}(0xc): error WASM4105: compiled module targets arm64, expected x64\n", error);
    }

    [Fact]
    public void CompileRefusesAnUnknownTarget()
    {
        File.WriteAllText(Path("m.wat"), Module);
        var (exit, _, error) = Run("compile", "--target", "riscv64", Path("m.wat"));
        Assert.Equal(2, exit);
        Assert.Contains("riscv64", error);
    }

    [Fact]
    public void InspectShowsTheHeaderAndTheEmbeddedModule()
    {
        var cache = CompileCache();
        var (exit, output, error) = Run("inspect", cache);
        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Assert.StartsWith($"m.cwasm: compiled module (format {CompiledModuleSerializer.FormatVersion}, ", output);
        Assert.Contains("  architecture       x64\n", output);
        Assert.Contains("  integrity          SHA-256\n", output);
        Assert.Matches("  module sha-256     [0-9a-f]{64}\n", output);
        Assert.Contains("  on this host       loads\n", output);
        Assert.Contains("Sections:", output);
        Assert.Contains("  func[0] <fac> -> \"fac\"\n", output);
        Assert.Contains("  compiled           4 functions, ", output);

        var damaged = File.ReadAllBytes(cache);
        damaged[^1] ^= 1;
        File.WriteAllBytes(Path("d.cwasm"), damaged);
        (exit, output, _) = Run("inspect", Path("d.cwasm"));
        Assert.Equal(0, exit);
        Assert.Contains("  on this host       refused: ", output);
        Assert.Contains("WASM4107", output);
        Assert.DoesNotContain("Sections:", output);
    }

    [Theory]
    [InlineData("parallel")]
    [InlineData("sequential")]
    [InlineData("cached")]
    public void WastGivesTheSameResultsInEveryCompileMode(string mode)
    {
        File.WriteAllText(Path("t.wast"), string.Join("\n",
            Module,
            "(assert_return (invoke \"fac\" (i64.const 5)) (i64.const 120))",
            "(assert_return (invoke \"first\") (i32.const 42))",
            "(assert_trap (invoke \"outer\" (i32.const 0)) \"integer divide by zero\")",
            "(module (func (export \"f\") (result i32) (i32.const 1)))",
            "(assert_return (invoke \"f\") (i32.const 1))"));
        var (exit, output, error) = Run("wast", Path("t.wast"), "--compile-mode", mode);
        Assert.Equal("", error);
        Assert.Equal(0, exit);
        var summary = output.TrimEnd('\n').Split('\n').Last();
        if (OnX64Linux) Assert.Equal("6 passed, 0 failed, 0 skipped", summary);
        else Assert.Contains(", 0 failed, ", summary);
    }

    [Fact]
    public void AnUnknownCompileModeIsABadArgument()
    {
        File.WriteAllText(Path("t.wast"), "(module)");
        var (exit, _, error) = Run("wast", Path("t.wast"), "--compile-mode", "eager");
        Assert.Equal(2, exit);
        Assert.Contains("--compile-mode", error);
    }
}
