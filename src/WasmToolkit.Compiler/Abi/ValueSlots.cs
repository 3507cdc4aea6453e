using System;
using System.Collections.Immutable;

namespace WasmToolkit.Compiler;

/// <summary>
/// Where values sit in the 8-byte slots that calls pass them in (the entry stub's slot array, a call's outgoing area,
/// a host function's slots): in order, one slot per value, two for a v128 (its low 8 bytes first). A function
/// returns a single non-v128 result in the return register and every other result list in the slots.
/// </summary>
public static class ValueSlots
{
    /// <summary>Slots a value of <paramref name="type"/> takes: 2 for v128, else 1.</summary>
    public static int Width(ValType type) => type.Kind == ValTypeKind.V128 ? 2 : 1;

    /// <summary>Slots all of <paramref name="types"/> take.</summary>
    public static int Count(ImmutableArray<ValType> types)
    {
        var n = 0;
        foreach (var t in types) n += Width(t);
        return n;
    }

    /// <summary>The first slot of value <paramref name="index"/> of <paramref name="types"/>.</summary>
    public static int Position(ImmutableArray<ValType> types, int index)
    {
        if ((uint)index > (uint)types.Length) throw new ArgumentOutOfRangeException(nameof(index));
        var n = 0;
        for (var i = 0; i < index; i++) n += Width(types[i]);
        return n;
    }

    /// <summary>Slots a caller provides for a call of <paramref name="type"/>: room for the arguments and, afterwards, the results.</summary>
    public static int Count(FuncType type) => Math.Max(Count(type.Parameters), Count(type.Results));

    /// <summary>Whether the single result comes back in the return register (rax, x0); otherwise the results are in the slots.</summary>
    public static bool ResultInRegister(FuncType type) => type.Results.Length == 1 && type.Results[0].Kind != ValTypeKind.V128;

    /// <summary>Whether any value of <paramref name="type"/> is a v128.</summary>
    public static bool HasV128(FuncType type) => Count(type.Parameters) != type.Parameters.Length || Count(type.Results) != type.Results.Length;
}
