using System;
using System.Collections.Immutable;
using System.IO;
using WasmToolkit.Binary;
using WasmToolkit.Diagnostics;

namespace WasmToolkit.Cli;

/// <summary>
/// What loading a file gave: the module (null when malformed) and the diagnostics; for text, the source
/// map that puts validation diagnostics at line and column (<see cref="Text.TextSourceMap.Empty"/> for binaries).
/// </summary>
internal sealed record LoadedModule(Module? Module, ImmutableArray<Diagnostic> Diagnostics, ImmutableArray<SectionInfo> Sections, bool IsText, Text.TextSourceMap SourceMap);

/// <summary>Loads a module from <c>.wasm</c> (binary) or <c>.wat</c> (text) by extension; binary when unsure.</summary>
internal static class ModuleLoader
{
    public static LoadedModule Load(string path)
    {
        var bytes = File.ReadAllBytes(path);
        return IsTextPath(path) ? LoadText(bytes, path) : LoadBinary(bytes, path);
    }

    public static bool IsTextPath(string path)
        => path.EndsWith(".wat", StringComparison.OrdinalIgnoreCase);

    public static LoadedModule LoadBinary(byte[] bytes, string path)
    {
        var result = ModuleReader.Read(bytes, new ReadOptions { Path = path, DecodeFunctionBodies = true });
        return new LoadedModule(result.Module, result.Diagnostics, result.Sections, false, Text.TextSourceMap.Empty);
    }

    public static LoadedModule LoadText(byte[] bytes, string path)
    {
        // The bytes overload reports malformed UTF-8 as a diagnostic instead of replacing it.
        var result = Text.TextModuleParser.Parse(bytes, path);
        return new LoadedModule(result.Module, result.Diagnostics, ImmutableArray<SectionInfo>.Empty, true, result.SourceMap);
    }
}
