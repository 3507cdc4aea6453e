using System;
using System.Collections.Immutable;
using System.Runtime.Intrinsics;
using WasmToolkit.Instructions;
using Xunit;

namespace WasmToolkit.Runtime.Tests.Linking;

/// <summary>
/// v128 values on the host side: two 8-byte slots each (low 8 bytes first, <c>ValueSlots</c>), returned as
/// <see cref="V128"/>, taken as <see cref="V128"/> or any <see cref="Vector128{T}"/>. Host functions called through
/// <see cref="Function.Invoke"/> cross the entry stub and the host stub without any wasm code, so these run whatever
/// SIMD the compiler supports.
/// </summary>
public class V128ValueTests
{
    private static readonly V128 s_a = new(0x0706_0504_0302_0100, 0x0F0E_0D0C_0B0A_0908);
    private static readonly V128 s_b = new(0x8877_6655_4433_2211, 0xFFEE_DDCC_BBAA_9988);

    private static FuncType Type(ValType[] parameters, ValType[] results) => FuncType.Create(parameters, results);

    [Fact]
    public void UntypedHostFunctionsTakeAndReturnV128BetweenOtherValues()
    {
        object?[]? seen = null;
        var type = Type(new[] { ValType.V128, ValType.I32, ValType.V128, ValType.I64 }, new[] { ValType.I64, ValType.V128, ValType.I32 });
        var f = Function.FromCallback(type, (args, results) =>
        {
            seen = args.ToArray();
            results[0] = (long)args[3]! + 1;
            results[1] = Vector128.Create(1, 2, 3, 4); // any Vector128<T> is taken
            results[2] = (int)args[1]! * 2;
        });

        var returned = (object?[])f.Invoke(s_a, 21, Vector128.Create(s_b.Low, s_b.High).AsByte(), -5L)!;

        Assert.Equal(new object?[] { s_a, 21, s_b, -5L }, seen);
        Assert.Equal(-4L, returned[0]);
        Assert.Equal(new V128(0x0000_0002_0000_0001, 0x0000_0004_0000_0003), returned[1]);
        Assert.Equal(42, returned[2]);
    }

    [Fact]
    public void ASingleV128ResultComesBackThroughTheSlots()
    {
        // A lone v128 result is not in the return register (ValueSlots.ResultInRegister): the stubs pass it in slots 0–1.
        var swap = Function.FromCallback(Type(new[] { ValType.V128 }, new[] { ValType.V128 }), (args, results) =>
        {
            var v = (V128)args[0]!;
            results[0] = new V128(v.High, v.Low);
        });
        Assert.Equal(new V128(s_a.High, s_a.Low), swap.Invoke(s_a));

        var constant = Function.FromCallback(Type(Array.Empty<ValType>(), new[] { ValType.V128 }), (_, results) => results[0] = s_b);
        Assert.Equal(s_b, constant.Invoke());
    }

    [Fact]
    public void TypedHostFunctionsReadAndWriteBothSlots()
    {
        var add = Function.Create<Vector128<byte>, int, Vector128<byte>>((v, n) => v + Vector128.Create((byte)n));
        Assert.Equal(Type(new[] { ValType.V128, ValType.I32 }, new[] { ValType.V128 }), add.Type);
        Assert.Equal(new V128(0x0807_0605_0403_0201, 0x100F_0E0D_0C0B_0A09), add.Invoke(s_a, 1));

        var high = Function.Create<long, V128, long>((k, v) => (long)v.High + k);
        Assert.Equal((long)s_b.High + 3, high.Invoke(3L, s_b));

        var seen = default(V128);
        var sink = Function.Create<V128, V128, int>((x, y, z) => seen = new V128(x.Low ^ y.Low, x.High ^ y.High ^ (uint)z));
        Assert.Null(sink.Invoke(s_a, s_b, 7));
        Assert.Equal(new V128(s_a.Low ^ s_b.Low, s_a.High ^ s_b.High ^ 7), seen);
    }

