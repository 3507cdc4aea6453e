namespace WasmToolkit.Compiler;

/// <summary>Everything that influences generated code besides the module itself (DESIGN invariant 4).</summary>
/// <remarks>
/// Target features are explicit so compilation never depends on the host CPU: the same module and the
/// same options give byte-identical code on every machine. The runtime refuses code that needs a
/// feature its processor lacks.
/// </remarks>
public sealed class CompilerOptions
{
    /// <summary>The defaults: x64 with POPCNT and SSE4.1 (every x86-64-v2 processor).</summary>
    public static CompilerOptions Default { get; } = new();

    /// <summary>
    /// The target architecture: x64 or ARM64 (eager compilation; lazy compilation is x64 only). Cross-compiling is
    /// allowed (ARM64 code made on x64 for listings and caches); the runtime refuses to run code of another architecture.
    /// </summary>
    public TargetArchitecture Architecture { get; init; } = TargetArchitecture.X64;

    /// <summary>
    /// When true, a function the compiler does not support yet compiles to code that traps with
    /// <see cref="TrapKind.UnsupportedFunction"/> instead of failing the module; the reasons are listed in
    /// <see cref="CompiledModule.UnsupportedFunctions"/>. Off by default: meant for test harnesses that
    /// run partly supported modules (the spec suite) and for porting work, never a silent fallback.
    /// </summary>
    public bool TrapOnUnsupportedFunctions { get; init; }

    /// <summary>
    /// How many functions may compile at once: 1 compiles sequentially on the calling thread; the default
    /// is <see cref="System.Environment.ProcessorCount"/>. Never changes the generated code, only how fast it comes.
    /// </summary>
    /// <exception cref="System.ArgumentOutOfRangeException">Set to zero or less.</exception>
    public int MaxDegreeOfParallelism
    {
        get => _maxDegreeOfParallelism;
        init => _maxDegreeOfParallelism = value > 0 ? value : throw new System.ArgumentOutOfRangeException(nameof(MaxDegreeOfParallelism), value, "The degree of parallelism must be at least 1.");
    }

    private readonly int _maxDegreeOfParallelism = System.Environment.ProcessorCount;

    /// <summary>
    /// Bytes of finished-but-unpublished function code the compile pipeline may hold (code waiting for a
    /// lower-indexed function to finish, since results are published in index order): above it workers stop
    /// taking units, and they resume once it falls to half (V8's hysteresis). The default is 64 MiB. Never
    /// changes the generated code. See <c>docs/compile-pipeline.md</c> for exactly what is bounded.
    /// </summary>
    /// <exception cref="System.ArgumentOutOfRangeException">Set to zero or less.</exception>
    public long PendingCodeBudget
    {
        get => _pendingCodeBudget;
        init => _pendingCodeBudget = value > 0 ? value : throw new System.ArgumentOutOfRangeException(nameof(PendingCodeBudget), value, "The pending-code budget must be at least 1 byte.");
    }

    private readonly long _pendingCodeBudget = 64L << 20;

    /// <summary>Which compiler tier generates the code. Only <see cref="CompilationTier.Baseline"/> exists so far.</summary>
    public CompilationTier Tier { get; init; } = CompilationTier.Baseline;

    /// <summary>Optional instruction-set extensions the generated code may use.</summary>
    public X64Features X64Features { get; init; } = X64Features.Popcnt | X64Features.Sse41;
}

/// <summary>Machine architectures the compiler targets.</summary>
public enum TargetArchitecture
{
    /// <summary>x86-64, System V calling convention.</summary>
    X64,

    /// <summary>AArch64 (A64): the baseline compiler, stubs and runtime (Linux), SIMD on Advanced SIMD (see <c>docs/arm64-backend.md</c>).</summary>
    Arm64,
}

/// <summary>x64 extensions beyond the x86-64 baseline that generated code may use.</summary>
[System.Flags]
public enum X64Features
{
    None = 0,

    /// <summary><c>popcnt</c> (x86-64-v2). Without it <c>i32.popcnt</c>/<c>i64.popcnt</c> use a bit-twiddling sequence.</summary>
    Popcnt = 1,

    /// <summary><c>roundss</c>/<c>roundsd</c> (x86-64-v2). Without it the rounding instructions (<c>ceil</c>, <c>floor</c>, <c>trunc</c>, <c>nearest</c>) are unsupported.</summary>
    Sse41 = 2,

    /// <summary>
    /// VEX encodings (AVX): scalar float add, sub, mul and div take three operands, so neither operand is copied
    /// first. Without it they use the two-operand SSE forms.
    /// </summary>
    Avx = 4,
}
