using System.CommandLine;
using System.IO;
using System.Text;
using WasmToolkit.Binary;
using WasmToolkit.Text;

namespace WasmToolkit.Cli.Commands;

/// <summary><c>wasmtk convert IN OUT</c>: between <c>.wasm</c> and <c>.wat</c>, chosen by the extensions.</summary>
internal static class ConvertCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var input = new Argument<string>("input") { Description = "The module to read (.wasm or .wat)." };
        var output = new Argument<string>("output") { Description = "The file to write (.wasm or .wat)." };
        var command = new Command("convert", "Convert a module between the binary (.wasm) and text (.wat) formats.");
        command.Arguments.Add(input);
        command.Arguments.Add(output);
        command.SetAction(parse => Run(parse.GetValue(input)!, parse.GetValue(output)!, stdout, stderr));
        return command;
    }

    public static int Run(string input, string output, TextWriter stdout, TextWriter stderr)
    {
        if (!File.Exists(input))
        {
            stderr.WriteLine($"{input}: error: file not found");
            return 1;
        }

        var loaded = ModuleLoader.Load(input);
        foreach (var d in loaded.Diagnostics) stderr.WriteLine(d);
        if (loaded.Module is not { } module) return 1;

        if (ModuleLoader.IsTextPath(output))
        {
            File.WriteAllText(output, ModulePrinter.Print(module), new UTF8Encoding(false));
        }
        else
        {
            File.WriteAllBytes(output, ModuleWriter.Write(module));
        }

        stdout.WriteLine($"{input} -> {output}");
        return 0;
    }
}
