using System;
using WasmToolkit.Compiler;
using WasmToolkit.Instructions;
using Xunit;
using static WasmToolkit.Runtime.Tests.Asm;

namespace WasmToolkit.Runtime.Tests;

public class MemoryTests
{
    private const int Page = 65536;

    private static TestModule LoadsAndStores(ulong pages = 1, ulong? max = null)
    {
        var m = new TestModule().WithMemory(pages, max);
        (string Name, Opcode Op, ValType Result)[] loads =
        {
            ("i32.load", Opcode.I32Load, I32T), ("i32.load8_s", Opcode.I32Load8S, I32T), ("i32.load8_u", Opcode.I32Load8U, I32T),
            ("i32.load16_s", Opcode.I32Load16S, I32T), ("i32.load16_u", Opcode.I32Load16U, I32T),
            ("i64.load", Opcode.I64Load, I64T), ("i64.load8_s", Opcode.I64Load8S, I64T), ("i64.load8_u", Opcode.I64Load8U, I64T),
            ("i64.load16_s", Opcode.I64Load16S, I64T), ("i64.load16_u", Opcode.I64Load16U, I64T),
            ("i64.load32_s", Opcode.I64Load32S, I64T), ("i64.load32_u", Opcode.I64Load32U, I64T),
        };
        foreach (var (name, op, result) in loads)
        {
            m.Func(name, Type(P(I32T), result), LocalGet(0), Mem(op));
        }

        (string Name, Opcode Op, ValType Value)[] stores =
        {
            ("i32.store", Opcode.I32Store, I32T), ("i32.store8", Opcode.I32Store8, I32T), ("i32.store16", Opcode.I32Store16, I32T),
            ("i64.store", Opcode.I64Store, I64T), ("i64.store8", Opcode.I64Store8, I64T), ("i64.store16", Opcode.I64Store16, I64T),
            ("i64.store32", Opcode.I64Store32, I64T),
        };
        foreach (var (name, op, value) in stores)
        {
            m.Func(name, Type(P(I32T, value)), LocalGet(0), LocalGet(1), Mem(op));
        }

        return m;
    }

    [Fact]
    public void LoadsAndStoresOfEveryWidth()
    {
        using var instance = LoadsAndStores().Instantiate();
        instance.Invoke("i64.store", 8, unchecked((long)0xF1E2D3C4B5A69788));
        Assert.Equal(unchecked((long)0xF1E2D3C4B5A69788), (long)instance.Invoke("i64.load", 8)!);
        Assert.Equal(unchecked((int)0xB5A69788), (int)instance.Invoke("i32.load", 8)!);
        Assert.Equal(unchecked((int)0xFFFFFF88), (int)instance.Invoke("i32.load8_s", 8)!);
        Assert.Equal(0x88, (int)instance.Invoke("i32.load8_u", 8)!);
        Assert.Equal(unchecked((int)0xFFFF9788), (int)instance.Invoke("i32.load16_s", 8)!);
        Assert.Equal(0x9788, (int)instance.Invoke("i32.load16_u", 8)!);
        Assert.Equal(-0x78L, (long)instance.Invoke("i64.load8_s", 8)!);
        Assert.Equal(0x88L, (long)instance.Invoke("i64.load8_u", 8)!);
        Assert.Equal(unchecked((long)0xFFFFFFFFFFFF9788), (long)instance.Invoke("i64.load16_s", 8)!);
        Assert.Equal(0x9788L, (long)instance.Invoke("i64.load16_u", 8)!);
        Assert.Equal(unchecked((long)0xFFFFFFFFB5A69788), (long)instance.Invoke("i64.load32_s", 8)!);
        Assert.Equal(0xB5A69788L, (long)instance.Invoke("i64.load32_u", 8)!);

        instance.Invoke("i32.store8", 100, 0x1234);
        instance.Invoke("i32.store16", 102, 0x56789ABC);
        instance.Invoke("i64.store8", 104, 0x7FL);
        instance.Invoke("i64.store16", 105, 0x1122334455667788L);
        instance.Invoke("i64.store32", 108, 0x1122334455667788L);
        instance.Invoke("i32.store", 112, -2);
        Assert.Equal(new byte[] { 0x34, 0, 0xBC, 0x9A, 0x7F, 0x88, 0x77, 0, 0x88, 0x77, 0x66, 0x55, 0xFE, 0xFF, 0xFF, 0xFF }, instance.GetMemory().Slice(100, 16).ToArray());
    }

