using System;
using System.Collections.Generic;
using System.Runtime.Intrinsics;
using WasmToolkit.Compiler;
using WasmToolkit.Instructions;

namespace WasmToolkit.Runtime;

/// <summary>
/// Conversions between CLR values and the 8-byte slots wasm values travel in: <c>int</c>/<c>uint</c> for
/// i32, <c>long</c>/<c>ulong</c> for i64, <c>float</c>, <c>double</c>, <see cref="V128"/> or any
/// <see cref="Vector128{T}"/> for v128 (two slots, low 8 bytes first; read back as <see cref="V128"/>),
/// <see cref="Function"/> (or null) for funcref, any object (or null) for externref.
/// </summary>
internal static unsafe class Values
{
    /// <summary>Writes <paramref name="value"/> to the <see cref="ValueSlots.Width"/> slots at <paramref name="at"/>; throws when it does not fit <paramref name="type"/>.</summary>
    public static void Write(ValType type, object? value, ulong* at, string what, int index = -1)
    {
        if (type.Kind != ValTypeKind.V128)
        {
            *at = ToSlot(type, value, what, index);
            return;
        }

        if (!TryToVector(value, out var vector)) throw Mismatch(type, value, what, index);
        at[0] = vector.Low;
        at[1] = vector.High;
    }

    /// <summary>The value of <paramref name="type"/> in the slots at <paramref name="at"/> (a v128 as <see cref="V128"/>).</summary>
    public static object? Read(ValType type, ulong* at) => type.Kind == ValTypeKind.V128 ? new V128(at[0], at[1]) : FromSlot(type, *at);

    /// <summary>A v128 argument: <see cref="V128"/> or a <see cref="Vector128{T}"/> of any element type (the same 16 bytes).</summary>
    public static bool TryToVector(object? value, out V128 vector)
    {
        var bits = value switch
        {
            V128 v => Vector128.Create(v.Low, v.High),
            Vector128<byte> v => v.AsUInt64(),
            Vector128<sbyte> v => v.AsUInt64(),
            Vector128<short> v => v.AsUInt64(),
            Vector128<ushort> v => v.AsUInt64(),
            Vector128<int> v => v.AsUInt64(),
            Vector128<uint> v => v.AsUInt64(),
            Vector128<long> v => v.AsUInt64(),
            Vector128<ulong> v => v,
            Vector128<float> v => v.AsUInt64(),
            Vector128<double> v => v.AsUInt64(),
            _ => (Vector128<ulong>?)null,
        };
        vector = bits is { } b ? new V128(b.GetElement(0), b.GetElement(1)) : default;
        return bits is not null;
    }

    public static bool TryToSlot(ValType type, object? value, out ulong slot)
    {
        slot = 0;
        switch (type.Kind, value)
        {
            case (ValTypeKind.I32, int v): slot = (uint)v; return true;
            case (ValTypeKind.I32, uint v): slot = v; return true;
            case (ValTypeKind.I64, long v): slot = (ulong)v; return true;
            case (ValTypeKind.I64, ulong v): slot = v; return true;
            case (ValTypeKind.I64, int v): slot = (ulong)(long)v; return true;
            case (ValTypeKind.F32, float v): slot = BitConverter.SingleToUInt32Bits(v); return true;
            case (ValTypeKind.F64, double v): slot = BitConverter.DoubleToUInt64Bits(v); return true;
            case (ValTypeKind.Ref, _) when type.Heap == HeapType.Func:
                if (value is null) return true;
                if (value is not Function f) return false;
                slot = (ulong)f.Record;
                return true;
            case (ValTypeKind.Ref, _):
                slot = ExternRefs.ToSlot(value);
                return true;
            default:
                return false;
        }
    }

    public static ulong ToSlot(ValType type, object? value, string what, int index = -1)
    {
        // The message is built only on failure: this is on every untyped call's path.
        if (!TryToSlot(type, value, out var slot)) throw Mismatch(type, value, what, index);
        return slot;
    }

    private static ArgumentException Mismatch(ValType type, object? value, string what, int index)
        => new($"{what}{(index >= 0 ? " " + index : "")} ({value?.GetType().Name ?? "null"}) does not fit type {type}.");

    public static object? FromSlot(ValType type, ulong slot) => type.Kind switch
    {
        ValTypeKind.I32 => (int)(uint)slot,
        ValTypeKind.I64 => (long)slot,
        ValTypeKind.F32 => BitConverter.UInt32BitsToSingle((uint)slot),
        ValTypeKind.F64 => BitConverter.UInt64BitsToDouble(slot),
        ValTypeKind.Ref when type.Heap == HeapType.Func => Function.FromRecord((byte*)slot),
        ValTypeKind.Ref => ExternRefs.FromSlot(slot),
        _ => throw new ArgumentException($"A value of type {type} does not fit one slot.", nameof(type)),
    };
}

/// <summary>
/// externref values as slots: a nonzero number per distinct object (by reference). The runtime keeps
/// every object passed into wasm as an externref alive for the life of the process.
/// </summary>
internal static class ExternRefs
{
    private static readonly object s_lock = new();
    private static readonly Dictionary<object, ulong> s_ids = new(ReferenceEqualityComparer.Instance);
    private static readonly List<object> s_objects = new();

    public static ulong ToSlot(object? value)
    {
        if (value is null) return 0;
        lock (s_lock)
        {
            if (s_ids.TryGetValue(value, out var id)) return id;
            s_objects.Add(value);
            id = (ulong)s_objects.Count;
            s_ids.Add(value, id);
            return id;
        }
    }

    public static object? FromSlot(ulong slot)
    {
        if (slot == 0) return null;
        lock (s_lock)
        {
            return slot <= (ulong)s_objects.Count ? s_objects[(int)slot - 1] : null;
        }
    }
}
