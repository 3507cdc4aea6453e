using System;
using BenchmarkDotNet.Attributes;
using WasmToolkit.Compiler;
using WasmToolkit.Runtime;

namespace WasmToolkit.Benchmarks;

/// <summary>
/// Instantiating a module that is already compiled (the large clang-built module of <see cref="CompileInput"/>, its
/// WASI imports defined as host functions that are never called), while another instance of it is alive: a plugin
/// host creating one instance per request or tenant. WasmToolkit's instances of one <see cref="CompiledModule"/> share its
/// code's mapping; Wasmtime's instances of one <c>Module</c> share its code likewise.
/// </summary>
[MemoryDiagnoser]
public class InstantiateBenchmarks
{
    private Module _module = Module.Empty;
    private CompiledModule? _compiled;
    private Linker? _warm;
    private global::Wasmtime.Engine? _engine;
    private global::Wasmtime.Module? _wasmtimeModule;
    private global::Wasmtime.Linker? _wasmtimeLinker;

    /// <summary>File name of the input in <c>Inputs/</c>.</summary>
    [Params("large-direct.wasm")]
    public string Input { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        CompileInput input = CompileInput.Get(Input);
        _module = input.Read();
        _compiled = ModuleCompiler.Compile(_module, HostFeatures.CompilerOptions);
        _warm = CompileInput.LinkerWithThrowingImports(_module);
        _warm.Instantiate(_compiled);

        _engine = new global::Wasmtime.Engine();
        _wasmtimeModule = global::Wasmtime.Module.FromBytes(_engine, Input, input.Bytes);
        _wasmtimeLinker = new global::Wasmtime.Linker(_engine);
        _wasmtimeLinker.DefineWasi();
        Console.WriteLine("// " + input.Describe());
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _warm?.Dispose();
        _wasmtimeLinker?.Dispose();
        _wasmtimeModule?.Dispose();
        _engine?.Dispose();
    }

    [Benchmark(Baseline = true)]
    public int Wasmtime()
    {
        using var store = new global::Wasmtime.Store(_engine!);
        store.SetWasiConfiguration(new global::Wasmtime.WasiConfiguration());
        return _wasmtimeLinker!.Instantiate(store, _wasmtimeModule!) is null ? 0 : 1;
    }

    [Benchmark]
    public int WasmToolkit()
    {
        using var linker = CompileInput.LinkerWithThrowingImports(_module);
        return linker.Instantiate(_compiled!) is null ? 0 : 1;
    }
}