    [Fact]
    public void AccessesAtTheLastValidByteSucceedAndOnePastTrap()
    {
        using var instance = LoadsAndStores().Instantiate();
        foreach (var (name, width, isStore, is64) in new[]
        {
            ("i32.load8_u", 1, false, false), ("i32.load16_u", 2, false, false), ("i32.load", 4, false, false), ("i64.load", 8, false, true),
            ("i64.load32_u", 4, false, true), ("i32.store8", 1, true, false), ("i32.store16", 2, true, false), ("i32.store", 4, true, false),
            ("i64.store", 8, true, true), ("i64.store32", 4, true, true),
        })
        {
            object?[] Args(int address) => isStore ? new object?[] { address, is64 ? (object)1L : 1 } : new object?[] { address };
            instance.Invoke(name, Args(Page - width));
            Assert.Equal(TrapKind.MemoryOutOfBounds, Assert.Throws<TrapException>(() => instance.Invoke(name, Args(Page - width + 1))).Kind);
            Assert.Equal(TrapKind.MemoryOutOfBounds, Assert.Throws<TrapException>(() => instance.Invoke(name, Args(-1))).Kind);
            Assert.Equal(TrapKind.MemoryOutOfBounds, Assert.Throws<TrapException>(() => instance.Invoke(name, Args(int.MinValue))).Kind);
        }
    }

    [Fact]
    public void AddressPlusOffsetDoesNotWrap()
    {
        using var instance = new TestModule().WithMemory(1)
            .Func("big_offset", Type(P(I32T), I32T), LocalGet(0), Mem(Opcode.I32Load, offset: 0xFFFF_FFFF))
            .Func("offset_4", Type(P(I32T), I32T), LocalGet(0), Mem(Opcode.I32Load8U, offset: 4))
            .Func("const_address", Type(P(), I32T), I32(-4), Mem(Opcode.I32Load, offset: 8))
            .Func("store_offset", Type(P(I32T, I32T)), LocalGet(0), LocalGet(1), Mem(Opcode.I32Store, offset: Page - 4))
            .Instantiate();
        Assert.Equal(TrapKind.MemoryOutOfBounds, Assert.Throws<TrapException>(() => instance.Invoke("big_offset", 1)).Kind);
        Assert.Equal(TrapKind.MemoryOutOfBounds, Assert.Throws<TrapException>(() => instance.Invoke("big_offset", 0)).Kind);
        Assert.Equal(TrapKind.MemoryOutOfBounds, Assert.Throws<TrapException>(() => instance.Invoke("const_address")).Kind);
        Assert.Equal(0, (int)instance.Invoke("offset_4", Page - 5)!);
        Assert.Equal(TrapKind.MemoryOutOfBounds, Assert.Throws<TrapException>(() => instance.Invoke("offset_4", Page - 4)).Kind);
        Assert.Equal(TrapKind.MemoryOutOfBounds, Assert.Throws<TrapException>(() => instance.Invoke("offset_4", -4)).Kind);
        instance.Invoke("store_offset", 0, 0x01020304);
        Assert.Equal(0x01020304, BitConverter.ToInt32(instance.GetMemory().Slice(Page - 4, 4)));
        Assert.Equal(TrapKind.MemoryOutOfBounds, Assert.Throws<TrapException>(() => instance.Invoke("store_offset", 1, 0)).Kind);
    }

    [Fact]
    public void MemoryGrowAndSize()
    {
        using var instance = LoadsAndStores(pages: 1, max: 4)
            .Func("size", Type(P(), I32T), MemorySize)
            .Func("grow", Type(P(I32T), I32T), LocalGet(0), MemoryGrow)
            // grow while a value is live in a register, then use it
            .Func("grow_live", Type(P(I32T), I32T), LocalGet(0), I32(1), Op(Opcode.I32Add), I32(1), MemoryGrow, Op(Opcode.I32Add))
            .Instantiate();
        Assert.Equal(1, (int)instance.Invoke("size")!);
        Assert.Equal(TrapKind.MemoryOutOfBounds, Assert.Throws<TrapException>(() => instance.Invoke("i32.load", Page)).Kind);
        Assert.Equal(1, (int)instance.Invoke("grow", 1)!);
        Assert.Equal(2, (int)instance.Invoke("size")!);
        Assert.Equal(2 * Page, instance.MemorySize);
        Assert.Equal(0, (int)instance.Invoke("i32.load", Page)!);
        instance.Invoke("i32.store", (2 * Page) - 4, 77);
        Assert.Equal(77, (int)instance.Invoke("i32.load", (2 * Page) - 4)!);
        Assert.Equal(TrapKind.MemoryOutOfBounds, Assert.Throws<TrapException>(() => instance.Invoke("i32.load", (2 * Page) - 3)).Kind);
        Assert.Equal(2, (int)instance.Invoke("grow", 0)!);
        Assert.Equal(-1, (int)instance.Invoke("grow", 3)!);
        Assert.Equal(-1, (int)instance.Invoke("grow", -1)!);
        Assert.Equal(2, (int)instance.Invoke("size")!);
        Assert.Equal(10 + 1 + 2, (int)instance.Invoke("grow_live", 10)!);
        Assert.Equal(3, (int)instance.Invoke("size")!);
        Assert.Equal(3, (int)instance.Invoke("grow", 1)!);
        Assert.Equal(-1, (int)instance.Invoke("grow", 1)!);
    }

