using System;
using System.Linq;
using WasmToolkit.Compiler;
using Xunit;

namespace WasmToolkit.Runtime.Tests.EdgeCases;

/// <summary>
/// Every load and store width at the last valid address and one past it, addressed four ways (address in a
/// register, register plus offset immediate, constant address, constant address plus offset); effective
/// address + offset past 2^32 (which must trap, not wrap around to a low address that is in bounds); the new
/// end after memory.grow; a trapping store writes nothing; i32 address arithmetic wraps at 2^32 before the
/// offset is added. The last eight bytes of the page hold 0x80..0x87 (a data segment), so loads there also
/// check sign and zero extension; expected values are written out by hand from those bytes (little endian).
/// </summary>
public class MemoryAccessEdgeTests
{
    private const long Page = 65536;

    /// <summary>The operand/result type of an access and its width in bytes.</summary>
    private static (string Type, int Width, bool IsStore) Describe(string op)
    {
        var type = op.Substring(0, 3);
        var name = op.Substring(4);
        var digits = new string(name.Where(char.IsDigit).ToArray());
        var width = digits.Length > 0 ? int.Parse(digits) / 8 : type is "i32" or "f32" ? 4 : 8;
        return (type, width, name.StartsWith("store", StringComparison.Ordinal));
    }

    private static string ValueParamType(string type) => type switch { "f32" => "i32", "f64" => "i64", _ => type };

    private static string StoredValue(string type, int index) => type switch
    {
        "f32" => $"(f32.reinterpret_i32 (local.get {index}))",
        "f64" => $"(f64.reinterpret_i64 (local.get {index}))",
        _ => $"(local.get {index})",
    };

    private static string LoadedValue(string type, string access) => type switch
    {
        "f32" => $"(i32.reinterpret_f32 {access})",
        "f64" => $"(i64.reinterpret_f64 {access})",
        _ => access,
    };

