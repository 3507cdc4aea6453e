using System;
using System.Collections;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace WasmToolkit.Generators.Tests;

/// <summary>
/// The pipeline's caching (after STJ's <c>JsonSourceGeneratorIncrementalTests</c>): editing a C# file unrelated to
/// the module leaves the expensive steps Cached or Unchanged, and the models hold no Roslyn symbols or syntax.
/// </summary>
public class IncrementalityTests
{
    private static readonly string[] s_steps =
    {
        WasmModuleGenerator.TrackingNames.ModuleText,
        WasmModuleGenerator.TrackingNames.Module,
        WasmModuleGenerator.TrackingNames.Class,
        WasmModuleGenerator.TrackingNames.Binding,
        WasmModuleGenerator.TrackingNames.Source,
        WasmModuleGenerator.TrackingNames.Diagnostics,
    };

    [Fact]
    public void EditingAnUnrelatedFileReusesEveryStep()
    {
        var compilation = GeneratorHarness.CreateCompilation(GeneratorTests.MathSource, "namespace Demo; public class Other { public int X => 1; }");
        var driver = GeneratorHarness.CreateDriver(("/p/math.wat", GeneratorTests.Module("math.wat"))).RunGenerators(compilation);
        var first = driver.GetRunResult().Results.Single();
        Assert.All(s_steps, step => Assert.True(first.TrackedSteps.ContainsKey(step), step));

        var other = compilation.SyntaxTrees.Last();
        var edited = compilation.ReplaceSyntaxTree(other, CSharpSyntaxTree.ParseText("namespace Demo; public class Other { public int X => 2; }", GeneratorHarness.ParseOptions, path: other.FilePath));
        var second = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (var step in s_steps)
        {
            var reasons = second.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
            Assert.NotEmpty(reasons);
            Assert.All(reasons, r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, step + ": " + r));
        }

        Assert.All(second.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void EditingAnUnrelatedFileReusesTheBinaryModule()
    {
        // A .wasm sidecar: the options (item metadata) are combined in, and must not defeat the cache.
        var source = GeneratorTests.MathSource.Replace("math.wat", "math.wasm");
        var compilation = GeneratorHarness.CreateCompilation(source, "namespace Demo; public class Other { public int X => 1; }");
        var sidecar = GeneratorHarness.Sidecar("/p/wasm/math.wasm", BinaryModuleTests.Binary(GeneratorTests.Module("math.wat")));
        var driver = GeneratorHarness.CreateDriver(sidecar).RunGenerators(compilation);
        Assert.Single(driver.GetRunResult().GeneratedTrees);

        var other = compilation.SyntaxTrees.Last();
        var edited = compilation.ReplaceSyntaxTree(other, CSharpSyntaxTree.ParseText("namespace Demo; public class Other { public int X => 2; }", GeneratorHarness.ParseOptions, path: other.FilePath));
        var second = driver.RunGenerators(edited).GetRunResult().Results.Single();
        foreach (var step in new[] { WasmModuleGenerator.TrackingNames.ModuleText, WasmModuleGenerator.TrackingNames.Module, WasmModuleGenerator.TrackingNames.Binding })
        {
            Assert.All(second.TrackedSteps[step].SelectMany(s => s.Outputs), o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, step + ": " + o.Reason));
        }
    }

    [Fact]
    public void EditingTheModuleRerunsItsParse()
    {
        var compilation = GeneratorHarness.CreateCompilation(GeneratorTests.MathSource);
        var math = new GeneratorHarness.InMemoryAdditionalText("/p/math.wat", GeneratorTests.Module("math.wat"));
        var driver = GeneratorHarness.CreateDriver(math).RunGenerators(compilation);
        var replaced = driver.ReplaceAdditionalText(math, new GeneratorHarness.InMemoryAdditionalText("/p/math.wat", "(module (func (export \"f\")))"));
        var second = replaced.RunGenerators(compilation).GetRunResult().Results.Single();
        Assert.Contains(second.TrackedSteps[WasmModuleGenerator.TrackingNames.Module].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("void F()", second.GeneratedSources.Single().SourceText.ToString());
    }

    [Fact]
    public void ModelsHoldNoRoslynObjects()
    {
        var compilation = GeneratorHarness.CreateCompilation(GeneratorTests.MathSource);
        var result = GeneratorHarness.CreateDriver(("/p/math.wat", GeneratorTests.Module("math.wat"))).RunGenerators(compilation).GetRunResult().Results.Single();
        foreach (var step in s_steps)
        {
            foreach (var output in result.TrackedSteps[step].SelectMany(s => s.Outputs)) AssertNoRoslynObjects(output.Value, step, 0);
        }
    }

    private static void AssertNoRoslynObjects(object? value, string step, int depth)
    {
        if (value is null || depth > 6 || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum) return;
        Assert.False(value is ISymbol or SyntaxNode or Location or Compilation or SemanticModel, step + " holds a " + value.GetType().Name);
        if (value is IEnumerable items)
        {
            foreach (var item in items) AssertNoRoslynObjects(item, step, depth + 1);
            return;
        }

        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.Name == "EqualityContract") continue;
            AssertNoRoslynObjects(property.GetValue(value), step, depth + 1);
        }

        foreach (var field in value.GetType().GetFields(BindingFlags.Public | BindingFlags.Instance)) AssertNoRoslynObjects(field.GetValue(value), step, depth + 1);
    }
}
