using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using WasmToolkit.Binary;
using WasmToolkit.Instructions;
using WasmToolkit.Tests.Infrastructure;
using WasmToolkit.Text;
using Xunit;

namespace WasmToolkit.Compiler.Tests;

/// <summary>
/// Every module of the WebAssembly 2.0 spec suite that a script loads (<c>module</c>, and the valid modules of
/// <c>assert_trap</c>, <c>assert_unlinkable</c>, <c>assert_uninstantiable</c>), in the core files and in <c>simd/</c>,
/// compiles strictly for x64 (<see cref="CompilerOptions.TrapOnUnsupportedFunctions"/> off) with no error.
/// The suite comes from <c>WASM_TESTSUITE</c> or <c>../shared/wasm-testsuite-2.0</c>; without it the test is skipped
/// (failed on CI). Running the code is the runtime's spec test (<c>wasmtk wast</c>).
/// </summary>
public class SpecSuiteCompilationTests
{
    private static readonly UTF8Encoding s_utf8 = new(false, false);
    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public SpecSuiteCompilationTests(Xunit.Abstractions.ITestOutputHelper output) => _output = output;

    public static IEnumerable<object[]> CoreFiles()
    {
        var folder = SuiteLocator.Folder;
        if (!Directory.Exists(folder)) return new[] { new object[] { "(suite missing)" } };
        return SuiteLocator.CoreFiles(folder).Select(f => new object[] { Path.GetFileName(f) });
    }

    /// <summary>The files of <c>simd/</c>, as paths relative to the suite folder.</summary>
    public static IEnumerable<object[]> SimdFiles()
    {
        var folder = SuiteLocator.Folder;
        if (!Directory.Exists(folder)) return new[] { new object[] { "(suite missing)" } };
        return SuiteLocator.SimdFiles(folder).Select(f => new object[] { Path.GetRelativePath(folder, f) });
    }

    [SkippableTheory]
    [MemberData(nameof(CoreFiles))]
    public void EveryCoreModuleCompiles(string file) => EveryModuleCompiles(file);

    [SkippableTheory]
    [MemberData(nameof(SimdFiles))]
    public void EverySimdModuleCompiles(string file) => EveryModuleCompiles(file, expectSimd: true);

    private void EveryModuleCompiles(string file, bool expectSimd = false)
    {
        var folder = SuiteLocator.Require();
        var path = Path.Combine(folder, file);
        var script = WastParser.Parse(s_utf8.GetString(File.ReadAllBytes(path)), path).Script;
        var failures = new List<string>();
        int compiled = 0, simd = 0;
        foreach (var (line, definition) in LoadedModules(script))
        {
            var module = Load(definition);
            if (module is null) continue;
            if (UsesSimd(module)) simd++;
            var result = ModuleCompiler.TryCompile(module);
            compiled++;
            if (!result.Succeeded) failures.Add($"{file}:{line}: " + string.Join("; ", result.Errors));
        }

        _output.WriteLine($"{file}: {compiled} modules compiled, {simd} of them with SIMD");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(compiled > 0 || !script.Commands.OfType<WastModuleCommand>().Any(), "no module of " + file + " was compiled");
        if (expectSimd) Assert.True(simd > 0, "no module of " + file + " uses SIMD");
    }

    internal static IEnumerable<(int Line, WastModuleDefinition Module)> LoadedModules(WastScript script)
    {
        foreach (var command in script.Commands)
        {
            switch (command)
            {
                case WastModuleCommand m:
                    yield return (m.Line, m.Module);
                    break;
                case WastAssertTrapCommand { Module: { } module } t:
                    yield return (t.Line, module);
                    break;
                case WastAssertModuleCommand a when a.Kind is WastCommandKind.AssertUnlinkable or WastCommandKind.AssertUninstantiable:
                    yield return (a.Line, a.Module);
                    break;
            }
        }
    }

    internal static Module? Load(WastModuleDefinition definition)
    {
        var content = definition.Load();
        if (content.Kind == WastModuleKind.Binary) return ModuleReader.Read(content.Binary).Module;
        return content.Module;
    }

    internal static bool UsesSimd(Module module)
    {
        static bool V128(ValType t) => t.Kind == ValTypeKind.V128;
        if (module.Types.Any(t => t.Parameters.Any(V128) || t.Results.Any(V128))) return true;
        if (module.Globals.Any(g => V128(g.Type.ValueType))) return true;
        if (module.Imports.Any(i => i.Kind == ExternalKind.Global && V128(i.Global.ValueType))) return true;
        foreach (var function in module.Functions)
        {
            if (function.Locals.Any(l => V128(l.Type))) return true;
            var reader = function.GetInstructionReader();
            while (reader.Read())
            {
                if (((uint)reader.Opcode >> 16) == 0xFD) return true;
            }
        }

        return false;
    }
}
