using System;
using WasmToolkit.Compiler;
using Xunit;

namespace WasmToolkit.Runtime.Tests.Simd;

/// <summary>
/// v128 values through the compiler's plumbing, without SIMD arithmetic: parameters and results in two call slots each
/// (<see cref="ValueSlots"/>), calls, indirect calls and host calls, globals, locals, blocks, loops, if parameters,
/// select, br_table, values spilled across calls (16-byte frame slots), and the v128 loads and stores of every form.
/// Values cross as raw slots (a v128 is its low then its high 8 bytes), so nothing depends on the boxed API.
/// </summary>
public class V128PlumbingTests
{
    private const ulong A0 = 0x0706050403020100, A1 = 0x0F0E0D0C0B0A0908;
    private const ulong B0 = 0x1716151413121110, B1 = 0x1F1E1D1C1B1A1918;

    private static ulong[] Call(Instance instance, string name, params ulong[] arguments)
    {
        var function = instance.GetFunction(name).AsSlotFunction();
        var slots = new ulong[Math.Max(function.SlotCount, arguments.Length)];
        arguments.CopyTo(slots, 0);
        function.Invoke(slots);
        return slots;
    }

    [Fact]
    public void ParametersAndResultsTakeTwoSlotsEach()
    {
        using var instance = Wat.Instantiate("""
            (module
              (func (export "id") (param v128) (result v128) local.get 0)
              (func (export "mixed") (param i32 v128 i64 v128) (result v128 i64 v128 i32)
                local.get 3 local.get 2 local.get 1 local.get 0))
            """);
        Assert.Equal(2, instance.GetFunction("id").AsSlotFunction().SlotCount);
        Assert.Equal(new[] { A0, A1 }, Call(instance, "id", A0, A1));

        var r = Call(instance, "mixed", 7, A0, A1, 0x1234_5678_9ABC_DEF0, B0, B1);
        Assert.Equal(new[] { B0, B1, 0x1234_5678_9ABC_DEF0UL, A0, A1, 7UL }, r);
    }

    [Fact]
    public void CallsPassAndReturnV128Values()
    {
        using var instance = Wat.Instantiate("""
            (module
              (type $swap (func (param v128 v128) (result v128 v128)))
              (table 1 funcref) (elem (i32.const 0) $swap)
              (func $swap (type $swap) local.get 1 local.get 0)
              (func $second (param v128 v128) (result v128) local.get 1)
              (func (export "direct") (param v128 v128) (result v128 v128)
                local.get 0 local.get 1 call $swap)
              (func (export "single") (param v128 v128) (result v128)
                local.get 0 local.get 1 call $second)
              (func (export "indirect") (param v128 v128) (result v128 v128)
                local.get 0 local.get 1 i32.const 0 call_indirect (type $swap)))
            """);
        Assert.Equal(new[] { B0, B1, A0, A1 }, Call(instance, "direct", A0, A1, B0, B1));
        Assert.Equal(new[] { B0, B1 }, Call(instance, "single", A0, A1, B0, B1)[..2]);
        Assert.Equal(new[] { B0, B1, A0, A1 }, Call(instance, "indirect", A0, A1, B0, B1));
    }

    [Fact]
    public void HostFunctionsSeeTheSlotLayout()
    {
        // (i32 v128) -> (v128 i32): the host swaps and changes both, so the positions are checked both ways.
        var type = FuncType.Create(new[] { ValType.I32, ValType.V128 }, new[] { ValType.V128, ValType.I32 });
        var host = Function.FromSlots(type, slots =>
        {
            var (i, lo, hi) = (slots[0], slots[1], slots[2]);
            slots[0] = ~lo;
            slots[1] = ~hi;
            slots[2] = i + 1;
        });
        using var linker = new Linker();
        linker.Define("env", "f", host);
        var module = TextModuleParserHelper("""
            (module
              (import "env" "f" (func $f (param i32 v128) (result v128 i32)))
              (func (export "g") (param i32 v128) (result i32 v128)
                local.get 0 local.get 1 call $f
                local.set 0 local.set 1
                local.get 0 local.get 1))
            """);
        var instance = linker.Instantiate(module);
        Assert.Equal(new[] { 42UL, ~A0, ~A1 }, Call(instance, "g", 41, A0, A1));
    }

