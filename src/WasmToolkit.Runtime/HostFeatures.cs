using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using WasmToolkit.Compiler;
using WasmToolkit.Compiler.Serialization;

namespace WasmToolkit.Runtime;

/// <summary>What the processor running this process offers, for <see cref="CompilerOptions"/> (the compiler never probes the host itself).</summary>
public static class HostFeatures
{
    /// <summary>The architecture of this process's code (what instances can run), or null on one the runtime does not run code for.</summary>
    public static TargetArchitecture? Architecture { get; } = RuntimeInformation.ProcessArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => TargetArchitecture.X64,
        System.Runtime.InteropServices.Architecture.Arm64 => TargetArchitecture.Arm64,
        _ => null,
    };

    /// <summary>The x64 extensions of this processor that generated code may use (none on another architecture).</summary>
    public static X64Features X64 { get; } =
        (Popcnt.IsSupported ? X64Features.Popcnt : X64Features.None) | (Sse41.IsSupported ? X64Features.Sse41 : X64Features.None)
        | (Avx.IsSupported ? X64Features.Avx : X64Features.None);

    /// <summary>
    /// Compiler options for code this process runs: its architecture (ARM64 on an ARM64 host) and its processor's
    /// extensions. <see cref="Instance.Create(Module, CompilerOptions?)"/> and <see cref="Linker.Instantiate(Module, CompilerOptions?)"/>
    /// use them when given no options; pass them (or a copy with other settings) to <see cref="ModuleCompiler"/> for code to run here.
    /// </summary>
    public static CompilerOptions CompilerOptions { get; } = new() { Architecture = Architecture ?? TargetArchitecture.X64, X64Features = X64 };

    /// <summary>Options that accept a compiled-module cache only if this process can run its code (its architecture and, on x64, <see cref="X64"/>).</summary>
    public static CompiledModuleReadOptions CompiledModuleReadOptions { get; } = new(Architecture ?? TargetArchitecture.X64, X64);
}
