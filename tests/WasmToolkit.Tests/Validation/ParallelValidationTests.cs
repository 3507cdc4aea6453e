using System;
using System.Linq;
using System.Text;
using System.Threading;
using WasmToolkit.Text;
using WasmToolkit.Validation;
using Xunit;

namespace WasmToolkit.Tests.Validation;

/// <summary>
/// Validating the bodies on several threads must give what one thread gives: the same diagnostics in the same order
/// (module-level ones first, then each body's in index order) and the same facts per function.
/// </summary>
public class ParallelValidationTests
{
    /// <summary>
    /// 400 functions (more than a few groups of bodies): mostly valid ones of different shapes, with invalid bodies spread
    /// among them (a type mismatch, an unknown local, a branch too deep) and a module-level error (an export of a missing function).
    /// </summary>
    private static Module BuildModule(bool withErrors)
    {
        var wat = new StringBuilder("(module (memory 1)\n");
        for (var i = 0; i < 400; i++)
        {
            var body = (i % 5) switch
            {
                0 => "(func (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))",
                1 => "(func (result i64) (block (result i64) (i64.const 7)))",
                2 => "(func (param i32) (local f64) (loop (br_if 0 (local.get 0))))",
                3 => "(func (result i32) (i32.load (i32.const 8)))",
                _ => "(func (param i32 i32) (result i32) (select (local.get 0) (local.get 1) (i32.const 1)))",
            };
            if (withErrors && i % 37 == 5) body = "(func (result i32) (i64.const 1))";
            if (withErrors && i % 53 == 7) body = "(func (result i32) (local.get 3))";
            if (withErrors && i % 71 == 9) body = "(func (block (br 4)))";
            wat.Append(body).Append('\n');
        }

        if (withErrors) wat.Append("(export \"missing\" (func 999))\n");
        wat.Append(')');
        return TextModuleParser.Parse(wat.ToString()).Module ?? throw new InvalidOperationException("does not parse");
    }

    [Theory]
    [InlineData(false, 2)]
    [InlineData(false, 8)]
    [InlineData(true, 2)]
    [InlineData(true, 8)]
    public void SeveralThreadsGiveWhatOneThreadGives(bool withErrors, int threads)
    {
        var module = BuildModule(withErrors);
        var one = ModuleValidator.Validate(module, WasmFeatures.V2, "m.wasm", 1, CancellationToken.None);
        var many = ModuleValidator.Validate(module, WasmFeatures.V2, "m.wasm", threads, CancellationToken.None);

        Assert.Equal(!withErrors, one.IsValid);
        Assert.Equal(one.IsValid, many.IsValid);
        Assert.Equal(one.Diagnostics.Select(d => d.ToString()), many.Diagnostics.Select(d => d.ToString()));
        if (withErrors) Assert.True(one.Diagnostics.Length > 10, $"only {one.Diagnostics.Length} diagnostics");
        Assert.Equal(one.Functions.Length, many.Functions.Length);
        for (var i = 0; i < one.Functions.Length; i++)
        {
            var a = one.Functions[i];
            var b = many.Functions[i];
            Assert.Equal((a.Index, a.TypeIndex, a.LocalCount, a.MaxOperandStackDepth, a.MaxControlStackDepth, a.InstructionCount), (b.Index, b.TypeIndex, b.LocalCount, b.MaxOperandStackDepth, b.MaxControlStackDepth, b.InstructionCount));
        }
    }

    [Fact]
    public void CancellationStopsAParallelValidation()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => ModuleValidator.Validate(BuildModule(false), WasmFeatures.V2, null, 2, cancelled.Token));
    }

    [Fact]
    public void TheDegreeOfParallelismMustBePositive()
        => Assert.Throws<ArgumentOutOfRangeException>(() => ModuleValidator.Validate(BuildModule(false), WasmFeatures.V2, null, 0, CancellationToken.None));
}
