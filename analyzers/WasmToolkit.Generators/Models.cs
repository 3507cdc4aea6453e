using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace WasmToolkit.Generators;

// The pipeline's models: plain values only (no ISymbol, SyntaxNode, Location or Compilation), so that
// Roslyn's incremental driver can compare them across runs (STYLE: Source generator).

/// <summary>A WebAssembly value type as the bindings see it.</summary>
internal enum WasmValue
{
    I32,
    I64,
    F32,
    F64,
    V128,
    FuncRef,
    ExternRef,
}

/// <summary>What an import or export is.</summary>
internal enum WasmKind
{
    Function,
    Table,
    Memory,
    Global,
}

/// <summary>A function type, or a global's value type in <see cref="Results"/>[0].</summary>
internal sealed record WasmSignature(EquatableArray<WasmValue> Parameters, EquatableArray<WasmValue> Results)
{
    public static WasmSignature Empty { get; } = new(EquatableArray<WasmValue>.Empty, EquatableArray<WasmValue>.Empty);
}

/// <summary>An export: name, kind, and the function's signature or the global's type.</summary>
internal sealed record ExportModel(string Name, WasmKind Kind, WasmSignature Signature, bool IsMutable, LocationInfo? Location)
{
    /// <summary>C# parameter names of a function (from the name section's local names when they make valid, distinct ones).</summary>
    public EquatableArray<string> ParameterNames { get; init; }
}

/// <summary>An import: module and name, kind, and the function's signature or the global's type.</summary>
internal sealed record ImportModel(string Module, string Name, WasmKind Kind, WasmSignature Signature, bool IsMutable, LocationInfo? Location)
{
    /// <summary>C# parameter names of a function (from the name section's local names when they make valid, distinct ones).</summary>
    public EquatableArray<string> ParameterNames { get; init; }
}

/// <summary>A location as values: a file path with a character span and its line/column span.</summary>
internal sealed record LocationInfo(string FilePath, int Start, int Length, int StartLine, int StartColumn, int EndLine, int EndColumn)
{
    public Location ToLocation()
        => Location.Create(
            FilePath,
            new TextSpan(Start, Length),
            new LinePositionSpan(new LinePosition(StartLine, StartColumn), new LinePosition(EndLine, EndColumn)));

    public static LocationInfo? From(Location location)
    {
        if (location.SourceTree is null && !location.IsInSource) return null;
        var line = location.GetLineSpan();
        return new LocationInfo(line.Path ?? "", location.SourceSpan.Start, location.SourceSpan.Length, line.StartLinePosition.Line, line.StartLinePosition.Character, line.EndLinePosition.Line, line.EndLinePosition.Character);
    }
}

/// <summary>A diagnostic as values: the id, texts and severity of its descriptor, its message and location.</summary>
internal sealed record DiagnosticInfo(string Id, string Title, string Category, DiagnosticSeverity Severity, string Message, EquatableArray<string> Arguments, LocationInfo? Location)
{
    public Diagnostic ToDiagnostic()
    {
        if (BuildDiagnostics.ById.TryGetValue(Id, out var own))
        {
            return Diagnostic.Create(own, Location?.ToLocation(), Arguments.ToArray<object>());
        }

        // The front end's diagnostic, forwarded with its id: the message is already formatted (by its
        // catalogue); "{0}" keeps braces in it literal.
        var descriptor = new DiagnosticDescriptor(Id, Title, "{0}", Category, Severity, isEnabledByDefault: true, helpLinkUri: "docs/diagnostics.md#" + Id.ToLowerInvariant());
        return Diagnostic.Create(descriptor, Location?.ToLocation(), Message);
    }
}

/// <summary>How a module reaches the generator.</summary>
internal enum ModuleFileKind
{
    /// <summary>A <c>.wat</c> additional file; the contents are its text.</summary>
    Text,

    /// <summary>The base64 sidecar the build made of a <c>.wasm</c> file (a <c>WasmModule</c> item); the path is the <c>.wasm</c> file's.</summary>
    BinarySidecar,

    /// <summary>A <c>.wasm</c> file listed directly as an additional file: not read (generators get no binary files); reported.</summary>
    BinaryListedDirectly,
}

/// <summary>A module input: its kind, the path its bindings and diagnostics use, and its text (empty when not read).</summary>
internal sealed record ModuleFile(ModuleFileKind Kind, string Path, string Contents);

/// <summary>One module file (<c>.wat</c> or <c>.wasm</c>), parsed and validated: the binary form, exports, imports and the front end's diagnostics.</summary>
internal sealed record ModuleModel(
    string Path,
    bool IsValid,
    EquatableArray<byte> Bytes,
    EquatableArray<ExportModel> Exports,
    EquatableArray<ImportModel> Imports,
    EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>A class carrying <c>[WasmModule]</c>.</summary>
internal sealed record ClassModel(
    string? Namespace,
    string Name,
    string Accessibility,
    bool IsPartial,
    string? UnsupportedReason,
    string ModulePath,
    LocationInfo? AttributeLocation,
    LocationInfo? NameLocation);

/// <summary>The generator's output for one class: the source (null when none is generated) and the diagnostics.</summary>
internal sealed record BindingModel(string HintName, string? Source, EquatableArray<DiagnosticInfo> Diagnostics);
