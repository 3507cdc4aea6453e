using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using WasmToolkit.Compiler.Arm64;
using WasmToolkit.Tests;
using WasmToolkit.Tests.Infrastructure;
using WasmToolkit.Text;
using Xunit;

namespace WasmToolkit.Compiler.Tests.Arm64;

/// <summary>
/// Every module of the 2.0 spec suite outside <c>simd/</c> that <see cref="SpecSuiteCompilationTests"/> compiles for x64
/// also compiles for ARM64, every module of <c>simd/</c> compiles for ARM64 too, and the whole image (trap stub, entry stubs, functions, padding) is made of words our printer
/// decodes (no <c>.inst</c>), every <c>bl</c> landing on the trap stub or a function's first instruction. Running the code
/// is the ARM64 conformance pass (<c>eng/arm64</c>) and, for single functions, <c>Arm64MacroAssemblerTests</c>.
/// </summary>
public class Arm64SpecSuiteCompilationTests
{
    private static readonly UTF8Encoding s_utf8 = new(false, false);
    private static readonly CompilerOptions s_arm64 = new() { Architecture = TargetArchitecture.Arm64 };
    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    /// <summary>The instruction forms (<see cref="FormOf"/>) of every compiled image, collected for <see cref="EveryEmittedFormIsInTheGoldenTable"/>.</summary>
    private static readonly ConcurrentDictionary<string, string> s_forms = new();

    public Arm64SpecSuiteCompilationTests(Xunit.Abstractions.ITestOutputHelper output) => _output = output;

    /// <summary>
    /// An instruction's form as our printer writes it, with register numbers, immediates and branch targets abstracted:
    /// <c>ldr x3, [x26, w1, uxtw]</c> → <c>ldr x, [x, w, uxtw]</c>; immediates become <c>#i</c> (so <c>#0x0</c> and
    /// <c>#0x10</c> are one form, while <c>lsl #12</c> and register kinds and extends stay apart).
    /// </summary>
    internal static string FormOf(string text)
    {
        // Register numbers, immediates, conditions and targets are operand fields; register kinds, sp, extends and shifts are not.
        text = Regex.Replace(text, @"\b(x|w|s|d|b|h|q|v)([0-9]|[12][0-9]|3[01])\b", "$1");
        text = Regex.Replace(text, @"\[[0-9]+\]", "[i]");
        text = Regex.Replace(text, @"\b(x|w)zr\b", "$1");
        text = Regex.Replace(text, @"#-?(0x[0-9a-f]+|[0-9.]+(e[+-][0-9]+)?)", "#i");
        text = Regex.Replace(text, @"\[(x|sp)\](?!,)", "[$1, #i]");
        text = Regex.Replace(text, @"\b(eq|ne|cs|cc|mi|pl|vs|vc|hi|ls|ge|lt|gt|le|al|nv)\b", "cond");
        text = Regex.Replace(text, @"^(b\.cond|b|bl|cbz|cbnz|adr|tbz|tbnz) (.*?)\b(0x)?[0-9a-f]+$", "$1 $2target");
        return text;
    }

    public static IEnumerable<object[]> CoreFiles() => SpecSuiteCompilationTests.CoreFiles();

    public static IEnumerable<object[]> SimdFiles() => SpecSuiteCompilationTests.SimdFiles();

    [SkippableTheory]
    [MemberData(nameof(CoreFiles))]
    public void EveryNonSimdModuleCompilesToDecodableArm64(string file) => CompilesToDecodableArm64(file, skipSimd: true);

    /// <summary>The SIMD lowering (<c>Arm64MacroAssembler.Simd*.cs</c>) compiles every module of <c>simd/</c>: no opcode is left unsupported.</summary>
    [SkippableTheory]
    [MemberData(nameof(SimdFiles))]
    public void EverySimdModuleCompilesToDecodableArm64(string file) => CompilesToDecodableArm64(file, skipSimd: false);

