// Raw-slot calls: allocation-free calls of any numeric signature (any number of parameters, several results), in
// both directions, for generated bindings (WasmToolkit.Generators) and hosts that want no boxing beyond the shapes of
// TypedFunction/Function.Create. A slot is 8 bytes: i32 zero-extended, i64 as is, f32 and f64 as their IEEE bits, a
// v128 in two slots (its low 8 bytes first); arguments go in order from slot 0 and results come back in order from
// slot 0 (the entry and exit stubs' own layout, ValueSlots).
using System;
using WasmToolkit.Compiler;

namespace WasmToolkit.Runtime;

/// <summary>
/// A host function's body over raw slots: read the arguments from <paramref name="slots"/> from slot 0, write the results
/// over them from slot 0 (a v128 takes two slots; see <see cref="Function.FromSlots"/>).
/// </summary>
public delegate void SlotCallback(Span<ulong> slots);

public sealed unsafe partial class Function
{
    /// <summary>
    /// A host function of <paramref name="type"/> whose <paramref name="callback"/> reads its arguments and writes its
    /// results as raw 8-byte slots: no boxing and no allocation per call, for any signature.
    /// </summary>
    /// <remarks>
    /// Slot encoding: i32 zero-extended (<c>(uint)value</c>), i64 as its bits, f32 and f64 as their IEEE bits
    /// (<see cref="BitConverter.SingleToUInt32Bits"/>), v128 as two slots (bytes 0–7, then bytes 8–15), references as
    /// the runtime's raw values (use <see cref="FromCallback"/> for reference types). Values sit one after another: a
    /// value's first slot is the sum of the widths before it (<see cref="ValueSlots.Position"/>). The span holds
    /// max(parameter slots, result slots) slots (<see cref="ValueSlots.Count(FuncType)"/>).
    /// </remarks>
    public static Function FromSlots(FuncType type, SlotCallback callback)
    {
        if (type is null) throw new ArgumentNullException(nameof(type));
        if (callback is null) throw new ArgumentNullException(nameof(callback));
        return new Function(type, new SlotInvoker(callback, StubCompiler.SlotCount(type)));
    }

    /// <summary>A handle that calls this function with raw slots (see <see cref="SlotFunction"/>).</summary>
    public SlotFunction AsSlotFunction() => new(this, Math.Max(1, StubCompiler.SlotCount(Type)));
}

/// <summary>
/// A handle on a function called with raw 8-byte slots (encoding and layout as in <see cref="Function.FromSlots"/>:
/// one slot per value, two per v128): arguments from slot 0, results back from slot 0. Calls neither box nor allocate,
/// for any signature.
/// </summary>
public readonly unsafe struct SlotFunction
{
    private readonly Function _function;

    internal SlotFunction(Function function, int slotCount)
    {
        _function = function;
        SlotCount = slotCount;
    }

    /// <summary>How many slots <see cref="Invoke"/> needs: max(parameter slots, result slots, 1).</summary>
    public int SlotCount { get; }

    /// <summary>Calls the function; a trap throws <see cref="TrapException"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="slots"/> is shorter than <see cref="SlotCount"/>.</exception>
    public void Invoke(Span<ulong> slots)
    {
        if (slots.Length < SlotCount) throw new ArgumentException($"{_function.Type} needs {SlotCount} slots, got {slots.Length}.", nameof(slots));
        fixed (ulong* p = slots) _function.Call(p);
    }
}

/// <summary>Hands the stub's slots to a <see cref="SlotCallback"/> as a span (no copy).</summary>
internal sealed unsafe class SlotInvoker : HostInvoker
{
    private readonly SlotCallback _callback;
    private readonly int _count;

    public SlotInvoker(SlotCallback callback, int count)
    {
        _callback = callback;
        _count = count;
    }

    public override void Invoke(ulong* slots) => _callback(new Span<ulong>(slots, _count));
}