    [Fact]
    public void GlobalsLocalsAndControlFlowCarryAllSixteenBytes()
    {
        using var instance = Wat.Instantiate("""
            (module
              (global $g (mut v128) (v128.const i64x2 0 0))
              (func (export "set") (param v128) local.get 0 global.set $g)
              (func (export "get") (result v128) global.get $g)
              (func (export "pick") (param v128 v128 i32) (result v128)
                local.get 0 local.get 1 local.get 2 select)
              (func (export "blocks") (param v128 v128 i32) (result v128)
                (local $t v128)
                local.get 0
                (block (param v128) (result v128)
                  local.get 2 br_if 0
                  drop local.get 1)
                local.set $t
                (if (param v128) (result v128) (local.get $t) (local.get 2)
                  (then)
                  (else drop local.get 0)))
              (func (export "table") (param v128 v128 i32) (result v128)
                (block (result v128)
                  (block (result v128)
                    local.get 0 local.get 2 br_table 0 1)
                  drop local.get 1))
              (func (export "loop") (param v128 v128 i32) (result v128)
                local.get 0
                (loop (param v128) (result v128)
                  drop local.get 1
                  local.get 2 i32.const 1 i32.sub local.tee 2
                  br_if 0)))
            """);
        Call(instance, "set", A0, A1);
        Assert.Equal(new[] { A0, A1 }, Call(instance, "get"));
        Assert.Equal(new[] { A0, A1 }, Call(instance, "pick", A0, A1, B0, B1, 1)[..2]);
        Assert.Equal(new[] { B0, B1 }, Call(instance, "pick", A0, A1, B0, B1, 0)[..2]);
        Assert.Equal(new[] { A0, A1 }, Call(instance, "blocks", A0, A1, B0, B1, 1)[..2]);
        Assert.Equal(new[] { A0, A1 }, Call(instance, "blocks", A0, A1, B0, B1, 0)[..2]);
        Assert.Equal(new[] { B0, B1 }, Call(instance, "table", A0, A1, B0, B1, 0)[..2]);
        Assert.Equal(new[] { A0, A1 }, Call(instance, "table", A0, A1, B0, B1, 1)[..2]);
        Assert.Equal(new[] { B0, B1 }, Call(instance, "loop", A0, A1, B0, B1, 3)[..2]);
    }

    [Fact]
    public void ValuesLiveAcrossCallsAreSpilledWhole()
    {
        // Six loaded v128 values (registers, not lazy locals) stay on the stack while a call clobbers every register:
        // each is spilled to a 16-byte slot and the results come back whole, in order.
        using var instance = Wat.Instantiate("""
            (module
              (memory 1)
              (func $clobber (param v128) (result v128) local.get 0)
              (func (export "f") (param v128 v128) (result v128 v128 v128 v128 v128 v128)
                (v128.store (i32.const 0) (local.get 0))
                (v128.store (i32.const 16) (local.get 1))
                (v128.load (i32.const 0)) (v128.load (i32.const 16)) (v128.load (i32.const 0))
                (v128.load (i32.const 16)) (v128.load (i32.const 0))
                (v128.load (i32.const 16)) call $clobber))
            """);
        Assert.Equal(new[] { A0, A1, B0, B1, A0, A1, B0, B1, A0, A1, B0, B1 }, Call(instance, "f", A0, A1, B0, B1));
    }

    /// <summary>The test memory's first 64 bytes: both signs in every lane width.</summary>
    private static byte Data(int i) => (byte)(0xF0 + (i * 7));

    private static (ulong Low, ulong High) Vector(ReadOnlySpan<byte> bytes)
        => (BitConverter.ToUInt64(bytes[..8]), BitConverter.ToUInt64(bytes[8..16]));

    /// <summary>A vector of <paramref name="lanes"/> integers of <paramref name="laneBytes"/> bytes each (little-endian, truncated).</summary>
    private static (ulong Low, ulong High) Lanes(int laneBytes, params long[] lanes)
    {
        var bytes = new byte[16];
        for (var i = 0; i < lanes.Length; i++) BitConverter.GetBytes(lanes[i]).AsSpan(0, laneBytes).CopyTo(bytes.AsSpan(i * laneBytes));
        return Vector(bytes);
    }

    private static long Signed(int at, int bytes)
    {
        long v = 0;
        for (var i = bytes - 1; i >= 0; i--) v = (v << 8) | Data(at + i);
        var shift = 64 - (8 * bytes);
        return (v << shift) >> shift;
    }

    private static long Unsigned(int at, int bytes)
    {
        long v = 0;
        for (var i = bytes - 1; i >= 0; i--) v = (v << 8) | Data(at + i);
        return v;
    }

