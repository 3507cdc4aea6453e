using System;

namespace WasmToolkit;

/// <summary>
/// Proposals the reader, parser and validator accept (after wasmparser's <c>features.rs</c>).
/// <see cref="V2"/>, the default, is WebAssembly 2.0.
/// </summary>
[Flags]
public enum WasmFeatures
{
    None = 0,
    MutableGlobal = 1 << 0,
    SignExtension = 1 << 1,
    SaturatingFloatToInt = 1 << 2,
    MultiValue = 1 << 3,
    BulkMemory = 1 << 4,
    ReferenceTypes = 1 << 5,
    Simd = 1 << 6,

    // 3.0 and later: decoded where cheap, not yet supported end to end.
    MultiMemory = 1 << 16,
    Memory64 = 1 << 17,
    TailCall = 1 << 18,
    ExceptionHandling = 1 << 19,
    FunctionReferences = 1 << 20,
    Gc = 1 << 21,
    Threads = 1 << 22,
    ExtendedConst = 1 << 23,
    RelaxedSimd = 1 << 24,

    /// <summary>WebAssembly 1.0 (the MVP with mutable-global imports).</summary>
    V1 = MutableGlobal,

    /// <summary>WebAssembly 2.0: the default.</summary>
    V2 = V1 | SignExtension | SaturatingFloatToInt | MultiValue | BulkMemory | ReferenceTypes | Simd,
}
