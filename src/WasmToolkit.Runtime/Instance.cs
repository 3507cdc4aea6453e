using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;
using WasmToolkit.Compiler;
using WasmToolkit.Runtime.Native;

namespace WasmToolkit.Runtime;

/// <summary>
/// A module instance: its code mapped executable, its linear memory and globals in native memory, and
/// the context block generated code reaches through the context register.
/// </summary>
/// <remarks>
/// <para>Not thread-safe: one thread at a time may run code of an instance (calls may nest on that
/// thread); a call from a second thread while one runs throws <see cref="InvalidOperationException"/>.</para>
/// <para>Owns native memory: dispose it, or the finalizer frees it.</para>
/// </remarks>
public sealed unsafe partial class Instance : IDisposable
{
    private readonly ExecutableMemory _code;
    private readonly LinearMemory? _memory;
    private readonly Dictionary<string, int> _exportedFunctions = new(StringComparer.Ordinal);
    private readonly nint[] _functionPointers;
    private readonly nint[] _entryPointers;
    private byte* _context;
    private int _activeThread;

    private Instance(CompiledModule compiled)
    {
        Libc.EnsureSupportedPlatform();
        if ((compiled.Options.X64Features & X64Features.Popcnt) != 0 && !System.Runtime.Intrinsics.X86.Popcnt.IsSupported)
        {
            throw new NotSupportedException("The code was compiled for POPCNT, which this processor lacks; compile with X64Features.None.");
        }

        Compiled = compiled;
        var module = compiled.Module;
        _code = ExecutableMemory.Create(compiled.Code.AsSpan());
        var contextSize = VmContextLayout.GetSize(module.Globals.Length);
        _context = (byte*)NativeMemory.AllocZeroed((nuint)contextSize);
        try
        {
            if (module.Memories.Length > 0)
            {
                var limits = module.Memories[0].Type.Limits;
                var max = Math.Min(limits.Maximum ?? WasmLimits.MaxMemoryPages32, WasmLimits.MaxMemoryPages32);
                _memory = LinearMemory.Create(limits.Minimum, max);
                Set(VmContextLayout.MemoryBase, (ulong)_memory.Base);
                Set(VmContextLayout.MemorySize, limits.Minimum * LinearMemory.PageSize);
                Set(VmContextLayout.MemoryMaxPages, max);
                Set(VmContextLayout.MemoryReserved, _memory.ReservedBytes);
            }

            Set(VmContextLayout.MemoryGrowFunction, (ulong)(delegate* unmanaged<byte*, uint, long>)&GrowMemory);

            for (var i = 0; i < module.Globals.Length; i++)
            {
                ModuleCompiler.TryEvaluateConstant(module.Globals[i].Init, out var value);
                Set(VmContextLayout.Globals + (i * VmContextLayout.GlobalSlotSize), (ulong)value);
            }

            _functionPointers = new nint[compiled.Functions.Length];
            _entryPointers = new nint[compiled.Functions.Length];
            for (var i = 0; i < compiled.Functions.Length; i++)
            {
                var f = compiled.Functions[i];
                _functionPointers[i] = (nint)(_code.Pointer + f.Offset);
                _entryPointers[i] = (nint)(_code.Pointer + compiled.EntryStubs[f.EntryStubIndex].Offset);
            }

            foreach (var export in module.Exports)
            {
                if (export.Kind == ExternalKind.Function) _exportedFunctions[export.Name] = (int)export.Index - module.ImportedFunctionCount;
            }

            InitializeData(module);
        }
        catch
        {
            Dispose();
            throw;
        }

        if (module.Start is { } start)
        {
            try
            {
                Invoke((int)start.Value - module.ImportedFunctionCount, ReadOnlySpan<object?>.Empty);
            }
            catch
            {
                Dispose();
                throw;
            }
        }
    }

    ~Instance() => Free();

    /// <summary>The compiled module this instance runs.</summary>
    public CompiledModule Compiled { get; }

    /// <summary>Instantiates <paramref name="compiled"/>: allocates memory and globals, applies data segments, runs the start function.</summary>
    /// <exception cref="TrapException">A data segment does not fit, or the start function trapped.</exception>
    public static Instance Create(CompiledModule compiled)
    {
        if (compiled is null) throw new ArgumentNullException(nameof(compiled));
        return new Instance(compiled);
    }

    /// <summary>Compiles and instantiates <paramref name="module"/>.</summary>
    public static Instance Create(Module module, CompilerOptions? options = null) => Create(ModuleCompiler.Compile(module, options));

