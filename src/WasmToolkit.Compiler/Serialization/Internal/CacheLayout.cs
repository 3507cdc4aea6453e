using System;
using System.Reflection;

namespace WasmToolkit.Compiler.Serialization.Internal;

/// <summary>
/// The byte layout of a compiled-module cache, format version 2 (docs/compiled-module-cache.md has the table).
/// All integers are little-endian.
/// </summary>
internal static class CacheLayout
{
    /// <summary><c>WTKCWASM</c>: unlike wasm's <c>\0asm</c>, so a loader can tell the two apart by their first bytes.</summary>
    public static ReadOnlySpan<byte> Magic => "WTKCWASM"u8;

    /// <summary>
    /// Bumped whenever the layout below or the meaning of a field changes, including the context layout the code
    /// reads (2: memory access limits in the context header, which moved every field after memory 0's definition).
    /// </summary>
    public const uint FormatVersion = 2;

    public const int MagicOffset = 0;
    public const int FormatVersionOffset = 8;
    public const int MachineOffset = 12;
    public const int FlagsOffset = 14;
    public const int FeaturesOffset = 16;
    public const int ModuleHashOffset = 24;
    public const int PayloadLengthOffset = 56;
    public const int ToolkitVersionLengthOffset = 60;

    /// <summary>The fixed part of the header; the toolkit version's UTF-8 bytes follow it, then the payload.</summary>
    public const int FixedHeaderSize = 62;

    public const int HashSize = 32;

    /// <summary>Header flag: the trailing integrity hash is an HMAC-SHA-256 under a key, not a plain SHA-256.</summary>
    public const ushort FlagKeyed = 1;

    public const ushort KnownFlags = FlagKeyed;

    /// <summary>Payload flag: <see cref="CompilerOptions.TrapOnUnsupportedFunctions"/>.</summary>
    public const uint OptionTrapOnUnsupportedFunctions = 1;

    public const uint KnownOptionFlags = OptionTrapOnUnsupportedFunctions;

    /// <summary>PE/COFF machine numbers: stable whatever order <see cref="TargetArchitecture"/> members come in.</summary>
    public const ushort MachineX64 = 0x8664;

    public const ushort MachineArm64 = 0xAA64;

    public static ushort MachineOf(TargetArchitecture architecture) => architecture switch
    {
        TargetArchitecture.X64 => MachineX64,
        TargetArchitecture.Arm64 => MachineArm64,
        _ => throw new ArgumentOutOfRangeException(nameof(architecture), architecture, "No machine number for this architecture."),
    };

    /// <summary>The architecture of a machine number <see cref="MachineOf"/> gives (the decoder has refused any other by then).</summary>
    public static TargetArchitecture ArchitectureOf(ushort machine) => machine switch
    {
        MachineX64 => TargetArchitecture.X64,
        MachineArm64 => TargetArchitecture.Arm64,
        _ => throw new ArgumentOutOfRangeException(nameof(machine), machine, "Unknown machine number."),
    };

    public static string DescribeMachine(ushort machine) => machine switch
    {
        MachineX64 => "x64",
        MachineArm64 => "arm64",
        _ => "unknown machine 0x" + machine.ToString("x4", System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// The running toolkit's informational version (with the commit when the build knows it): code generation may
    /// change between any two builds, so a cache is only trusted by the build that wrote it.
    /// </summary>
    public static string ToolkitVersion { get; } =
        typeof(CacheLayout).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(CacheLayout).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    /// <summary>Every proposal the reader knows: the embedded module was accepted once already, features only gate decoding.</summary>
    public const WasmFeatures EmbeddedModuleFeatures =
        WasmFeatures.V2 | WasmFeatures.MultiMemory | WasmFeatures.Memory64 | WasmFeatures.TailCall | WasmFeatures.ExceptionHandling
        | WasmFeatures.FunctionReferences | WasmFeatures.Gc | WasmFeatures.Threads | WasmFeatures.ExtendedConst | WasmFeatures.RelaxedSimd;

    /// <summary>Bytes of one trap or call site in the payload.</summary>
    public const int SiteSize = 16;

    public const int EntryStubSize = 12;

    public const int FunctionSize = 12;
}
