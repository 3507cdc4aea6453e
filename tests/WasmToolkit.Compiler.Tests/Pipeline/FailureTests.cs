using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using WasmToolkit.Binary;
using WasmToolkit.Diagnostics;
using WasmToolkit.Validation;
using Xunit;

namespace WasmToolkit.Compiler.Tests.Pipeline;

/// <summary>
/// A failure in any step faults the task with a <see cref="CompileException"/> that names the step and carries the
/// diagnostics the step's own API gives (the reader's for malformed bytes, the validator's for an invalid module,
/// WASM4001–4003 for the compiler's errors), through <c>CompileAsync</c> and <c>CompileStreamingAsync</c> alike.
/// </summary>
public class FailureTests
{
    private const string ValidWat = """
        (module
          (func (export "a") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
          (func (export "b") (result i32) (i32.const 2))
          (func (export "c") (result i32) (call 1)))
        """;

    public static TheoryData<string> Modes() => new() { "bytes", "stream", "streaming" };

    private static Task<CompiledModule> Compile(string mode, byte[] bytes, CompilerOptions? options = null) => mode switch
    {
        "bytes" => ModuleCompiler.CompileAsync(bytes, options),
        "stream" => ModuleCompiler.CompileAsync(new MemoryStream(bytes), options),
        _ => ModuleCompiler.CompileStreamingAsync(new GatedStream(bytes, 3), options),
    };

    private static string[] Render(System.Collections.Immutable.ImmutableArray<Diagnostic> diagnostics) => diagnostics.Select(d => d.ToString()).ToArray();

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task MalformedBytesFailTheDecodeStep(string mode)
    {
        foreach (var bytes in new[] { new byte[] { 0, 0x61, 0x73 }, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, new byte[] { 0, 0x61, 0x73, 0x6D, 2, 0, 0, 0 } })
        {
            var e = await Assert.ThrowsAsync<CompileException>(() => Compile(mode, bytes));
            Assert.Equal(CompileStep.Decode, e.Step);
            Assert.NotEmpty(e.Diagnostics);
            Assert.Equal(Render(ModuleReader.Read(bytes).Diagnostics), Render(e.Diagnostics));
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task EveryTruncationFailsWithTheReadersDiagnostics(string mode)
    {
        // Cut a valid module at every byte: the streaming reader meets every partial LEB128 and body.
        var bytes = PipelineTestInputs.FromText(ValidWat);
        for (var n = 0; n < bytes.Length; n++)
        {
            var cut = bytes.AsSpan(0, n).ToArray();
            var expected = ModuleReader.Read(cut);
            if (expected.Module is not null) continue;
            var e = await Assert.ThrowsAsync<CompileException>(() => Compile(mode, cut));
            Assert.Equal(CompileStep.Decode, e.Step);
            Assert.Equal(Render(expected.Diagnostics), Render(e.Diagnostics));
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task AnInvalidModuleFailsTheValidateStepWithTheValidatorsDiagnostics(string mode)
    {
        // Function 1's body is invalid (type mismatch) between valid ones: streaming compiles function 0 early, must not
        // compile function 1, and reports what the validator reports for the whole module.
        var bytes = PipelineTestInputs.FromText("""
            (module
              (func (result i32) (i32.const 1))
              (func (result i32) (i64.const 1))
              (func (result i32) (i32.const 3)))
            """);
        var module = ModuleReader.Read(bytes).Module!;
        var expected = ModuleValidator.Validate(module);
        Assert.False(expected.IsValid);

        var e = await Assert.ThrowsAsync<CompileException>(() => Compile(mode, bytes));
        Assert.Equal(CompileStep.Validate, e.Step);
        Assert.Equal(Render(expected.Diagnostics), Render(e.Diagnostics));
        Assert.Contains(e.Diagnostics, d => d.Message.StartsWith("type mismatch", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task AnInvalidPrefixFailsTheValidateStep(string mode)
    {
        // An export of a function that does not exist: the prefix itself is invalid, nothing is compiled early.
        var module = ModuleReader.Read(PipelineTestInputs.FromText(ValidWat)).Module!;
        var broken = module.WithExports(module.Exports.Add(new Export("missing", ExternalKind.Function, 99)));
        var bytes = ModuleWriter.Write(broken);
        var e = await Assert.ThrowsAsync<CompileException>(() => Compile(mode, bytes));
        Assert.Equal(CompileStep.Validate, e.Step);
        Assert.Equal(Render(ModuleValidator.Validate(ModuleReader.Read(bytes).Module!).Diagnostics), Render(e.Diagnostics));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task AnUnsupportedFeatureFailsTheCompileStep(string mode)
    {
        // SIMD is valid WebAssembly 2.0 that the x64 baseline compiler does not support without SSE4.1.
        var withoutSse41 = new CompilerOptions { X64Features = X64Features.Popcnt };
        var bytes = PipelineTestInputs.FromText("""
            (module
              (func (result i32) (i32.const 1))
              (func (param v128) (result v128) (i32x4.add (local.get 0) (local.get 0))))
            """);
        var e = await Assert.ThrowsAsync<CompileException>(() => Compile(mode, bytes, withoutSse41));
        Assert.Equal(CompileStep.Compile, e.Step);
        var error = Assert.Single(e.Errors);
        Assert.Equal(CompileErrorKind.Unsupported, error.Kind);
        Assert.Equal(1, error.FunctionIndex);
        var diagnostic = Assert.Single(e.Diagnostics);
        Assert.Equal("WASM4001", diagnostic.Id);
        Assert.Same(DiagnosticCatalog.CompilerUnsupported, diagnostic.Descriptor);
        Assert.Equal(1u, ((BinaryLocation)diagnostic.Location).FunctionIndex);

        // The same module with stubs for what is unsupported compiles.
        var lenient = await Compile(mode, bytes, new CompilerOptions { TrapOnUnsupportedFunctions = true, X64Features = X64Features.Popcnt });
        Assert.Single(lenient.UnsupportedFunctions);
    }

    [Fact]
    public void CompileErrorsMapToTheirDiagnostics()
    {
        Assert.Equal("WASM4001", new CompileError(CompileErrorKind.Unsupported, "x").ToDiagnostic().Id);
        Assert.Equal("WASM4002", new CompileError(CompileErrorKind.InvalidInput, "x").ToDiagnostic().Id);
        var internalError = new CompileError(CompileErrorKind.Internal, "boom", 3, 0x2a).ToDiagnostic("m.wasm");
        Assert.Equal("WASM4003", internalError.Id);
        Assert.Equal("m.wasm(0x2a) [func 3]: error WASM4003: internal compiler error: boom", internalError.ToString());
    }
}
