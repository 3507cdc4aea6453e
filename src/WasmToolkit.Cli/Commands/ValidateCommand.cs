using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using WasmToolkit.Diagnostics;
using WasmToolkit.Validation;

namespace WasmToolkit.Cli.Commands;

/// <summary>
/// <c>wasmtk validate FILE...</c>: reads and validates each file and prints diagnostics in the usual
/// compiler format (<c>file(0x1a): error WASM0012: message</c>, line and column for text); exit code 1
/// when any file has an error.
/// </summary>
internal static class ValidateCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var files = new Argument<string[]>("files") { Description = "The .wasm or .wat files.", Arity = ArgumentArity.OneOrMore };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print only diagnostics." };
        var command = new Command("validate", "Check that modules are well formed and valid.");
        command.Arguments.Add(files);
        command.Options.Add(quiet);
        command.SetAction(parse => Run(parse.GetValue(files)!, parse.GetValue(quiet), stdout, stderr));
        return command;
    }

    public static int Run(IReadOnlyList<string> paths, bool quiet, TextWriter stdout, TextWriter stderr)
    {
        var exit = 0;
        foreach (var path in paths)
        {
            if (!File.Exists(path))
            {
                stderr.WriteLine($"{path}: error: file not found");
                exit = 1;
                continue;
            }

            if (!ValidateOne(path, ModuleLoader.Load(path), quiet, stdout)) exit = 1;
        }

        return exit;
    }

    /// <summary>Prints the diagnostics of a loaded module and validates it; true when it is valid.</summary>
    public static bool ValidateOne(string path, LoadedModule loaded, bool quiet, TextWriter stdout)
    {
        var hasError = false;
        foreach (var d in loaded.Diagnostics)
        {
            stdout.WriteLine(d);
            hasError |= d.IsError;
        }

        if (loaded.Module is { } module)
        {
            var validated = ModuleValidator.Validate(module, WasmFeatures.V2, path);
            foreach (var d in validated.Diagnostics)
            {
                // Text modules: line and column of the offending instruction or item, not virtual offsets.
                stdout.WriteLine(loaded.SourceMap.Remap(d));
                hasError |= d.IsError;
            }
        }

        if (!hasError && !quiet) stdout.WriteLine($"{path}: valid");
        return !hasError;
    }
}
