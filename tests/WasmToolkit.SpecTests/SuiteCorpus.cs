using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using WasmToolkit.Binary;
using WasmToolkit.Tests.Infrastructure;
using WasmToolkit.Text;

namespace WasmToolkit.SpecTests;

/// <summary>The suite's modules as a corpus: each valid module's bytes, and the text of each text module.</summary>
internal static class SuiteCorpus
{
    private static readonly UTF8Encoding s_utf8 = new(false, false);

    /// <summary>(origin, bytes) of every module command that loads: binary ones as given, text ones encoded.</summary>
    public static List<(string Origin, byte[] Bytes)> BinaryModules(string folder)
    {
        var list = new List<(string, byte[])>();
        foreach (var (path, command) in ModuleCommands(folder))
        {
            var content = command.Module.Load();
            var origin = Path.GetFileName(path) + ":" + command.Line;
            if (content.Kind == WastModuleKind.Binary) list.Add((origin, content.Binary.ToArray()));
            else if (content.Module is { } module) list.Add((origin, ModuleWriter.Write(module)));
        }

        return list;
    }

    /// <summary>(origin, text) of every text module command.</summary>
    public static List<(string Origin, string Text)> TextModules(string folder)
        => ModuleCommands(folder)
            .Where(x => x.Command.Module.Kind == WastModuleKind.Text)
            .Select(x => (Path.GetFileName(x.Path) + ":" + x.Command.Line, x.Command.Module.SourceText))
            .ToList();

    private static IEnumerable<(string Path, WastModuleCommand Command)> ModuleCommands(string folder)
    {
        foreach (var path in SuiteLocator.CoreFiles(folder).Concat(SuiteLocator.SimdFiles(folder)))
        {
            var script = WastParser.Parse(s_utf8.GetString(File.ReadAllBytes(path)), path).Script;
            foreach (var command in script.Commands.OfType<WastModuleCommand>()) yield return (path, command);
        }
    }
}
