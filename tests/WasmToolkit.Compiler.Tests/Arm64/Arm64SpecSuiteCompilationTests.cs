using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using WasmToolkit.Compiler.Arm64;
using WasmToolkit.Tests.Infrastructure;
using WasmToolkit.Text;
using Xunit;

namespace WasmToolkit.Compiler.Tests.Arm64;

/// <summary>
/// Every module of the 2.0 spec suite outside <c>simd/</c> that <see cref="SpecSuiteCompilationTests"/> compiles for x64
/// also compiles for ARM64, and the whole image (trap stub, entry stubs, functions, padding) is made of words our printer
/// decodes (no <c>.inst</c>), every <c>bl</c> landing on the trap stub or a function's first instruction. Running the code
/// is the ARM64 conformance pass (<c>eng/arm64</c>) and, for single functions, <c>Arm64MacroAssemblerTests</c>.
/// </summary>
public class Arm64SpecSuiteCompilationTests
{
    private static readonly UTF8Encoding s_utf8 = new(false, false);
    private static readonly CompilerOptions s_arm64 = new() { Architecture = TargetArchitecture.Arm64 };
    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public Arm64SpecSuiteCompilationTests(Xunit.Abstractions.ITestOutputHelper output) => _output = output;

    public static IEnumerable<object[]> CoreFiles() => SpecSuiteCompilationTests.CoreFiles();

    [SkippableTheory]
    [MemberData(nameof(CoreFiles))]
    public void EveryNonSimdModuleCompilesToDecodableArm64(string file)
    {
        var folder = SuiteLocator.Require();
        var path = Path.Combine(folder, file);
        var script = WastParser.Parse(s_utf8.GetString(File.ReadAllBytes(path)), path).Script;
        var failures = new List<string>();
        int compiled = 0, words = 0;
        foreach (var (line, definition) in SpecSuiteCompilationTests.LoadedModules(script))
        {
            var module = SpecSuiteCompilationTests.Load(definition);
            if (module is null || SpecSuiteCompilationTests.UsesSimd(module)) continue;
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
}
