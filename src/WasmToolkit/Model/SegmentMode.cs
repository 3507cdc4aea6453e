namespace WasmToolkit;

/// <summary>How a segment is used (spec 2.5.7/2.5.8).</summary>
public enum SegmentMode : byte
{
    /// <summary>Copied into a table or memory at instantiation.</summary>
    Active,
    /// <summary>Used by <c>table.init</c>/<c>memory.init</c>.</summary>
    Passive,
    /// <summary>Element segments only: declares functions for <c>ref.func</c>.</summary>
    Declarative,
}
