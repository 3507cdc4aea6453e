namespace WasmToolkit.Compiler.Arm64;

/// <summary>The option of <c>dmb</c>/<c>dsb</c>, valued as encoded in <c>CRm</c>.</summary>
public enum Arm64Barrier : byte
{
    /// <summary>Outer shareable, loads.</summary>
    Oshld = 1,
    /// <summary>Outer shareable, stores.</summary>
    Oshst = 2,
    /// <summary>Outer shareable.</summary>
    Osh = 3,
    /// <summary>Non-shareable, loads.</summary>
    Nshld = 5,
    /// <summary>Non-shareable, stores.</summary>
    Nshst = 6,
    /// <summary>Non-shareable.</summary>
    Nsh = 7,
    /// <summary>Inner shareable, loads.</summary>
    Ishld = 9,
    /// <summary>Inner shareable, stores.</summary>
    Ishst = 10,
    /// <summary>Inner shareable (what code patching and cross-thread publication need).</summary>
    Ish = 11,
    /// <summary>Full system, loads.</summary>
    Ld = 13,
    /// <summary>Full system, stores.</summary>
    St = 14,
    /// <summary>Full system.</summary>
    Sy = 15,
}
