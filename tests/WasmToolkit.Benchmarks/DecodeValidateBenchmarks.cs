using System;
using System.Diagnostics;
using System.IO;
using BenchmarkDotNet.Attributes;
using WasmToolkit.Binary;
using WasmToolkit.Validation;

namespace WasmToolkit.Benchmarks;

/// <summary>
/// Decode and decode+validate throughput on <see cref="BenchmarkInput"/>, beside wabt's <c>wasm-validate</c> on the
/// same file.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Decode"/> is <see cref="ModuleReader.Read(ReadOnlyMemory{byte}, string?, WasmFeatures)"/> as a caller
/// uses it: it copies the input once and reads every section, but leaves function bodies as byte slices
/// (DESIGN.md invariant 2), so it does not look at instructions. <see cref="DecodeWithBodies"/> also decodes every
/// instruction (<see cref="ReadOptions.DecodeFunctionBodies"/>), which is the parsing half of what
/// <c>wasm-validate</c> does. <see cref="DecodeAndValidate"/> is the reader followed by the validator, the
/// like-for-like comparison with <c>wasm-validate</c>; <see cref="ValidateOnly"/> is the validator on a module decoded
/// once in setup.
/// </para>
/// <para>
/// The wabt rows time a whole <c>wasm-validate</c> process: fork/exec, dynamic loading, reading the file from the
/// page cache, parsing, validating and exiting. <see cref="WabtWasmValidateEmptyModule"/> runs it on an 8-byte
/// module so a reader can subtract start-up; the "net of start-up" column (<see cref="ThroughputColumn"/>) does that subtraction.
/// </para>
/// </remarks>
[MemoryDiagnoser]
public class DecodeValidateBenchmarks
{
    /// <summary>The smallest valid module: magic and version (spec 5.5.16).</summary>
    private static readonly byte[] s_emptyModule = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

    private byte[] _bytes = [];
    private string _path = "";
    private string _emptyPath = "";
    private string _wasmValidate = "";
    private ReadOptions _withBodies = new();
    private Module _decoded = Module.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _path = BenchmarkInput.Path;
        _bytes = File.ReadAllBytes(_path);
        _withBodies = new ReadOptions { Path = _path, DecodeFunctionBodies = true };
        _emptyPath = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"wasmtk-bench-empty-{Environment.ProcessId}.wasm");
        File.WriteAllBytes(_emptyPath, s_emptyModule);
        _wasmValidate = WabtTool.Find("wasm-validate");

        // Fail before measuring rather than time a path that reports errors.
        ModuleReadResult read = ModuleReader.Read(_bytes, _withBodies);
        if (read.Module is null) throw new InvalidOperationException("Input is malformed: " + string.Join("; ", read.Diagnostics));
        // ValidateOnly gets a module read the way Decode and DecodeAndValidate read it (lazy bodies).
        _decoded = ModuleReader.Read(_bytes, _path).Module!;
        ValidatedModule validated = ModuleValidator.Validate(_decoded, WasmFeatures.V2, _path);
        if (!validated.IsValid) throw new InvalidOperationException("Input is invalid: " + string.Join("; ", validated.Diagnostics));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_emptyPath.Length != 0) File.Delete(_emptyPath);
    }

    /// <summary>Binary reader with lazy function bodies.</summary>
    [Benchmark(Baseline = true)]
    public Module Decode() => ModuleReader.Read(_bytes, _path).Module!;

    /// <summary>Binary reader that also decodes every instruction of every body.</summary>
    [Benchmark]
    public Module DecodeWithBodies() => ModuleReader.Read(_bytes, _withBodies).Module!;

    /// <summary>Binary reader then validator: the like-for-like comparison with <c>wasm-validate</c>.</summary>
    [Benchmark]
    public bool DecodeAndValidate()
    {
        Module module = ModuleReader.Read(_bytes, _path).Module!;
        return ModuleValidator.Validate(module, WasmFeatures.V2, _path).IsValid;
    }

    /// <summary>Validator alone on the module decoded once in setup.</summary>
    [Benchmark]
    public bool ValidateOnly() => ModuleValidator.Validate(_decoded, WasmFeatures.V2, _path).IsValid;

    /// <summary><c>wasm-validate</c> on the module, process start-up included.</summary>
    [Benchmark]
    public int WabtWasmValidate() => WabtTool.Run(_wasmValidate, _path);

    /// <summary><c>wasm-validate</c> on an 8-byte module: process start-up and exit alone.</summary>
    [Benchmark]
    public int WabtWasmValidateEmptyModule() => WabtTool.Run(_wasmValidate, _emptyPath);
}

/// <summary>Runs a wabt tool the way a build script would.</summary>
internal static class WabtTool
{
    /// <summary>Finds <paramref name="name"/> on PATH; fails loudly so a missing wabt is not mistaken for a fast one.</summary>
    public static string Find(string name)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            if (dir.Length == 0) continue;
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }

        throw new FileNotFoundException($"{name} not found on PATH; install wabt (apt-get install -y wabt).");
    }

    /// <summary>Runs <paramref name="tool"/> on <paramref name="file"/>, throwing when it reports an error.</summary>
    public static int Run(string tool, string file)
    {
        var info = new ProcessStartInfo(tool)
        {
            UseShellExecute = false,
            RedirectStandardOutput = false,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(file);
        using Process process = Process.Start(info) ?? throw new InvalidOperationException("Could not start " + tool);
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{tool} {file} failed ({process.ExitCode}): {errors}");
        return process.ExitCode;
    }
}
