using System;
using System.Collections.Immutable;
using System.IO;
using WasmToolkit.Compiler;
using WasmToolkit.Compiler.Serialization;
using WasmToolkit.Runtime;

namespace WasmToolkit.Cli;

/// <summary>
/// Compiled-module caches (<c>.cwasm</c>) on disk for <c>wasmtk compile -o</c>, <c>run</c> and <c>inspect</c>:
/// recognised by their magic, whatever the extension; refused caches print their diagnostic.
/// </summary>
internal static class CacheFiles
{
    /// <summary>True when the file at <paramref name="path"/> starts with the cache magic.</summary>
    public static bool IsCache(string path)
    {
        if (!File.Exists(path)) return false;
        Span<byte> start = stackalloc byte[8];
        using var stream = File.OpenRead(path);
        var read = stream.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
        return CompiledModuleSerializer.IsCompiledModule(start.Slice(0, read));
    }

    /// <summary>Loads a cache for this process's processor; null (diagnostic on <paramref name="stderr"/>) when refused.</summary>
    public static CompiledModule? Load(string path, TextWriter stderr)
    {
        var result = CompiledModuleSerializer.Deserialize(File.ReadAllBytes(path), HostFeatures.CompiledModuleReadOptions.WithPath(path));
        foreach (var d in result.Diagnostics) stderr.WriteLine(d);
        return result.Module;
    }

    /// <summary>A <see cref="LoadedModule"/> for a cache's embedded module, so locations print as <c>file.cwasm(0x1a)</c>.</summary>
    public static LoadedModule AsLoaded(CompiledModule compiled)
        => new(compiled.Module, ImmutableArray<Diagnostics.Diagnostic>.Empty, ImmutableArray<Binary.SectionInfo>.Empty, false, Text.TextSourceMap.Empty);

    /// <summary>
    /// <c>wasmtk inspect FILE.cwasm</c>: the header, whether this process would load the cache (or the diagnostic that
    /// refuses it), then the embedded module as <c>inspect</c> shows a module. Exit 1 when the header does not read.
    /// </summary>
    public static int Inspect(string path, TextWriter stdout, TextWriter stderr)
    {
        var bytes = File.ReadAllBytes(path);
        var header = CompiledModuleSerializer.ReadHeader(bytes, path);
        foreach (var d in header.Diagnostics) stderr.WriteLine(d);
        if (header.Header is not { } h) return 1;

        stdout.WriteLine($"{Path.GetFileName(path)}: compiled module (format {h.FormatVersion}, {bytes.Length} bytes)");
        stdout.WriteLine($"  toolkit            {h.ToolkitVersion}");
        stdout.WriteLine($"  architecture       {h.ArchitectureName}");
        stdout.WriteLine($"  cpu features       {h.RequiredX64Features}");
        stdout.WriteLine($"  module sha-256     {h.ModuleHashHex}");
        stdout.WriteLine($"  integrity          {(h.IsKeyed ? "HMAC-SHA-256 (keyed)" : "SHA-256")}");
        var loaded = CompiledModuleSerializer.Deserialize(bytes, HostFeatures.CompiledModuleReadOptions.WithPath(path));
        stdout.WriteLine($"  on this host       {(loaded.Module is null ? "refused: " + loaded.FirstError : "loads")}");
        if (loaded.Module is not { } compiled) return 0;

        stdout.WriteLine($"  compiled           {compiled.Statistics}");
        stdout.WriteLine();
        // Sections at their offsets in the embedded module's bytes.
        var sections = Binary.ModuleReader.Read(Binary.ModuleWriter.Write(compiled.Module)).Sections;
        return Commands.InspectCommand.Print(path, AsLoaded(compiled) with { Sections = sections }, stdout, stderr);
    }

    /// <summary>Writes <paramref name="compiled"/> to <paramref name="path"/>; false (message on <paramref name="stderr"/>) when the file cannot be written.</summary>
    public static bool Write(string path, CompiledModule compiled, TextWriter stdout, TextWriter stderr)
    {
        var bytes = CompiledModuleSerializer.Serialize(compiled);
        try
        {
            File.WriteAllBytes(path, bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"{path}: error: cannot write the compiled module: {e.Message}");
            return false;
        }

        var target = compiled.Options.Architecture == TargetArchitecture.Arm64 ? "arm64" : $"x64 {compiled.Options.X64Features}";
        stdout.WriteLine($"  wrote              {path} ({bytes.Length} bytes, {target})");
        return true;
    }
}
