using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using WasmToolkit.Binary;
using WasmToolkit.Compiler;

namespace WasmToolkit.Benchmarks;

/// <summary>
/// A large clang-built module from <c>Inputs/</c> for the compile benchmarks. Both engines compile exactly these bytes;
/// its WASI imports need no definitions to compile (only to instantiate).
/// </summary>
internal sealed class CompileInput
{
    /// <summary>The inputs the compile benchmarks take, by file name in <c>Inputs/</c>.</summary>
    public static readonly string[] Names = ["large-direct.wasm", "large.wasm"];

    private static readonly Dictionary<string, CompileInput> s_byName = new();

    private CompileInput(string name)
    {
        Name = name;
        Path = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(BenchmarkInput.Path)!, name);
        Bytes = File.ReadAllBytes(Path);
        ModuleReadResult read = ModuleReader.Read(Bytes, name);
        CodeSectionBytes = read.Sections.Single(s => s.Id == SectionId.Code).ContentSpan.Length;
    }

    /// <summary>The module <paramref name="name"/> (one of <see cref="Names"/>), read on first use.</summary>
    public static CompileInput Get(string name)
    {
        lock (s_byName)
        {
            if (!s_byName.TryGetValue(name, out CompileInput? module)) s_byName[name] = module = new CompileInput(name);
            return module;
        }
    }

    /// <summary>File name in <c>Inputs/</c>.</summary>
    public string Name { get; }

    /// <summary>Full path of the module.</summary>
    public string Path { get; }

    public byte[] Bytes { get; }

    /// <summary>Size of the code section contents (the throughput denominator).</summary>
    public long CodeSectionBytes { get; }

    /// <summary>The options the compile benchmarks use: strict, every function compiled (one thread unless a benchmark says otherwise).</summary>
    public static CompilerOptions Options { get; } = new() { MaxDegreeOfParallelism = 1 };

    /// <summary>Reads the bytes (what the benchmark's decode step does).</summary>
    public Module Read() => ReadBytes(Bytes, Name);

    /// <summary>Reads module bytes as a caller would (lazy bodies); throws when malformed.</summary>
    public static Module ReadBytes(byte[] bytes, string name)
        => ModuleReader.Read(bytes, name).Module ?? throw new InvalidOperationException(name + " is malformed");

    /// <summary>One line about the module.</summary>
    public string Describe()
    {
        Module module = Read();
        CompiledModule compiled = ModuleCompiler.Compile(module, Options);
        string hash = Convert.ToHexString(SHA256.HashData(Bytes)).ToLowerInvariant()[..16];
        return $"Compile input {Name} (sha256 {hash}…): {Bytes.Length:N0} bytes, code section {CodeSectionBytes:N0} bytes, " +
               $"{module.Functions.Length:N0} functions, {module.Imports.Length} imports; WasmToolkit emits {compiled.Statistics.CodeBytes:N0} bytes of x64.";
    }

    /// <summary>
    /// A linker (with its store) where every import of <paramref name="module"/> (the inputs import only WASI functions) is
    /// a host function that throws: the benchmarks that instantiate an input never call them.
    /// </summary>
    public static WasmToolkit.Runtime.Linker LinkerWithThrowingImports(Module module)
    {
        var linker = new WasmToolkit.Runtime.Linker();
        foreach (var import in module.Imports)
        {
            var name = import.Name;
            var type = module.Types[(int)import.FunctionType.Value];
            linker.Define(import.Module, name, WasmToolkit.Runtime.Function.FromCallback(type, (_, _) => throw new InvalidOperationException("WASI " + name + " is not provided")));
        }

        return linker;
    }

    public override string ToString() => Name;
}
