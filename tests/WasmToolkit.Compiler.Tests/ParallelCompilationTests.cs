using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using WasmToolkit.Binary;
using WasmToolkit.Instructions;
using WasmToolkit.Runtime.Tests;
using WasmToolkit.Tests.Infrastructure;
using WasmToolkit.Text;
using WasmToolkit.Validation;
using Xunit;
using Xunit.Abstractions;
using static WasmToolkit.Runtime.Tests.Asm;

namespace WasmToolkit.Compiler.Tests;

/// <summary>
/// DESIGN invariant 4: the same module and options give byte-identical code whatever
/// <see cref="CompilerOptions.MaxDegreeOfParallelism"/> is. Checked over every valid module of the spec suite
/// (<see cref="SuiteLocator"/>: skipped without it, failing when <c>CI=true</c>) and over modules built here.
/// </summary>
public class ParallelCompilationTests
{
    private static readonly int[] Degrees = { 1, 2, 8 };

    private readonly ITestOutputHelper _output;

    public ParallelCompilationTests(ITestOutputHelper output) => _output = output;

    [SkippableFact]
    public void SpecSuiteModulesCompileIdenticallyForAnyDegreeOfParallelism()
    {
        var suite = SuiteLocator.Require();
        int modules = 0, functions = 0, skipped = 0;
        foreach (var file in SuiteLocator.WastFiles(suite))
        {
            var parsed = WastParser.Parse(File.ReadAllText(file), file);
            foreach (var command in parsed.Script.Commands.OfType<WastModuleCommand>())
            {
                var module = Load(command.Module);
                if (module is null || !ModuleValidator.Validate(module).Diagnostics.IsEmpty) continue;

                var results = Degrees.Select(d => ModuleCompiler.TryCompile(module, new CompilerOptions { TrapOnUnsupportedFunctions = true, MaxDegreeOfParallelism = d })).ToArray();
                var where = $"{SuiteLocator.Name(suite, file)}:{command.Module.Line}";
                if (results[0].Module is null)
                {
                    // Fatal module features (imports, …): the errors, too, must not depend on the thread count.
                    skipped++;
                    foreach (var r in results.Skip(1)) Assert.Equal(Describe(results[0].Errors), Describe(r.Errors));
                    continue;
                }

                foreach (var r in results.Skip(1)) AssertIdentical(results[0].Module!, r.Module, where);
                modules++;
                functions += results[0].Module!.Functions.Length;
            }
        }

        _output.WriteLine($"{modules} modules ({functions} functions) identical for {string.Join(", ", Degrees)} threads; {skipped} not compilable, same errors");
        Assert.True(modules > 500, $"only {modules} suite modules compiled");
    }

    [Fact]
    public void ManyFunctionsCompileIdenticallyAndStatisticsAddUp()
    {
        // Enough units for every worker to take several, with calls between them (relocations) and traps.
        var m = new TestModule().WithMemory(1).Global(I64T, 3);
        for (var i = 0; i < 200; i++)
        {
            m.Func("f" + i, Type(P(I32T, I32T), I32T),
                LocalGet(0), LocalGet(1), Op(Opcode.I32DivS), I32(i), Op(Opcode.I32Add),
                LocalGet(0), Mem(Opcode.I32Load, offset: (ulong)i), Op(Opcode.I32Xor),
                I32(1), LocalGet(1), Call((uint)((i * 7) % 200)), Op(Opcode.I32Add));
        }

        var module = m.Build();
        var results = Degrees.Select(d => ModuleCompiler.Compile(module, new CompilerOptions { MaxDegreeOfParallelism = d })).ToArray();
        foreach (var r in results.Skip(1))
        {
            AssertIdentical(results[0], r, "built module");
            Assert.Equal(results[0].Statistics.ToString(), r.Statistics.ToString());
        }

        Assert.Equal(200 * 13, results[0].Statistics.WasmInstructions);
    }

