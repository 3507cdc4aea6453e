using System;
using BenchmarkDotNet.Attributes;
using WasmToolkit.Binary;
using WasmToolkit.Validation;

namespace WasmToolkit.Benchmarks;

/// <summary>The benchmarks that need the validator (<see cref="ModuleValidator"/>).</summary>
public partial class DecodeValidateBenchmarks
{
    private Module _decoded = Module.Empty;

    /// <summary>Binary reader then validator: the like-for-like comparison with <c>wasm-validate</c>.</summary>
    [Benchmark]
    public bool DecodeAndValidate()
    {
        Module module = ModuleReader.Read(_bytes, _path).Module!;
        return ModuleValidator.Validate(module, WasmFeatures.V2, _path).IsValid;
    }

    /// <summary>Validator alone on a module decoded once in setup.</summary>
    [Benchmark]
    public bool ValidateOnly() => ModuleValidator.Validate(_decoded, WasmFeatures.V2, _path).IsValid;

    partial void SetupValidation(Module module)
    {
        _decoded = module;
        ValidatedModule validated = ModuleValidator.Validate(module, WasmFeatures.V2, _path);
        if (!validated.IsValid)
        {
            throw new InvalidOperationException("Input is invalid: " + string.Join("; ", validated.Diagnostics));
        }
    }
}
