using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using WasmToolkit.Binary;
using WasmToolkit.Text;
using WasmToolkit.Validation;
using WasmDiagnostic = WasmToolkit.Diagnostics.Diagnostic;
using WasmSeverity = WasmToolkit.Diagnostics.DiagnosticSeverity;
using WasmTextLocation = WasmToolkit.Diagnostics.TextLocation;
using WasmBinaryLocation = WasmToolkit.Diagnostics.BinaryLocation;

namespace WasmToolkit.Generators;

public sealed partial class WasmModuleGenerator
{
    /// <summary>Symbols and files → models (STJ's <c>JsonSourceGenerator.Parser</c>): nothing here survives into the next step but values.</summary>
    internal static class Parser
    {
        /// <summary>Parses and validates one module file with the front end: the expensive step, keyed on the file's contents alone.</summary>
        public static ModuleModel ParseModule(ModuleFile file, CancellationToken cancellationToken)
            => file.Kind switch
            {
                ModuleFileKind.Text => ParseText(file.Path, file.Contents, cancellationToken),
                ModuleFileKind.BinarySidecar => ParseBinary(file.Path, file.Contents, cancellationToken),
                _ => Unreadable(file.Path, "binary files reach the generator only through a <WasmModule Include=\"...\" /> item in the project (it turns them into a text sidecar at build), not as AdditionalFiles"),
            };

        /// <summary>A <c>.wat</c> file: parsed, validated, written to binary; locations are lines and columns in the text.</summary>
        private static ModuleModel ParseText(string path, string text, CancellationToken cancellationToken)
        {
            var diagnostics = new List<DiagnosticInfo>();
            var parsed = TextModuleParser.Parse(text, path);
            foreach (var d in parsed.Diagnostics) diagnostics.Add(Convert(d, path));
            if (parsed.Module is not { } module || parsed.HasErrors)
            {
                return Invalid(path, diagnostics);
            }

            cancellationToken.ThrowIfCancellationRequested();
            var validated = ModuleValidator.Validate(module, WasmFeatures.V2, path, cancellationToken);
            foreach (var d in parsed.SourceMap.Remap(validated.Diagnostics)) diagnostics.Add(Convert(d, path));
            if (!validated.IsValid) return Invalid(path, diagnostics);

            return Describe(path, module, validated, ModuleWriter.Write(module), span => Locate(parsed, span, path), diagnostics);
        }

        /// <summary>
        /// A <c>.wasm</c> file, as the base64 sidecar the build made of it (<c>WasmToolkit.Runtime.targets</c>): decoded,
        /// read and validated; locations are byte offsets in the <c>.wasm</c> file, and its bytes are embedded as they are.
        /// </summary>
        private static ModuleModel ParseBinary(string path, string base64, CancellationToken cancellationToken)
        {
            byte[] bytes;
            try
            {
                bytes = System.Convert.FromBase64String(base64.Trim());
            }
            catch (System.FormatException)
            {
                return Unreadable(path, "its build sidecar is not base64 (rebuild the project)");
            }

            var diagnostics = new List<DiagnosticInfo>();
            var read = ModuleReader.Read(bytes, path);
            foreach (var d in read.Diagnostics) diagnostics.Add(Convert(d, path));
            if (read.Module is not { } module || HasErrors(read.Diagnostics)) return Invalid(path, diagnostics);

            cancellationToken.ThrowIfCancellationRequested();
            var validated = ModuleValidator.Validate(module, WasmFeatures.V2, path, cancellationToken);
            foreach (var d in validated.Diagnostics) diagnostics.Add(Convert(d, path));
            if (!validated.IsValid) return Invalid(path, diagnostics);

            return Describe(path, module, validated, bytes, span => BinaryLocationInfo(path, span), diagnostics);
        }

        private static bool HasErrors(IEnumerable<WasmDiagnostic> diagnostics)
        {
            foreach (var d in diagnostics)
            {
                if (d.Severity == WasmSeverity.Error) return true;
            }

            return false;
        }

        private static ModuleModel Invalid(string path, List<DiagnosticInfo> diagnostics)
            => new(path, false, default, default, default, diagnostics.ToEquatableArray());

        private static ModuleModel Unreadable(string path, string reason)
        {
            var diagnostic = Emitter.Info(Diagnostics.DiagnosticCatalog.BinaryModuleNotReadable, new LocationInfo(path, 0, 0, 0, 0, 0, 0), path, reason);
            return new ModuleModel(path, false, default, default, default, new EquatableArray<DiagnosticInfo>(new[] { diagnostic }));
        }

