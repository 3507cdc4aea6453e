using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using WasmToolkit.Cli.Wast;

namespace WasmToolkit.Cli.Commands;

/// <summary>
/// <c>wasmtk wast PATH... [--compile-mode parallel|sequential|lazy|cached]</c>: runs <c>.wast</c> scripts (files, or folders searched recursively) and
/// prints per-file counts, then as the very last line exactly <c>N passed, N failed, N skipped</c>.
/// Exit code 1 when anything failed.
/// </summary>
internal static class WastCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var paths = new Argument<string[]>("paths") { Description = ".wast files or folders.", Arity = ArgumentArity.OneOrMore };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "List every failure and skip with its reason." };
        var mode = new Option<WastCompileMode>("--compile-mode")
        {
            Description = "How modules are compiled: parallel (default), sequential, lazy (each function on its first call), or cached (compiled, serialised, loaded back, and the loaded module run).",
            DefaultValueFactory = _ => WastCompileMode.Parallel,
        };
        var command = new Command("wast", "Run WebAssembly spec test scripts (.wast).");
        command.Arguments.Add(paths);
        command.Options.Add(verbose);
        command.Options.Add(mode);
        command.SetAction(parse => Run(parse.GetValue(paths)!, parse.GetValue(verbose), stdout, stderr, parse.GetValue(mode)));
        return command;
    }

    public static int Run(IReadOnlyList<string> paths, bool verbose, TextWriter stdout, TextWriter stderr, WastCompileMode mode = WastCompileMode.Parallel)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path)) files.AddRange(Directory.GetFiles(path, "*.wast", SearchOption.AllDirectories).OrderBy(f => f, System.StringComparer.Ordinal));
            else if (File.Exists(path)) files.Add(path);
            else
            {
                stderr.WriteLine($"{path}: error: no such file or folder");
                return 2;
            }
        }

        var runner = new WastRunner(new WastRunOptions { CompileMode = mode });
        int passed = 0, failed = 0, skipped = 0;
        var byKind = new SortedDictionary<Text.WastCommandKind, int[]>();
        foreach (var file in files)
        {
            var result = runner.RunFile(file);
            passed += result.Passed;
            failed += result.Failed;
            skipped += result.Skipped;
            stdout.WriteLine($"{file}: {result.Passed} passed, {result.Failed} failed, {result.Skipped} skipped");
            foreach (var o in result.Outcomes)
            {
                if (!byKind.TryGetValue(o.Kind, out var counts)) byKind[o.Kind] = counts = new int[3];
                counts[(int)o.Status]++;

                if (o.Status == WastStatus.Failed || (verbose && (o.Status == WastStatus.Skipped || o.Reason is not null)))
                {
                    stdout.WriteLine($"  {file}:{o.Line}: {o.Kind} {o.Status.ToString().ToLowerInvariant()}: {o.Reason}");
                }
            }
        }

        stdout.WriteLine();
        stdout.WriteLine("By command:");
        foreach (var (kind, counts) in byKind)
        {
            stdout.WriteLine($"  {kind,-22} {counts[0],7} passed {counts[1],5} failed {counts[2],7} skipped");
        }

        stdout.WriteLine($"{passed} passed, {failed} failed, {skipped} skipped");
        return failed > 0 ? 1 : 0;
    }
}