    [Fact]
    public void SlotHostFunctionsSeeTwoSlotsPerV128()
    {
        var type = Type(new[] { ValType.I32, ValType.V128 }, new[] { ValType.V128, ValType.F64 });
        var f = Function.FromSlots(type, slots =>
        {
            Assert.Equal(3, slots.Length); // max(1 + 2, 2 + 1)
            var (n, low, high) = (slots[0], slots[1], slots[2]);
            slots[0] = high;
            slots[1] = low + n;
            slots[2] = BitConverter.DoubleToUInt64Bits(0.5);
        });

        Assert.Equal(3, f.AsSlotFunction().SlotCount);
        var returned = (object?[])f.Invoke(10, s_a)!;
        Assert.Equal(new V128(s_a.High, s_a.Low + 10), returned[0]);
        Assert.Equal(0.5, returned[1]);

        Span<ulong> raw = stackalloc ulong[3];
        raw[0] = 1;
        raw[1] = s_b.Low;
        raw[2] = s_b.High;
        f.AsSlotFunction().Invoke(raw);
        Assert.Equal(new ulong[] { s_b.High, s_b.Low + 1, BitConverter.DoubleToUInt64Bits(0.5) }, raw.ToArray());
    }

    [Fact]
    public void WrongValuesForV128AreRejected()
    {
        var f = Function.FromCallback(Type(new[] { ValType.V128 }, new[] { ValType.V128 }), (args, results) => results[0] = 1);
        Assert.Throws<ArgumentException>(() => f.Invoke(1));
        Assert.Throws<ArgumentException>(() => f.Invoke((object?)null));
        var thrown = Assert.Throws<ArgumentException>(() => f.Invoke(s_a)); // the host result (an int) does not fit v128
        Assert.Contains("Host function result 0", thrown.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Function.FromCallback(Type(new[] { ValType.I64 }, Array.Empty<ValType>()), (_, _) => { }).Invoke(s_a));
    }

    [Fact]
    public void V128GlobalsHoldSixteenBytes()
    {
        var global = new Global(new GlobalType(ValType.V128, mutable: true), s_a);
        Assert.Equal(s_a, global.Value);
        Assert.Equal(s_a.Low, global.Bits);
        Assert.Equal(s_a.High, global.HighBits);

        global.Value = Vector128.Create(-1.0, 2.0);
        Assert.Equal(new V128(BitConverter.DoubleToUInt64Bits(-1.0), BitConverter.DoubleToUInt64Bits(2.0)), global.Value);
        Assert.Throws<ArgumentException>(() => global.Value = 1L);
        Assert.Equal(0UL, new Global(new GlobalType(ValType.I64, mutable: false), -1L).HighBits);
    }

    [Fact]
    public void ModulesImportExportAndInitialiseV128GlobalsAndFunctions()
    {
        // No v128 instruction in a body: the host function is re-exported, the globals initialised by constant expressions.
        const string Module = """
            (module
              (import "env" "swap" (func $swap (param v128 i32) (result v128)))
              (import "env" "g" (global $g (mut v128)))
              (import "env" "k" (global $k v128))
              (global (export "c") v128 (v128.const i32x4 1 2 3 4))
              (global (export "copy") v128 (global.get $k))
              (global (export "m") (mut v128) (v128.const i64x2 -1 7))
              (export "swap" (func $swap))
              (export "g" (global $g)))
            """;
        using var linker = new Linker();
        linker.Define("env", "swap", Function.Create<V128, int, V128>((v, n) => new V128(v.High, v.Low + (uint)n)));
        var imported = new Global(new GlobalType(ValType.V128, mutable: true), s_b);
        linker.Define("env", "g", imported);
        linker.Define("env", "k", new Global(new GlobalType(ValType.V128, mutable: false), Vector128.Create(s_b.Low, s_b.High)));
        var instance = linker.Instantiate(Wat.Compile(Module));

        Assert.Equal(new V128(0x0000_0002_0000_0001, 0x0000_0004_0000_0003), instance.GetGlobal("c").Value);
        Assert.Equal(s_b, instance.GetGlobal("copy").Value);
        Assert.Equal(new V128(ulong.MaxValue, 7), instance.GetGlobal("m").Value);
        Assert.Throws<ArgumentException>(() => instance.GetGlobal(0)); // a v128 does not fit the 64-bit reader

        instance.GetGlobal("m").Value = s_a;
        Assert.Equal(s_a.High, instance.GetGlobal("m").HighBits);
        instance.GetGlobal("g").Value = s_a; // the import's own cell
        Assert.Equal(s_a, imported.Value);

        // The re-exported host function through the typed handle (entry stub → host stub) and the untyped one.
        Assert.Equal(new V128(s_a.High, s_a.Low + 2), instance.GetFunction<V128, int, V128>("swap").Invoke(s_a, 2));
        var asVector = instance.GetFunction<Vector128<byte>, int, Vector128<byte>>("swap").Invoke(Vector128.Create(s_b.Low, s_b.High).AsByte(), 0);
        Assert.Equal(Vector128.Create(s_b.High, s_b.Low).AsByte(), asVector);
        Assert.Equal(new V128(s_b.High, s_b.Low + 5), instance.Invoke("swap", s_b, 5));
        Assert.Throws<ArgumentException>(() => instance.GetFunction<long, int, V128>("swap"));
    }