    /// <summary>Where the code is mapped (for tests of the memory protection).</summary>
    internal nint CodeAddress => (nint)_code.Pointer;

    /// <summary>Where linear memory 0 starts, or 0.</summary>
    internal nint MemoryAddress => _memory is null ? 0 : (nint)_memory.Base;

    /// <summary>Current size of linear memory 0 in bytes (0 without a memory).</summary>
    public long MemorySize => (long)Get(VmContextLayout.MemorySize);

    /// <summary>The contents of linear memory 0. Invalidated by growth; do not hold across calls.</summary>
    public Span<byte> GetMemory()
    {
        ThrowIfDisposed();
        return _memory is null ? Span<byte>.Empty : new Span<byte>(_memory.Base, checked((int)Math.Min(MemorySize, int.MaxValue)));
    }

    /// <summary>Reads global <paramref name="index"/> (a defined i32 or i64 global; f32/f64 as their bit patterns) as a 64-bit value.</summary>
    public long GetGlobal(int index)
    {
        ThrowIfDisposed();
        var globals = Compiled.Module.Globals;
        if ((uint)index >= (uint)globals.Length) throw new ArgumentOutOfRangeException(nameof(index));
        var raw = Get(VmContextLayout.Globals + (index * VmContextLayout.GlobalSlotSize));
        return globals[index].Type.ValueType.Kind is ValTypeKind.I32 or ValTypeKind.F32 ? (int)(uint)raw : (long)raw;
    }

    /// <summary>Calls an exported function with boxed arguments (<c>int</c>/<c>uint</c> for i32, <c>long</c>/<c>ulong</c> for i64, <c>float</c> for f32, <c>double</c> for f64).</summary>
    /// <returns>The boxed result (<c>int</c>, <c>long</c>, <c>float</c> or <c>double</c>), an <c>object[]</c> of them for several results, or null for none.</returns>
    public object? Invoke(string name, params object?[] args) => Invoke(GetExportIndex(name), args ?? Array.Empty<object?>());

    private object? Invoke(int definedIndex, ReadOnlySpan<object?> args)
    {
        var type = Compiled.Functions[definedIndex].Type;
        if (args.Length != type.Parameters.Length) throw new ArgumentException($"{type} takes {type.Parameters.Length} arguments, got {args.Length}.");
        var slots = stackalloc ulong[Math.Max(1, Math.Max(args.Length, type.Results.Length))];
        for (var i = 0; i < args.Length; i++)
        {
            slots[i] = (type.Parameters[i].Kind, args[i]) switch
            {
                (ValTypeKind.I32, int v) => (uint)v,
                (ValTypeKind.I32, uint v) => v,
                (ValTypeKind.I64, long v) => (ulong)v,
                (ValTypeKind.I64, ulong v) => v,
                (ValTypeKind.I64, int v) => (ulong)(long)v,
                (ValTypeKind.F32, float v) => BitConverter.SingleToUInt32Bits(v),
                (ValTypeKind.F64, double v) => BitConverter.DoubleToUInt64Bits(v),
                _ => throw new ArgumentException($"Argument {i} ({args[i]?.GetType().Name ?? "null"}) does not fit parameter type {type.Parameters[i]}."),
            };
        }

        Call(definedIndex, slots);
        if (type.Results.Length == 0) return null;
        if (type.Results.Length == 1) return Box(type.Results[0], slots[0]);
        var results = new object?[type.Results.Length];
        for (var i = 0; i < results.Length; i++) results[i] = Box(type.Results[i], slots[i]);
        return results;
    }

    private static object Box(ValType type, ulong slot) => type.Kind switch
    {
        ValTypeKind.I32 => (object)(int)(uint)slot,
        ValTypeKind.F32 => (object)BitConverter.UInt32BitsToSingle((uint)slot),
        ValTypeKind.F64 => (object)BitConverter.UInt64BitsToDouble(slot),
        _ => (object)(long)slot,
    };

    internal int GetExportIndex(string name)
    {
        ThrowIfDisposed();
        if (name is null) throw new ArgumentNullException(nameof(name));
        if (!_exportedFunctions.TryGetValue(name, out var index)) throw new ArgumentException($"No exported function named \"{name}\".", nameof(name));
        return index;
    }

    internal FuncType GetFunctionType(int definedIndex) => Compiled.Functions[definedIndex].Type;