    [Fact]
    public void DataSegmentsInitialiseMemoryAndOutOfBoundsSegmentsFail()
    {
        using (var instance = LoadsAndStores().Data(16, 1, 2, 3, 4).Data(Page - 2, 0xAA, 0xBB).Instantiate())
        {
            Assert.Equal(0x04030201, (int)instance.Invoke("i32.load", 16)!);
            Assert.Equal(0xBBAA, (int)instance.Invoke("i32.load16_u", Page - 2)!);
        }

        var bad = new TestModule().WithMemory(1).Data(Page - 1, 1, 2).Build();
        Assert.Equal(TrapKind.MemoryOutOfBounds, Assert.Throws<TrapException>(() => Instance.Create(bad)).Kind);
    }

    [Fact]
    public void ZeroPageMemoryTrapsOnEveryAccess()
    {
        using var instance = LoadsAndStores(pages: 0)
            .Func("grow", Type(P(I32T), I32T), LocalGet(0), MemoryGrow)
            .Instantiate();
        Assert.Equal(TrapKind.MemoryOutOfBounds, Assert.Throws<TrapException>(() => instance.Invoke("i32.load8_u", 0)).Kind);
        Assert.Equal(0, (int)instance.Invoke("grow", 1)!);
        Assert.Equal(0, (int)instance.Invoke("i32.load8_u", 0)!);
    }

    [Fact]
    public void GlobalsReadAndWrite()
    {
        using var instance = new TestModule()
            .Global(I32T, -5)
            .Global(I64T, 1L << 40)
            .Func("get32", Type(P(), I32T), GlobalGet(0))
            .Func("get64", Type(P(), I64T), GlobalGet(1))
            .Func("bump", Type(P(I32T)), GlobalGet(0), LocalGet(0), Op(Opcode.I32Add), GlobalSet(0), GlobalGet(1), I64(0x1_0000_0000_0000), Op(Opcode.I64Add), GlobalSet(1))
            .Func("set_const", Type(P()), I64(-1), GlobalSet(1), I32(int.MinValue), GlobalSet(0))
            .Instantiate();
        Assert.Equal(-5, (int)instance.Invoke("get32")!);
        Assert.Equal(1L << 40, (long)instance.Invoke("get64")!);
        instance.Invoke("bump", 12);
        Assert.Equal(7, (int)instance.Invoke("get32")!);
        Assert.Equal((1L << 40) + 0x1_0000_0000_0000, instance.GetGlobal(1));
        instance.Invoke("set_const");
        Assert.Equal(int.MinValue, instance.GetGlobal(0));
        Assert.Equal(-1L, (long)instance.Invoke("get64")!);
    }

    [Fact]
    public void InstancesOfOneCompiledModuleAreIndependent()
    {
        var compiled = ModuleCompiler.Compile(new TestModule().WithMemory(1).Global(I32T, 0)
            .Func("poke", Type(P(I32T)), I32(0), LocalGet(0), Mem(Opcode.I32Store), LocalGet(0), GlobalSet(0))
            .Func("peek", Type(P(), I32T), I32(0), Mem(Opcode.I32Load), GlobalGet(0), Op(Opcode.I32Add))
            .Build());
        using var a = Instance.Create(compiled);
        using var b = Instance.Create(compiled);
        a.Invoke("poke", 21);
        Assert.Equal(42, (int)a.Invoke("peek")!);
        Assert.Equal(0, (int)b.Invoke("peek")!);
    }
}
