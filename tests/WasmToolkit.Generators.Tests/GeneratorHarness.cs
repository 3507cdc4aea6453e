using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace WasmToolkit.Generators.Tests;

/// <summary>
/// Runs <see cref="WasmModuleGenerator"/> in memory (Roslyn's <see cref="CSharpGeneratorDriver"/>) over C# sources
/// and <c>.wat</c> additional files. Compilations reference every assembly the test host has loaded from its
/// trusted platform list (the .NET 10 framework, the front end, compiler and runtime), so generated code is
/// compiled against the real runtime.
/// </summary>
internal static class GeneratorHarness
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray());

    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest);

    public static CSharpCompilation CreateCompilation(params string[] sources)
        => CSharpCompilation.Create(
            "Consumer",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: "Source" + i + ".cs")),
            s_references.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver CreateDriver(params (string Path, string Text)[] additionalFiles)
        => CreateDriver(additionalFiles.Select(f => (AdditionalText)new InMemoryAdditionalText(f.Path, f.Text)).ToArray());

    public static GeneratorDriver CreateDriver(params AdditionalText[] additionalFiles)
        => CSharpGeneratorDriver.Create(
            new[] { new WasmModuleGenerator().AsSourceGenerator() },
            additionalFiles,
            ParseOptions,
            new MetadataOptionsProvider(additionalFiles),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>
    /// What the build makes of <c>&lt;WasmModule Include="{wasmPath}" /&gt;</c> (WasmToolkit.Runtime.targets): a base64
    /// sidecar in <c>obj/</c> whose <c>WasmModulePath</c> metadata is the <c>.wasm</c> file's path.
    /// </summary>
    public static AdditionalText Sidecar(string wasmPath, byte[] bytes)
        => new InMemoryAdditionalText("/p/obj/Release/net10.0/wasm/" + System.IO.Path.GetFileName(wasmPath) + ".b64", Convert.ToBase64String(bytes))
        {
            Metadata = ImmutableDictionary<string, string>.Empty.Add(WasmModuleGenerator.ModulePathMetadata, wasmPath),
        };

    /// <summary>Runs the generator once over additional texts that may carry item metadata.</summary>
    public static (GeneratorDriverRunResult Result, Compilation Output) Run(string source, params AdditionalText[] additionalFiles)
    {
        var driver = CreateDriver(additionalFiles).RunGeneratorsAndUpdateCompilation(CreateCompilation(source), out var output, out _);
        return (driver.GetRunResult(), output);
    }

    /// <summary>Runs the generator once; returns the run result and the compilation with the generated sources added.</summary>
    public static (GeneratorDriverRunResult Result, Compilation Output) Run(string source, params (string Path, string Text)[] additionalFiles)
    {
        var driver = CreateDriver(additionalFiles).RunGeneratorsAndUpdateCompilation(CreateCompilation(source), out var output, out _);
        return (driver.GetRunResult(), output);
    }

    /// <summary>Diagnostics one per line: <c>WASM5001 Error file(line,col): message</c> (1-based, file name only).</summary>
    public static string Render(IEnumerable<Diagnostic> diagnostics)
        => string.Concat(diagnostics
            .OrderBy(d => d.Location.GetLineSpan().Path, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .ThenBy(d => d.Id, StringComparer.Ordinal)
            .Select(d =>
            {
                var span = d.Location.GetLineSpan();
                var where = span.Path is { Length: > 0 } p
                    ? Path.GetFileName(p) + "(" + (span.StartLinePosition.Line + 1) + "," + (span.StartLinePosition.Character + 1) + ")"
                    : "(no location)";
                return d.Id + " " + d.Severity + " " + where + ": " + d.GetMessage() + "\n";
            }));

    internal sealed class InMemoryAdditionalText : AdditionalText
    {
        private readonly SourceText _text;

        public InMemoryAdditionalText(string path, string text)
        {
            Path = path;
            _text = SourceText.From(text);
        }

        public override string Path { get; }

        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;

        /// <summary>Item metadata as the analyzer config shows it (<c>build_metadata.AdditionalFiles.Name</c>).</summary>
        public ImmutableDictionary<string, string> Metadata { get; init; } = ImmutableDictionary<string, string>.Empty;
    }

    /// <summary>Gives each <see cref="InMemoryAdditionalText"/> its metadata, as the compiler does from the build's analyzer config.</summary>
    private sealed class MetadataOptionsProvider : Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptionsProvider
    {
        private readonly Dictionary<AdditionalText, Options> _byFile = new();

        public MetadataOptionsProvider(IEnumerable<AdditionalText> files)
        {
            foreach (var f in files) _byFile[f] = new Options(f is InMemoryAdditionalText m ? m.Metadata : ImmutableDictionary<string, string>.Empty);
        }

        public override Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions GlobalOptions { get; } = new Options(ImmutableDictionary<string, string>.Empty);

        public override Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions GetOptions(SyntaxTree tree) => GlobalOptions;

        public override Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions GetOptions(AdditionalText textFile)
            => _byFile.TryGetValue(textFile, out var options) ? options : GlobalOptions;

        private sealed class Options : Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions
        {
            private readonly ImmutableDictionary<string, string> _values;

            public Options(ImmutableDictionary<string, string> values) => _values = values;

            public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) => _values.TryGetValue(key, out value);
        }
    }
}
