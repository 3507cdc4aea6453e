using System.Collections.Immutable;
using WasmToolkit.Diagnostics;

namespace WasmToolkit.Binary;

/// <summary>What <see cref="ModuleReader"/> produced: a module when the bytes were well formed, and diagnostics.</summary>
public sealed class ModuleReadResult
{
    internal ModuleReadResult(Module? module, ImmutableArray<Diagnostic> diagnostics, ImmutableArray<SectionInfo> sections, bool usesCanonicalEncoding)
    {
        Module = module;
        Diagnostics = diagnostics;
        Sections = sections;
        UsesCanonicalEncoding = usesCanonicalEncoding;
    }

    /// <summary>
    /// True when the module's structure (sections, sizes, counts, indices, limits) uses the shortest LEB128
    /// encodings and no empty sections: then <see cref="ModuleWriter.Write"/> gives back the same bytes.
    /// Function bodies and constant expressions are kept as read, so their encodings do not matter here.
    /// </summary>
    public bool UsesCanonicalEncoding { get; }

    /// <summary>The sections read, in file order (those before an error when the module is malformed).</summary>
    public ImmutableArray<SectionInfo> Sections { get; }

    /// <summary>The module; null when the bytes are malformed (see <see cref="Diagnostics"/>).</summary>
    public Module? Module { get; }

    /// <summary>Errors (malformed input) and warnings (e.g. an undecodable name section).</summary>
    public ImmutableArray<Diagnostic> Diagnostics { get; }

    /// <summary>True when a module was read without errors.</summary>
    public bool Success => Module is not null;
}
