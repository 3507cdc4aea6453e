using System.Linq;
using WasmToolkit.Diagnostics;
using Xunit;

namespace WasmToolkit.Runtime.Tests.Linking;

public class LinkerTests
{
    [Fact]
    public void MissingAndMismatchedImportsAreLinkErrorsWithDiagnostics()
    {
        using var linker = new Linker();
        linker.Define("env", "f", Function.Create<int>(() => 1));
        linker.Define("env", "g", new Global(new GlobalType(ValType.I32, mutable: false), 5));
        var compiled = Wat.Compile("""
            (module
              (import "env" "f" (func (param i32)))
              (import "env" "g" (global (mut i32)))
              (import "env" "missing" (memory 1)))
            """);
        var e = Assert.Throws<LinkException>(() => linker.Instantiate(compiled));
        Assert.Equal(new[] { "WASM3002", "WASM3002", "WASM3001" }, e.Diagnostics.Select(d => d.Id));
        Assert.All(e.Diagnostics, d => Assert.Equal(DiagnosticSeverity.Error, d.Severity));
        Assert.StartsWith("incompatible import type", e.Diagnostics[0].Message);
        Assert.StartsWith("unknown import", e.Diagnostics[2].Message);
        Assert.Contains("\"env\" \"missing\"", e.Diagnostics[2].Message);
        Assert.IsType<BinaryLocation>(e.Diagnostics[0].Location);
    }

    [Fact]
    public void LimitsAreMatchedAgainstTheCurrentSize()
    {
        using var linker = new Linker();
        var memory = new Memory(1, 4);
        linker.Define("env", "mem", memory);
        var needsTwo = Wat.Compile("""(module (import "env" "mem" (memory 2 4)))""");
        Assert.Throws<LinkException>(() => linker.Instantiate(needsTwo));
        Assert.Equal(1, memory.Grow(1));
        linker.Instantiate(needsTwo);
        var wantsSmallerMax = Wat.Compile("""(module (import "env" "mem" (memory 1 3)))""");
        Assert.Throws<LinkException>(() => linker.Instantiate(wantsSmallerMax));
    }

    [Fact]
    public void InstancesShareMemoriesGlobalsAndTablesAcrossImports()
    {
        using var linker = new Linker();
        var provider = linker.Instantiate(Wat.Compile("""
            (module
              (memory (export "mem") 1 10)
              (global (export "counter") (mut i32) (i32.const 0))
              (table (export "tab") 2 funcref)
              (func $seven (result i32) (i32.const 7))
              (elem (i32.const 1) $seven)
              (func (export "bump") (global.set 0 (i32.add (global.get 0) (i32.const 1))))
              (func (export "peek") (param i32) (result i32) (i32.load8_u (local.get 0))))
            """));
        linker.DefineInstance("provider", provider);
        var user = linker.Instantiate(Wat.Compile("""
            (module
              (import "provider" "mem" (memory 1))
              (import "provider" "counter" (global $c (mut i32)))
              (import "provider" "bump" (func $bump))
              (func (export "poke") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
              (func (export "grow") (result i32) (memory.grow (i32.const 2)))
              (func (export "size") (result i32) (memory.size))
              (func (export "count") (result i32) (call $bump) (global.get $c)))
            """));

        user.Invoke("poke", 100, 42);
        Assert.Equal(42, provider.Invoke("peek", 100));
        Assert.Equal(42, provider.GetMemory("mem").GetSpan()[100]);
        Assert.Equal(1, user.Invoke("grow"));
        Assert.Equal(3, user.Invoke("size"));
        Assert.Equal(3L * 65536, provider.MemorySize);
        Assert.Equal(1, user.Invoke("count"));
        Assert.Equal(2, user.Invoke("count"));
        Assert.Equal(2, provider.GetGlobal("counter").Value);
        provider.GetGlobal("counter").Value = 40;
        Assert.Equal(41, user.Invoke("count"));

        var table = provider.GetTable("tab");
        Assert.Null(table.Get(0));
        var seven = Assert.IsType<Function>(table.Get(1));
        Assert.Equal(7, seven.Invoke());
        Assert.Same(provider, seven.Instance);
    }

    [Fact]
    public void AnInstantiationTrapKeepsEarlierSegmentWritesInImportedMemory()
    {
        using var linker = new Linker();
        var memory = new Memory(1);
        linker.Define("env", "mem", memory);
        var compiled = Wat.Compile("""
            (module
              (import "env" "mem" (memory 1))
              (data (i32.const 10) "ab")
              (data (i32.const 65535) "cd"))
            """);
        var trap = Assert.Throws<TrapException>(() => linker.Instantiate(compiled));
        Assert.Equal(Compiler.TrapKind.MemoryOutOfBounds, trap.Kind);
        Assert.Equal((byte)'a', memory.GetSpan()[10]);
        Assert.Equal((byte)'b', memory.GetSpan()[11]);
    }

    [Fact]
    public void AStandaloneInstanceRefusesImports()
    {
        var compiled = Wat.Compile("""(module (import "env" "f" (func)))""");
        var e = Assert.Throws<LinkException>(() => Instance.Create(compiled));
        Assert.Equal("WASM3001", Assert.Single(e.Diagnostics).Id);
    }

    [Fact]
    public void HostCreatedGlobalsCheckTypesAndMutability()
    {
        var global = new Global(new GlobalType(ValType.F64, mutable: false), 1.5);
        Assert.Equal(1.5, global.Value);
        Assert.Throws<System.InvalidOperationException>(() => global.Value = 2.0);
        Assert.Throws<System.ArgumentException>(() => new Global(new GlobalType(ValType.I32, mutable: true), "text"));
    }
}
