using System.Globalization;
using System.IO;
using WasmToolkit.Compiler;
using WasmToolkit.Diagnostics;
using WasmToolkit.Text;

namespace WasmToolkit.Cli;

/// <summary>
/// The front half of <c>wasmtk compile</c> and <c>wasmtk run</c>: load a file, print its reader, parser and
/// validator diagnostics, and say where a wasm offset is in the file (line and column for text).
/// </summary>
internal static class CompiledModuleLoader
{
    /// <summary>Loads and validates <paramref name="path"/>; diagnostics go to <paramref name="stderr"/>. Null when missing, malformed or invalid.</summary>
    public static LoadedModule? LoadValid(string path, TextWriter stderr)
    {
        if (!File.Exists(path))
        {
            stderr.WriteLine($"{path}: error: file not found");
            return null;
        }

        var loaded = ModuleLoader.Load(path);
        return Commands.ValidateCommand.ValidateOne(path, loaded, quiet: true, stderr) && loaded.Module is not null ? loaded : null;
    }

    /// <summary><c>file(0x1a)</c> for binaries, <c>file(12,5)</c> for text (the instruction at the virtual offset).</summary>
    public static string Locate(string path, LoadedModule loaded, int wasmOffset)
    {
        if (loaded.IsText && loaded.SourceMap.TryGetTextSpan(wasmOffset, out var span))
        {
            return path + new TextLocation(loaded.SourceMap.Source, span).Describe();
        }

        return path + "(0x" + wasmOffset.ToString("x", CultureInfo.InvariantCulture) + ")";
    }

    /// <summary><c>12:5</c>, the line and column of the instruction at a text module's virtual offset (<c>0x1a</c> when it has none).</summary>
    public static string LineColumn(LoadedModule loaded, int wasmOffset)
    {
        if (loaded.SourceMap.TryGetTextSpan(wasmOffset, out var span))
        {
            var position = loaded.SourceMap.Source.GetLinePosition(span.Start);
            return (position.Line + 1).ToString(CultureInfo.InvariantCulture) + ":" + (position.Character + 1).ToString(CultureInfo.InvariantCulture);
        }

        return "0x" + wasmOffset.ToString("x", CultureInfo.InvariantCulture);
    }

    /// <summary>A compile error in the diagnostic format: <c>file(0x1a): error: message (function 3 $f)</c>.</summary>
    public static string Format(string path, LoadedModule loaded, CompileError error, string severity)
    {
        var location = error.WasmOffset is { } offset ? Locate(path, loaded, offset) : path;
        var text = $"{location}: {severity}: {error.Message}";
        if (error.Kind == CompileErrorKind.Internal) text += " (compiler bug)";
        if (error.FunctionIndex is { } f) text += " (" + DescribeFunction(loaded.Module!, f) + ")";
        return text;
    }

    /// <summary><c>function 3 $name</c>.</summary>
    public static string DescribeFunction(Module module, int index)
    {
        var name = module.Names.GetFunctionName((uint)index);
        return "function " + index.ToString(CultureInfo.InvariantCulture) + (name is null ? "" : " $" + name);
    }
}
