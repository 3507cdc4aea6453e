using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using WasmToolkit.Compiler;
using WasmToolkit.Runtime;

namespace WasmToolkit.Cli.Commands;

/// <summary>
/// <c>wasmtk run FILE [--invoke NAME] [ARGS...]</c>: compiles and instantiates a module (which runs its start
/// function), then calls <c>NAME</c>, by default <c>_start</c> when it is exported, with <c>ARGS</c> parsed
/// by the parameter types, and prints the results one per line like <c>wasmtime run --invoke</c>.
/// A compiled-module cache (<c>wasmtk compile -o FILE.cwasm</c>, recognised by its magic) runs without compiling;
/// one that does not match this toolkit and processor, or is damaged, is refused with its diagnostic.
/// </summary>
/// <remarks>
/// Exit codes: 0 ran; 1 the module did not load, validate, compile or link, or it trapped (<c>error: trap: …</c>
/// and the wasm stack trace on stderr); 2 bad arguments (unknown function, wrong count or type).
/// There is no linker yet, so a module with imports stops with the list of imports it would need.
/// </remarks>
internal static class RunCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<string>("file") { Description = "The .wasm, .wat or compiled .cwasm file." };
        var arguments = new Argument<string[]>("args") { Description = "Arguments of the invoked function (i32/i64: decimal or 0x hex; f32/f64: also nan, inf, -inf, hex floats). Put -- before them if one looks like an option.", Arity = ArgumentArity.ZeroOrMore };
        var invoke = new Option<string?>("--invoke") { Description = "The exported function to call (default: _start when exported, else only instantiate)." };
        var features = X64FeatureOption.Create();
        var command = new Command("run", "Instantiate a module on the x64 runtime and call an exported function.");
        command.Arguments.Add(file);
        command.Arguments.Add(arguments);
        command.Options.Add(invoke);
        command.Options.Add(features);
        command.SetAction(parse => Run(parse.GetValue(file)!, parse.GetValue(invoke), parse.GetValue(arguments) ?? Array.Empty<string>(), stdout, stderr, parse.GetValue(features)));
        return command;
    }

    public static int Run(string path, string? invoke, IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, string? x64Features = null)
    {
        // Code compiled here runs here: at most what this processor has (a subset shows code for older ones).
        if (!X64FeatureOption.TryParse(x64Features, HostFeatures.X64, out var features, out var featureProblem) || (features & ~HostFeatures.X64) != 0)
        {
            stderr.WriteLine("error: " + (featureProblem ?? "--x64-features asks for extensions this processor does not have"));
            return 2;
        }

        CompiledModule? precompiled = null;
        LoadedModule? loaded;
        if (CacheFiles.IsCache(path))
        {
            precompiled = CacheFiles.Load(path, stderr);
            if (precompiled is null) return 1;
            loaded = CacheFiles.AsLoaded(precompiled);
        }
        else
        {
            loaded = CompiledModuleLoader.LoadValid(path, stderr);
            if (loaded is null) return 1;
        }

        var module = loaded.Module!;

        if (module.Imports.Length > 0)
        {
            stderr.WriteLine($"error: {path}: cannot instantiate: {module.Imports.Length} unresolved import{(module.Imports.Length == 1 ? "" : "s")} (wasmtk run has no linker yet):");
            foreach (var import in module.Imports) stderr.WriteLine($"  \"{import.Module}\" \"{import.Name}\" {DescribeImport(module, import)}");
            return 1;
        }

        // Which function, with which arguments: checked before compiling, so usage errors come first.
        var name = invoke;
        if (name is null && HasFunctionExport(module, "_start")) name = "_start";
        object?[] values = Array.Empty<object?>();
        if (name is null)
        {
            if (args.Count > 0)
            {
                stderr.WriteLine("error: arguments given but no function to invoke (use --invoke NAME; the module exports no _start)");
                return 2;
            }
        }
        else
        {
            if (!TryGetExportedType(module, name, out var type))
            {
                var exported = module.Exports.Where(e => e.Kind == ExternalKind.Function).Select(e => e.Name).ToList();
                stderr.WriteLine($"error: no exported function \"{name}\"" + (exported.Count == 0 ? " (the module exports no functions)" : " (exported: " + string.Join(", ", exported) + ")"));
                return 2;
            }

            if (args.Count != type.Parameters.Length)
            {
                stderr.WriteLine($"error: \"{name}\" {type} takes {type.Parameters.Length} argument{(type.Parameters.Length == 1 ? "" : "s")}, got {args.Count}");
                return 2;
            }

            values = new object?[args.Count];
            for (var i = 0; i < args.Count; i++)
            {
                if (!ValueText.TryParse(args[i], type.Parameters[i], out values[i]))
                {
                    stderr.WriteLine($"error: argument {i + 1} of \"{name}\": \"{args[i]}\" is not a valid {type.Parameters[i]}");
                    return 2;
                }
            }
        }

        var compiled = precompiled;
        if (compiled is null)
        {
            var result = ModuleCompiler.TryCompile(module, new CompilerOptions { TrapOnUnsupportedFunctions = true, Architecture = HostFeatures.CompilerOptions.Architecture, X64Features = features });
            if (result.Module is null)
            {
                foreach (var error in result.Errors) stderr.WriteLine(CompiledModuleLoader.Format(path, loaded, error, "error"));
                return 1;
            }

            compiled = result.Module;
        }

        try
        {
            using var instance = Instance.Create(compiled);
            if (name is null) return 0;
            var returned = instance.Invoke(name, values);
            if (returned is object?[] many)
            {
                foreach (var value in many) stdout.WriteLine(ValueText.Format(value));
            }
            else if (returned is not null)
            {
                stdout.WriteLine(ValueText.Format(returned));
            }

            return 0;
        }
        catch (TrapException trap)
        {
            stderr.WriteLine("error: trap: " + trap.Kind.GetMessage());
            if (trap.Kind == TrapKind.UnsupportedFunction
                && compiled.UnsupportedFunctions.FirstOrDefault(e => e.FunctionIndex == trap.FunctionIndex) is { } reason)
            {
                // The function was compiled as a trapping stub; say what it needs.
                stderr.WriteLine("note: " + CompiledModuleLoader.Format(path, loaded, reason, "not compiled"));
            }

            if (!trap.WasmStackTrace.IsEmpty)
            {
                stderr.WriteLine("wasm stack trace:");
                foreach (var frame in trap.WasmStackTrace)
                {
                    stderr.WriteLine($"  at {CompiledModuleLoader.DescribeFunction(module, frame.FunctionIndex)} {CompiledModuleLoader.Locate(path, loaded, frame.WasmOffset)}");
                }

                if (trap.OmittedFrames > 0) stderr.WriteLine($"  ... {trap.OmittedFrames} more frames");
            }

            return 1;
        }
        catch (PlatformNotSupportedException e)
        {
            stderr.WriteLine("error: " + e.Message);
            return 1;
        }
    }

    private static bool HasFunctionExport(Module module, string name) => module.Exports.Any(e => e.Kind == ExternalKind.Function && e.Name == name);

    private static bool TryGetExportedType(Module module, string name, out FuncType type)
    {
        type = FuncType.Empty;
        foreach (var export in module.Exports)
        {
            if (export.Kind != ExternalKind.Function || export.Name != name) continue;
            if (module.GetFunctionType(export.Index) is not { } t) return false;
            type = t;
            return true;
        }

        return false;
    }

    /// <summary><c>func (param i32)</c>, <c>memory 1</c>, <c>table 1 funcref</c>, <c>global (mut i32)</c>: what a linker would have to supply.</summary>
    private static string DescribeImport(Module module, Import import) => import.Kind switch
    {
        ExternalKind.Function => import.FunctionType.Value < (uint)module.Types.Length ? module.Types[(int)import.FunctionType.Value].ToString() : "func",
        ExternalKind.Memory => "memory " + import.Memory,
        ExternalKind.Table => "table " + import.Table,
        ExternalKind.Global => "global " + import.Global,
        _ => import.Kind.ToString().ToLowerInvariant(),
    };
}
