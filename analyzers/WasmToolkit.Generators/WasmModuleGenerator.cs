using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace WasmToolkit.Generators;

/// <summary>
/// Typed C# bindings for WebAssembly modules: a <c>partial</c> class marked
/// <c>[WasmToolkit.Runtime.WasmModule("math.wat")]</c> gets a constructor that instantiates the module,
/// a typed method per exported function, properties for exported globals, memories and tables, and an
/// interface per import module. The module's problems are build diagnostics located in the <c>.wat</c> file.
/// </summary>
/// <remarks>
/// Pipeline (each step named for the incrementality tests): the <c>.wat</c> additional files are read
/// (<see cref="TrackingNames.ModuleText"/>) and parsed and validated by the front end
/// (<see cref="TrackingNames.Module"/>, the expensive step, which depends on the file's text only); the
/// attributed classes become <see cref="ClassModel"/>s (<see cref="TrackingNames.Class"/>); each class is bound
/// to its module (<see cref="TrackingNames.Binding"/>); source and diagnostics leave through separate outputs.
/// Generators get no binary additional files and may do no I/O: a <c>.wasm</c> file reaches the generator as a
/// base64 text sidecar that the build writes (<c>WasmModule</c> items, <c>build/WasmToolkit.Runtime.targets</c>), with
/// the <c>.wasm</c> file's path as item metadata; bindings match and diagnostics point at that path.
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed partial class WasmModuleGenerator : IIncrementalGenerator
{
    /// <summary>The attribute that marks a class for bindings (it lives in the runtime).</summary>
    public const string AttributeMetadataName = "WasmToolkit.Runtime.WasmModuleAttribute";

    /// <summary>Names of the pipeline's steps, for <c>GeneratorRunResult.TrackedSteps</c>.</summary>
    public static class TrackingNames
    {
        /// <summary>Each module input (a <c>.wat</c> file's text, a <c>.wasm</c> file's sidecar).</summary>
        public const string ModuleText = nameof(ModuleText);

        /// <summary>Each module parsed and validated.</summary>
        public const string Module = nameof(Module);

        /// <summary>Each attributed class.</summary>
        public const string Class = nameof(Class);

        /// <summary>Each class bound to its module.</summary>
        public const string Binding = nameof(Binding);

        /// <summary>The generated source of each binding.</summary>
        public const string Source = nameof(Source);

        /// <summary>The diagnostics of each binding.</summary>
        public const string Diagnostics = nameof(Diagnostics);
    }

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var modules = context.AdditionalTextsProvider
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Select(static (pair, ct) => ReadModuleFile(pair.Left, pair.Right.GetOptions(pair.Left), ct))
            .Where(static file => file is not null)
            .Select(static (file, _) => file!)
            .WithTrackingName(TrackingNames.ModuleText)
            .Select(static (file, ct) => Parser.ParseModule(file, ct))
            .WithTrackingName(TrackingNames.Module);

        var classes = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                AttributeMetadataName,
                static (node, _) => node is ClassDeclarationSyntax,
                static (syntax, ct) => Parser.ParseClass(syntax, ct))
            .Where(static c => c is not null)
            .Select(static (c, _) => c!)
            .WithTrackingName(TrackingNames.Class);

        var bindings = classes
            .Combine(modules.Collect())
            .Select(static (pair, _) => Emitter.Bind(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.Binding);

        var sources = bindings
            .Select(static (b, _) => (b.HintName, b.Source))
            .WithTrackingName(TrackingNames.Source);
        context.RegisterSourceOutput(sources, static (spc, s) =>
        {
            if (s.Source is not null) spc.AddSource(s.HintName, SourceText.From(s.Source, System.Text.Encoding.UTF8));
        });

        var diagnostics = bindings
            .Select(static (b, _) => b.Diagnostics)
            .WithTrackingName(TrackingNames.Diagnostics);
        context.RegisterSourceOutput(diagnostics, static (spc, list) =>
        {
            foreach (var d in list) spc.ReportDiagnostic(d.ToDiagnostic());
        });
    }

    /// <summary>
    /// The metadata the build puts on a <c>.wasm</c> file's sidecar (<c>build/WasmToolkit.Runtime.targets</c>): the
    /// <c>.wasm</c> file's full path. Made visible to the compiler by <c>CompilerVisibleItemMetadata</c>.
    /// </summary>
    public const string ModulePathMetadata = "build_metadata.AdditionalFiles.WasmModulePath";

    /// <summary>
    /// An additional file as a module input: a <c>.wat</c> file, a sidecar carrying <see cref="ModulePathMetadata"/>, or a
    /// <c>.wasm</c> file listed directly (not read: reported); anything else is not a module (null).
    /// </summary>
    private static ModuleFile? ReadModuleFile(AdditionalText file, AnalyzerConfigOptions options, System.Threading.CancellationToken cancellationToken)
    {
        if (options.TryGetValue(ModulePathMetadata, out var wasmPath) && !string.IsNullOrWhiteSpace(wasmPath))
        {
            return new ModuleFile(ModuleFileKind.BinarySidecar, wasmPath, file.GetText(cancellationToken)?.ToString() ?? "");
        }

        if (file.Path.EndsWith(".wat", StringComparison.OrdinalIgnoreCase))
        {
            return new ModuleFile(ModuleFileKind.Text, file.Path, file.GetText(cancellationToken)?.ToString() ?? "");
        }

        if (file.Path.EndsWith(".wasm", StringComparison.OrdinalIgnoreCase))
        {
            return new ModuleFile(ModuleFileKind.BinaryListedDirectly, file.Path, "");
        }

        return null;
    }
}
