using System;
using WasmToolkit.Instructions;

namespace WasmToolkit.Text;

/// <summary>
/// A constant of a script (spec interpreter's <c>const</c>): an argument of <c>invoke</c> or an
/// exact expected result. Numbers are kept as bit patterns so NaN payloads and signed zeros survive.
/// </summary>
public readonly struct WastValue : IEquatable<WastValue>
{
    private WastValue(WastValueKind kind, ulong bits, V128 vector, HeapType heapType)
    {
        Kind = kind;
        Bits = bits;
        Vector = vector;
        HeapType = heapType;
    }

    public WastValueKind Kind { get; }

    /// <summary>The number's bits (i32/f32 zero-extended); for <c>ref.extern</c> and <c>ref.func</c> the number given.</summary>
    public ulong Bits { get; }

    /// <summary>For <see cref="WastValueKind.V128"/>: the sixteen bytes.</summary>
    public V128 Vector { get; }

    /// <summary>For <see cref="WastValueKind.RefNull"/>: <c>func</c> or <c>extern</c>.</summary>
    public HeapType HeapType { get; }

    public int I32 => (int)(uint)Bits;

    public long I64 => (long)Bits;

    public static WastValue FromI32(int value) => new(WastValueKind.I32, (uint)value, default, default);

    public static WastValue FromI64(long value) => new(WastValueKind.I64, (ulong)value, default, default);

    public static WastValue FromF32Bits(uint bits) => new(WastValueKind.F32, bits, default, default);

    public static WastValue FromF64Bits(ulong bits) => new(WastValueKind.F64, bits, default, default);

    public static WastValue FromV128(V128 value) => new(WastValueKind.V128, 0, value, default);

    public static WastValue RefNull(HeapType heapType) => new(WastValueKind.RefNull, 0, default, heapType);

    public static WastValue RefExtern(uint value) => new(WastValueKind.RefExtern, value, default, HeapType.Extern);

    public static WastValue RefFunc(uint index) => new(WastValueKind.RefFunc, index, default, HeapType.Func);

    public bool Equals(WastValue other) => Kind == other.Kind && Bits == other.Bits && Vector.Equals(other.Vector) && HeapType == other.HeapType;

    public override bool Equals(object? obj) => obj is WastValue other && Equals(other);

    public override int GetHashCode() => ((int)Kind * 31) ^ Bits.GetHashCode() ^ Vector.GetHashCode();

    /// <summary>Script syntax, with floats as hex bit patterns.</summary>
    public override string ToString() => Kind switch
    {
        WastValueKind.I32 => "(i32.const " + I32 + ")",
        WastValueKind.I64 => "(i64.const " + I64 + ")",
        WastValueKind.F32 => "(f32.const bits:0x" + Bits.ToString("x8") + ")",
        WastValueKind.F64 => "(f64.const bits:0x" + Bits.ToString("x16") + ")",
        WastValueKind.V128 => "(v128.const " + Vector + ")",
        WastValueKind.RefNull => "(ref.null " + HeapType + ")",
        WastValueKind.RefExtern => "(ref.extern " + Bits + ")",
        _ => "(ref.func " + Bits + ")",
    };
}
