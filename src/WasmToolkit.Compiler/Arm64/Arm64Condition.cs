namespace WasmToolkit.Compiler.Arm64;

/// <summary>A64 condition codes, valued as encoded in the <c>cond</c> field (Arm ARM C1.2.4).</summary>
public enum Arm64Condition : byte
{
    /// <summary>Equal (Z set).</summary>
    Eq = 0,
    /// <summary>Not equal (Z clear).</summary>
    Ne = 1,
    /// <summary>Unsigned higher or same, carry set (objdump writes <c>cs</c>).</summary>
    Hs = 2,
    /// <summary>Unsigned lower, carry clear (objdump writes <c>cc</c>).</summary>
    Lo = 3,
    /// <summary>Negative.</summary>
    Mi = 4,
    /// <summary>Positive or zero.</summary>
    Pl = 5,
    /// <summary>Overflow.</summary>
    Vs = 6,
    /// <summary>No overflow.</summary>
    Vc = 7,
    /// <summary>Unsigned higher.</summary>
    Hi = 8,
    /// <summary>Unsigned lower or same.</summary>
    Ls = 9,
    /// <summary>Signed greater than or equal.</summary>
    Ge = 10,
    /// <summary>Signed less than.</summary>
    Lt = 11,
    /// <summary>Signed greater than.</summary>
    Gt = 12,
    /// <summary>Signed less than or equal.</summary>
    Le = 13,
    /// <summary>Always.</summary>
    Al = 14,
    /// <summary>Always (the encoding behaves as <see cref="Al"/>).</summary>
    Nv = 15,
}

/// <summary>Helpers for <see cref="Arm64Condition"/>.</summary>
public static class Arm64ConditionExtensions
{
    /// <summary>The opposite condition (flips the low bit; <c>al</c>/<c>nv</c> have no opposite and map to each other).</summary>
    public static Arm64Condition Invert(this Arm64Condition condition) => (Arm64Condition)((int)condition ^ 1);

    /// <summary>The name objdump prints (<c>eq</c>, <c>cs</c>, <c>cc</c>, …).</summary>
    public static string ToAssemblyName(this Arm64Condition condition) => Names[(int)condition & 15];

    private static readonly string[] Names = { "eq", "ne", "cs", "cc", "mi", "pl", "vs", "vc", "hi", "ls", "ge", "lt", "gt", "le", "al", "nv" };
}
