using System;
using BenchmarkDotNet.Attributes;
using WasmToolkit.Compiler;
using WasmToolkit.Compiler.Serialization;
using WasmToolkit.Validation;

namespace WasmToolkit.Benchmarks;

/// <summary>
/// What a compiled-module cache saves on the large clang-built module (<see cref="CompileInput"/>): reading, validating
/// and compiling it (one thread), against loading its cache (<see cref="CompiledModuleSerializer.Deserialize(ReadOnlySpan{byte}, CompiledModuleReadOptions)"/>:
/// SHA-256 over the whole cache, re-reading the embedded module, checking every table) and writing one.
/// Wasmtime's own precompiled-module round trip (<c>Module.Serialize</c>/<c>Module.Deserialize</c>) is beside them.
/// </summary>
[MemoryDiagnoser]
public class CacheBenchmarks
{
    private static readonly CompiledModuleReadOptions s_readOptions = new(TargetArchitecture.X64, CompileInput.Options.X64Features);

    private global::Wasmtime.Engine? _engine;
    private byte[] _bytes = [];
    private CompiledModule? _compiled;
    private byte[] _cache = [];
    private byte[] _wasmtimeCache = [];

    /// <summary>File name of the input in <c>Inputs/</c>.</summary>
    [Params("large-direct.wasm")]
    public string Input { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        CompileInput input = CompileInput.Get(Input);
        _bytes = input.Bytes;
        _compiled = ModuleCompiler.Compile(input.Read(), CompileInput.Options);
        _cache = CompiledModuleSerializer.Serialize(_compiled);
        _engine = new global::Wasmtime.Engine();
        using var module = global::Wasmtime.Module.FromBytes(_engine, Input, _bytes);
        _wasmtimeCache = module.Serialize();
        Console.WriteLine($"// {input.Describe()}; cache {_cache.Length:N0} bytes (code {_compiled.Code.Length:N0}); Wasmtime's {_wasmtimeCache.Length:N0} bytes");
    }

    [GlobalCleanup]
    public void Cleanup() => _engine?.Dispose();

    /// <summary>What the cache replaces: read, validate, compile on one thread.</summary>
    [Benchmark(Baseline = true)]
    public int ReadValidateCompile()
    {
        Module module = CompileInput.ReadBytes(_bytes, Input);
        if (!ModuleValidator.Validate(module, WasmFeatures.V2, Input).IsValid) throw new InvalidOperationException("invalid input");
        return ModuleCompiler.Compile(module, CompileInput.Options).Statistics.CodeBytes;
    }

    [Benchmark]
    public int SerializeCache() => CompiledModuleSerializer.Serialize(_compiled!).Length;

    [Benchmark]
    public int LoadCache() => CompiledModuleSerializer.Deserialize(_cache, s_readOptions).Module!.Code.Length;

    [Benchmark]
    public int WasmtimeDeserialize()
    {
        using var module = global::Wasmtime.Module.Deserialize(_engine!, Input, _wasmtimeCache);
        return module.Exports.Count;
    }
}
