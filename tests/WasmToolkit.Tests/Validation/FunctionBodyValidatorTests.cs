using System;
using System.Linq;
using System.Threading.Tasks;
using WasmToolkit.Text;
using WasmToolkit.Validation;
using Xunit;

namespace WasmToolkit.Tests.Validation;

/// <summary>
/// <see cref="FunctionBodyValidator"/>: bodies checked one at a time against the sections before the code section, with
/// the diagnostics <see cref="ModuleValidator"/> gives the same body in the whole module.
/// </summary>
public class FunctionBodyValidatorTests
{
    private static Module Parse(string wat) => TextModuleParser.Parse(wat).Module ?? throw new InvalidOperationException("does not parse");

    private const string Wat = """
        (module
          (type $ii (func (param i32) (result i32)))
          (global $g (mut i32) (i32.const 1))
          (table 2 funcref)
          (elem declare func $a)
          (func $a (type $ii) (i32.add (local.get 0) (global.get $g)))
          (func $b (result i32) (i64.const 1))
          (func $c (result funcref) (ref.func $a))
          (func $d (result funcref) (ref.func $b)))
        """;

    [Fact]
    public void BodiesGetTheWholeModulesDiagnostics()
    {
        var module = Parse(Wat);
        var whole = ModuleValidator.Validate(module);
        var validator = FunctionBodyValidator.Create(module);
        Assert.True(validator.IsPrefixValid);
        Assert.Empty(validator.ModuleDiagnostics);

        var perBody = Enumerable.Range(0, module.Functions.Length).SelectMany(i => validator.Validate(i, module.Functions[i])).Select(d => d.ToString());
        Assert.Equal(whole.Diagnostics.Select(d => d.ToString()), perBody);
        Assert.Empty(validator.Validate(0, module.Functions[0]));
        Assert.StartsWith("type mismatch", validator.Validate(1, module.Functions[1]).Single().Message, StringComparison.Ordinal);
        Assert.Empty(validator.Validate(2, module.Functions[2]));

        // $b is not declared (no export, no element segment): ref.func $b is invalid.
        Assert.Contains("undeclared function reference", validator.Validate(3, module.Functions[3]).Single().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ABodyFromElsewhereIsCheckedAsThatFunction()
    {
        // The streaming case: the prefix's functions carry only type indices; the body comes separately.
        var module = Parse(Wat);
        var other = Parse("(module (func (param i32) (result i32) (local.get 0)))").Functions[0];
        var validator = FunctionBodyValidator.Create(module);
        Assert.Empty(validator.Validate(0, other.WithType(module.Functions[0].Type)));
        Assert.NotEmpty(validator.Validate(1, other.WithType(module.Functions[1].Type)));
        Assert.Throws<ArgumentOutOfRangeException>(() => validator.Validate(4, other));
    }

    [Fact]
    public void AnInvalidPrefixIsReported()
    {
        var module = Parse("(module (func (result i32) (i32.const 1)) (export \"f\" (func 0)))");
        var broken = module.WithExports(module.Exports.Add(new Export("f", ExternalKind.Function, 0)));
        var validator = FunctionBodyValidator.Create(broken);
        Assert.False(validator.IsPrefixValid);
        Assert.Contains(validator.ModuleDiagnostics, d => d.Message.StartsWith("duplicate export name", StringComparison.Ordinal));
    }

    [Fact]
    public void ValidatesOnManyThreadsAtOnce()
    {
        var module = Parse(Wat);
        var validator = FunctionBodyValidator.Create(module);
        var expected = Enumerable.Range(0, module.Functions.Length).Select(i => validator.Validate(i, module.Functions[i]).Length).ToArray();
        Parallel.For(0, 2000, n =>
        {
            var i = n % module.Functions.Length;
            Assert.Equal(expected[i], validator.Validate(i, module.Functions[i]).Length);
        });
    }
}
