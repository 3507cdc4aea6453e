using System.Collections.Immutable;
using System.Linq;
using WasmToolkit.Diagnostics;

namespace WasmToolkit.Compiler.Serialization;

/// <summary>What loading a compiled-module cache gave: the module, or the diagnostics that refused it.</summary>
public sealed class CompiledModuleReadResult
{
    internal CompiledModuleReadResult(CompiledModule? module, CompiledModuleHeader? header, ImmutableArray<Diagnostic> diagnostics)
    {
        Module = module;
        Header = header;
        Diagnostics = diagnostics;
    }

    /// <summary>The compiled module; null when the cache was refused (<see cref="Diagnostics"/> says why).</summary>
    public CompiledModule? Module { get; }

    /// <summary>The header, when it could be read (also for some refused caches: another version, architecture…).</summary>
    public CompiledModuleHeader? Header { get; }

    /// <summary>Empty when the cache loaded; otherwise the one error that refused it (WASM4101–WASM4113).</summary>
    public ImmutableArray<Diagnostic> Diagnostics { get; }

    /// <summary>True when <see cref="Module"/> is set.</summary>
    public bool Succeeded => Module is not null;

    /// <summary>The first error, for callers that report one reason.</summary>
    public Diagnostic? FirstError => Diagnostics.FirstOrDefault(d => d.IsError);
}
