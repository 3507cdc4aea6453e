using System.Linq;
using System.Text;
using WasmToolkit.Compiler;
using Xunit;

namespace WasmToolkit.Runtime.Tests;

/// <summary>
/// A trap call is often the last instruction of a function (out-of-line trap paths come last), so when the last
/// function of an image ends on the image's end its trap return address is one past the image. The stack trace must
/// still name that frame: return addresses are looked up by the call's last byte.
/// </summary>
public class TrapAtImageEndTests
{
    [Fact]
    public void ATrapWhoseCallEndsTheImageKeepsItsFrame()
    {
        // Images are padded to 16 bytes, so the case needs a last function whose size is a multiple of 16: vary the
        // code before the division (global stores, and xors of the dividend, which does not matter: the trap is the divisor's) until one is.
        var found = FindModuleWhoseLastTrapEndsTheImage();
        Assert.True(found is not null, "no variant puts a trap call at the very end of the image; widen the search");
        var (compiled, variant) = found.Value;

        using var instance = Instance.Create(compiled);
        var e = Assert.Throws<TrapException>(() => instance.Invoke("last", 7, 0));
        Assert.Equal(TrapKind.IntegerDivideByZero, e.Kind);
        var frame = Assert.Single(e.WasmStackTrace);
        Assert.Equal(1, frame.FunctionIndex);

        // The frames of other functions are unaffected.
        var nested = Assert.Throws<TrapException>(() => instance.Invoke("outer", 7, 0));
        Assert.Equal(new[] { 1, 0 }, nested.WasmStackTrace.Select(f => f.FunctionIndex).ToArray());
        Assert.True(variant.Length > 0);
    }

    private static (CompiledModule Compiled, string Variant)? FindModuleWhoseLastTrapEndsTheImage()
    {
        for (var stores = 0; stores < 32; stores++)
        {
            for (var adds = 0; adds < 16; adds++)
            {
                var body = new StringBuilder();
                for (var i = 0; i < stores; i++) body.Append("(global.set $g (local.get 0)) ");
                var dividend = "(local.get 0)";
                for (var i = 0; i < adds; i++) dividend = $"(i32.xor {dividend} (i32.const 1))";
                var module = $$"""
                    (module
                      (global $g (mut i32) (i32.const 0))
                      (func $outer (export "outer") (param i32 i32) (result i32) (call $last (local.get 0) (local.get 1)))
                      (func $last (export "last") (param i32 i32) (result i32) {{body}} (i32.rem_u {{dividend}} (local.get 1))))
                    """;
                var compiled = Wat.Compile(module);
                if (compiled.TrapSites.Max(s => s.ReturnOffset) == compiled.Code.Length) return (compiled, $"{stores} stores, {adds} xors");
            }
        }

        return null;
    }
}
