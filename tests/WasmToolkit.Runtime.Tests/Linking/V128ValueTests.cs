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
}
