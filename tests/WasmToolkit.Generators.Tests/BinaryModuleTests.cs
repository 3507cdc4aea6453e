using System.Linq;
using Microsoft.CodeAnalysis;
using WasmToolkit.Binary;
using WasmToolkit.Tests.Infrastructure;
using WasmToolkit.Text;
using Xunit;

namespace WasmToolkit.Generators.Tests;

/// <summary>
/// <c>.wasm</c> inputs: the generator reads the base64 sidecar the build writes for a <c>WasmModule</c> item (its
/// <c>WasmModulePath</c> metadata names the <c>.wasm</c> file), binds it like a <c>.wat</c> file, matches the attribute
/// against the <c>.wasm</c> path and reports the front end's diagnostics at byte offsets in the <c>.wasm</c> file.
/// Diagnostic snapshots are <c>BinaryModuleTests.Reports_{case}.verified.txt</c> (<c>VERIFY_ACCEPT=1</c> accepts).
/// The same path through a real build: <c>Build/SampleTests</c> (TypedBindings) and <c>Build/PackageTests</c>.
/// </summary>
public class BinaryModuleTests
{
    private const string MathBinarySource = """
        using WasmToolkit.Runtime;

        namespace Demo;

        [WasmModule("math.wasm")]
        public partial class MathModule;
        """;

    private const string Bind = """
        using WasmToolkit.Runtime;
        namespace Demo;
        [WasmModule("m.wasm")]
        public partial class M { }
        """;

    internal static byte[] Binary(string wat)
    {
        var parsed = TextModuleParser.Parse(wat, "input.wat");
        Assert.False(parsed.HasErrors, string.Join("\n", parsed.Diagnostics));
        return ModuleWriter.Write(parsed.Module!);
    }

    [Fact]
    public void SidecarBindsAndRunsLikeTheText()
    {
        var assembly = EndToEndTests.Build(MathBinarySource, EndToEndTests.MathProgram, GeneratorHarness.Sidecar("/p/wasm/math.wasm", Binary(GeneratorTests.Module("math.wat"))));
        var output = (string)assembly.GetType("Demo.Program")!.GetMethod("Run")!.Invoke(null, null)!;
        Assert.Equal(
            "add=42\nadd_scaled=70 logged=3\nswap=1.5,7\nsum5=-0.25\ncounter=2\ncounter=42\npi=3.5\necho=True\n2x=2.5\nmemory[16]=4\ntable=True\nsecond.counter=0 shared code=True\n",
            output);
    }

    [Fact]
    public void EmbedsTheFileBytesAsTheyAre()
    {
        // A custom section survives: the generator embeds the .wasm bytes, not a rewrite of the model.
        var bytes = Binary("(module (func (export \"f\")))").Concat(new byte[] { 0, 4, 3, (byte)'x', (byte)'y', (byte)'z' }).ToArray();
        var (result, output) = GeneratorHarness.Run(Bind, GeneratorHarness.Sidecar("/p/m.wasm", bytes));
        Assert.Empty(result.Diagnostics);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var source = result.GeneratedTrees.Single().ToString();
        Assert.Contains("(" + bytes.Length + " bytes)", source);
        Assert.Contains("0x78, 0x79, 0x7a,", source);
    }

    [Fact]
    public void MatchesTheWasmPathNotTheSidecar()
    {
        var (result, _) = GeneratorHarness.Run(Bind.Replace("m.wasm", "m.wasm.b64"), GeneratorHarness.Sidecar("/p/m.wasm", Binary("(module)")));
        Assert.Equal("WASM5001", Assert.Single(result.Diagnostics).Id);
    }

    [Fact]
    public void Reports_malformed()
    {
        // The type section's vector claims two types but holds one: the reader stops at the end of the section.
        var bytes = Binary("(module (type (func)) (func (export \"f\") (type 0)))");
        Assert.Equal(1, bytes[8]); // section id 1 at offset 8, size at 9, count at 10
        bytes[10] = 2;
        var (result, _) = GeneratorHarness.Run(Bind, GeneratorHarness.Sidecar("/p/wasm/m.wasm", bytes));
        Assert.Empty(result.GeneratedTrees);
        Snapshot.Match(GeneratorHarness.Render(result.Diagnostics));
    }

    [Fact]
    public void Reports_invalid()
    {
        var (result, _) = GeneratorHarness.Run(Bind, GeneratorHarness.Sidecar("/p/wasm/m.wasm", Binary("(module (func (export \"f\") (result i32) (i64.const 1)))")));
        Assert.Empty(result.GeneratedTrees);
        Snapshot.Match(GeneratorHarness.Render(result.Diagnostics));
    }

    [Fact]
    public void Reports_name_collision_at_its_offset()
    {
        var (result, _) = GeneratorHarness.Run(Bind, GeneratorHarness.Sidecar("/p/wasm/m.wasm", Binary("(module (func (export \"ok\")) (func (export \"Ok\")))")));
        Assert.Single(result.GeneratedTrees);
        Snapshot.Match(GeneratorHarness.Render(result.Diagnostics));
    }

    [Fact]
    public void Reports_wasm_listed_as_additional_file()
    {
        // Without the WasmModule item's sidecar the generator does not read the binary, and says how to list it.
        var (result, _) = GeneratorHarness.Run(Bind, ("/p/m.wasm", "\0asm"));
        Assert.Empty(result.GeneratedTrees);
        Snapshot.Match(GeneratorHarness.Render(result.Diagnostics));
    }

    [Fact]
    public void Reports_damaged_sidecar()
    {
        var sidecar = new GeneratorHarness.InMemoryAdditionalText("/p/obj/wasm/m.wasm.b64", "not base64!")
        {
            Metadata = System.Collections.Immutable.ImmutableDictionary<string, string>.Empty.Add(WasmModuleGenerator.ModulePathMetadata, "/p/m.wasm"),
        };
        var (result, _) = GeneratorHarness.Run(Bind, sidecar);
        Assert.Empty(result.GeneratedTrees);
        Snapshot.Match(GeneratorHarness.Render(result.Diagnostics));
    }

    [Fact]
    public void TextAndBinaryOfTheSameNameAreDifferentFiles()
    {
        // "m.wasm" and "m.wat" are different paths: each attribute finds its own file.
        var source = Bind + "\n[WasmModule(\"m.wat\")] public partial class T { }";
        var (result, _) = GeneratorHarness.Run(
            source,
            GeneratorHarness.Sidecar("/p/m.wasm", Binary("(module (func (export \"f\")))")),
            new GeneratorHarness.InMemoryAdditionalText("/p/m.wat", "(module (func (export \"g\")))"));
        Assert.Empty(result.Diagnostics);
        Assert.Equal(2, result.GeneratedTrees.Length);
    }
}
