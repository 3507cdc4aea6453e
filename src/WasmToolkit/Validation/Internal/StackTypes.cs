using System;

namespace WasmToolkit.Validation.Internal;

/// <summary>Conversions and predicates for <see cref="StackType"/>.</summary>
internal static class StackTypes
{
    private static readonly StackType[][] s_single = CreateSingles();

    /// <summary>The empty type list, shared.</summary>
    public static StackType[] Empty { get; } = Array.Empty<StackType>();

    /// <summary>A shared one-element list <c>[type]</c>, so value block types need no allocation.</summary>
    public static StackType[] Single(StackType type) => s_single[(int)type];

    /// <summary>The stack type of <paramref name="type"/> under <paramref name="features"/>; <see cref="StackType.Invalid"/> when the type is not defined there.</summary>
    public static StackType From(ValType type, WasmFeatures features)
    {
        switch (type.Kind)
        {
            case ValTypeKind.I32: return StackType.I32;
            case ValTypeKind.I64: return StackType.I64;
            case ValTypeKind.F32: return StackType.F32;
            case ValTypeKind.F64: return StackType.F64;
            case ValTypeKind.V128: return (features & WasmFeatures.Simd) != 0 ? StackType.V128 : StackType.Invalid;
            case ValTypeKind.Ref:
                if (!type.IsNullable) return StackType.Invalid;
                if (type.Heap == HeapType.Func) return StackType.FuncRef;
                if (type.Heap == HeapType.Extern) return (features & WasmFeatures.ReferenceTypes) != 0 ? StackType.ExternRef : StackType.Invalid;
                return StackType.Invalid;
            default:
                return StackType.Invalid;
        }
    }

    /// <summary>The model type of a valid stack type.</summary>
    public static ValType ToValType(StackType type) => type switch
    {
        StackType.I32 => ValType.I32,
        StackType.I64 => ValType.I64,
        StackType.F32 => ValType.F32,
        StackType.F64 => ValType.F64,
        StackType.V128 => ValType.V128,
        StackType.FuncRef => ValType.FuncRef,
        StackType.ExternRef => ValType.ExternRef,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>Converts a list of model types.</summary>
    public static StackType[] From(System.Collections.Immutable.ImmutableArray<ValType> types, WasmFeatures features)
    {
        if (types.Length == 0) return Empty;
        if (types.Length == 1) return Single(From(types[0], features));
        var result = new StackType[types.Length];
        for (var i = 0; i < result.Length; i++) result[i] = From(types[i], features);
        return result;
    }

    /// <summary><c>is_num</c> of the algorithm: number types and <c>Unknown</c>.</summary>
    public static bool IsNumber(StackType type) => type <= StackType.F64 || type == StackType.Unknown;

    /// <summary><c>is_vec</c> of the algorithm: <c>v128</c> and <c>Unknown</c>.</summary>
    public static bool IsVector(StackType type) => type == StackType.V128 || type == StackType.Unknown;

    /// <summary><c>is_ref</c> of the algorithm: reference types and <c>Unknown</c>.</summary>
    public static bool IsReference(StackType type) => type == StackType.FuncRef || type == StackType.ExternRef || type == StackType.Unknown;

    /// <summary>Text-format name, for messages.</summary>
    public static string Name(StackType type) => type switch
    {
        StackType.I32 => "i32",
        StackType.I64 => "i64",
        StackType.F32 => "f32",
        StackType.F64 => "f64",
        StackType.V128 => "v128",
        StackType.FuncRef => "funcref",
        StackType.ExternRef => "externref",
        StackType.Unknown => "(any)",
        _ => "(invalid)",
    };

    /// <summary><c>[i32 i64]</c>, for messages.</summary>
    public static string Names(StackType[] types)
    {
        var sb = new System.Text.StringBuilder("[");
        for (var i = 0; i < types.Length; i++)
        {
            if (i > 0) sb.Append(' ');
            sb.Append(Name(types[i]));
        }

        return sb.Append(']').ToString();
    }

    private static StackType[][] CreateSingles()
    {
        var result = new StackType[(int)StackType.Invalid + 1][];
        for (var i = 0; i < result.Length; i++) result[i] = new[] { (StackType)i };
        return result;
    }
}
