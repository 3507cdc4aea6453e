using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
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
/// Generators get no binary additional files and may do no I/O, so only <c>.wat</c> is read here.
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed partial class WasmModuleGenerator : IIncrementalGenerator
{
    /// <summary>The attribute that marks a class for bindings (it lives in the runtime).</summary>
    public const string AttributeMetadataName = "WasmToolkit.Runtime.WasmModuleAttribute";

    /// <summary>Names of the pipeline's steps, for <c>GeneratorRunResult.TrackedSteps</c>.</summary>
    public static class TrackingNames
    {
        /// <summary>The text of each <c>.wat</c> additional file.</summary>
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
            .Where(static file => file.Path.EndsWith(".wat", StringComparison.OrdinalIgnoreCase))
            .Select(static (file, ct) => (file.Path, Text: file.GetText(ct)?.ToString() ?? ""))
            .WithTrackingName(TrackingNames.ModuleText)
            .Select(static (file, ct) => Parser.ParseModule(file.Path, file.Text, ct))
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
}