    private static Instance MemoryModule()
    {
        var data = new System.Text.StringBuilder();
        for (var i = 0; i < 64; i++) data.Append($"\\{Data(i):x2}");
        return Wat.Instantiate($$"""
            (module
              (memory 1)
              (data (i32.const 0) "{{data}}")
              (func (export "load") (param i32) (result v128) (v128.load offset=3 (local.get 0)))
              (func (export "load8x8_s") (param i32) (result v128) (v128.load8x8_s (local.get 0)))
              (func (export "load8x8_u") (param i32) (result v128) (v128.load8x8_u (local.get 0)))
              (func (export "load16x4_s") (param i32) (result v128) (v128.load16x4_s (local.get 0)))
              (func (export "load16x4_u") (param i32) (result v128) (v128.load16x4_u (local.get 0)))
              (func (export "load32x2_s") (param i32) (result v128) (v128.load32x2_s (local.get 0)))
              (func (export "load32x2_u") (param i32) (result v128) (v128.load32x2_u (local.get 0)))
              (func (export "load8_splat") (param i32) (result v128) (v128.load8_splat (local.get 0)))
              (func (export "load16_splat") (param i32) (result v128) (v128.load16_splat (local.get 0)))
              (func (export "load32_splat") (param i32) (result v128) (v128.load32_splat (local.get 0)))
              (func (export "load64_splat") (param i32) (result v128) (v128.load64_splat (local.get 0)))
              (func (export "load32_zero") (param i32) (result v128) (v128.load32_zero (local.get 0)))
              (func (export "load64_zero") (param i32) (result v128) (v128.load64_zero (local.get 0)))
              (func (export "load8_lane") (param i32 v128) (result v128) (v128.load8_lane 5 (local.get 0) (local.get 1)))
              (func (export "load16_lane") (param i32 v128) (result v128) (v128.load16_lane 3 (local.get 0) (local.get 1)))
              (func (export "load32_lane") (param i32 v128) (result v128) (v128.load32_lane 2 (local.get 0) (local.get 1)))
              (func (export "load64_lane") (param i32 v128) (result v128) (v128.load64_lane 1 (local.get 0) (local.get 1)))
              (func (export "store") (param i32 v128) (result v128)
                (v128.store (local.get 0) (local.get 1)) (v128.load (local.get 0)))
              (func (export "store8_lane") (param i32 v128) (result v128)
                (v128.store8_lane 15 (local.get 0) (local.get 1)) (v128.load (local.get 0)))
              (func (export "store16_lane") (param i32 v128) (result v128)
                (v128.store16_lane 6 (local.get 0) (local.get 1)) (v128.load (local.get 0)))
              (func (export "store32_lane") (param i32 v128) (result v128)
                (v128.store32_lane 1 (local.get 0) (local.get 1)) (v128.load (local.get 0)))
              (func (export "store64_lane0") (param i32 v128) (result v128)
                (v128.store64_lane 0 (local.get 0) (local.get 1)) (v128.load (local.get 0)))
              (func (export "store64_lane1") (param i32 v128) (result v128)
                (v128.store64_lane 1 (local.get 0) (local.get 1)) (v128.load (local.get 0)))
              (func (export "at_end") (param i32) (result v128) (v128.load (local.get 0)))
              (func (export "zero_at_end") (param i32) (result v128) (v128.load32_zero (local.get 0)))
              (func (export "lane_at_end") (param i32 v128) (v128.store8_lane 0 (local.get 0) (local.get 1))))
            """);
    }

    private static void AssertVector((ulong Low, ulong High) expected, ulong[] slots) => Assert.Equal(new[] { expected.Low, expected.High }, slots[..2]);

