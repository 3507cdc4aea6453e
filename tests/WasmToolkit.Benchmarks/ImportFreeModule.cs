using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using WasmToolkit.Binary;
using WasmToolkit.Compiler;

namespace WasmToolkit.Benchmarks;

/// <summary>
/// A large clang-built module from <c>Inputs/</c> made compilable by today's compiler: each imported function (the WASI
/// calls of wasi-libc) becomes a defined function of the same type whose body is <c>unreachable</c>.
/// </summary>
/// <remarks>
/// <para>
/// Imported functions come first in the function index space (spec 2.5.1), so putting the stubs at the front of the
/// function section keeps every index, every <c>call</c> and every table entry as it was; the bodies of the real
/// functions are the same bytes. Both engines compile exactly this module (its bytes come from
/// <see cref="ModuleWriter"/>), so the comparison is like for like; the rewrite happens once, outside the timing.
/// </para>
/// <para>
/// Until <c>call_indirect</c> lands, the compiler cannot compile the functions that call through function-pointer
/// tables (a third of <c>large.wasm</c>'s code; in <c>large-direct.wasm</c>, generated with <c>INDIRECT=0</c>, only
/// <c>main</c> and a few libc functions); with <see cref="CompilerOptions.TrapOnUnsupportedFunctions"/> it stops at the first
/// unsupported instruction and emits a trapping stub instead. <see cref="Describe"/> prints how many functions and
/// bytes that is, so the throughput figure can be read for what it is.
/// </para>
/// </remarks>
internal sealed class ImportFreeModule
{
    /// <summary>The inputs the compile benchmarks take, by file name in <c>Inputs/</c>.</summary>
    public static readonly string[] Names = ["large-direct.wasm", "large.wasm"];

    private static readonly Dictionary<string, ImportFreeModule> s_byName = new();

    private ImportFreeModule(string name)
    {
        Name = name;
        Path = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(BenchmarkInput.Path)!, name);
        Original = ModuleReader.Read(File.ReadAllBytes(Path), Path).Module ?? throw new InvalidOperationException(Path + " is malformed");
        Bytes = ModuleWriter.Write(RemoveImports(Original));
        ModuleReadResult read = ModuleReader.Read(Bytes, name);
        CodeSectionBytes = read.Sections.Single(s => s.Id == SectionId.Code).ContentSpan.Length;
    }

    /// <summary>The rewritten module <paramref name="name"/> (one of <see cref="Names"/>), built on first use.</summary>
    public static ImportFreeModule Get(string name)
    {
        lock (s_byName)
        {
            if (!s_byName.TryGetValue(name, out ImportFreeModule? module)) s_byName[name] = module = new ImportFreeModule(name);
            return module;
        }
    }

    /// <summary>File name in <c>Inputs/</c>.</summary>
    public string Name { get; }

    /// <summary>Full path of the original module.</summary>
    public string Path { get; }

    /// <summary>The original module, imports and all.</summary>
    public Module Original { get; }

    /// <summary>The rewritten module's bytes.</summary>
    public byte[] Bytes { get; }

    /// <summary>Size of the rewritten module's code section contents (the throughput denominator).</summary>
    public long CodeSectionBytes { get; }

    /// <summary>The options the compile benchmarks use.</summary>
    public static CompilerOptions Options { get; } = new() { TrapOnUnsupportedFunctions = true };

    /// <summary>Replaces function imports by <c>unreachable</c> bodies; throws on any other kind of import.</summary>
    public static Module RemoveImports(Module module)
    {
        if (module.Imports.Any(i => i.Kind != ExternalKind.Function))
        {
            throw new InvalidOperationException("Only function imports can be replaced; the module imports a table, memory or global.");
        }

        ReadOnlyMemory<byte> unreachable = new byte[] { 0x00, 0x0B }; // unreachable; end
        var functions = ImmutableArray.CreateBuilder<FunctionDefinition>(module.Imports.Length + module.Functions.Length);
        foreach (Import import in module.Imports) functions.Add(new FunctionDefinition(import.FunctionType, ImmutableArray<LocalGroup>.Empty, unreachable));
        functions.AddRange(module.Functions);
        return module.WithImports(ImmutableArray<Import>.Empty).WithFunctions(functions.MoveToImmutable());
    }

    /// <summary>Reads the rewritten bytes (what the benchmark's decode step does).</summary>
    public Module Read() => ReadBytes(Bytes, Name);

    /// <summary>Reads module bytes as a caller would (lazy bodies); throws when malformed.</summary>
    public static Module ReadBytes(byte[] bytes, string name)
        => ModuleReader.Read(bytes, name).Module ?? throw new InvalidOperationException(name + " is malformed");

    /// <summary>One line about the rewritten module and what the compiler makes of it.</summary>
    public string Describe()
    {
        Module module = Read();
        CompiledModule compiled = ModuleCompiler.Compile(module, Options);
        var stubbed = compiled.UnsupportedFunctions.Where(e => e.FunctionIndex is not null).Select(e => e.FunctionIndex!.Value).ToHashSet();
        long stubbedBytes = stubbed.Sum(f => (long)module.Functions[f].Code.Length);
        string reasons = string.Join(", ", compiled.UnsupportedFunctions
            .GroupBy(e => e.Message).OrderByDescending(g => g.Count()).Take(4).Select(g => $"{g.Count()}x {g.Key}"));
        string hash = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path))).ToLowerInvariant()[..16];
        return $"Compile input {Name} (sha256 {hash}…) with its {Original.Imports.Length} function imports replaced by unreachable bodies: " +
               $"{Bytes.Length:N0} bytes, code section {CodeSectionBytes:N0} bytes, {module.Functions.Length:N0} functions. " +
               $"WasmToolkit compiles {module.Functions.Length - stubbed.Count:N0} of them; {stubbed.Count:N0} " +
               $"({stubbedBytes:N0} body bytes, {100.0 * stubbedBytes / CodeSectionBytes:F1}% of the code section) become trapping stubs: {reasons}";
    }

    public override string ToString() => Name;
}
