using System.Linq;
using WasmToolkit.Compiler;
using Xunit;

namespace WasmToolkit.Runtime.Tests;

/// <summary>
/// A trap call is often the last instruction of a function (out-of-line trap paths come last), so in the last
/// function of an image its return address is one past the image. The stack trace must still name that frame:
/// return addresses are looked up by the call's last byte.
/// </summary>
public class TrapAtImageEndTests
{
    private const string Module = """
        (module
          (func $inner (param i32) (result i32) (i32.div_s (i32.const 100) (local.get 0)))
          (func $outer (export "outer") (param i32) (result i32) (call $inner (local.get 0)))
          (func $last (export "last") (param i32) (result i32) (i32.div_s (i32.const 100) (local.get 0))))
        """;

    [Fact]
    public void ATrapWhoseCallEndsTheImageKeepsItsFrame()
    {
        var compiled = Wat.Compile(Module);

        // The case under test: the trap site of the last function returns to the end of the code.
        Assert.Equal(compiled.Code.Length, compiled.TrapSites.Max(s => s.ReturnOffset));

        using var instance = Instance.Create(compiled);
        var e = Assert.Throws<TrapException>(() => instance.Invoke("last", 0));
        Assert.Equal(TrapKind.IntegerDivideByZero, e.Kind);
        var frame = Assert.Single(e.WasmStackTrace);
        Assert.Equal(2, frame.FunctionIndex);
        Assert.Equal("last", frame.FunctionName);

        // Other frames are unaffected.
        var nested = Assert.Throws<TrapException>(() => instance.Invoke("outer", 0));
        Assert.Equal(new[] { 0, 1 }, nested.WasmStackTrace.Select(f => f.FunctionIndex).ToArray());
    }
}