        /// <summary>Exports and imports of a valid module, located by <paramref name="locate"/>.</summary>
        private static ModuleModel Describe(string path, Module module, ValidatedModule validated, byte[] bytes, System.Func<ByteSpan, LocationInfo?> locate, List<DiagnosticInfo> diagnostics)
        {
            var exports = new List<ExportModel>();
            foreach (var e in module.Exports)
            {
                switch (e.Kind)
                {
                    case ExternalKind.Function:
                        var exportType = validated.GetFunctionType(new FuncIndex(e.Index));
                        exports.Add(new ExportModel(e.Name, WasmKind.Function, Signature(exportType), false, locate(e.Span))
                        {
                            ParameterNames = ParameterNames(module, e.Index, exportType?.Parameters.Length ?? 0),
                        });
                        break;
                    case ExternalKind.Global:
                        var g = validated.Globals[(int)e.Index];
                        exports.Add(new ExportModel(e.Name, WasmKind.Global, GlobalSignature(g.ValueType), g.IsMutable, locate(e.Span)));
                        break;
                    case ExternalKind.Memory:
                        exports.Add(new ExportModel(e.Name, WasmKind.Memory, WasmSignature.Empty, false, locate(e.Span)));
                        break;
                    case ExternalKind.Table:
                        exports.Add(new ExportModel(e.Name, WasmKind.Table, WasmSignature.Empty, false, locate(e.Span)));
                        break;
                }
            }

            var imports = new List<ImportModel>();
            var importedFunction = 0u;
            foreach (var i in module.Imports)
            {
                switch (i.Kind)
                {
                    case ExternalKind.Function:
                        var importType = module.Types[(int)i.FunctionType.Value];
                        imports.Add(new ImportModel(i.Module, i.Name, WasmKind.Function, Signature(importType), false, locate(i.Span))
                        {
                            ParameterNames = ParameterNames(module, importedFunction, importType.Parameters.Length),
                        });
                        importedFunction++;
                        break;
                    case ExternalKind.Global:
                        imports.Add(new ImportModel(i.Module, i.Name, WasmKind.Global, GlobalSignature(i.Global.ValueType), i.Global.IsMutable, locate(i.Span)));
                        break;
                    case ExternalKind.Memory:
                        imports.Add(new ImportModel(i.Module, i.Name, WasmKind.Memory, WasmSignature.Empty, false, locate(i.Span)));
                        break;
                    case ExternalKind.Table:
                        imports.Add(new ImportModel(i.Module, i.Name, WasmKind.Table, WasmSignature.Empty, false, locate(i.Span)));
                        break;
                }
            }

            return new ModuleModel(path, true, new EquatableArray<byte>(bytes), exports.ToEquatableArray(), imports.ToEquatableArray(), diagnostics.ToEquatableArray());
        }

        /// <summary>The class and attribute, read from the symbol into values.</summary>
        public static ClassModel? ParseClass(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            if (context.TargetSymbol is not INamedTypeSymbol type || context.TargetNode is not ClassDeclarationSyntax) return null;
            var attribute = context.Attributes[0];
            var path = attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string s ? s : "";
            var isPartial = false;
            foreach (var reference in type.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(cancellationToken) is ClassDeclarationSyntax declaration)
                {
                    foreach (var modifier in declaration.Modifiers)
                    {
                        if (modifier.Text == "partial") isPartial = true;
                    }
                }
            }

            string? unsupported = null;
            if (type.ContainingType is not null) unsupported = "nested classes are not supported yet";
            else if (type.IsGenericType) unsupported = "generic classes are not supported";
            else if (type.IsStatic) unsupported = "the class is static; instances hold the module's instance";

            var accessibility = type.DeclaredAccessibility == Accessibility.Public ? "public" : "internal";
            var ns = type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString();
            var attributeLocation = attribute.ApplicationSyntaxReference is { } syntax ? LocationInfo.From(syntax.GetSyntax(cancellationToken).GetLocation()) : null;
            var nameLocation = ((ClassDeclarationSyntax)context.TargetNode).Identifier.GetLocation();
            return new ClassModel(ns, type.Name, accessibility, isPartial, unsupported, path, attributeLocation, LocationInfo.From(nameLocation));
        }

        /// <summary>The text behind an export or import (its span in the parsed model maps back through the source map).</summary>
        private static LocationInfo? Locate(TextParseResult parsed, ByteSpan span, string path)
        {
            if (!parsed.SourceMap.TryGetTextSpan(span.Start, out var text)) return null;
            var start = parsed.SourceMap.Source.GetLinePosition(text.Start);
            var end = parsed.SourceMap.Source.GetLinePosition(text.Start + text.Length);
            return new LocationInfo(path, text.Start, text.Length, start.Line, start.Character, end.Line, end.Character);
        }

