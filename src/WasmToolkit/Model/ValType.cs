using System;

namespace WasmToolkit;

/// <summary>
/// A WebAssembly value type (spec 2.3.4): a number type, <c>v128</c>, or a reference type.
/// </summary>
/// <remarks>
/// Not a closed enum: reference types carry a <see cref="HeapType"/> and nullability so the typed
/// references of WebAssembly 3.0 fit without a new representation.
/// Named <c>ValType</c> after the spec's "valtype" so it does not clash with <see cref="System.ValueType"/>.
/// </remarks>
public readonly struct ValType : IEquatable<ValType>
{
    private ValType(ValTypeKind kind, HeapType heap, bool nullable)
    {
        Kind = kind;
        Heap = heap;
        IsNullable = nullable;
    }

    public static ValType I32 => new(ValTypeKind.I32, default, false);
    public static ValType I64 => new(ValTypeKind.I64, default, false);
    public static ValType F32 => new(ValTypeKind.F32, default, false);
    public static ValType F64 => new(ValTypeKind.F64, default, false);
    public static ValType V128 => new(ValTypeKind.V128, default, false);

    /// <summary><c>funcref</c>, that is <c>(ref null func)</c>.</summary>
    public static ValType FuncRef => new(ValTypeKind.Ref, HeapType.Func, true);

    /// <summary><c>externref</c>, that is <c>(ref null extern)</c>.</summary>
    public static ValType ExternRef => new(ValTypeKind.Ref, HeapType.Extern, true);

    /// <summary>A reference type to <paramref name="heap"/>.</summary>
    public static ValType Ref(HeapType heap, bool nullable) => new(ValTypeKind.Ref, heap, nullable);

    /// <summary>The shape of the type.</summary>
    public ValTypeKind Kind { get; }

    /// <summary>For reference types, what the reference points to.</summary>
    public HeapType Heap { get; }

    /// <summary>For reference types, whether null is a value of the type.</summary>
    public bool IsNullable { get; }

    /// <summary>True for reference types.</summary>
    public bool IsReference => Kind == ValTypeKind.Ref;

    /// <summary>True for <c>i32</c>, <c>i64</c>, <c>f32</c>, <c>f64</c>.</summary>
    public bool IsNumber => Kind <= ValTypeKind.F64;

    /// <summary>True for the types the spec calls defaultable (2.0: all of them).</summary>
    public bool IsDefaultable => !IsReference || IsNullable;

    /// <summary>The one-byte binary encoding, or null when the type needs a longer encoding.</summary>
    public byte? BinaryCode => Kind switch
    {
        ValTypeKind.I32 => 0x7F,
        ValTypeKind.I64 => 0x7E,
        ValTypeKind.F32 => 0x7D,
        ValTypeKind.F64 => 0x7C,
        ValTypeKind.V128 => 0x7B,
        ValTypeKind.Ref when IsNullable && Heap == HeapType.Func => 0x70,
        ValTypeKind.Ref when IsNullable && Heap == HeapType.Extern => 0x6F,
        _ => null,
    };

    /// <summary>Decodes a one-byte value type; false for bytes that are not one.</summary>
    public static bool TryFromBinaryCode(byte code, out ValType type)
    {
        switch (code)
        {
            case 0x7F: type = I32; return true;
            case 0x7E: type = I64; return true;
            case 0x7D: type = F32; return true;
            case 0x7C: type = F64; return true;
            case 0x7B: type = V128; return true;
            case 0x70: type = FuncRef; return true;
            case 0x6F: type = ExternRef; return true;
            default: type = default; return false;
        }
    }

    public bool Equals(ValType other) => Kind == other.Kind && Heap == other.Heap && IsNullable == other.IsNullable;

    public override bool Equals(object? obj) => obj is ValType other && Equals(other);

    public override int GetHashCode() => ((int)Kind * 397) ^ (Heap.GetHashCode() * 3) ^ (IsNullable ? 1 : 0);

    public static bool operator ==(ValType left, ValType right) => left.Equals(right);

    public static bool operator !=(ValType left, ValType right) => !left.Equals(right);

    /// <summary>The text-format name: <c>i32</c>, <c>funcref</c>, <c>(ref null 3)</c>…</summary>
    public override string ToString() => Kind switch
    {
        ValTypeKind.I32 => "i32",
        ValTypeKind.I64 => "i64",
        ValTypeKind.F32 => "f32",
        ValTypeKind.F64 => "f64",
        ValTypeKind.V128 => "v128",
        _ when this == FuncRef => "funcref",
        _ when this == ExternRef => "externref",
        _ => IsNullable ? $"(ref null {Heap})" : $"(ref {Heap})",
    };
}
