// Typed, allocation-free calls into exported functions. Generated shape, written out by hand:
// T* are int/uint (i32) or long/ulong (i64); the checks in Slot are JIT-time constants per instantiation.
using System;
using System.Runtime.CompilerServices;
using WasmToolkit.Compiler;

namespace WasmToolkit.Runtime;

/// <summary>Conversions between CLR integers and 8-byte value slots.</summary>
internal static class Slot
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong From<T>(T value)
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
    public static T To<T>(ulong slot)
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
        throw new NotSupportedException($"{t.Name} is not a supported WebAssembly value type in typed calls (use int, uint, long, ulong, float or double).");
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
        var slots = stackalloc ulong[1];
        _function.Call(slots);
        return Slot.To<TResult>(slots[0]);
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
        var slots = stackalloc ulong[1];
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
        var slots = stackalloc ulong[1];
        slots[0] = Slot.From(arg1);
        _function.Call(slots);
        return Slot.To<TResult>(slots[0]);
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
        var slots = stackalloc ulong[1];
        slots[0] = Slot.From(arg1);
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
        var slots = stackalloc ulong[2];
        slots[0] = Slot.From(arg1);
        slots[1] = Slot.From(arg2);
        _function.Call(slots);
        return Slot.To<TResult>(slots[0]);
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
        var slots = stackalloc ulong[2];
        slots[0] = Slot.From(arg1);
        slots[1] = Slot.From(arg2);
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
        var slots = stackalloc ulong[3];
        slots[0] = Slot.From(arg1);
        slots[1] = Slot.From(arg2);
        slots[2] = Slot.From(arg3);
        _function.Call(slots);
        return Slot.To<TResult>(slots[0]);
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
        var slots = stackalloc ulong[3];
        slots[0] = Slot.From(arg1);
        slots[1] = Slot.From(arg2);
        slots[2] = Slot.From(arg3);
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
        var slots = stackalloc ulong[4];
        slots[0] = Slot.From(arg1);
        slots[1] = Slot.From(arg2);
        slots[2] = Slot.From(arg3);
        slots[3] = Slot.From(arg4);
        _function.Call(slots);
        return Slot.To<TResult>(slots[0]);
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
        var slots = stackalloc ulong[4];
        slots[0] = Slot.From(arg1);
        slots[1] = Slot.From(arg2);
        slots[2] = Slot.From(arg3);
        slots[3] = Slot.From(arg4);
        _function.Call(slots);
    }
}