    [Fact]
    public void ErrorsComeInFunctionOrderForAnyDegreeOfParallelism()
    {
        // v128.const is unsupported without SSE4.1.
        const X64Features withoutSse41 = X64Features.Popcnt;
        var m = new TestModule().WithMemory(1);
        for (var i = 0; i < 64; i++)
        {
            m.Func("f" + i, Type(P()), i % 3 == 0 ? new Instruction(Opcode.V128Const) : I32(i), Op(Opcode.Drop));
        }

        var module = m.Build();
        var expected = Describe(ModuleCompiler.TryCompile(module, new CompilerOptions { MaxDegreeOfParallelism = 1, X64Features = withoutSse41 }).Errors);
        Assert.Equal(22, expected.Count);
        foreach (var d in Degrees)
        {
            var result = ModuleCompiler.TryCompile(module, new CompilerOptions { MaxDegreeOfParallelism = d, X64Features = withoutSse41 });
            Assert.Equal(expected, Describe(result.Errors));
            Assert.Equal(expected.OrderBy(e => e.FunctionIndex), Describe(result.Errors));

            var lenient = ModuleCompiler.Compile(module, new CompilerOptions { MaxDegreeOfParallelism = d, TrapOnUnsupportedFunctions = true, X64Features = withoutSse41 });
            Assert.Equal(expected, Describe(lenient.UnsupportedFunctions));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void MaxDegreeOfParallelismMustBePositive(int value)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CompilerOptions { MaxDegreeOfParallelism = value });
    }

    [Fact]
    public void MaxDegreeOfParallelismDefaultsToTheProcessorCount()
    {
        Assert.Equal(Environment.ProcessorCount, new CompilerOptions().MaxDegreeOfParallelism);
        Assert.Equal(1, new CompilerOptions { MaxDegreeOfParallelism = 1 }.MaxDegreeOfParallelism);
    }

    private static Module? Load(WastModuleDefinition definition)
    {
        var content = definition.Load();
        if (content.Kind == WastModuleKind.Binary)
        {
            var read = ModuleReader.Read(content.Binary, new ReadOptions { DecodeFunctionBodies = true });
            return read.Diagnostics.Any(d => d.IsError) ? null : read.Module;
        }

        return content.Diagnostics.Any(d => d.IsError) ? null : content.Module;
    }

    private static List<(CompileErrorKind Kind, string Message, int? FunctionIndex, int? WasmOffset)> Describe(IEnumerable<CompileError> errors)
        => errors.Select(e => (e.Kind, e.Message, e.FunctionIndex, e.WasmOffset)).ToList();

    private static void AssertIdentical(CompiledModule expected, CompiledModule? actual, string where)
    {
        Assert.NotNull(actual);
        Assert.True(expected.Code.AsSpan().SequenceEqual(actual!.Code.AsSpan()), where + ": code bytes differ");
        Assert.Equal(expected.Functions.Select(f => (f.FunctionIndex, f.Offset, f.Size, f.EntryStubIndex)), actual.Functions.Select(f => (f.FunctionIndex, f.Offset, f.Size, f.EntryStubIndex)));
        Assert.Equal(Sites(expected.TrapSites), Sites(actual.TrapSites));
        Assert.Equal(Sites(expected.CallSites), Sites(actual.CallSites));
        Assert.Equal(expected.EntryStubs.Select(s => (s.Offset, s.Size)), actual.EntryStubs.Select(s => (s.Offset, s.Size)));
        Assert.Equal(expected.Statistics.ToString(), actual.Statistics.ToString());
        Assert.Equal(Describe(expected.UnsupportedFunctions), Describe(actual.UnsupportedFunctions));
    }

    private static IEnumerable<(int, int, int, TrapKind)> Sites(System.Collections.Immutable.ImmutableArray<TrapSite> sites)
        => sites.Select(s => (s.ReturnOffset, s.FunctionIndex, s.WasmOffset, s.Kind));
}
