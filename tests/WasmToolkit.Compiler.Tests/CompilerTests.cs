using System.Linq;
using WasmToolkit.Instructions;
using WasmToolkit.Runtime.Tests;
using Xunit;
using Xunit.Abstractions;
using static WasmToolkit.Runtime.Tests.Asm;

namespace WasmToolkit.Compiler.Tests;

/// <summary>
/// Compile-only tests: determinism, typed "unsupported" results, the supported subset, code tables and
/// disassembly. Nothing here runs generated code (that is WasmToolkit.Runtime.Tests).
/// </summary>
public class CompilerTests
{
    private readonly ITestOutputHelper _output;

    public CompilerTests(ITestOutputHelper output) => _output = output;

    private static Module Sample() => new TestModule()
        .WithMemory(1)
        .Global(I64T, 3)
        .Func("fib", Type(P(I32T), I32T),
            LocalGet(0), I32(2), Op(Opcode.I32LtS),
            If(I32T), LocalGet(0),
            Else, LocalGet(0), I32(1), Op(Opcode.I32Sub), Call(0), LocalGet(0), I32(2), Op(Opcode.I32Sub), Call(0), Op(Opcode.I32Add),
            End)
        .Func("mix", Type(P(I32T, I64T), I64T), TestModule.Locals((2, I32T)),
            LocalGet(0), Mem(Opcode.I64Load, offset: 8), LocalGet(1), Op(Opcode.I64DivS), GlobalGet(0), Op(Opcode.I64Rotl),
            Block(), LocalGet(0), BrTable(0, 0, 0), End,
            I32(0), I32(1), Op(Opcode.I32Shl), MemoryGrow, Op(Opcode.Drop))
        .Build();

    [Fact]
    public void CompilationIsDeterministic()
    {
        var a = ModuleCompiler.Compile(Sample());
        var b = ModuleCompiler.Compile(Sample());
        Assert.True(a.Code.SequenceEqual(b.Code));
        Assert.Equal(a.Functions.Select(f => (f.Offset, f.Size)), b.Functions.Select(f => (f.Offset, f.Size)));
        Assert.Equal(a.TrapSites.Select(t => (t.ReturnOffset, t.WasmOffset, t.Kind)), b.TrapSites.Select(t => (t.ReturnOffset, t.WasmOffset, t.Kind)));
    }

    [Fact]
    public void TablesDescribeTheCode()
    {
        var compiled = ModuleCompiler.Compile(Sample());
        Assert.Equal(2, compiled.Functions.Length);
        Assert.All(compiled.Functions, f => Assert.Equal(0, f.Offset % 16));
        Assert.Equal(2, compiled.EntryStubs.Length);
        Assert.Equal(compiled.TrapSites.Length, compiled.Statistics.TrapSites);
        Assert.Contains(compiled.TrapSites, t => t.Kind == TrapKind.MemoryOutOfBounds && t.FunctionIndex == 1);
        Assert.Contains(compiled.TrapSites, t => t.Kind == TrapKind.IntegerOverflow && t.FunctionIndex == 1);
        Assert.Contains(compiled.TrapSites, t => t.Kind == TrapKind.CallStackExhausted && t.FunctionIndex == 0);
        foreach (var site in compiled.TrapSites)
        {
            Assert.True(compiled.TryGetTrapSite(site.ReturnOffset, out var found));
            Assert.Equal(site.Kind, found.Kind);
            Assert.Equal(site.FunctionIndex, compiled.FindFunction(site.ReturnOffset - 1)!.FunctionIndex);
        }

        Assert.True(compiled.Statistics.WasmInstructions > 20);
        _output.WriteLine(compiled.Statistics.ToString());
    }

    [Fact]
    public void DisassemblyListsEveryFunction()
    {
        var compiled = ModuleCompiler.Compile(Sample());
        var text = Disassembler.Disassemble(compiled, showBytes: true);
        _output.WriteLine(text);
        Assert.Contains("trap stub:", text);
        Assert.Contains("function 0 (func (param i32) (result i32)):", text);
        Assert.Contains("function 1 (func (param i32 i64) (result i64)):", text);
        var fib = Disassembler.DisassembleFunction(compiled, compiled.Functions[0]);
        Assert.StartsWith("push", fib[0].Substring(8));
        Assert.Contains(fib, l => l.Contains("call"));
        Assert.Contains(fib, l => l.Contains("ret"));
        Assert.Contains(fib, l => l.Contains("cmp     rsp,[r14]")); // the stack-limit check against the execution state
    }

    [Theory]
    [InlineData(Opcode.F32x4Add)]
    [InlineData(Opcode.V128Const)]
    [InlineData(Opcode.I8x16Splat)]
    public void SimdWithoutSse41GivesATypedResult(Opcode opcode)
    {
        // SIMD is lowered with SSSE3/SSE4.1 forms: a target without them reports each SIMD instruction as unsupported.
        var module = new TestModule().WithMemory(1).Func("f", Type(P()), Op(Opcode.Nop), new Instruction(opcode), Op(Opcode.Drop)).Build();
        var noSimd = new CompilerOptions { X64Features = X64Features.Popcnt };
        var result = ModuleCompiler.TryCompile(module, noSimd);
        Assert.False(result.Succeeded);
        Assert.True(result.IsUnsupported);
        var error = Assert.Single(result.Errors);
        Assert.Equal(CompileErrorKind.Unsupported, error.Kind);
        Assert.Equal(0, error.FunctionIndex);
        Assert.Equal(1, error.WasmOffset);
        Assert.Contains(OpcodeTable.GetName(opcode), error.Message);
        Assert.Throws<CompileException>(() => ModuleCompiler.Compile(module, noSimd));
    }

