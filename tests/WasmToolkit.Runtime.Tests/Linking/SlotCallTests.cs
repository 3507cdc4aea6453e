using System;
using Xunit;

namespace WasmToolkit.Runtime.Tests.Linking;

/// <summary>
/// Raw-slot calls (<see cref="SlotFunction"/>, <see cref="Function.FromSlots"/>; the generated bindings' path for
/// signatures beyond the typed handles): slot encoding in both directions (negative i32, i64, f32, f64, several
/// results), host functions with many parameters, the slot-count check, traps, and no allocation per call.
/// </summary>
public class SlotCallTests
{
    private const string Module = """
        (module
          (import "env" "mix" (func $mix (param i32 i64 f32 f64 i32 i32) (result f64 i32)))
          (func (export "call_mix") (param i32 i64 f32 f64 i32 i32) (result f64 i32)
            (call $mix (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4) (local.get 5)))
          (func (export "div") (param i32 i32) (result i32 i32)
            (i32.div_s (local.get 0) (local.get 1))
            (i32.rem_s (local.get 0) (local.get 1))))
        """;

    private static Instance Create(Linker linker)
    {
        var type = FuncType.Create(new[] { ValType.I32, ValType.I64, ValType.F32, ValType.F64, ValType.I32, ValType.I32 }, new[] { ValType.F64, ValType.I32 });
        linker.Define("env", "mix", Function.FromSlots(type, slots =>
        {
            var sum = (int)(uint)slots[0] + (long)slots[1] + BitConverter.UInt32BitsToSingle((uint)slots[2]) + BitConverter.UInt64BitsToDouble(slots[3]);
            var product = (int)(uint)slots[4] * (int)(uint)slots[5];
            slots[0] = BitConverter.DoubleToUInt64Bits(sum);
            slots[1] = (uint)product;
        }));
        return linker.Instantiate(Wat.Compile(Module));
    }

    [Fact]
    public void ArgumentsAndResultsCrossAsSlotsBothWays()
    {
        using var linker = new Linker();
        var mix = Create(linker).GetFunction("call_mix").AsSlotFunction();
        Assert.Equal(6, mix.SlotCount);
        Span<ulong> slots = stackalloc ulong[6];
        slots[0] = unchecked((uint)-3);
        slots[1] = unchecked((ulong)-4L);
        slots[2] = BitConverter.SingleToUInt32Bits(0.5f);
        slots[3] = BitConverter.DoubleToUInt64Bits(0.25);
        slots[4] = unchecked((uint)-6);
        slots[5] = 7;
        mix.Invoke(slots);
        Assert.Equal(-6.25, BitConverter.UInt64BitsToDouble(slots[0]));
        Assert.Equal(-42, (int)(uint)slots[1]);
    }

    [Fact]
    public void SeveralResultsAndTraps()
    {
        using var linker = new Linker();
        var div = Create(linker).GetFunction("div").AsSlotFunction();
        var slots = new ulong[2] { unchecked((uint)-7), 2 };
        div.Invoke(slots);
        Assert.Equal((-3, -1), ((int)(uint)slots[0], (int)(uint)slots[1]));
        slots = new ulong[] { 1, 0 };
        var trap = Assert.Throws<TrapException>(() => div.Invoke(slots));
        Assert.Equal(Compiler.TrapKind.IntegerDivideByZero, trap.Kind);
        slots = new ulong[] { 9, 4 };
        div.Invoke(slots);
        Assert.Equal(2UL, slots[0]);
    }

    [Fact]
    public void TooFewSlotsIsAnArgumentError()
    {
        using var linker = new Linker();
        var mix = Create(linker).GetFunction("call_mix").AsSlotFunction();
        Assert.Throws<ArgumentException>(() => mix.Invoke(new ulong[5]));
    }

    [Fact]
    public void CallsDoNotAllocate()
    {
        using var linker = new Linker();
        var mix = Create(linker).GetFunction("call_mix").AsSlotFunction();
        Span<ulong> slots = stackalloc ulong[6];
        for (var pass = 0; pass < 2; pass++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 1000; i++)
            {
                slots[0] = (uint)i;
                slots[1] = 1;
                slots[2] = 0;
                slots[3] = 0;
                slots[4] = 2;
                slots[5] = 3;
                mix.Invoke(slots);
            }

            if (pass == 1) Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(1000.0, BitConverter.UInt64BitsToDouble(slots[0]));
    }
}
