using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using WasmToolkit.Compiler;

namespace WasmToolkit.Runtime;

/// <summary>
/// The runtime functions generated code calls (<see cref="BuiltinFunction"/>): System V entry points
/// that never let an exception out, with bodies shared by instantiation (segment initialisation).
/// </summary>
/// <remarks>Bounds are checked before anything is written, as the bulk-memory proposal requires.</remarks>
internal static unsafe class Builtins
{
    public static void Install(byte* context, VmContextLayout layout)
    {
        void Put(BuiltinFunction f, void* p) => *(nint*)(context + layout.Builtin(f)) = (nint)p;
        Put(BuiltinFunction.MemoryGrow, (delegate* unmanaged<byte*, uint, long>)&MemoryGrowEntry);
        Put(BuiltinFunction.MemoryFill, (delegate* unmanaged<byte*, uint, uint, uint, int>)&MemoryFillEntry);
        Put(BuiltinFunction.MemoryCopy, (delegate* unmanaged<byte*, uint, uint, uint, int>)&MemoryCopyEntry);
        Put(BuiltinFunction.MemoryInit, (delegate* unmanaged<byte*, uint, uint, uint, uint, int>)&MemoryInitEntry);
        Put(BuiltinFunction.DataDrop, (delegate* unmanaged<byte*, uint, int>)&DataDropEntry);
        Put(BuiltinFunction.TableGrow, (delegate* unmanaged<byte*, uint, ulong, uint, long>)&TableGrowEntry);
        Put(BuiltinFunction.TableFill, (delegate* unmanaged<byte*, uint, uint, ulong, uint, int>)&TableFillEntry);
        Put(BuiltinFunction.TableCopy, (delegate* unmanaged<byte*, uint, uint, uint, uint, uint, int>)&TableCopyEntry);
        Put(BuiltinFunction.TableInit, (delegate* unmanaged<byte*, uint, uint, uint, uint, uint, int>)&TableInitEntry);
        Put(BuiltinFunction.ElemDrop, (delegate* unmanaged<byte*, uint, int>)&ElemDropEntry);
        Put(BuiltinFunction.CompileLazy, (delegate* unmanaged<byte*, uint, nint>)&Instance.CompileLazyEntry);
    }

    private static byte* MemoryOf(byte* context) => *(byte**)(context + VmContextLayout.MemoryDefinition);

    private static Instance InstanceOf(byte* context)
        => Instance.FromContext(context) ?? throw new InvalidOperationException("The instance of running code was collected.");

    private static ulong MemorySize(byte* definition) => *(ulong*)(definition + MemoryDefinitionLayout.Size);

    private static byte* MemoryBase(byte* definition) => *(byte**)(definition + MemoryDefinitionLayout.Base);

    private static int OutOfMemoryBounds => (int)TrapKind.MemoryOutOfBounds;

    private static int OutOfTableBounds => (int)TrapKind.TableOutOfBounds;

    [UnmanagedCallersOnly]
    private static long MemoryGrowEntry(byte* context, uint delta)
    {
        try
        {
            return Memory.Grow(MemoryOf(context), delta);
        }
        catch
        {
            // An exception may not cross native frames: failing growth is the spec's answer.
            return -1;
        }
    }

    [UnmanagedCallersOnly]
    private static int MemoryFillEntry(byte* context, uint dst, uint value, uint length)
    {
        var memory = MemoryOf(context);
        if ((ulong)dst + length > MemorySize(memory)) return OutOfMemoryBounds;
        Unsafe.InitBlockUnaligned(MemoryBase(memory) + dst, (byte)value, length);
        return 0;
    }

    [UnmanagedCallersOnly]
    private static int MemoryCopyEntry(byte* context, uint dst, uint src, uint length)
    {
        var memory = MemoryOf(context);
        var size = MemorySize(memory);
        if ((ulong)dst + length > size || (ulong)src + length > size) return OutOfMemoryBounds;
        var b = MemoryBase(memory);
        Buffer.MemoryCopy(b + src, b + dst, length, length); // memmove semantics for overlaps
        return 0;
    }