    [Fact]
    public void WasmFunctionsTakeAndReturnV128ThroughEveryHostApi()
    {
        const string Module = """
            (module
              (import "env" "twist" (func $twist (param v128 i32) (result v128)))
              (global $m (mut v128) (v128.const i64x2 0 0))
              (func (export "id") (param v128) (result v128) (local.get 0))
              (func (export "mix") (param i32 v128 i64 v128) (result v128 i64 v128 i32)
                (local.get 3) (local.get 2) (local.get 1) (local.get 0))
              (func (export "call_host") (param v128 i32) (result v128) (call $twist (local.get 0) (local.get 1)))
              (func (export "set") (param v128) (global.set $m (local.get 0)))
              (func (export "get") (result v128) (global.get $m)))
            """;
        using var linker = new Linker();
        linker.Define("env", "twist", Function.FromCallback(Type(new[] { ValType.V128, ValType.I32 }, new[] { ValType.V128 }), (args, results) =>
        {
            var v = (V128)args[0]!;
            results[0] = new V128(v.High, v.Low + (ulong)(int)args[1]!);
        }));
        var instance = linker.Instantiate(Wat.Compile(Module));

        Assert.Equal(s_a, instance.Invoke("id", s_a));
        Assert.Equal(new V128(BitConverter.DoubleToUInt64Bits(0.5), BitConverter.DoubleToUInt64Bits(-2.0)), instance.Invoke("id", Vector128.Create(0.5, -2.0)));
        var id = instance.GetFunction<Vector128<byte>, Vector128<byte>>("id");
        Assert.Equal(Vector128.Create((byte)7), id.Invoke(Vector128.Create((byte)7)));

        Assert.Equal(new object?[] { s_b, -9L, s_a, 42 }, (object?[])instance.Invoke("mix", 42, s_a, -9L, s_b)!);
        var mix = instance.GetFunction("mix").AsSlotFunction();
        Assert.Equal(6, mix.SlotCount);
        Span<ulong> slots = stackalloc ulong[6] { 42, s_a.Low, s_a.High, 9, s_b.Low, s_b.High };
        mix.Invoke(slots);
        Assert.Equal(new ulong[] { s_b.Low, s_b.High, 9, s_a.Low, s_a.High, 42 }, slots.ToArray());

        Assert.Equal(new V128(s_a.High, s_a.Low + 3), instance.Invoke("call_host", s_a, 3));
        Assert.Equal(new V128(s_b.High, s_b.Low + 1), instance.GetFunction<V128, int, V128>("call_host").Invoke(s_b, 1));

        instance.GetAction<V128>("set").Invoke(s_b);
        Assert.Equal(s_b, instance.GetFunction<V128>("get").Invoke());
        Assert.Equal(s_b, instance.Invoke("get"));
    }
}
