using System.CommandLine;
using System.IO;
using WasmToolkit.Cli.Commands;

namespace WasmToolkit.Cli;

/// <summary>
/// The <c>wasmtk</c> command line: parsing with System.CommandLine, output to the writers given so tests
/// can run commands in process.
/// </summary>
public static class CliApplication
{
    /// <summary>Runs <c>wasmtk</c> with <paramref name="args"/>; returns the exit code.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("wasmtk: inspect, validate, convert, compile and run WebAssembly modules. Without arguments, inspects and validates an embedded sample module.");
        root.Subcommands.Add(InspectCommand.Create(stdout, stderr));
        root.Subcommands.Add(ValidateCommand.Create(stdout, stderr));
        root.Subcommands.Add(ConvertCommand.Create(stdout, stderr));
        root.Subcommands.Add(WastCommand.Create(stdout, stderr));
        root.Subcommands.Add(CompileCommand.Create(stdout, stderr));
        root.Subcommands.Add(RunCommand.Create(stdout, stderr));
        root.SetAction(_ => DemoCommand.Run(stdout, stderr));
        var result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors) stderr.WriteLine("error: " + error.Message);
            return 2;
        }

        return result.Invoke();
    }
}