    /// <summary>
    /// Functions for one access: "r" (address parameter), "ro" (parameter + offset), "c" (constant address),
    /// "co" (constant + offset), each with the access placed so that it touches [Page - width + delta, ...).
    /// </summary>
    private static Instance Build(string op, long delta, uint offset, string memory = "(memory 1)")
    {
        var (type, width, isStore) = Describe(op);
        var vt = ValueParamType(type);
        var at = (uint)(Page - width + delta);
        string Access(string address, uint off) => isStore
            ? $"({op} offset={off} {address} {StoredValue(type, isStore && address.StartsWith("(local", StringComparison.Ordinal) ? 1 : 0)})"
            : LoadedValue(type, $"({op} offset={off} {address})");
        string Sig(bool addressParam) => isStore ? (addressParam ? $"(param i32 {vt})" : $"(param {vt})") : (addressParam ? $"(param i32) (result {vt})" : $"(result {vt})");
        return Wat.Functions(memory + " (data (i32.const 65528) \"\\80\\81\\82\\83\\84\\85\\86\\87\")",
            ("r", Sig(true), Access("(local.get 0)", 0)),
            ("ro", Sig(true), Access("(local.get 0)", offset)),
            ("c", Sig(false), Access($"(i32.const {at})", 0)),
            ("co", Sig(false), Access($"(i32.const {unchecked(at - offset)})", offset)));
    }

    private static object?[] Args(string op, bool addressParam, long address)
    {
        var (type, _, isStore) = Describe(op);
        var value = Wat.Arg(ValueParamType(type), 0x0102030405060708);
        if (!isStore) return addressParam ? new object?[] { unchecked((int)address) } : Array.Empty<object?>();
        return addressParam ? new object?[] { unchecked((int)address), value } : new object?[] { value };
    }

    public static readonly TheoryData<string, ulong> Loads = new()
    {
        // value of the last `width` bytes (0x80.. at Page-8), zero-extended bits of the (reinterpreted) result
        { "i32.load8_s", 0xFFFFFF87 }, { "i32.load8_u", 0x87 }, { "i32.load16_s", 0xFFFF8786 }, { "i32.load16_u", 0x8786 },
        { "i32.load", 0x87868584 }, { "f32.load", 0x87868584 },
        { "i64.load8_s", 0xFFFFFFFFFFFFFF87 }, { "i64.load8_u", 0x87 }, { "i64.load16_s", 0xFFFFFFFFFFFF8786 }, { "i64.load16_u", 0x8786 },
        { "i64.load32_s", 0xFFFFFFFF87868584 }, { "i64.load32_u", 0x87868584 }, { "i64.load", 0x8786858483828180 }, { "f64.load", 0x8786858483828180 },
    };

    public static readonly TheoryData<string, string> Stores = new()
    {
        // the bytes the last `width` bytes of memory hold after storing 0x0102030405060708
        { "i32.store8", "08" }, { "i32.store16", "0807" }, { "i32.store", "08070605" }, { "f32.store", "08070605" },
        { "i64.store8", "08" }, { "i64.store16", "0807" }, { "i64.store32", "08070605" }, { "i64.store", "0807060504030201" },
        { "f64.store", "0807060504030201" },
    };

    [Theory]
    [MemberData(nameof(Loads))]
    public void LoadAtTheLastValidAddressAndOnePast(string op, ulong expected)
    {
        var (_, width, _) = Describe(op);
        foreach (var offset in new uint[] { 1, 16, (uint)(Page - width) })
        {
            using (var ok = Build(op, 0, offset))
            {
                var at = Page - width;
                Assert.Equal(Wat.Hex(expected), Wat.Hex(Wat.Bits(ok.Invoke("r", Args(op, true, at)))));
                Assert.Equal(Wat.Hex(expected), Wat.Hex(Wat.Bits(ok.Invoke("ro", Args(op, true, at - offset)))));
                Assert.Equal(Wat.Hex(expected), Wat.Hex(Wat.Bits(ok.Invoke("c", Args(op, false, 0)))));
                Assert.Equal(Wat.Hex(expected), Wat.Hex(Wat.Bits(ok.Invoke("co", Args(op, false, 0)))));
            }

            using var past = Build(op, 1, offset);
            var bad = Page - width + 1;
            Wat.Traps(TrapKind.MemoryOutOfBounds, () => past.Invoke("r", Args(op, true, bad)), $"{op} at {bad}");
            Wat.Traps(TrapKind.MemoryOutOfBounds, () => past.Invoke("ro", Args(op, true, bad - offset)), $"{op} at {bad - offset} offset={offset}");
            Wat.Traps(TrapKind.MemoryOutOfBounds, () => past.Invoke("c", Args(op, false, 0)), $"{op} at constant {bad}");
            Wat.Traps(TrapKind.MemoryOutOfBounds, () => past.Invoke("co", Args(op, false, 0)), $"{op} at constant {bad - offset} offset={offset}");
            if (width > 1) Wat.Traps(TrapKind.MemoryOutOfBounds, () => past.Invoke("r", Args(op, true, Page - 1)), $"{op} at {Page - 1}");
            Wat.Traps(TrapKind.MemoryOutOfBounds, () => past.Invoke("r", Args(op, true, Page)), $"{op} at {Page}");
            Wat.Traps(TrapKind.MemoryOutOfBounds, () => past.Invoke("r", Args(op, true, 0xFFFFFFFF)), $"{op} at 0xFFFFFFFF");
            Wat.Traps(TrapKind.MemoryOutOfBounds, () => past.Invoke("r", Args(op, true, 0x80000000)), $"{op} at 0x80000000");
        }
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public void StoreAtTheLastValidAddressAndOnePastWritesNothing(string op, string bytes)
    {
        var (_, width, _) = Describe(op);
        var expected = Convert.FromHexString(bytes);
        var original = new byte[] { 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87 };
        foreach (var offset in new uint[] { 1, 16, (uint)(Page - width) })
        {
            foreach (var shape in new[] { "r", "ro", "c", "co" })
            {
                var param = shape.StartsWith('r');
                var shift = shape.EndsWith('o') ? offset : 0;
                using (var ok = Build(op, 0, offset))
                {
                    ok.Invoke(shape, Args(op, param, Page - width - shift));
                    Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(ok.GetMemory().Slice((int)(Page - width), width).ToArray()));
                    Assert.Equal(Convert.ToHexString(original, 0, 8 - width), Convert.ToHexString(ok.GetMemory().Slice((int)(Page - 8), 8 - width).ToArray()));
                }

                using var past = Build(op, 1, offset);
                Wat.Traps(TrapKind.MemoryOutOfBounds, () => past.Invoke(shape, Args(op, param, Page - width + 1 - shift)), $"{op} ({shape}) at {Page - width + 1 - shift} offset={shift}");
                // A trapping store changes no byte, not even the ones that were in bounds.
                Assert.Equal(Convert.ToHexString(original), Convert.ToHexString(past.GetMemory().Slice((int)(Page - 8), 8).ToArray()));
            }
        }
    }

    /// <summary>
    /// Address + offset is computed in 33+ bits: (2^32 - k) + k is 2^32, out of bounds, even though it would wrap
    /// to 0, which is in bounds. Every width, offsets small and large, address in a register and constant.
    /// </summary>
    [Theory]
    [InlineData("i32.load8_u")]
    [InlineData("i32.load16_s")]
    [InlineData("i32.load")]
    [InlineData("i64.load")]
    [InlineData("i64.load32_u")]
    [InlineData("f32.load")]
    [InlineData("f64.load")]
    [InlineData("i32.store8")]
    [InlineData("i32.store16")]
    [InlineData("i32.store")]
    [InlineData("i64.store")]
    [InlineData("i64.store32")]
    [InlineData("f32.store")]
    [InlineData("f64.store")]
    public void AddressPlusOffsetPast4GiBTraps(string op)
    {
        foreach (var offset in new uint[] { 1, 8, 16, 0x10000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFF0, 0xFFFFFFFF })
        {
            // (r) address 2^32 - offset; (c) the same as a constant; both land exactly on 2^32, wrapping to 0.
            var (type, _, isStore) = Describe(op);
            var vt = ValueParamType(type);
            var address = unchecked((uint)(0x100000000 - offset));
            string Access(string a) => isStore ? $"({op} offset={offset} {a} {StoredValue(type, a.StartsWith("(local", StringComparison.Ordinal) ? 1 : 0)})" : LoadedValue(type, $"({op} offset={offset} {a})");
            using var instance = Wat.Functions("(memory 1)",
                ("r", isStore ? $"(param i32 {vt})" : $"(param i32) (result {vt})", Access("(local.get 0)")),
                ("c", isStore ? $"(param {vt})" : $"(result {vt})", Access($"(i32.const {address})")),
                ("near", isStore ? $"(param i32 {vt})" : $"(param i32) (result {vt})", Access("(local.get 0)")));
            Wat.Traps(TrapKind.MemoryOutOfBounds, () => instance.Invoke("r", Args(op, true, address)), $"{op} {Wat.Hex(address)} offset={offset}");
            Wat.Traps(TrapKind.MemoryOutOfBounds, () => instance.Invoke("c", Args(op, false, 0)), $"{op} constant {Wat.Hex(address)} offset={offset}");
            Wat.Traps(TrapKind.MemoryOutOfBounds, () => instance.Invoke("r", Args(op, true, 0xFFFFFFFF)), $"{op} 0xFFFFFFFF offset={offset}");
        }
    }

    /// <summary>After memory.grow the new last bytes are accessible, one past them is not; before the grow they were not.</summary>
    [Theory]
    [InlineData("i32.load8_s", 1)]
    [InlineData("i32.load16_u", 2)]
    [InlineData("i32.load", 4)]
    [InlineData("i64.load8_u", 1)]
    [InlineData("i64.load16_s", 2)]
    [InlineData("i64.load32_s", 4)]
    [InlineData("i64.load", 8)]
    [InlineData("f32.load", 4)]
    [InlineData("f64.load", 8)]
    [InlineData("i32.store8", 1)]
    [InlineData("i32.store16", 2)]
    [InlineData("i32.store", 4)]
    [InlineData("i64.store8", 1)]
    [InlineData("i64.store16", 2)]
    [InlineData("i64.store32", 4)]
    [InlineData("i64.store", 8)]
    [InlineData("f32.store", 4)]
    [InlineData("f64.store", 8)]
    public void AccessAtTheNewEndAfterGrow(string op, int width)
    {
        var (type, w, isStore) = Describe(op);
        Assert.Equal(width, w);
        var vt = ValueParamType(type);
        string Access(uint offset) => isStore ? $"({op} offset={offset} (local.get 0) {StoredValue(type, 1)})" : LoadedValue(type, $"({op} offset={offset} (local.get 0))");
        var sig = isStore ? $"(param i32 {vt})" : $"(param i32) (result {vt})";
        using var instance = Wat.Functions("(memory 1 3)",
            ("access", sig, Access(0)),
            ("access_off", sig, Access(0x10000)),
            ("grow", "(param i32) (result i32)", "(memory.grow (local.get 0))"),
            // grows, then accesses the new end in the same function (a cached bound would be stale)
            ("grow_then", isStore ? $"(param i32 {vt}) (result i32)" : $"(param i32) (result i32)",
                $"(drop (memory.grow (i32.const 1))) {(isStore ? Access(0) : $"(drop {Access(0)})")} (memory.size)"));
        var end2 = (2 * Page) - width;
        Wat.Traps(TrapKind.MemoryOutOfBounds, () => instance.Invoke("access", Args(op, true, end2)), $"{op} at {end2} before grow");
        Wat.Traps(TrapKind.MemoryOutOfBounds, () => instance.Invoke("access_off", Args(op, true, end2 - 0x10000)), $"{op} at {end2 - 0x10000}+0x10000 before grow");
        Assert.Equal(1, (int)instance.Invoke("grow", 1)!);
        instance.Invoke("access", Args(op, true, end2));
        instance.Invoke("access_off", Args(op, true, end2 - 0x10000));
        if (isStore)
        {
            Assert.Equal(0x08, instance.GetMemory()[(int)end2]);
        }

        Wat.Traps(TrapKind.MemoryOutOfBounds, () => instance.Invoke("access", Args(op, true, end2 + 1)), $"{op} at {end2 + 1} after grow");
        Wat.Traps(TrapKind.MemoryOutOfBounds, () => instance.Invoke("access_off", Args(op, true, end2 + 1 - 0x10000)), $"{op} at {end2 + 1 - 0x10000}+0x10000 after grow");
        var end3 = (3 * Page) - width;
        var growThenArgs = isStore ? new object?[] { unchecked((int)end3), Wat.Arg(vt, 0x0102030405060708) } : new object?[] { unchecked((int)end3) };
        Assert.Equal(3, (int)instance.Invoke("grow_then", growThenArgs)!);
        Wat.Traps(TrapKind.MemoryOutOfBounds, () => instance.Invoke("access", Args(op, true, end3 + 1)), $"{op} at {end3 + 1} at the maximum");
    }

    /// <summary>
    /// i32 address arithmetic wraps at 2^32 before the access: 0xFFFFFFFC + 8 is address 4, in bounds. (x64 indexes
    /// with the register an operation just wrote in 32 bits directly, so every such operation is here.)
    /// </summary>
    [Theory]
    [InlineData("(i32.load (i32.add (local.get 0) (i32.const 8)))", 0xFFFFFFFCL, 0x04030201L)]
    [InlineData("(i32.load (i32.sub (local.get 0) (i32.const 0xFFFFFFFC)))", 0x0L, 0x04030201L)]
    [InlineData("(i32.load offset=2 (i32.add (local.get 0) (i32.const 0x80000000)))", 0x80000002L, 0x04030201L)]
    [InlineData("(i32.load (i32.wrap_i64 (i64.add (i64.extend_i32_u (local.get 0)) (i64.const 0x100000000))))", 0x4L, 0x04030201L)]
    [InlineData("(i32.load8_u (i32.mul (local.get 0) (i32.const 0x40000000)))", 0x4L, 0x0L)]
    [InlineData("(i32.load (i32.shl (local.get 0) (i32.const 2)))", 0x40000001L, 0x04030201L)]
    [InlineData("(i32.load (i32.shl (local.get 0) (i32.const 32)))", 0x4L, 0x04030201L)]
    [InlineData("(i32.load (i32.shr_u (local.get 0) (i32.const 28)))", 0x4FFFFFFFL, 0x04030201L)]
    [InlineData("(i32.load (i32.and (local.get 0) (i32.const 0xFF)))", 0xFFFFFF04L, 0x04030201L)]
    [InlineData("(i32.load (i32.or (local.get 0) (i32.const 4)))", 0x0L, 0x04030201L)]
    [InlineData("(i32.load (i32.xor (local.get 0) (i32.const 0xFFFFFFFF)))", 0xFFFFFFFBL, 0x04030201L)]
    [InlineData("(i32.load (i32.sub (i32.const 0) (local.get 0)))", 0xFFFFFFFCL, 0x04030201L)]
    public void AddressArithmeticWrapsBeforeTheAccess(string body, long argument, long expected)
    {
        using var instance = Wat.Functions("(memory 1) (data (i32.const 4) \"\\01\\02\\03\\04\")", ("f", "(param i32) (result i32)", body));
        Assert.Equal(Wat.Hex((ulong)expected), Wat.Hex(Wat.Bits(instance.Invoke("f", unchecked((int)argument)))));
    }

    /// <summary>
    /// A store whose address is computed (and wraps) before its value, so float instructions and a frame store come
    /// between the instruction that wrote the address register and the access.
    /// </summary>
    [Fact]
    public void AddressComputedBeforeTheStoredValue()
    {
        using var instance = Wat.Functions("(memory 1)",
            ("f", "(param i32 f64)", "(f64.store (i32.add (local.get 0) (i32.const 8)) (local.tee 1 (f64.mul (local.get 1) (local.get 1))))"));
        instance.Invoke("f", unchecked((int)0xFFFFFFFC), 3.0);
        Assert.Equal(9.0, BitConverter.ToDouble(instance.GetMemory().Slice(4, 8)));
        instance.Invoke("f", (int)(Page - 16), 4.0);
        Assert.Equal(16.0, BitConverter.ToDouble(instance.GetMemory().Slice((int)Page - 8, 8)));
        Wat.Traps(TrapKind.MemoryOutOfBounds, () => instance.Invoke("f", (int)(Page - 15), 1.0), "f64.store at the end + 1");
    }

    /// <summary>An address that comes from an i64 through wrap: the high half must not reach the address computation.</summary>
    [Theory]
    [InlineData(0x100000004L)]
    [InlineData(unchecked((long)0xFFFFFFFF00000004))]
    public void WrappedI64Address(long address)
    {
        using var instance = Wat.Functions("(memory 1) (data (i32.const 4) \"\\01\\02\\03\\04\")",
            ("load", "(param i64) (result i32)", "(i32.load (i32.wrap_i64 (local.get 0)))"),
            ("store", "(param i64 i32)", "(i32.store offset=4 (i32.wrap_i64 (local.get 0)) (local.get 1))"));
        Assert.Equal(0x04030201, (int)instance.Invoke("load", address)!);
        instance.Invoke("store", address, 0x55667788);
        Assert.Equal(0x55667788, BitConverter.ToInt32(instance.GetMemory().Slice(8, 4)));
    }
}
