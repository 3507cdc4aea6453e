using System;

namespace WasmToolkit.Runtime;

public sealed partial class Instance
{
    /// <summary>A typed handle on exported function <paramref name="name"/>; throws <see cref="ArgumentException"/> when its type differs.</summary>
    public TypedFunction<TResult> GetFunction<TResult>(string name)
    {
        var function = GetFunction(name);
        Slot.Check(function.Type, name, new Type[] {  }, typeof(TResult));
        return new TypedFunction<TResult>(function);
    }

    /// <summary>A typed handle on exported function <paramref name="name"/>; throws <see cref="ArgumentException"/> when its type differs.</summary>
    public TypedAction GetAction(string name)
    {
        var function = GetFunction(name);
        Slot.Check(function.Type, name, new Type[] {  }, null);
        return new TypedAction(function);
    }

    /// <summary>A typed handle on exported function <paramref name="name"/>; throws <see cref="ArgumentException"/> when its type differs.</summary>
    public TypedFunction<T1, TResult> GetFunction<T1, TResult>(string name)
    {
        var function = GetFunction(name);
        Slot.Check(function.Type, name, new Type[] { typeof(T1) }, typeof(TResult));
        return new TypedFunction<T1, TResult>(function);
    }

    /// <summary>A typed handle on exported function <paramref name="name"/>; throws <see cref="ArgumentException"/> when its type differs.</summary>
    public TypedAction<T1> GetAction<T1>(string name)
    {
        var function = GetFunction(name);
        Slot.Check(function.Type, name, new Type[] { typeof(T1) }, null);
        return new TypedAction<T1>(function);
    }

    /// <summary>A typed handle on exported function <paramref name="name"/>; throws <see cref="ArgumentException"/> when its type differs.</summary>
    public TypedFunction<T1, T2, TResult> GetFunction<T1, T2, TResult>(string name)
    {
        var function = GetFunction(name);
        Slot.Check(function.Type, name, new Type[] { typeof(T1), typeof(T2) }, typeof(TResult));
        return new TypedFunction<T1, T2, TResult>(function);
    }

    /// <summary>A typed handle on exported function <paramref name="name"/>; throws <see cref="ArgumentException"/> when its type differs.</summary>
    public TypedAction<T1, T2> GetAction<T1, T2>(string name)
    {
        var function = GetFunction(name);
        Slot.Check(function.Type, name, new Type[] { typeof(T1), typeof(T2) }, null);
        return new TypedAction<T1, T2>(function);
    }

    /// <summary>A typed handle on exported function <paramref name="name"/>; throws <see cref="ArgumentException"/> when its type differs.</summary>
    public TypedFunction<T1, T2, T3, TResult> GetFunction<T1, T2, T3, TResult>(string name)
    {
        var function = GetFunction(name);
        Slot.Check(function.Type, name, new Type[] { typeof(T1), typeof(T2), typeof(T3) }, typeof(TResult));
        return new TypedFunction<T1, T2, T3, TResult>(function);
    }

    /// <summary>A typed handle on exported function <paramref name="name"/>; throws <see cref="ArgumentException"/> when its type differs.</summary>
    public TypedAction<T1, T2, T3> GetAction<T1, T2, T3>(string name)
    {
        var function = GetFunction(name);
        Slot.Check(function.Type, name, new Type[] { typeof(T1), typeof(T2), typeof(T3) }, null);
        return new TypedAction<T1, T2, T3>(function);
    }

    /// <summary>A typed handle on exported function <paramref name="name"/>; throws <see cref="ArgumentException"/> when its type differs.</summary>
    public TypedFunction<T1, T2, T3, T4, TResult> GetFunction<T1, T2, T3, T4, TResult>(string name)
    {
        var function = GetFunction(name);
        Slot.Check(function.Type, name, new Type[] { typeof(T1), typeof(T2), typeof(T3), typeof(T4) }, typeof(TResult));
        return new TypedFunction<T1, T2, T3, T4, TResult>(function);
    }

    /// <summary>A typed handle on exported function <paramref name="name"/>; throws <see cref="ArgumentException"/> when its type differs.</summary>
    public TypedAction<T1, T2, T3, T4> GetAction<T1, T2, T3, T4>(string name)
    {
        var function = GetFunction(name);
        Slot.Check(function.Type, name, new Type[] { typeof(T1), typeof(T2), typeof(T3), typeof(T4) }, null);
        return new TypedAction<T1, T2, T3, T4>(function);
    }
}