    [UnmanagedCallersOnly]
    private static int MemoryInitEntry(byte* context, uint segment, uint dst, uint src, uint length)
    {
        try
        {
            return MemoryInit(InstanceOf(context), segment, dst, src, length);
        }
        catch
        {
            return (int)TrapKind.Unreachable;
        }
    }

    [UnmanagedCallersOnly]
    private static int DataDropEntry(byte* context, uint segment)
    {
        try
        {
            InstanceOf(context).DropDataSegment(segment);
            return 0;
        }
        catch
        {
            return (int)TrapKind.Unreachable;
        }
    }

    [UnmanagedCallersOnly]
    private static long TableGrowEntry(byte* context, uint table, ulong initial, uint delta)
    {
        try
        {
            return Table.Grow(TableOf(context, table), delta, initial);
        }
        catch
        {
            return -1;
        }
    }

    [UnmanagedCallersOnly]
    private static int TableFillEntry(byte* context, uint table, uint start, ulong value, uint length)
    {
        var t = TableOf(context, table);
        if ((ulong)start + length > Length(t)) return OutOfTableBounds;
        var elements = Elements(t);
        for (var i = 0u; i < length; i++) elements[start + i] = value;
        return 0;
    }

    [UnmanagedCallersOnly]
    private static int TableCopyEntry(byte* context, uint dstTable, uint srcTable, uint dst, uint src, uint length)
    {
        var d = TableOf(context, dstTable);
        var s = TableOf(context, srcTable);
        if ((ulong)dst + length > Length(d) || (ulong)src + length > Length(s)) return OutOfTableBounds;
        Buffer.MemoryCopy(Elements(s) + src, Elements(d) + dst, (ulong)length * 8, (ulong)length * 8);
        return 0;
    }

    [UnmanagedCallersOnly]
    private static int TableInitEntry(byte* context, uint table, uint segment, uint dst, uint src, uint length)
    {
        try
        {
            return TableInit(InstanceOf(context), table, segment, dst, src, length);
        }
        catch
        {
            return (int)TrapKind.Unreachable;
        }
    }

    [UnmanagedCallersOnly]
    private static int ElemDropEntry(byte* context, uint segment)
    {
        try
        {
            InstanceOf(context).DropElementSegment(segment);
            return 0;
        }
        catch
        {
            return (int)TrapKind.Unreachable;
        }
    }

    /// <summary>memory.init (also used for active data segments at instantiation).</summary>
    public static int MemoryInit(Instance instance, uint segment, uint dst, uint src, uint length)
    {
        var data = instance.GetDataSegment(segment);
        var memory = instance.MemoryDefinition;
        var size = memory == null ? 0 : MemorySize(memory);
        if ((ulong)src + length > (ulong)data.Length || (ulong)dst + length > size) return OutOfMemoryBounds;
        if (length > 0) data.Span.Slice((int)src, (int)length).CopyTo(new Span<byte>(MemoryBase(memory) + dst, (int)length));
        return 0;
    }

    /// <summary>table.init (also used for active element segments at instantiation).</summary>
    public static int TableInit(Instance instance, uint table, uint segment, uint dst, uint src, uint length)
    {
        var items = instance.GetElementSegment(segment);
        var count = items?.Length ?? 0;
        var definition = instance.GetTable(table).Definition;
        if ((ulong)src + length > (ulong)count || (ulong)dst + length > Length(definition)) return OutOfTableBounds;
        var elements = Elements(definition);
        for (var i = 0u; i < length; i++) elements[dst + i] = items![src + i];
        return 0;
    }

    private static byte* TableOf(byte* context, uint index)
    {
        // Through the instance: the offsets of the context's table pointers depend on the module's layout.
        return InstanceOf(context).GetTable(index).Definition;
    }

    private static ulong Length(byte* table) => *(ulong*)(table + TableDefinitionLayout.Length);

    private static ulong* Elements(byte* table) => *(ulong**)(table + TableDefinitionLayout.Elements);
}