        /// <summary>
        /// Parameter names for function <paramref name="function"/>: its local names from the name section (<c>(param $a i32)</c>)
        /// in camelCase when every parameter has one and they are distinct; otherwise <c>arg0</c>, <c>arg1</c>, ….
        /// </summary>
        private static EquatableArray<string> ParameterNames(Module module, uint function, int count)
        {
            var names = new string[count];
            for (var i = 0; i < count; i++) names[i] = "arg" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            foreach (var map in module.Names.LocalNames)
            {
                if (map.Index != function) continue;
                var found = new string?[count];
                foreach (var local in map.Names)
                {
                    if (local.Index < count && local.Name.Length > 0) found[local.Index] = Naming.Camel(local.Name);
                }

                var distinct = new HashSet<string>(System.StringComparer.Ordinal);
                var usable = true;
                foreach (var name in found) usable &= name is not null && !name.StartsWith("__", System.StringComparison.Ordinal) && distinct.Add(name.TrimStart('@'));
                if (usable) names = found!;
            }

            return new EquatableArray<string>(names);
        }

        private static WasmSignature Signature(FuncType? type)
        {
            if (type is null) return WasmSignature.Empty;
            var parameters = new List<WasmValue>();
            foreach (var p in type.Parameters) parameters.Add(Value(p));
            var results = new List<WasmValue>();
            foreach (var r in type.Results) results.Add(Value(r));
            return new WasmSignature(parameters.ToEquatableArray(), results.ToEquatableArray());
        }

        private static WasmSignature GlobalSignature(ValType type)
            => new(EquatableArray<WasmValue>.Empty, new EquatableArray<WasmValue>(new[] { Value(type) }));

        private static WasmValue Value(ValType type) => type.Kind switch
        {
            ValTypeKind.I32 => WasmValue.I32,
            ValTypeKind.I64 => WasmValue.I64,
            ValTypeKind.F32 => WasmValue.F32,
            ValTypeKind.F64 => WasmValue.F64,
            ValTypeKind.V128 => WasmValue.V128,
            _ => type.Heap == HeapType.Func ? WasmValue.FuncRef : WasmValue.ExternRef,
        };

        /// <summary>
        /// A byte span of a <c>.wasm</c> file as a location: the character span is the byte span, and the line span is
        /// line 1 with the byte offset as column (0-based inside), so a build log shows <c>math.wasm(1,offset+1)</c>.
        /// </summary>
        private static LocationInfo BinaryLocationInfo(string path, ByteSpan span)
            => new(path, span.Start, span.Length, 0, span.Start, 0, span.Start + span.Length);

        /// <summary>
        /// A front-end diagnostic with its own id: at its line and column in a <c>.wat</c> file, at its byte span in a
        /// <c>.wasm</c> file (with "at offset 0x…" added to the message), at the file's start when it has none.
        /// </summary>
        private static DiagnosticInfo Convert(WasmDiagnostic d, string path)
        {
            LocationInfo location;
            var message = d.Message;
            if (d.Location is WasmTextLocation text)
            {
                var start = text.Source.GetLinePosition(text.Span.Start);
                var end = text.Source.GetLinePosition(text.Span.Start + text.Span.Length);
                location = new LocationInfo(path, text.Span.Start, text.Span.Length, start.Line, start.Character, end.Line, end.Character);
            }
            else if (d.Location is WasmBinaryLocation binary)
            {
                location = BinaryLocationInfo(path, binary.Span);
                message += " at offset 0x" + binary.Span.Start.ToString("x", System.Globalization.CultureInfo.InvariantCulture)
                    + (binary.FunctionIndex is { } f ? " (func " + f.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")" : "");
            }
            else
            {
                location = new LocationInfo(path, 0, 0, 0, 0, 0, 0);
            }

            var severity = d.Severity switch
            {
                WasmSeverity.Error => DiagnosticSeverity.Error,
                WasmSeverity.Warning => DiagnosticSeverity.Warning,
                WasmSeverity.Info => DiagnosticSeverity.Info,
                _ => DiagnosticSeverity.Hidden,
            };
            return new DiagnosticInfo(d.Id, d.Descriptor.Title, d.Descriptor.Category, severity, message, EquatableArray<string>.Empty, location);
        }
    }
}
