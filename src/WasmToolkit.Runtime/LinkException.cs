using System;
using System.Collections.Immutable;
using System.Linq;
using WasmToolkit.Diagnostics;

namespace WasmToolkit.Runtime;

/// <summary>A module could not be linked: its imports are missing or do not match (a link error in the JS API's sense).</summary>
public sealed class LinkException : Exception
{
    public LinkException(ImmutableArray<Diagnostic> diagnostics)
        : base(string.Join("\n", diagnostics.Select(d => d.ToString())))
    {
        Diagnostics = diagnostics;
    }

    /// <summary>One diagnostic per unlinkable import (ids WASM3001, WASM3002).</summary>
    public ImmutableArray<Diagnostic> Diagnostics { get; }
}