    [Fact]
    public void RoundingNeedsSse41()
    {
        var module = new TestModule().Func("f", Type(P(ValType.F64), ValType.F64), LocalGet(0), Op(Opcode.F64Ceil)).Build();
        Assert.True(ModuleCompiler.TryCompile(module).Succeeded);
        var without = ModuleCompiler.TryCompile(module, new CompilerOptions { X64Features = X64Features.Popcnt });
        Assert.True(without.IsUnsupported);
        Assert.Contains("Sse41", Assert.Single(without.Errors).Message);
    }

    [Fact]
    public void UnsupportedModuleFeaturesGiveTypedResults()
    {
        var builder = new ModuleBuilder();
        builder.ImportFunction("env", "f", FuncType.Empty);
        builder.AddTable(new TableType(ValType.FuncRef, new Limits(1)));
        builder.AddMemory(new MemoryType(new Limits(1)));
        builder.AddMemory(new MemoryType(new Limits(1)));
        builder.AddGlobal(new GlobalType(ValType.V128, false), ConstantExpression.FromInstructions(new Instruction(Opcode.V128Const)));
        builder.AddFunction(FuncType.Create(new[] { ValType.V128 }, new ValType[0]), default, Op(Opcode.Nop));

        // v128 values need SIMD support (x64 with SSE4.1), so a target without it reports v128 globals and parameters.
        var result = ModuleCompiler.TryCompile(builder.ToModule(), new CompilerOptions { X64Features = X64Features.Popcnt });
        Assert.True(result.IsUnsupported);
        Assert.Contains(result.Errors, e => e.Message.StartsWith("more than one memory"));
        Assert.Contains(result.Errors, e => e.Message.StartsWith("globals of type v128"));
        Assert.Contains(result.Errors, e => e.Message.Contains("parameter type v128"));
        Assert.DoesNotContain(result.Errors, e => e.Message.Contains("table") || e.Message.Contains("import"));
    }

    [Fact]
    public void TheSupportedSubsetCompiles()
    {
        // One function per supported opcode with a fixed signature, plus the control and variable instructions.
        var m = new TestModule().WithMemory(1).Global(I32T, 0).Global(I64T, 0);
        var count = 0;
        foreach (var info in OpcodeTable.All)
        {
            var truncSat = info.Name.Contains(".trunc_sat_", System.StringComparison.Ordinal);
            if (!info.HasFixedSignature || (info.Prefix != 0 && !truncSat)) continue;
            if (info.Operands.Concat(info.Results).Any(t => t != I32T && t != I64T && t != ValType.F32 && t != ValType.F64)) continue;
            var body = info.Operands.Select(t => t == I32T ? I32(1) : t == I64T ? I64(1)
                : new Instruction(t == ValType.F32 ? Opcode.F32Const : Opcode.F64Const) { Value = 1 }).ToList();
            body.Add(info.Immediate == ImmediateKind.Memarg ? Mem(info.Opcode) : info.Immediate == ImmediateKind.Memory ? new Instruction(info.Opcode) : Op(info.Opcode));
            body.AddRange(info.Results.Select(_ => Op(Opcode.Drop)));
            m.Func(info.Name, Type(P()), body.ToArray());
            count++;
        }

        var result = ModuleCompiler.TryCompile(m.Build());
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.True(count >= 85 + 80, $"only {count} fixed-signature integer and float instructions found");
    }
}

public class LenientCompilationTests
{
    [Fact]
    public void TrapOnUnsupportedFunctionsIsOptInAndListsWhatWasLeftOut()
    {
        var builder = new ModuleBuilder();
        builder.AddGlobal(new GlobalType(ValType.V128, false), ConstantExpression.FromInstructions(new Instruction(Opcode.V128Const)));
        builder.AddFunction(FuncType.Empty, default, new Instruction(Opcode.V128Const), Op(Opcode.Drop));
        builder.AddFunction(FuncType.Create(new[] { ValType.I32 }, new[] { ValType.I32 }), default, LocalGet(0));
        var module = builder.ToModule();

        // Without SSE4.1 the x64 target lowers no SIMD.
        var noSimd = new CompilerOptions { X64Features = X64Features.Popcnt };
        Assert.True(ModuleCompiler.TryCompile(module, noSimd).IsUnsupported);

        var result = ModuleCompiler.TryCompile(module, new CompilerOptions { X64Features = X64Features.Popcnt, TrapOnUnsupportedFunctions = true });
        Assert.True(result.Succeeded);
        var compiled = result.Module!;
        Assert.Equal(2, compiled.UnsupportedFunctions.Length);
        Assert.Contains(compiled.UnsupportedFunctions, e => e.Message.StartsWith("globals of type v128"));
        Assert.Contains(compiled.UnsupportedFunctions, e => e.FunctionIndex == 0 && e.Message.Contains("v128.const"));
        Assert.Contains(compiled.TrapSites, t => t.FunctionIndex == 0 && t.Kind == TrapKind.UnsupportedFunction);
    }
}
