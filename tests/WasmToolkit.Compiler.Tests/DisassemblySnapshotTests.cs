using System;
using System.IO;
using System.Linq;
using System.Text;
using WasmToolkit.Tests.Infrastructure;
using WasmToolkit.Text;
using WasmToolkit.Validation;
using Xunit;

namespace WasmToolkit.Compiler.Tests;

/// <summary>
/// Disassembly snapshots of representative functions, after Wasmtime's <c>tests/disas</c>: each
/// <c>Disassembly/NAME.wat</c> is compiled (sequentially, default options) and every function listed with
/// <see cref="Disassembler.FormatFunction"/> — the text of <c>wasmtk compile --disasm</c> — then compared with
/// <c>Disassembly/NAME.verified.txt</c> beside it. On a difference the listing goes to <c>NAME.received.txt</c>
/// and the test fails; review the diff and run with <c>VERIFY_ACCEPT=1</c> to accept it.
/// </summary>
/// <remarks>
/// Offsets are relative to each function and calls name their target, so a listing does not change when
/// other code moves. Changes to the calling convention or prologue change every snapshot: re-accept them
/// together and read one or two diffs closely.
/// </remarks>
public class DisassemblySnapshotTests
{
    /// <summary>The inputs; <see cref="EveryInputHasATest"/> keeps this list and the folder in step.</summary>
    private static readonly string[] Inputs =
    {
        "i32_add",
        "counting_loop",
        "br_table",
        "memory_offset",
        "memory_read_modify_write",
        "direct_call",
        "i32_div_s",
        "f64_min_max",
        "select",
        "multi_value_block",
        "global_get_set",
        "memory_grow",
        "i32_trunc_sat_f64_s",
        "deep_expression_spills",
        "simd_f32x4_min_max",
        "simd_shifts",
        "simd_shuffle_swizzle",
    };

    public static TheoryData<string> Names => new(Inputs);

    private static string InputFolder => Path.Combine(AppContext.BaseDirectory, "Disassembly");

    [Theory]
    [MemberData(nameof(Names))]
    public void FunctionListingMatchesSnapshot(string name)
    {
        var compiled = Compile(name);
        Snapshot.MatchBeside(Render(compiled), Path.Combine("Disassembly", name));
    }

    [Fact]
    public void EveryInputHasATest()
    {
        var inputs = Directory.GetFiles(InputFolder, "*.wat").Select(Path.GetFileNameWithoutExtension).OrderBy(n => n, StringComparer.Ordinal);
        Assert.Equal(Inputs.OrderBy(n => n, StringComparer.Ordinal), inputs);
    }

    [Fact]
    public void TheDeepExpressionSpills()
    {
        Assert.True(Compile("deep_expression_spills").Statistics.Spills > 0, "the input no longer forces spills; make the expression deeper");
    }

    [Fact]
    public void ListingsAnnotateTrapsAndCallsWithWasmInstructions()
    {
        var division = Render(Compile("i32_div_s"));
        Assert.Contains("i32.div_s: integer divide by zero", division);
        Assert.Contains("i32.div_s: integer overflow", division);
        Assert.Contains("function entry: call stack exhausted", division);
        Assert.Contains("call    trap_stub", division);
        var call = Render(Compile("direct_call"));
        Assert.Contains("call    func[0] $square", call);
        Assert.Contains("call 0 $square", call);
    }

    private static CompiledModule Compile(string name)
    {
        var path = Path.Combine(InputFolder, name + ".wat");
        var parsed = TextModuleParser.Parse(File.ReadAllText(path), name + ".wat");
        Assert.True(parsed.Module is not null && parsed.Diagnostics.IsEmpty, string.Join("\n", parsed.Diagnostics));
        var validated = ModuleValidator.Validate(parsed.Module!);
        Assert.True(validated.Diagnostics.IsEmpty, string.Join("\n", validated.Diagnostics));
        return ModuleCompiler.Compile(parsed.Module!, new CompilerOptions { MaxDegreeOfParallelism = 1 });
    }

    /// <summary>Every function, as <c>wasmtk compile --disasm</c> prints them (a blank line before each).</summary>
    private static string Render(CompiledModule compiled)
    {
        var text = new StringBuilder();
        foreach (var f in compiled.Functions) text.Append('\n').Append(Disassembler.FormatFunction(compiled, f));
        return text.ToString(1, text.Length - 1);
    }
}
