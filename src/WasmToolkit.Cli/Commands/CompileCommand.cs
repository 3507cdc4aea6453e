using System;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using WasmToolkit.Compiler;

namespace WasmToolkit.Cli.Commands;

/// <summary>
/// <c>wasmtk compile FILE [--target x64|arm64] [--x64-features LIST] [--disasm] [--function INDEX|NAME] [--bytes] [--strict] [--jobs N] [-o FILE.cwasm]</c>: validates
/// and compiles a module to x64 (default) or ARM64 with <see cref="ModuleCompiler"/>, prints a summary and, with
/// <c>--disasm</c>, each function's machine code (<see cref="Disassembler.FormatFunction"/>); with <c>-o</c>,
/// writes a compiled-module cache that <c>wasmtk run</c> runs without compiling on a processor of the target's architecture
/// (an ARM64 cache is refused on x64 with the cache's architecture error).
/// </summary>
/// <remarks>
/// Functions the compiler does not support yet compile to trapping stubs and are listed as warnings
/// (<see cref="CompilerOptions.TrapOnUnsupportedFunctions"/>), so the rest can still be read; <c>--strict</c>
/// makes them errors. Exit codes: 0 compiled, 1 not (diagnostics on stderr), 2 bad arguments.
/// </remarks>
internal static class CompileCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<string>("file") { Description = "The .wasm or .wat file." };
        var disasm = new Option<bool>("--disasm", "-d") { Description = "Print the machine code of every function (or of --function)." };
        var function = new Option<string?>("--function", "-f") { Description = "Only this function in the listing: an index in the function index space, a name from the name section ($name) or an export name." };
        var bytes = new Option<bool>("--bytes") { Description = "Show instruction bytes in the listing." };
        var strict = new Option<bool>("--strict") { Description = "Functions the compiler does not support are errors, not trapping stubs." };
        var jobs = new Option<int?>("--jobs", "-j") { Description = "Functions compiled at once (default: processor count; 1 = sequential)." };
        var output = new Option<string?>("--output", "-o") { Description = "Write a compiled-module cache (.cwasm), which wasmtk run runs without compiling on a processor of the target architecture." };
        var target = new Option<string>("--target", "-t") { Description = "The architecture to compile for: x64 (default) or arm64.", DefaultValueFactory = _ => "x64" };
        target.AcceptOnlyFromAmong("x64", "arm64");
        var features = X64FeatureOption.Create();
        var command = new Command("compile", "Compile a module to x64 or ARM64 machine code and print statistics, optionally the disassembly.");
        command.Arguments.Add(file);
        command.Options.Add(disasm);
        command.Options.Add(function);
        command.Options.Add(bytes);
        command.Options.Add(strict);
        command.Options.Add(jobs);
        command.Options.Add(output);
        command.Options.Add(target);
        command.Options.Add(features);
        command.SetAction(parse => Run(
            parse.GetValue(file)!, parse.GetValue(disasm), parse.GetValue(function), parse.GetValue(bytes), parse.GetValue(strict), parse.GetValue(jobs), stdout, stderr, parse.GetValue(output),
            parse.GetValue(target) == "arm64" ? TargetArchitecture.Arm64 : TargetArchitecture.X64, parse.GetValue(features)));
        return command;
    }

    public static int Run(string path, bool disasm, string? function, bool showBytes, bool strict, int? jobs, TextWriter stdout, TextWriter stderr, string? outputPath = null, TargetArchitecture architecture = TargetArchitecture.X64, string? x64Features = null)
    {
        if (jobs is <= 0)
        {
            stderr.WriteLine("error: --jobs must be at least 1");
            return 2;
        }

        // An x64 cache is for running here: by default it uses what this processor has (the listing alone keeps the fixed defaults).
        var defaultFeatures = outputPath is null || architecture != TargetArchitecture.X64 ? CompilerOptions.Default.X64Features : Runtime.HostFeatures.X64;
        if (!X64FeatureOption.TryParse(x64Features, defaultFeatures, out var features, out var featureProblem))
        {
            stderr.WriteLine("error: " + featureProblem);
            return 2;
        }

        var loaded = CompiledModuleLoader.LoadValid(path, stderr);
        if (loaded is null) return 1;
        var module = loaded.Module!;

        int? selected = null;
        if (function is not null)
        {
            if (!TryFindFunction(module, function, out var index, out var problem))
            {
                stderr.WriteLine("error: " + problem);
                return 2;
            }

            selected = index;
        }

        var options = new CompilerOptions
        {
            Architecture = architecture,
            TrapOnUnsupportedFunctions = !strict,
            MaxDegreeOfParallelism = jobs ?? Environment.ProcessorCount,
            X64Features = features,
        };
        var clock = Stopwatch.StartNew();
        CompileResult result;
        using (var bar = CompileProgressBar.Create(stderr)) result = ModuleCompiler.TryCompile(module, options, bar);
        clock.Stop();
        if (result.Module is not { } compiled)
        {
            foreach (var error in result.Errors) stderr.WriteLine(CompiledModuleLoader.Format(path, loaded, error, "error"));
            stderr.WriteLine($"{path}: {result.Errors.Length} compile error{(result.Errors.Length == 1 ? "" : "s")}");
            return 1;
        }

        foreach (var unsupported in compiled.UnsupportedFunctions) stderr.WriteLine(CompiledModuleLoader.Format(path, loaded, unsupported, "warning"));

        var s = compiled.Statistics;
        var stubbed = compiled.UnsupportedFunctions.Where(e => e.FunctionIndex is not null).Select(e => e.FunctionIndex!.Value).Distinct().Count();
        stdout.WriteLine($"{path}: compiled for {(architecture == TargetArchitecture.Arm64 ? "arm64" : "x64")}");
        stdout.WriteLine($"  functions          {s.FunctionCount}" + (module.ImportedFunctionCount > 0 ? $" (+{module.ImportedFunctionCount} imported)" : ""));
        stdout.WriteLine($"  code bytes         {s.CodeBytes}");
        stdout.WriteLine($"  wasm instructions  {s.WasmInstructions}");
        stdout.WriteLine($"  spills             {s.Spills}");
        stdout.WriteLine($"  trap sites         {s.TrapSites}");
        stdout.WriteLine($"  unsupported        {stubbed}" + (stubbed > 0 ? " (compiled as trapping stubs)" : ""));
        stdout.WriteLine($"  compile time       {clock.Elapsed.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture)} ms ({options.MaxDegreeOfParallelism} thread{(options.MaxDegreeOfParallelism == 1 ? "" : "s")})");
        if (outputPath is not null && !CacheFiles.Write(outputPath, compiled, stdout, stderr)) return 1;

        if (disasm)
        {
            foreach (var f in compiled.Functions)
            {
                if (selected is { } only && f.FunctionIndex != only) continue;
                stdout.WriteLine();
                stdout.Write(Disassembler.FormatFunction(compiled, f, showBytes, loaded.IsText ? offset => CompiledModuleLoader.LineColumn(loaded, offset) : null));
            }
        }

        return 0;
    }

    /// <summary>A defined function by index, <c>$name</c> / name (name section) or export name.</summary>
    internal static bool TryFindFunction(Module module, string text, out int index, out string problem)
    {
        problem = "";
        var imported = module.ImportedFunctionCount;
        var total = imported + module.Functions.Length;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out index))
        {
            if (index >= total)
            {
                problem = $"function index {index} out of range: the module has {total} function{(total == 1 ? "" : "s")}";
                return false;
            }

            if (index < imported)
            {
                problem = $"function {index} is imported and has no code";
                return false;
            }

            return true;
        }

        var name = text.StartsWith('$') ? text.Substring(1) : text;
        foreach (var n in module.Names.FunctionNames)
        {
            if (n.Name == name && n.Index >= (uint)imported && n.Index < (uint)total)
            {
                index = (int)n.Index;
                return true;
            }
        }

        foreach (var export in module.Exports)
        {
            if (export.Kind == ExternalKind.Function && export.Name == text && export.Index >= (uint)imported)
            {
                index = (int)export.Index;
                return true;
            }
        }

        problem = $"no function named \"{text}\" (give an index, a $name from the name section or an export name)";
        index = -1;
        return false;
    }
}
