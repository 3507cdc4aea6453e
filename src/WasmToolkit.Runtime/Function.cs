using System;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using WasmToolkit.Compiler;
using WasmToolkit.Runtime.Native;

namespace WasmToolkit.Runtime;

/// <summary>Receives a host function's arguments and writes its results (untyped form; see <see cref="Function.Create{TResult}(Func{TResult})"/> for typed ones).</summary>
public delegate void HostCallback(ReadOnlySpan<object?> arguments, Span<object?> results);

/// <summary>
/// A WebAssembly function: an instance's export, or a host function written in C#. Importable by any
/// instance, storable in tables, callable from C#.
/// </summary>
/// <remarks>
/// Backed by a native <see cref="FuncRefLayout"/> record (a funcref value is its address). Records of host
/// functions are never freed, so a reference copied anywhere by wasm code cannot dangle; a host function
/// whose object was collected traps when called.
/// </remarks>
public sealed unsafe partial class Function : Extern
{
    private readonly HostInvoker? _host;
    private readonly Store? _store;
    private readonly nint _entry;

    /// <summary>An instance's function (the record lives in its store).</summary>
    internal Function(FuncType type, byte* record, Store store, Instance instance)
    {
        Type = type;
        Record = record;
        _store = store;
        Instance = instance;
        _entry = StubCache.Entry(type);
    }

    private Function(FuncType type, HostInvoker host)
    {
        Type = type;
        _host = host;
        _entry = StubCache.Entry(type);

        // Never freed (see remarks): 16 bytes of host context, then the record.
        var block = (byte*)NativeMemory.AllocZeroed(HostContextLayout.RecordSize + FuncRefLayout.RecordSize);
        var handle = GCHandle.ToIntPtr(GCHandle.Alloc(this, GCHandleType.Weak));
        *(nint*)(block + HostContextLayout.Trampoline) = (nint)(delegate* unmanaged<byte*, ulong*, int>)&HostTrampoline;
        *(nint*)(block + HostContextLayout.Handle) = handle;
        Record = block + HostContextLayout.RecordSize;
        *(nint*)(Record + FuncRefLayout.Code) = StubCache.Host(type);
        *(nint*)(Record + FuncRefLayout.Context) = (nint)block;
        *(uint*)(Record + FuncRefLayout.TypeId) = TypeRegistry.GetId(type);
        *(nint*)(Record + FuncRefLayout.Runtime) = handle;
    }

    public override ExternalKind Kind => ExternalKind.Function;

    /// <summary>The function's type.</summary>
    public FuncType Type { get; }

    /// <summary>The instance that defines the function, or null for a host function.</summary>
    public Instance? Instance { get; }

    /// <summary>True for a function written in C#.</summary>
    public bool IsHostFunction => _host is not null;

    internal byte* Record { get; }

    /// <summary>A host function of <paramref name="type"/> that calls <paramref name="callback"/> with boxed values (see <see cref="Instance.Invoke"/> for the CLR types).</summary>
    public static Function FromCallback(FuncType type, HostCallback callback)
    {
        if (type is null) throw new ArgumentNullException(nameof(type));
        if (callback is null) throw new ArgumentNullException(nameof(callback));
        return new Function(type, new UntypedInvoker(type, callback));
    }

    internal static Function FromInvoker(FuncType type, HostInvoker invoker) => new(type, invoker);

    /// <summary>The function a funcref slot refers to (null for 0).</summary>
    internal static Function? FromRecord(byte* record)
    {
        if (record == null) return null;
        var runtime = *(nint*)(record + FuncRefLayout.Runtime);
        if (runtime != 0) return GCHandle.FromIntPtr(runtime).Target as Function;
        var context = *(byte**)(record + FuncRefLayout.Context);
        var instance = Instance.FromContext(context);
        return instance?.GetFunctionByRecord(record);
    }

