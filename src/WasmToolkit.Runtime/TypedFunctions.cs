// Typed, allocation-free calls into exported functions. Generated shape, written out by hand:
// T* are int/uint (i32), long/ulong (i64), float (f32), double (f64), V128 or Vector128<byte> (v128, two slots);
// the checks in Slot are JIT-time constants per instantiation. The slot buffers are sized for two slots per value
// (constant sizes), and a value's position is the sum of the widths before it (constants too).
using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using WasmToolkit.Compiler;
using WasmToolkit.Instructions;

namespace WasmToolkit.Runtime;

/// <summary>
/// Conversions between CLR values and 8-byte value slots: one slot for a number, two for a v128 (<see cref="V128"/> or
/// <see cref="Vector128{T}"/> of bytes, low 8 bytes first; <see cref="ValueSlots"/>).
/// </summary>
internal static unsafe class Slot
{
    /// <summary>Slots a <typeparamref name="T"/> takes: a JIT-time constant, so argument positions fold to constants.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Width<T>() => typeof(T) == typeof(V128) || typeof(T) == typeof(Vector128<byte>) ? 2 : 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write<T>(ulong* at, T value)
    {
        if (typeof(T) == typeof(V128))
        {
            var v = Unsafe.As<T, V128>(ref value);
            at[0] = v.Low;
            at[1] = v.High;
            return;
        }

        if (typeof(T) == typeof(Vector128<byte>))
        {
            // Unaligned: the slots are 8-byte aligned only.
            Unsafe.WriteUnaligned(at, Unsafe.As<T, Vector128<byte>>(ref value));
            return;
        }

        *at = From(value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Read<T>(ulong* at)
    {
        if (typeof(T) == typeof(V128)) { var v = new V128(at[0], at[1]); return Unsafe.As<V128, T>(ref v); }
        if (typeof(T) == typeof(Vector128<byte>)) { var v = Unsafe.ReadUnaligned<Vector128<byte>>(at); return Unsafe.As<Vector128<byte>, T>(ref v); }
        return To<T>(*at);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong From<T>(T value)
    {
        if (typeof(T) == typeof(int)) return (uint)Unsafe.As<T, int>(ref value);
        if (typeof(T) == typeof(uint)) return Unsafe.As<T, uint>(ref value);
        if (typeof(T) == typeof(long)) return (ulong)Unsafe.As<T, long>(ref value);
        if (typeof(T) == typeof(ulong)) return Unsafe.As<T, ulong>(ref value);
        if (typeof(T) == typeof(float)) return BitConverter.SingleToUInt32Bits(Unsafe.As<T, float>(ref value));
        if (typeof(T) == typeof(double)) return BitConverter.DoubleToUInt64Bits(Unsafe.As<T, double>(ref value));
        throw new NotSupportedException(typeof(T).Name);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T To<T>(ulong slot)
    {
        if (typeof(T) == typeof(int)) { var v = (int)(uint)slot; return Unsafe.As<int, T>(ref v); }
        if (typeof(T) == typeof(uint)) { var v = (uint)slot; return Unsafe.As<uint, T>(ref v); }
        if (typeof(T) == typeof(long)) { var v = (long)slot; return Unsafe.As<long, T>(ref v); }
        if (typeof(T) == typeof(ulong)) return Unsafe.As<ulong, T>(ref slot);
        if (typeof(T) == typeof(float)) { var v = BitConverter.UInt32BitsToSingle((uint)slot); return Unsafe.As<float, T>(ref v); }
        if (typeof(T) == typeof(double)) { var v = BitConverter.UInt64BitsToDouble(slot); return Unsafe.As<double, T>(ref v); }
        throw new NotSupportedException(typeof(T).Name);
    }

    public static ValTypeKind KindOf(Type t)
    {
        if (t == typeof(int) || t == typeof(uint)) return ValTypeKind.I32;
        if (t == typeof(long) || t == typeof(ulong)) return ValTypeKind.I64;
        if (t == typeof(float)) return ValTypeKind.F32;
        if (t == typeof(double)) return ValTypeKind.F64;
        if (t == typeof(V128) || t == typeof(Vector128<byte>)) return ValTypeKind.V128;
        throw new NotSupportedException($"{t.Name} is not a supported WebAssembly value type in typed calls (use int, uint, long, ulong, float, double, V128 or Vector128<byte>).");
    }

    public static void Check(FuncType type, string name, Type[] parameters, Type? result)
    {
        var ok = type.Parameters.Length == parameters.Length && type.Results.Length == (result is null ? 0 : 1);
        for (var i = 0; ok && i < parameters.Length; i++) ok = type.Parameters[i].Kind == KindOf(parameters[i]);
        if (ok && result is not null) ok = type.Results[0].Kind == KindOf(result);
        if (!ok) throw new ArgumentException($"Export \"{name}\" has type {type}, which does not match the requested delegate shape.");
    }
}

/// <summary>A typed handle on an exported function returning a value; calls neither box nor allocate.</summary>
public readonly unsafe struct TypedFunction<TResult>
{
    private readonly Function _function;

    internal TypedFunction(Function function) => _function = function;

    /// <summary>Calls the function; a trap throws <see cref="TrapException"/>.</summary>
    public TResult Invoke()
    {
        var slots = stackalloc ulong[2];
        _function.Call(slots);
        return Slot.Read<TResult>(slots);
    }
}

/// <summary>A typed handle on an exported function without results; calls neither box nor allocate.</summary>
public readonly unsafe struct TypedAction
{
    private readonly Function _function;

    internal TypedAction(Function function) => _function = function;

    /// <summary>Calls the function; a trap throws <see cref="TrapException"/>.</summary>
    public void Invoke()
    {
        var slots = stackalloc ulong[2];
        _function.Call(slots);
    }
}

/// <summary>A typed handle on an exported function returning a value; calls neither box nor allocate.</summary>
public readonly unsafe struct TypedFunction<T1, TResult>
{
    private readonly Function _function;

    internal TypedFunction(Function function) => _function = function;

    /// <summary>Calls the function; a trap throws <see cref="TrapException"/>.</summary>
    public TResult Invoke(T1 arg1)
    {
        var slots = stackalloc ulong[2];
        Slot.Write(slots, arg1);
        _function.Call(slots);
        return Slot.Read<TResult>(slots);
    }
}

/// <summary>A typed handle on an exported function without results; calls neither box nor allocate.</summary>
public readonly unsafe struct TypedAction<T1>
{
    private readonly Function _function;

    internal TypedAction(Function function) => _function = function;

    /// <summary>Calls the function; a trap throws <see cref="TrapException"/>.</summary>
    public void Invoke(T1 arg1)
    {
        var slots = stackalloc ulong[2];
        Slot.Write(slots, arg1);
        _function.Call(slots);
    }
}

/// <summary>A typed handle on an exported function returning a value; calls neither box nor allocate.</summary>
public readonly unsafe struct TypedFunction<T1, T2, TResult>
{
    private readonly Function _function;

    internal TypedFunction(Function function) => _function = function;

    /// <summary>Calls the function; a trap throws <see cref="TrapException"/>.</summary>
    public TResult Invoke(T1 arg1, T2 arg2)
    {
        var slots = stackalloc ulong[4];
        Slot.Write(slots, arg1);
        Slot.Write(slots + Slot.Width<T1>(), arg2);
        _function.Call(slots);
        return Slot.Read<TResult>(slots);
    }
}

/// <summary>A typed handle on an exported function without results; calls neither box nor allocate.</summary>
public readonly unsafe struct TypedAction<T1, T2>
{
    private readonly Function _function;

    internal TypedAction(Function function) => _function = function;

    /// <summary>Calls the function; a trap throws <see cref="TrapException"/>.</summary>
    public void Invoke(T1 arg1, T2 arg2)
    {
        var slots = stackalloc ulong[4];
        Slot.Write(slots, arg1);
        Slot.Write(slots + Slot.Width<T1>(), arg2);
        _function.Call(slots);
    }
}

/// <summary>A typed handle on an exported function returning a value; calls neither box nor allocate.</summary>
public readonly unsafe struct TypedFunction<T1, T2, T3, TResult>
{
    private readonly Function _function;

    internal TypedFunction(Function function) => _function = function;

    /// <summary>Calls the function; a trap throws <see cref="TrapException"/>.</summary>
    public TResult Invoke(T1 arg1, T2 arg2, T3 arg3)
    {
        var slots = stackalloc ulong[6];
        Slot.Write(slots, arg1);
        Slot.Write(slots + Slot.Width<T1>(), arg2);
        Slot.Write(slots + Slot.Width<T1>() + Slot.Width<T2>(), arg3);
        _function.Call(slots);
        return Slot.Read<TResult>(slots);
    }
}

/// <summary>A typed handle on an exported function without results; calls neither box nor allocate.</summary>
public readonly unsafe struct TypedAction<T1, T2, T3>
{
    private readonly Function _function;

    internal TypedAction(Function function) => _function = function;

    /// <summary>Calls the function; a trap throws <see cref="TrapException"/>.</summary>
    public void Invoke(T1 arg1, T2 arg2, T3 arg3)
    {
        var slots = stackalloc ulong[6];
        Slot.Write(slots, arg1);
        Slot.Write(slots + Slot.Width<T1>(), arg2);
        Slot.Write(slots + Slot.Width<T1>() + Slot.Width<T2>(), arg3);
        _function.Call(slots);
    }
}

/// <summary>A typed handle on an exported function returning a value; calls neither box nor allocate.</summary>
public readonly unsafe struct TypedFunction<T1, T2, T3, T4, TResult>
{
    private readonly Function _function;

    internal TypedFunction(Function function) => _function = function;

    /// <summary>Calls the function; a trap throws <see cref="TrapException"/>.</summary>
    public TResult Invoke(T1 arg1, T2 arg2, T3 arg3, T4 arg4)
    {
        var slots = stackalloc ulong[8];
        Slot.Write(slots, arg1);
        Slot.Write(slots + Slot.Width<T1>(), arg2);
        Slot.Write(slots + Slot.Width<T1>() + Slot.Width<T2>(), arg3);
        Slot.Write(slots + Slot.Width<T1>() + Slot.Width<T2>() + Slot.Width<T3>(), arg4);
        _function.Call(slots);
        return Slot.Read<TResult>(slots);
    }
}

/// <summary>A typed handle on an exported function without results; calls neither box nor allocate.</summary>
public readonly unsafe struct TypedAction<T1, T2, T3, T4>
{
    private readonly Function _function;

    internal TypedAction(Function function) => _function = function;

    /// <summary>Calls the function; a trap throws <see cref="TrapException"/>.</summary>
    public void Invoke(T1 arg1, T2 arg2, T3 arg3, T4 arg4)
    {
        var slots = stackalloc ulong[8];
        Slot.Write(slots, arg1);
        Slot.Write(slots + Slot.Width<T1>(), arg2);
        Slot.Write(slots + Slot.Width<T1>() + Slot.Width<T2>(), arg3);
        Slot.Write(slots + Slot.Width<T1>() + Slot.Width<T2>() + Slot.Width<T3>(), arg4);
        _function.Call(slots);
    }
}