    /// <summary>Runs defined function <paramref name="definedIndex"/> through its entry stub; arguments in, result out through <paramref name="slots"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Call(int definedIndex, ulong* slots)
    {
        var context = _context;
        if (context == null) ThrowDisposed();
        var thread = Environment.CurrentManagedThreadId;
        var previous = Interlocked.CompareExchange(ref _activeThread, thread, 0);
        if (previous != 0 && previous != thread) ThrowConcurrent();
        int code;
        try
        {
            if (previous == 0) *(nuint*)(context + VmContextLayout.StackLimit) = StackBounds.CurrentLimit;
            code = ((delegate* unmanaged<byte*, nint, ulong*, int>)_entryPointers[definedIndex])(context, _functionPointers[definedIndex], slots);
        }
        finally
        {
            if (previous == 0) Volatile.Write(ref _activeThread, 0);
        }

        GC.KeepAlive(this);
        if (code != 0) ThrowTrap(code);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowTrap(int code)
    {
        // The trap stub recorded the trap site and the return addresses of the frames above it
        // before unwinding (the stack below the entry stub is gone by now).
        var kind = (TrapKind)code;
        var frames = ImmutableArray.CreateBuilder<WasmFrame>();
        if (Compiled.TryGetTrapSite(CodeOffset(Get(VmContextLayout.TrapPc)), out var site))
        {
            frames.Add(Frame(site));
            var count = (int)Math.Min(Get(VmContextLayout.TrapFrameCount), (ulong)VmContextLayout.MaxTrapFrames);
            for (var i = 0; i < count; i++)
            {
                if (!Compiled.TryGetCallSite(CodeOffset(Get(VmContextLayout.TrapFrames + (8 * i))), out var call)) break;
                frames.Add(Frame(call));
            }
        }

        var total = (long)Get(VmContextLayout.TrapFrameCount);
        var omitted = (int)Math.Max(0, Math.Min(int.MaxValue, total - frames.Count));
        throw new TrapException(kind, frames.ToImmutable(), omitted);
    }

    private int CodeOffset(ulong address)
    {
        var offset = (long)address - (long)_code.Pointer;
        return offset >= 0 && offset < _code.Length ? (int)offset : -1;
    }

    private WasmFrame Frame(TrapSite site)
    {
        return new WasmFrame(site.FunctionIndex, site.WasmOffset, Compiled.Module.Names.GetFunctionName((uint)site.FunctionIndex));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowConcurrent() => throw new InvalidOperationException("An instance runs on one thread at a time; another thread is running its code.");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowDisposed() => throw new ObjectDisposedException(nameof(Instance));

    private void ThrowIfDisposed()
    {
        if (_context == null) ThrowDisposed();
    }

    private void InitializeData(Module module)
    {
        foreach (var segment in module.Data)
        {
            if (segment.Mode != SegmentMode.Active) continue;
            ModuleCompiler.TryEvaluateConstant(segment.Offset!, out var offset);
            var start = (ulong)(uint)offset;
            var size = Get(VmContextLayout.MemorySize);
            if (start + (ulong)segment.Data.Length > size) throw new TrapException(TrapKind.MemoryOutOfBounds);
            segment.Data.Span.CopyTo(new Span<byte>(_memory!.Base + start, segment.Data.Length));
        }
    }

    private ulong Get(int offset) => *(ulong*)(_context + offset);

    private void Set(int offset, ulong value) => *(ulong*)(_context + offset) = value;

    /// <summary>memory.grow, called by generated code (System V) with the context and the page delta.</summary>
    [UnmanagedCallersOnly]
    private static long GrowMemory(byte* context, uint delta)
    {
        try
        {
            var size = *(ulong*)(context + VmContextLayout.MemorySize);
            var oldPages = size / LinearMemory.PageSize;
            var newPages = oldPages + delta;
            if (newPages > *(ulong*)(context + VmContextLayout.MemoryMaxPages)) return -1;
            var memoryBase = *(byte**)(context + VmContextLayout.MemoryBase);
            if (memoryBase == null || !LinearMemory.Commit(memoryBase, oldPages, newPages)) return -1;
            *(ulong*)(context + VmContextLayout.MemorySize) = newPages * LinearMemory.PageSize;
            return (long)oldPages;
        }
        catch
        {
            // An exception may not cross native frames: failing growth is the spec's answer.
            return -1;
        }
    }

    /// <summary>Frees the instance's native memory. Calls must not be running.</summary>
    public void Dispose()
    {
        if (Volatile.Read(ref _activeThread) != 0) throw new InvalidOperationException("Cannot dispose an instance while its code runs.");
        Free();
        GC.SuppressFinalize(this);
    }

    private void Free()
    {
        if (_context != null)
        {
            NativeMemory.Free(_context);
            _context = null;
        }

        _memory?.Dispose();
        _code?.Dispose();
    }
}