    private void CompilesToDecodableArm64(string file, bool skipSimd)
    {
        var folder = SuiteLocator.Require();
        var path = Path.Combine(folder, file);
        var script = WastParser.Parse(s_utf8.GetString(File.ReadAllBytes(path)), path).Script;
        var failures = new List<string>();
        int compiled = 0, words = 0;
        foreach (var (line, definition) in SpecSuiteCompilationTests.LoadedModules(script))
        {
            var module = SpecSuiteCompilationTests.Load(definition);
            if (module is null || (skipSimd && SpecSuiteCompilationTests.UsesSimd(module))) continue;
            var result = ModuleCompiler.TryCompile(module, s_arm64);
            compiled++;
            if (!result.Succeeded)
            {
                failures.Add($"{file}:{line}: " + string.Join("; ", result.Errors));
                continue;
            }

            var compiledModule = result.Module!;
            var code = compiledModule.Code.AsSpan();
            Assert.Equal(0, code.Length % 4);
            var starts = compiledModule.Functions.Select(f => f.Offset).Append(compiledModule.TrapStubOffset).ToHashSet();
            for (var at = 0; at < code.Length; at += 4)
            {
                var word = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(code.Slice(at));
                var text = Arm64Disassembler.Format(word, (ulong)at);
                words++;
                if (text.StartsWith(".inst", System.StringComparison.Ordinal)) failures.Add($"{file}:{line}: 0x{at:x}: {text}");
                s_forms.TryAdd(FormOf(text), $"{file}:{line}: {text}");

                // bl imm26: every call in an image goes to a function or the trap stub.
                if ((word & 0xFC00_0000) == 0x9400_0000)
                {
                    var target = at + (((int)(word << 6)) >> 4);
                    if (!starts.Contains(target)) failures.Add($"{file}:{line}: 0x{at:x}: bl to 0x{target:x}, not a function or the trap stub");
                }
            }

            if (failures.Count > 20) break;
        }

        _output.WriteLine($"{file}: {compiled} modules compiled for ARM64, {words} words decoded");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }

    /// <summary>
    /// Every instruction form the suite's images contain appears in the golden table (<c>Arm64EncodingTable.txt</c>,
    /// cross-checked with objdump), so no encoding the backend emits is unchecked. Runs over the whole suite itself,
    /// so it does not depend on the order of the tests above.
    /// </summary>
    [SkippableFact]
    public void EveryEmittedFormIsInTheGoldenTable()
    {
        var folder = SuiteLocator.Require();
        foreach (var file in SpecSuiteCompilationTests.CoreFiles().Concat(SimdFiles()).Select(f => (string)f[0]))
        {
            var path = Path.Combine(folder, file);
            var script = WastParser.Parse(s_utf8.GetString(File.ReadAllBytes(path)), path).Script;
            foreach (var (line, definition) in SpecSuiteCompilationTests.LoadedModules(script))
            {
                var module = SpecSuiteCompilationTests.Load(definition);
                if (module is null) continue;
                if (ModuleCompiler.TryCompile(module, s_arm64).Module is not { } compiled) continue;
                var code = compiled.Code.AsSpan();
                for (var at = 0; at < code.Length; at += 4)
                {
                    var text = Arm64Disassembler.Format(System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(code.Slice(at)), (ulong)at);
                    s_forms.TryAdd(FormOf(text), $"{file}:{line}: {text}");
                }
            }
        }

        var table = Path.Combine(TestPaths.RepositoryRoot, "tests", "WasmToolkit.Compiler.Tests", "Arm64", "Arm64EncodingTable.txt");
        var golden = File.ReadAllLines(table)
            .Where(l => !l.StartsWith("//", System.StringComparison.Ordinal) && l.Contains('|'))
            .Select(l => l.Split('|'))
            .Where(c => c.Length == 3 && c[1].Trim() != "error")
            .Select(c => FormOf(c[2].Trim()))
            .ToHashSet();
        var missing = s_forms.Where(f => !golden.Contains(f.Key)).OrderBy(f => f.Key, System.StringComparer.Ordinal).Select(f => $"{f.Key}    (e.g. {f.Value})").ToList();
        _output.WriteLine($"{s_forms.Count} forms emitted, {golden.Count} in the table");
        Assert.True(missing.Count == 0, "forms the backend emits that no golden row covers (add rows, bless, check objdump):\n" + string.Join("\n", missing));
    }
}
