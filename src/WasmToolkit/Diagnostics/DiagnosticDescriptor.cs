using System;

namespace WasmToolkit.Diagnostics;

/// <summary>
/// Describes one kind of diagnostic: stable id, title, message format, category and default severity
/// (after Roslyn's <c>DiagnosticDescriptor</c>). All descriptors live in <see cref="DiagnosticCatalog"/>.
/// </summary>
public sealed class DiagnosticDescriptor
{
    public DiagnosticDescriptor(string id, string title, string messageFormat, string category, DiagnosticSeverity severity)
    {
        Id = id ?? throw new ArgumentNullException(nameof(id));
        Title = title ?? throw new ArgumentNullException(nameof(title));
        MessageFormat = messageFormat ?? throw new ArgumentNullException(nameof(messageFormat));
        Category = category ?? throw new ArgumentNullException(nameof(category));
        DefaultSeverity = severity;
    }

    /// <summary>Stable id: <c>WASM</c> and four digits; never reused.</summary>
    public string Id { get; }

    public string Title { get; }

    /// <summary>A composite format string (<c>{0}</c> placeholders).</summary>
    public string MessageFormat { get; }

    /// <summary>The layer that reports it: Binary, Text, Validation, Link, Compile…</summary>
    public string Category { get; }

    public DiagnosticSeverity DefaultSeverity { get; }

    /// <summary>Where the id is documented.</summary>
    public string HelpLink => "docs/diagnostics.md#" + Id.ToLowerInvariant();

    public override string ToString() => Id + ": " + Title;
}
