using System;
using System.IO;
using WasmToolkit.Cli;
using Xunit;

namespace WasmToolkit.Tests.Cli;

/// <summary><c>wasmtk wast --compile-mode</c>: every mode gives the same outcomes; a bad mode is a usage error.</summary>
public sealed class WastCompileModeTests : IDisposable
{
    private const string Script = """
        (module
          (func $double (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
          (func $never (result i32) (unreachable))
          (table funcref (elem $double $never))
          (func (export "twice") (param i32) (result i32) (call $double (call $double (local.get 0))))
          (func (export "via-table") (param i32 i32) (result i32) (call_indirect (param i32) (result i32) (local.get 0) (local.get 1))))
        (assert_return (invoke "twice" (i32.const 5)) (i32.const 20))
        (assert_return (invoke "via-table" (i32.const 4) (i32.const 0)) (i32.const 8))
        (assert_trap (invoke "via-table" (i32.const 4) (i32.const 1)) "indirect call type mismatch")
        (assert_trap (invoke "via-table" (i32.const 4) (i32.const 2)) "undefined element")
        (assert_invalid (module (func (result i32) (i64.const 1))) "type mismatch")
        """;

    private readonly string _path = Path.Combine(Path.GetTempPath(), "wasmtk-mode-" + Guid.NewGuid().ToString("N") + ".wast");

    public WastCompileModeTests() => File.WriteAllText(_path, Script);

    public void Dispose() => File.Delete(_path);

    [SkippableTheory]
    [InlineData("sequential")]
    [InlineData("parallel")]
    [InlineData("lazy")]
    public void EveryModePassesTheScript(string mode)
    {
        Skip.IfNot(System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.X64
            && OperatingSystem.IsLinux(), "the x64 runtime executes on Linux x64 only");
        var stdout = new StringWriter { NewLine = "\n" };
        var exit = CliApplication.Run(new[] { "wast", "--compile-mode", mode, _path }, stdout, new StringWriter());
        Assert.Equal(0, exit);
        Assert.EndsWith("6 passed, 0 failed, 0 skipped\n", stdout.ToString());
    }

    [Fact]
    public void AnUnknownModeIsAUsageError()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = CliApplication.Run(new[] { "wast", "--compile-mode", "eventually", _path }, stdout, stderr);
        Assert.NotEqual(0, exit);
        Assert.Contains("eventually", stdout.ToString() + stderr.ToString());
    }
}
