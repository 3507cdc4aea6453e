using System.Runtime.Intrinsics.X86;
using WasmToolkit.Compiler;
using WasmToolkit.Compiler.Serialization;

namespace WasmToolkit.Runtime;

/// <summary>What the processor running this process offers, for <see cref="CompilerOptions"/> (the compiler never probes the host itself).</summary>
public static class HostFeatures
{
    /// <summary>The x64 extensions of this processor that generated code may use.</summary>
    public static X64Features X64 { get; } =
        (Popcnt.IsSupported ? X64Features.Popcnt : X64Features.None) | (Sse41.IsSupported ? X64Features.Sse41 : X64Features.None);

    /// <summary>Options that accept a compiled-module cache only if this process can run its code (x64, <see cref="X64"/>).</summary>
    public static CompiledModuleReadOptions CompiledModuleReadOptions { get; } = new(TargetArchitecture.X64, X64);
}
