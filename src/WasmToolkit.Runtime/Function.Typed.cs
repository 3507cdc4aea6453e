// Typed host functions: the delegate's CLR types give the wasm type, calls read and write the slots
// directly (no boxing). T* are int/uint (i32), long/ulong (i64), float (f32), double (f64), V128 or
// Vector128<byte> (v128: two slots, so later arguments sit after both; see ValueSlots).
using System;
using System.Collections.Immutable;

namespace WasmToolkit.Runtime;

public sealed unsafe partial class Function
{
    private static FuncType TypeOf(Type[] parameters, Type? result)
    {
        var p = ImmutableArray.CreateBuilder<ValType>(parameters.Length);
        foreach (var t in parameters) p.Add(Scalar(Slot.KindOf(t)));
        var r = result is null ? ImmutableArray<ValType>.Empty : ImmutableArray.Create(Scalar(Slot.KindOf(result)));
        return new FuncType(p.MoveToImmutable(), r);
    }

    private static ValType Scalar(ValTypeKind kind) => kind switch
    {
        ValTypeKind.I32 => ValType.I32,
        ValTypeKind.I64 => ValType.I64,
        ValTypeKind.F32 => ValType.F32,
        ValTypeKind.V128 => ValType.V128,
        _ => ValType.F64,
    };

    /// <summary>A host function from a typed delegate.</summary>
    public static Function Create<TResult>(Func<TResult> callback)
    {
        if (callback is null) throw new ArgumentNullException(nameof(callback));
        return new Function(TypeOf(System.Type.EmptyTypes, typeof(TResult)), new FuncInvoker<TResult>(callback));
    }

    /// <summary>A host function without results from a typed delegate.</summary>
    public static Function Create(Action callback)
    {
        if (callback is null) throw new ArgumentNullException(nameof(callback));
        return new Function(TypeOf(System.Type.EmptyTypes, null), new ActionInvoker(callback));
    }

    /// <summary>A host function from a typed delegate.</summary>
    public static Function Create<T1, TResult>(Func<T1, TResult> callback)
    {
        if (callback is null) throw new ArgumentNullException(nameof(callback));
        return new Function(TypeOf(new System.Type[] { typeof(T1) }, typeof(TResult)), new FuncInvoker<T1, TResult>(callback));
    }

    /// <summary>A host function without results from a typed delegate.</summary>
    public static Function Create<T1>(Action<T1> callback)
    {
        if (callback is null) throw new ArgumentNullException(nameof(callback));
        return new Function(TypeOf(new System.Type[] { typeof(T1) }, null), new ActionInvoker<T1>(callback));
    }

    /// <summary>A host function from a typed delegate.</summary>
    public static Function Create<T1, T2, TResult>(Func<T1, T2, TResult> callback)
    {
        if (callback is null) throw new ArgumentNullException(nameof(callback));
        return new Function(TypeOf(new System.Type[] { typeof(T1), typeof(T2) }, typeof(TResult)), new FuncInvoker<T1, T2, TResult>(callback));
    }

    /// <summary>A host function without results from a typed delegate.</summary>
    public static Function Create<T1, T2>(Action<T1, T2> callback)
    {
        if (callback is null) throw new ArgumentNullException(nameof(callback));
        return new Function(TypeOf(new System.Type[] { typeof(T1), typeof(T2) }, null), new ActionInvoker<T1, T2>(callback));
    }

    /// <summary>A host function from a typed delegate.</summary>
    public static Function Create<T1, T2, T3, TResult>(Func<T1, T2, T3, TResult> callback)
    {
        if (callback is null) throw new ArgumentNullException(nameof(callback));
        return new Function(TypeOf(new System.Type[] { typeof(T1), typeof(T2), typeof(T3) }, typeof(TResult)), new FuncInvoker<T1, T2, T3, TResult>(callback));
    }

    /// <summary>A host function without results from a typed delegate.</summary>
    public static Function Create<T1, T2, T3>(Action<T1, T2, T3> callback)
    {
        if (callback is null) throw new ArgumentNullException(nameof(callback));
        return new Function(TypeOf(new System.Type[] { typeof(T1), typeof(T2), typeof(T3) }, null), new ActionInvoker<T1, T2, T3>(callback));
    }

    /// <summary>A host function from a typed delegate.</summary>
    public static Function Create<T1, T2, T3, T4, TResult>(Func<T1, T2, T3, T4, TResult> callback)
    {
        if (callback is null) throw new ArgumentNullException(nameof(callback));
        return new Function(TypeOf(new System.Type[] { typeof(T1), typeof(T2), typeof(T3), typeof(T4) }, typeof(TResult)), new FuncInvoker<T1, T2, T3, T4, TResult>(callback));
    }

