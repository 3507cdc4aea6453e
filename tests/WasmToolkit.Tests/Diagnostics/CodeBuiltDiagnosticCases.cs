using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using WasmToolkit.Diagnostics;
using WasmToolkit.Instructions;
using WasmToolkit.Tests.Infrastructure;
using WasmToolkit.Validation;
using Xunit;

namespace WasmToolkit.Tests.Diagnostics;

/// <summary>
/// Validation diagnostics that no binary or text input can reach, because the reader and parser reject
/// such modules first or cannot express them: they guard modules built in code. Each case builds its
/// module here; the rendered diagnostics are snapshots in <c>Cases/code</c>.
/// </summary>
public class CodeBuiltDiagnosticCases
{
    internal static readonly IReadOnlyDictionary<string, Func<Module>> Builders = new Dictionary<string, Func<Module>>
    {
        ["WASM2026-data-count-mismatch"] = () =>
        {
            var b = new ModuleBuilder { DataCount = 2 };
            b.AddMemory(new MemoryType(new Limits(1)));
            b.Data.Add(DataSegment.Passive(new byte[] { 1 }));
            return b.ToModule();
        },
        ["WASM2027-table-size-too-large"] = () =>
        {
            var b = new ModuleBuilder();
            b.AddTable(new TableType(ValType.FuncRef, new Limits(1UL << 33)));
            return b.ToModule();
        },
        ["WASM2030-local-count-too-large"] = () =>
        {
            var b = new ModuleBuilder();
            b.AddFunction(FuncType.Empty, ImmutableArray.Create(new LocalGroup(uint.MaxValue, ValType.I32), new LocalGroup(2, ValType.I64)), Array.Empty<Instruction>());
            return b.ToModule();
        },
        ["WASM2031-reference-type-expected"] = () =>
        {
            var b = new ModuleBuilder();
            b.AddTable(new TableType(ValType.I32, new Limits(1)));
            return b.ToModule();
        },
        ["WASM2032-unknown-external-kind"] = () =>
        {
            var b = new ModuleBuilder();
            b.AddExport("tag", ExternalKind.Tag, 0);
            return b.ToModule();
        },
    };

    public static IEnumerable<object[]> Names() => Builders.Keys.OrderBy(k => k, StringComparer.Ordinal).Select(k => new object[] { k });

    internal static IReadOnlyList<Diagnostic> Diagnose(string name)
        => ModuleValidator.Validate(Builders[name](), WasmFeatures.V2, name).Diagnostics;

    [Theory]
    [MemberData(nameof(Names))]
    public void RenderedDiagnosticsMatchSnapshot(string name)
    {
        var rendered = string.Join("\n", Diagnose(name).Select(d => d.ToString())) + "\n";
        Snapshot.MatchFile(rendered, Path.Combine(TestPaths.RepositoryRoot, "tests", "WasmToolkit.Tests", "Diagnostics", "Cases", "code", name + ".verified.txt"));
    }
}
