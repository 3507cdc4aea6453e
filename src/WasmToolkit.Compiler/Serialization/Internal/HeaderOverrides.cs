namespace WasmToolkit.Compiler.Serialization.Internal;

/// <summary>
/// Header fields to write instead of the real ones, so tests can make well-formed caches from "another" version,
/// toolkit or architecture (with a valid integrity hash) and see each refused with its own diagnostic.
/// </summary>
internal readonly record struct HeaderOverrides(uint? FormatVersion = null, string? ToolkitVersion = null, ushort? Machine = null, X64Features? RequiredX64Features = null);