    /// <summary>A host function without results from a typed delegate.</summary>
    public static Function Create<T1, T2, T3, T4>(Action<T1, T2, T3, T4> callback)
    {
        if (callback is null) throw new ArgumentNullException(nameof(callback));
        return new Function(TypeOf(new System.Type[] { typeof(T1), typeof(T2), typeof(T3), typeof(T4) }, null), new ActionInvoker<T1, T2, T3, T4>(callback));
    }
}

internal sealed unsafe class FuncInvoker<TResult> : HostInvoker
{
    private readonly Func<TResult> _callback;

    public FuncInvoker(Func<TResult> callback) => _callback = callback;

    public override void Invoke(ulong* slots) => Slot.Write(slots, _callback());
}

internal sealed unsafe class ActionInvoker : HostInvoker
{
    private readonly Action _callback;

    public ActionInvoker(Action callback) => _callback = callback;

    public override void Invoke(ulong* slots) => _callback();
}

internal sealed unsafe class FuncInvoker<T1, TResult> : HostInvoker
{
    private readonly Func<T1, TResult> _callback;

    public FuncInvoker(Func<T1, TResult> callback) => _callback = callback;

    public override void Invoke(ulong* slots) => Slot.Write(slots, _callback(Slot.Read<T1>(slots)));
}

internal sealed unsafe class ActionInvoker<T1> : HostInvoker
{
    private readonly Action<T1> _callback;

    public ActionInvoker(Action<T1> callback) => _callback = callback;

    public override void Invoke(ulong* slots) => _callback(Slot.Read<T1>(slots));
}

internal sealed unsafe class FuncInvoker<T1, T2, TResult> : HostInvoker
{
    private readonly Func<T1, T2, TResult> _callback;

    public FuncInvoker(Func<T1, T2, TResult> callback) => _callback = callback;

    public override void Invoke(ulong* slots) => Slot.Write(slots, _callback(Slot.Read<T1>(slots), Slot.Read<T2>(slots + Slot.Width<T1>())));
}

internal sealed unsafe class ActionInvoker<T1, T2> : HostInvoker
{
    private readonly Action<T1, T2> _callback;

    public ActionInvoker(Action<T1, T2> callback) => _callback = callback;

    public override void Invoke(ulong* slots) => _callback(Slot.Read<T1>(slots), Slot.Read<T2>(slots + Slot.Width<T1>()));
}

internal sealed unsafe class FuncInvoker<T1, T2, T3, TResult> : HostInvoker
{
    private readonly Func<T1, T2, T3, TResult> _callback;

    public FuncInvoker(Func<T1, T2, T3, TResult> callback) => _callback = callback;

    public override void Invoke(ulong* slots) => Slot.Write(slots, _callback(Slot.Read<T1>(slots), Slot.Read<T2>(slots + Slot.Width<T1>()), Slot.Read<T3>(slots + Slot.Width<T1>() + Slot.Width<T2>())));
}

internal sealed unsafe class ActionInvoker<T1, T2, T3> : HostInvoker
{
    private readonly Action<T1, T2, T3> _callback;

    public ActionInvoker(Action<T1, T2, T3> callback) => _callback = callback;

    public override void Invoke(ulong* slots) => _callback(Slot.Read<T1>(slots), Slot.Read<T2>(slots + Slot.Width<T1>()), Slot.Read<T3>(slots + Slot.Width<T1>() + Slot.Width<T2>()));
}

internal sealed unsafe class FuncInvoker<T1, T2, T3, T4, TResult> : HostInvoker
{
    private readonly Func<T1, T2, T3, T4, TResult> _callback;

    public FuncInvoker(Func<T1, T2, T3, T4, TResult> callback) => _callback = callback;

    public override void Invoke(ulong* slots) => Slot.Write(slots, _callback(Slot.Read<T1>(slots), Slot.Read<T2>(slots + Slot.Width<T1>()), Slot.Read<T3>(slots + Slot.Width<T1>() + Slot.Width<T2>()), Slot.Read<T4>(slots + Slot.Width<T1>() + Slot.Width<T2>() + Slot.Width<T3>())));
}

internal sealed unsafe class ActionInvoker<T1, T2, T3, T4> : HostInvoker
{
    private readonly Action<T1, T2, T3, T4> _callback;

    public ActionInvoker(Action<T1, T2, T3, T4> callback) => _callback = callback;

    public override void Invoke(ulong* slots) => _callback(Slot.Read<T1>(slots), Slot.Read<T2>(slots + Slot.Width<T1>()), Slot.Read<T3>(slots + Slot.Width<T1>() + Slot.Width<T2>()), Slot.Read<T4>(slots + Slot.Width<T1>() + Slot.Width<T2>() + Slot.Width<T3>()));
}