    /// <summary>Calls the function with boxed arguments (CLR types as for <see cref="Instance.Invoke"/>); returns null, the result, or an <c>object?[]</c> of several.</summary>
    /// <exception cref="TrapException">The function trapped.</exception>
    public object? Invoke(params object?[] arguments)
    {
        arguments ??= Array.Empty<object?>();
        var type = Type;
        if (arguments.Length != type.Parameters.Length) throw new ArgumentException($"{type} takes {type.Parameters.Length} arguments, got {arguments.Length}.");
        var count = Math.Max(1, StubCompiler.SlotCount(type));
        var slots = stackalloc ulong[count];
        var at = slots;
        for (var i = 0; i < arguments.Length; i++)
        {
            Values.Write(type.Parameters[i], arguments[i], at, "Argument", i);
            at += ValueSlots.Width(type.Parameters[i]);
        }

        Call(slots);
        if (type.Results.Length == 0) return null;
        if (type.Results.Length == 1) return Values.Read(type.Results[0], slots);
        var results = new object?[type.Results.Length];
        at = slots;
        for (var i = 0; i < results.Length; i++)
        {
            results[i] = Values.Read(type.Results[i], at);
            at += ValueSlots.Width(type.Results[i]);
        }

        return results;
    }

    /// <summary>Runs the function through its entry stub; arguments in and results out through <paramref name="slots"/> (at least <see cref="StubCompiler.SlotCount"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Call(ulong* slots)
    {
        if (Instance is { IsDisposed: true }) ThrowDisposed();
        Enter(_entry, *(byte**)(Record + FuncRefLayout.Context), *(nint*)(Record + FuncRefLayout.Code), slots, _store);
    }

    /// <summary>Crosses into wasm: claims the store for this thread, runs the entry stub, turns a nonzero code into the trap or the host exception.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Enter(nint entry, byte* context, nint code, ulong* slots, Store? store)
    {
        var state = ExecutionState.Current;
        store?.Enter();
        int result;
        try
        {
            result = ((delegate* unmanaged<byte*, nint, ulong*, byte*, int>)entry)(context, code, slots, state.Pointer);
        }
        finally
        {
            store?.Exit();
        }

        if (result != 0) ThrowTrap(result, state);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowTrap(int code, ExecutionState state)
    {
        if (code == (int)TrapKind.HostException && state.PendingException is { } pending)
        {
            state.PendingException = null;
            pending.Throw();
        }

        throw TrapDecoder.Decode((TrapKind)code, state);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowDisposed() => throw new ObjectDisposedException(nameof(Instance));

    /// <summary>Where host stubs land: runs the host function on the slots; never lets an exception out.</summary>
    [UnmanagedCallersOnly]
    private static int HostTrampoline(byte* hostContext, ulong* slots)
    {
        try
        {
            var target = GCHandle.FromIntPtr(*(nint*)(hostContext + HostContextLayout.Handle)).Target as Function;
            if (target?._host is null) throw new InvalidOperationException("A host function was called after it was garbage-collected; keep the Function alive while wasm may call it.");
            target._host.Invoke(slots);
            return 0;
        }
        catch (Exception e)
        {
            // The exception may not cross the native frames: the wasm side unwinds as for a trap and
            // the entry's caller rethrows it unchanged.
            ExecutionState.Current.PendingException = ExceptionDispatchInfo.Capture(e);
            return (int)TrapKind.HostException;
        }
    }

    public override string ToString() => (IsHostFunction ? "host function " : "function ") + Type;
}

/// <summary>Runs a host function on the argument slots and writes the results over them.</summary>
internal abstract unsafe class HostInvoker
{
    public abstract void Invoke(ulong* slots);
}

internal sealed unsafe class UntypedInvoker : HostInvoker
{
    private readonly FuncType _type;
    private readonly HostCallback _callback;

    public UntypedInvoker(FuncType type, HostCallback callback)
    {
        _type = type;
        _callback = callback;
    }

    public override void Invoke(ulong* slots)
    {
        var arguments = new object?[_type.Parameters.Length];
        var at = slots;
        for (var i = 0; i < arguments.Length; i++)
        {
            arguments[i] = Values.Read(_type.Parameters[i], at);
            at += ValueSlots.Width(_type.Parameters[i]);
        }

        var results = new object?[_type.Results.Length];
        _callback(arguments, results);
        at = slots;
        for (var i = 0; i < results.Length; i++)
        {
            Values.Write(_type.Results[i], results[i], at, "Host function result", i);
            at += ValueSlots.Width(_type.Results[i]);
        }
    }
}
