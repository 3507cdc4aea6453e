using WasmToolkit.Compiler;
using Xunit;

namespace WasmToolkit.Runtime.Tests.EdgeCases;

/// <summary>
/// The baseline compiler keeps memory 0's base in a register loaded at function entry. These tests cross the
/// places where another memory's base may be in that register: calls to an import and through a table into
/// another instance whose functions access their own memory, a host function, a direct call to a function that
/// touches no memory, <c>memory.grow</c> (the base never moves), and an imported memory. After each the caller's
/// loads and stores must reach its own memory, and the bounds checks still stop at the last valid byte.
/// </summary>
public class MemoryBaseRegisterTests
{
    private const string Other = """
        (module
          (memory 1)
          (data (i32.const 16) "\ee\ee\ee\ee")
          (table (export "tab") 1 funcref)
          (elem (i32.const 0) $scribble)
          (func $scribble (export "scribble") (param i32) (result i32)
            (i32.store (i32.const 16) (i32.add (i32.load (i32.const 16)) (local.get 0)))
            (i32.load (local.get 0))))
        """;

    [Fact]
    public void AccessesAfterCallsIntoAnotherInstanceUseTheCallersMemory()
    {
        using var linker = new Linker();
        var other = linker.Instantiate(Wat.Compile(Other));
        linker.DefineInstance("other", other);
        linker.Define("host", "id", Function.Create<int, int>(x => x));
        using var user = linker.Instantiate(Wat.Compile("""
            (module
              (import "other" "scribble" (func $scribble (param i32) (result i32)))
              (import "other" "tab" (table 1 funcref))
              (import "host" "id" (func $id (param i32) (result i32)))
              (type $t (func (param i32) (result i32)))
              (memory 1 2)
              (data (i32.const 16) "\01\02\03\04")
              (func $plain (param i32) (result i32) (i32.mul (local.get 0) (i32.const 3)))
              (func (export "viaImport") (param i32) (result i32)
                (local i32)
                (local.set 1 (i32.load (local.get 0)))
                (drop (call $scribble (i32.const 20)))
                (i32.store offset=4 (local.get 0) (local.get 1))
                (i32.add (local.get 1) (i32.load offset=4 (local.get 0))))
              (func (export "viaTable") (param i32) (result i32)
                (drop (call_indirect (type $t) (i32.const 4) (i32.const 0)))
                (i32.load (local.get 0)))
              (func (export "viaHostAndPlain") (param i32) (result i32)
                (drop (call $id (i32.const 1)))
                (drop (call $plain (i32.const 2)))
                (i32.load (local.get 0)))
              (func (export "afterGrow") (param i32) (result i32)
                (drop (memory.grow (i32.const 1)))
                (i32.store (i32.const 131068) (i32.const 0x55667788))
                (i32.add (i32.load (local.get 0)) (i32.load (i32.const 131068))))
              (func (export "load") (param i32) (result i32) (i32.load (local.get 0))))
            """));

        // Bytes 16..19 of this instance's memory are 01 02 03 04; the other instance's are ee ee ee ee.
        Assert.Equal(0x04030201 * 2, (int)user.Invoke("viaImport", 16)!);
        Assert.Equal(0x04030201, (int)user.Invoke("load", 20)!);
        Assert.Equal(0x04030201, (int)user.Invoke("viaTable", 16)!);
        Assert.Equal(0x04030201, (int)user.Invoke("viaHostAndPlain", 16)!);

        // The other instance's memory changed only through its own functions.
        Assert.Equal(unchecked((int)0xEEEEEEEE) + 20 + 4 + 16, (int)other.Invoke("scribble", 16)!);
        Assert.Equal(unchecked(0x04030201 + 0x55667788), (int)user.Invoke("afterGrow", 16)!);
        Assert.Equal(0x55667788, (int)user.Invoke("load", 131068)!);
        Assert.Equal(TrapKind.MemoryOutOfBounds, Assert.Throws<TrapException>(() => user.Invoke("load", 131069)).Kind);
    }

    [Fact]
    public void AnImportedMemoryIsReachedThroughTheCachedBase()
    {
        using var linker = new Linker();
        var memory = new Memory(1, 3);
        linker.Define("env", "mem", memory);
        var other = linker.Instantiate(Wat.Compile(Other));
        linker.DefineInstance("other", other);
        using var user = linker.Instantiate(Wat.Compile("""
            (module
              (import "env" "mem" (memory 1 3))
              (import "other" "scribble" (func $scribble (param i32) (result i32)))
              (func (export "roundtrip") (param i32 i64) (result i64)
                (i64.store offset=8 (local.get 0) (local.get 1))
                (drop (call $scribble (i32.const 0)))
                (i64.load offset=8 (local.get 0)))
              (func (export "grow") (result i32) (memory.grow (i32.const 1))))
            """));
        Assert.Equal(0x1122334455667788L, (long)user.Invoke("roundtrip", 65536 - 16, 0x1122334455667788L)!);
        Assert.Equal(TrapKind.MemoryOutOfBounds, Assert.Throws<TrapException>(() => user.Invoke("roundtrip", 65536 - 15, 1L)).Kind);
        Assert.Equal(1, (int)user.Invoke("grow")!);
        Assert.Equal(-5L, (long)user.Invoke("roundtrip", (2 * 65536) - 16, -5L)!);
    }

    /// <summary>
    /// Constant addresses below the declared minimum need no bounds check; above it they are checked against the
    /// current size (which grew, or which an imported memory already had beyond its declared minimum).
    /// </summary>
    [Fact]
    public void ConstantAddressesAreCheckedOnlyBeyondTheDeclaredMinimum()
    {
        const string Body = """
              (func (export "low") (result i64)
                (i64.store (i32.const 65528) (i64.const 0x0102030405060708))
                (i64.load (i32.const 65528)))
              (func (export "high") (result i32)
                (i32.store offset=65536 (i32.const 65532) (i32.const 77))
                (i32.load (i32.const 131068)))
              (func (export "past") (result i32) (i32.load (i32.const 131069)))
              (func (export "grow") (result i32) (memory.grow (i32.const 1))))
            """;
        using var own = Wat.Instantiate("(module (memory 1 4)" + Body);
        Assert.Equal(0x0102030405060708L, (long)own.Invoke("low")!);
        Assert.Equal(TrapKind.MemoryOutOfBounds, Assert.Throws<TrapException>(() => own.Invoke("high")).Kind);
        Assert.Equal(1, (int)own.Invoke("grow")!);
        Assert.Equal(77, (int)own.Invoke("high")!);
        Assert.Equal(TrapKind.MemoryOutOfBounds, Assert.Throws<TrapException>(() => own.Invoke("past")).Kind);

        using var linker = new Linker();
        linker.Define("env", "mem", new Memory(2, 4));
        var imported = linker.Instantiate(Wat.Compile("""(module (import "env" "mem" (memory 1 4))""" + Body));
        Assert.Equal(0x0102030405060708L, (long)imported.Invoke("low")!);
        Assert.Equal(77, (int)imported.Invoke("high")!);
        Assert.Equal(TrapKind.MemoryOutOfBounds, Assert.Throws<TrapException>(() => imported.Invoke("past")).Kind);
    }
}