    [Fact]
    public void LoadsReadTheirBytesAndWidenThem()
    {
        using var instance = MemoryModule();
        var bytes = new byte[64];
        for (var i = 0; i < 64; i++) bytes[i] = Data(i);

        AssertVector(Vector(bytes.AsSpan(8, 16)), Call(instance, "load", 5));
        AssertVector(Lanes(2, [.. Range(8, i => Signed(1 + i, 1))]), Call(instance, "load8x8_s", 1));
        AssertVector(Lanes(2, [.. Range(8, i => Unsigned(1 + i, 1))]), Call(instance, "load8x8_u", 1));
        AssertVector(Lanes(4, [.. Range(4, i => Signed(3 + (2 * i), 2))]), Call(instance, "load16x4_s", 3));
        AssertVector(Lanes(4, [.. Range(4, i => Unsigned(3 + (2 * i), 2))]), Call(instance, "load16x4_u", 3));
        AssertVector(Lanes(8, [.. Range(2, i => Signed(6 + (4 * i), 4))]), Call(instance, "load32x2_s", 6));
        AssertVector(Lanes(8, [.. Range(2, i => Unsigned(6 + (4 * i), 4))]), Call(instance, "load32x2_u", 6));
        AssertVector(Lanes(1, [.. Range(16, _ => Unsigned(9, 1))]), Call(instance, "load8_splat", 9));
        AssertVector(Lanes(2, [.. Range(8, _ => Unsigned(9, 2))]), Call(instance, "load16_splat", 9));
        AssertVector(Lanes(4, [.. Range(4, _ => Unsigned(9, 4))]), Call(instance, "load32_splat", 9));
        AssertVector(Lanes(8, [.. Range(2, _ => Signed(9, 8))]), Call(instance, "load64_splat", 9));
        AssertVector(Lanes(4, Unsigned(11, 4), 0, 0, 0), Call(instance, "load32_zero", 11));
        AssertVector(Lanes(8, Signed(11, 8), 0), Call(instance, "load64_zero", 11));

        var (b0, b1) = (B0, B1);
        var lane = new byte[16];
        BitConverter.GetBytes(b0).CopyTo(lane, 0);
        BitConverter.GetBytes(b1).CopyTo(lane, 8);
        AssertVector(Vector(With(lane, 5, bytes.AsSpan(20, 1))), Call(instance, "load8_lane", 20, b0, b1));
        AssertVector(Vector(With(lane, 6, bytes.AsSpan(21, 2))), Call(instance, "load16_lane", 21, b0, b1));
        AssertVector(Vector(With(lane, 8, bytes.AsSpan(22, 4))), Call(instance, "load32_lane", 22, b0, b1));
        AssertVector(Vector(With(lane, 8, bytes.AsSpan(23, 8))), Call(instance, "load64_lane", 23, b0, b1));
    }

    [Fact]
    public void StoresWriteExactlyTheirBytes()
    {
        using var instance = MemoryModule();
        var bytes = new byte[64];
        for (var i = 0; i < 64; i++) bytes[i] = Data(i);
        var value = new byte[16];
        BitConverter.GetBytes(A0).CopyTo(value, 0);
        BitConverter.GetBytes(A1).CopyTo(value, 8);

        AssertVector((A0, A1), Call(instance, "store", 30, A0, A1));
        AssertVector(Vector(With(bytes.AsSpan(2, 16).ToArray(), 0, value.AsSpan(15, 1))), Call(instance, "store8_lane", 2, A0, A1));
        AssertVector(Vector(With(bytes.AsSpan(3, 16).ToArray(), 0, value.AsSpan(12, 2))), Call(instance, "store16_lane", 3, A0, A1));
        AssertVector(Vector(With(bytes.AsSpan(4, 16).ToArray(), 0, value.AsSpan(4, 4))), Call(instance, "store32_lane", 4, A0, A1));
        AssertVector(Vector(With(bytes.AsSpan(5, 16).ToArray(), 0, value.AsSpan(0, 8))), Call(instance, "store64_lane0", 5, A0, A1));
        AssertVector(Vector(With(bytes.AsSpan(6, 16).ToArray(), 0, value.AsSpan(8, 8))), Call(instance, "store64_lane1", 6, A0, A1));
    }

    [Fact]
    public void AccessesAreBoundsCheckedForTheirWidth()
    {
        using var instance = MemoryModule();
        Call(instance, "at_end", 65536 - 16);
        Assert.Throws<TrapException>(() => Call(instance, "at_end", 65536 - 15));
        Call(instance, "zero_at_end", 65536 - 4);
        Assert.Throws<TrapException>(() => Call(instance, "zero_at_end", 65536 - 3));
        Call(instance, "lane_at_end", 65535, A0, A1);
        Assert.Throws<TrapException>(() => Call(instance, "lane_at_end", 65536, A0, A1));
        Assert.Throws<TrapException>(() => Call(instance, "at_end", uint.MaxValue));
    }

    private static long[] Range(int count, Func<int, long> lane)
    {
        var lanes = new long[count];
        for (var i = 0; i < count; i++) lanes[i] = lane(i);
        return lanes;
    }

    private static byte[] With(byte[] vector, int at, ReadOnlySpan<byte> bytes)
    {
        var copy = (byte[])vector.Clone();
        bytes.CopyTo(copy.AsSpan(at));
        return copy;
    }

    private static Module TextModuleParserHelper(string text)
    {
        var parsed = WasmToolkit.Text.TextModuleParser.Parse(text, "test.wat");
        Assert.True(parsed.Module is not null && parsed.Diagnostics.IsEmpty, string.Join("; ", parsed.Diagnostics));
        return parsed.Module!;
    }
}
