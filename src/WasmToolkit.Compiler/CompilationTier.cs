namespace WasmToolkit.Compiler;

/// <summary>The compiler tiers (DESIGN: a baseline tier now, an optimizing tier reached by tier-up later).</summary>
public enum CompilationTier
{
    /// <summary>The single-pass baseline compiler (V8's Liftoff, Wasmtime's Winch): fast to compile, plain code.</summary>
    Baseline,
}
