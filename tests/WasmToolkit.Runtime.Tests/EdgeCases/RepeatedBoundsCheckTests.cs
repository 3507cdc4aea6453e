using System.Linq;
using WasmToolkit.Compiler;
using Xunit;

namespace WasmToolkit.Runtime.Tests.EdgeCases;

/// <summary>
/// An access through a local (or a value a <c>local.tee</c> left) whose current value already passed a bounds check
/// reaching at least as far is compiled without a check of its own (memories never shrink). These tests cross every
/// place where that fact must be forgotten or does not apply — a wider access or a larger offset, a write to the local,
/// a stale tee value, a label other paths join (if, loop) — with addresses next to the end of memory, where a missing
/// check would read or write past it.
/// </summary>
public class RepeatedBoundsCheckTests
{
    private const int Page = 65536;

    private const string Module = """
        (module
          (memory 1 2)
          (func (export "readModifyWrite") (param i32) (result i64)
            (i64.store (local.get 0) (i64.add (i64.load (local.get 0)) (i64.const 1)))
            (i64.load (local.get 0)))
          (func (export "narrowThenWide") (param i32) (result i64)
            (drop (i32.load8_u (local.get 0)))
            (i64.load (local.get 0)))
          (func (export "largerOffset") (param i32) (result i32)
            (drop (i32.load (local.get 0)))
            (i32.load offset=4 (local.get 0)))
          (func (export "afterSet") (param i32) (result i32)
            (drop (i32.load (local.get 0)))
            (local.set 0 (i32.add (local.get 0) (i32.const 4)))
            (i32.load (local.get 0)))
          (func (export "teeAlias") (param i32 i32) (result i32) (local i32)
            (i32.store (local.tee 2 (i32.add (local.get 0) (i32.const 1))) (i32.add (i32.load (local.get 2)) (local.get 1)))
            (i32.load (local.get 2)))
          (func (export "staleTee") (param i32) (result i32) (local i32)
            (local.tee 1 (i32.add (local.get 0) (i32.const 1)))
            (local.set 1 (i32.const 0))
            (drop (i32.load (local.get 1)))
            (i32.store (i32.const 7))
            (i32.const 1))
          (func (export "join") (param i32 i32) (result i32)
            (if (local.get 1) (then (drop (i32.load (local.get 0)))))
            (i32.load (local.get 0)))
          (func (export "loop") (param i32 i32) (result i32) (local i32)
            (loop $l
              (local.set 2 (i32.add (local.get 2) (i32.load8_u (local.get 0))))
              (i32.store8 (local.get 0) (i32.const 9))
              (local.set 0 (i32.add (local.get 0) (i32.const 1)))
              (br_if $l (local.tee 1 (i32.sub (local.get 1) (i32.const 1)))))
            (local.get 2))
          (func (export "grow") (result i32) (memory.grow (i32.const 1))))
        """;

    [Fact]
    public void AccessesBeyondWhatWasCheckedStillTrap()
    {
        using var instance = Wat.Instantiate(Module);
        Assert.Equal(1L, (long)instance.Invoke("readModifyWrite", Page - 8)!);
        Traps(() => instance.Invoke("readModifyWrite", Page - 7));

        Assert.Equal(1L, (long)instance.Invoke("narrowThenWide", Page - 8)!);
        Traps(() => instance.Invoke("narrowThenWide", Page - 1));
        Assert.Equal(0, (int)instance.Invoke("largerOffset", Page - 8)!);
        Traps(() => instance.Invoke("largerOffset", Page - 4));
        Assert.Equal(0, (int)instance.Invoke("afterSet", Page - 8)!);
        Traps(() => instance.Invoke("afterSet", Page - 4));
    }

    [Fact]
    public void TeeValuesStandForTheLocalOnlyUntilItIsWritten()
    {
        using var instance = Wat.Instantiate(Module);
        Assert.Equal(5, (int)instance.Invoke("teeAlias", Page - 8, 5)!);
        Assert.Equal(5 << 8, (int)instance.Invoke("teeAlias", Page - 9, 0)!);
        Traps(() => instance.Invoke("teeAlias", Page - 4, 1));

        // The store goes to the tee's value; the check before it was on the local's new value 0.
        Assert.Equal(1, (int)instance.Invoke("staleTee", Page - 5)!);
        Assert.Equal(7, instance.GetMemory()[Page - 4]);
        Traps(() => instance.Invoke("staleTee", Page - 4));
    }

    [Fact]
    public void ChecksOnOnePathDoNotCoverAJoinOrALoopHeader()
    {
        using var instance = Wat.Instantiate(Module);
        Assert.Equal(0, (int)instance.Invoke("join", Page - 4, 0)!);
        Traps(() => instance.Invoke("join", Page - 2, 0));
        Traps(() => instance.Invoke("join", Page - 2, 1));

        // Each iteration reads and writes one byte further; the last one is past the end.
        Assert.Equal(0, (int)instance.Invoke("loop", Page - 3, 3)!);
        Assert.Equal(9 * 3, (int)instance.Invoke("loop", Page - 3, 3)!);
        Traps(() => instance.Invoke("loop", Page - 3, 4));
        Assert.Equal(1, (int)instance.Invoke("grow")!);
        Assert.Equal(9 * 3, (int)instance.Invoke("loop", Page - 3, 4)!);
    }

    [Fact]
    public void AnAccessThroughAValueCheckedFarEnoughHasNoTrapSite()
    {
        var compiled = Wat.Compile(Module);
        int BoundsChecks(int function) => compiled.TrapSites.Count(t => t.FunctionIndex == function && t.Kind == TrapKind.MemoryOutOfBounds);
        Assert.Equal(1, BoundsChecks(0)); // readModifyWrite: the store and the last load are covered by the first load
        Assert.Equal(2, BoundsChecks(1)); // narrowThenWide
        Assert.Equal(2, BoundsChecks(2)); // largerOffset
        Assert.Equal(2, BoundsChecks(3)); // afterSet
        Assert.Equal(1, BoundsChecks(4)); // teeAlias: the store and the last load are covered by the first load
        Assert.Equal(2, BoundsChecks(5)); // staleTee
        Assert.Equal(2, BoundsChecks(6)); // join
        Assert.Equal(1, BoundsChecks(7)); // loop: the store8 is covered by the load8_u
    }

    private static void Traps(System.Func<object?> run)
        => Assert.Equal(TrapKind.MemoryOutOfBounds, Assert.Throws<TrapException>(() => run()).Kind);
}
