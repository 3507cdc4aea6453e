using WasmToolkit.Runtime;

namespace TypedBindings;

/// <summary>Bindings of wasm/calc.wat: Add, Fib, Hypot, the Calls global, and the IEnv imports interface.</summary>
[WasmModule("calc.wat")]
public partial class CalcModule;

/// <summary>Bindings of wasm/checksum.wasm (a binary module): Adler32 and the exported Memory.</summary>
[WasmModule("checksum.wasm")]
public partial class ChecksumModule;
