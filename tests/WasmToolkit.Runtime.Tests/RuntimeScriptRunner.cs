using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using WasmToolkit.Binary;
using WasmToolkit.Compiler;
using WasmToolkit.Diagnostics;
using WasmToolkit.Text;

namespace WasmToolkit.Runtime.Tests;

/// <summary>What happened to one command of a script.</summary>
internal enum CommandStatus
{
    Passed,
    Failed,
    Skipped,
}

/// <summary>One command's outcome: its line and kind, and for failures and skips the reason.</summary>
internal sealed record CommandOutcome(int Line, string Command, CommandStatus Status, string? Reason);

/// <summary>The outcomes of one script, in command order.</summary>
internal sealed record ScriptOutcome(string Name, ImmutableArray<CommandOutcome> Outcomes)
{
    public int Passed => Outcomes.Count(o => o.Status == CommandStatus.Passed);

    public int Failed => Outcomes.Count(o => o.Status == CommandStatus.Failed);

    public int Skipped => Outcomes.Count(o => o.Status == CommandStatus.Skipped);
}

/// <summary>
/// Runs a spec-suite script through the x64 compiler and runtime, parsed with the project's own
/// <see cref="WastParser"/>: module definitions (compiled with
/// <see cref="CompilerOptions.TrapOnUnsupportedFunctions"/>, so functions the compiler cannot handle trap
/// instead of failing the module), <c>invoke</c>, <c>assert_return</c>, <c>assert_trap</c>,
/// <c>assert_exhaustion</c> and instantiation traps on i32/i64 values.
/// </summary>
/// <remarks>
/// Everything outside that subset is skipped with the reason: modules the compiler rejects as unsupported
/// (and the commands that use them), calls into functions it did not compile, values of other types,
/// <c>get</c>, <c>register</c> and <c>assert_unlinkable</c> (imports), and <c>assert_invalid</c> /
/// <c>assert_malformed</c>, which belong to the front end (WasmToolkit.SpecTests checks them). Anything
/// else that does not behave as the script says — including a command the parser rejects — is a failure.
/// </remarks>
internal sealed class RuntimeScriptRunner
{
    private const string NotSupportedSuffix = " is not supported by the x64 baseline compiler yet";

    private static readonly CompilerOptions Lenient = new() { TrapOnUnsupportedFunctions = true };

    /// <summary>A module of the script: its instance, or why there is none.</summary>
    private sealed record Target(Instance? Instance, string? SkipReason, string? FailReason);

    private readonly List<CommandOutcome> _outcomes = new();
    private readonly List<Instance> _instances = new();
    private readonly Dictionary<string, Target> _named = new(StringComparer.Ordinal);
    private Target? _current;

    private RuntimeScriptRunner()
    {
    }

    /// <summary>Reads <paramref name="path"/> as UTF-8 bytes, parses it and runs its commands.</summary>
    public static ScriptOutcome RunFile(string path, string name)
    {
        var parsed = WastParser.Parse(File.ReadAllBytes(path), path);
        var runner = new RuntimeScriptRunner();
        try
        {
            foreach (var diagnostic in parsed.Diagnostics.Where(d => d.IsError))
            {
                runner._outcomes.Add(new CommandOutcome(LineOf(diagnostic), "script", CommandStatus.Failed, "the parser rejected a command: " + diagnostic));
            }

            foreach (var command in parsed.Script.Commands) runner.Run(command);
        }
        finally
        {
            foreach (var instance in runner._instances) instance.Dispose();
        }

        return new ScriptOutcome(name, runner._outcomes.OrderBy(o => o.Line).ToImmutableArray());
    }

    private void Run(WastCommand command)
    {
        var label = Label(command.Kind);
        try
        {
            var (status, reason) = command switch
            {
                WastModuleCommand m => DefineModule(m.Module),
                WastActionCommand a => Act(a.Action, null),
                WastAssertReturnCommand r => Act(r.Action, r.Results),
                WastAssertTrapCommand { Action: { } action } t => ExpectTrap(action, t.Message),
                WastAssertTrapCommand { Module: { } module } t => ExpectInstantiationTrap(module, t.Message),
                WastAssertExhaustionCommand e => ExpectTrap(e.Action, e.Message),
                WastAssertModuleCommand { Kind: WastCommandKind.AssertUninstantiable } u => ExpectInstantiationTrap(u.Module, u.Message),
                WastAssertModuleCommand { Kind: WastCommandKind.AssertInvalid or WastCommandKind.AssertMalformed } => Skip("front end (assert_invalid/assert_malformed: checked by WasmToolkit.SpecTests)"),
                WastAssertModuleCommand { Kind: WastCommandKind.AssertUnlinkable } => Skip("needs imports (assert_unlinkable)"),
                WastRegisterCommand => Skip("needs imports (register)"),
                _ => Fail("unexpected command " + command),
            };
            _outcomes.Add(new CommandOutcome(command.Line, label, status, reason));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _outcomes.Add(new CommandOutcome(command.Line, label, CommandStatus.Failed, e.GetType().Name + ": " + e.Message));
        }
    }

    private (CommandStatus, string?) DefineModule(WastModuleDefinition definition)
    {
        _current = null;
        var (compiled, skip, fail) = Compile(definition);
        Instance? instance = null;
        if (compiled is not null)
        {
            try
            {
                instance = Instance.Create(compiled);
                _instances.Add(instance);
            }
            catch (TrapException e) when (e.Kind == TrapKind.UnsupportedFunction)
            {
                skip = UnsupportedFunctionReason(compiled, e);
            }
            catch (TrapException e)
            {
                fail = "instantiation trapped: " + FirstLine(e.Message);
            }
        }

        _current = new Target(instance, skip, fail);
        if (definition.Id is { } id) _named[id] = _current;
        return fail is not null ? Fail(fail) : skip is not null ? Skip(skip) : Pass();
    }

    private (CommandStatus, string?) Act(WastAction action, ImmutableArray<WastResult>? results)
    {
        if (!TryResolve(action, out var instance, out var args, out var outcome)) return outcome;
        var expected = new List<object?>();
        foreach (var result in results ?? ImmutableArray<WastResult>.Empty)
        {
            if (!result.IsExact) return Skip("needs " + (result.Nan != WastNanPattern.None ? "NaN patterns" : "reference results"));
            if (!TryBox(result.Value, out var value)) return Skip(NeedsValues(result.Kind));
            expected.Add(value);
        }

        object? returned;
        try
        {
            returned = instance.Invoke(action.Name, args);
        }
        catch (TrapException e) when (e.Kind == TrapKind.UnsupportedFunction)
        {
            return Skip(UnsupportedFunctionReason(instance.Compiled, e));
        }
        catch (TrapException e)
        {
            return Fail($"{Call(action)} trapped \"{FirstLine(e.Message)}\"" + (results is null ? "" : $", expected ({string.Join(", ", expected)})"));
        }

        var actual = returned is object?[] many ? many.ToList() : returned is null ? new List<object?>() : new List<object?> { returned };
        if (results is not null && !actual.SequenceEqual(expected))
        {
            return Fail($"{Call(action)} = ({string.Join(", ", actual)}), expected ({string.Join(", ", expected)})");
        }

        return Pass();
    }

    private (CommandStatus, string?) ExpectTrap(WastAction action, string message)
    {
        if (!TryResolve(action, out var instance, out var args, out var outcome)) return outcome;
        try
        {
            var value = instance.Invoke(action.Name, args);
            return Fail($"{Call(action)} returned {Show(value)}, expected trap \"{message}\"");
        }
        catch (TrapException e) when (e.Kind == TrapKind.UnsupportedFunction)
        {
            return Skip(UnsupportedFunctionReason(instance.Compiled, e));
        }
        catch (TrapException e)
        {
            return e.Message.StartsWith(message, StringComparison.Ordinal)
                ? Pass()
                : Fail($"{Call(action)} trapped \"{FirstLine(e.Message)}\", expected \"{message}\"");
        }
    }

    private (CommandStatus, string?) ExpectInstantiationTrap(WastModuleDefinition definition, string message)
    {
        var (compiled, skip, fail) = Compile(definition);
        if (fail is not null) return Fail(fail);
        if (skip is not null) return Skip(skip);
        try
        {
            Instance.Create(compiled!).Dispose();
            return Fail($"the module instantiated, expected trap \"{message}\"");
        }
        catch (TrapException e) when (e.Kind == TrapKind.UnsupportedFunction)
        {
            return Skip(UnsupportedFunctionReason(compiled!, e));
        }
        catch (TrapException e)
        {
            return e.Message.StartsWith(message, StringComparison.Ordinal)
                ? Pass()
                : Fail($"instantiation trapped \"{FirstLine(e.Message)}\", expected \"{message}\"");
        }
    }

    /// <summary>Parses or decodes and compiles a module; the compiled module, or why it is skipped or failed.</summary>
    private static (CompiledModule? Compiled, string? Skip, string? Fail) Compile(WastModuleDefinition definition)
    {
        var content = definition.Load();
        Module? module;
        if (content.Kind == WastModuleKind.Binary)
        {
            var read = ModuleReader.Read(content.Binary, "binary module at line " + definition.Line);
            module = read.Module;
            if (module is null || read.Diagnostics.Any(d => d.IsError)) return (null, null, "the binary module does not read: " + First(read.Diagnostics));
        }
        else
        {
            module = content.Module;
            if (module is null || content.Diagnostics.Any(d => d.IsError)) return (null, null, "the module does not parse: " + First(content.Diagnostics));
        }

        var result = ModuleCompiler.TryCompile(module, Lenient);
        if (result.IsUnsupported) return (null, "needs " + What(result.Errors[0].Message), null);
        if (!result.Succeeded) return (null, null, "compile failed: " + string.Join("; ", result.Errors));
        return (result.Module, null, null);
    }

    /// <summary>The instance and boxed arguments of an <c>invoke</c>, or the outcome when it cannot run.</summary>
    private bool TryResolve(WastAction action, out Instance instance, out object?[] args, out (CommandStatus, string?) outcome)
    {
        instance = null!;
        args = Array.Empty<object?>();
        outcome = default;
        Target? target;
        if (action.ModuleId is null)
        {
            target = _current;
        }
        else if (!_named.TryGetValue(action.ModuleId, out target))
        {
            outcome = Fail("no module named " + action.ModuleId);
            return false;
        }

        if (target is null)
        {
            outcome = Fail("no module defined before the action");
            return false;
        }

        if (target.Instance is null)
        {
            // The module's own command already counts as failed or skipped; the commands on it are skipped for the same reason.
            outcome = Skip(target.SkipReason ?? "its module failed");
            return false;
        }

        if (action.Kind != WastActionKind.Invoke)
        {
            outcome = Skip("needs get (exported globals)");
            return false;
        }

        var list = new object?[action.Arguments.Length];
        for (var i = 0; i < list.Length; i++)
        {
            if (!TryBox(action.Arguments[i], out list[i]))
            {
                outcome = Skip(NeedsValues(action.Arguments[i].Kind));
                return false;
            }
        }

        instance = target.Instance;
        args = list;
        return true;
    }

    private static bool TryBox(WastValue value, out object? boxed)
    {
        boxed = value.Kind switch
        {
            WastValueKind.I32 => value.I32,
            WastValueKind.I64 => value.I64,
            _ => null,
        };
        return boxed is not null;
    }

    private static string NeedsValues(WastValueKind kind) => "needs " + kind switch
    {
        WastValueKind.F32 => "f32",
        WastValueKind.F64 => "f64",
        WastValueKind.V128 => "v128",
        _ => "reference",
    } + " values";

    /// <summary>"needs …" with what the compiler could not do in the function that trapped.</summary>
    private static string UnsupportedFunctionReason(CompiledModule compiled, TrapException trap)
    {
        var error = compiled.UnsupportedFunctions.FirstOrDefault(e => e.FunctionIndex == trap.FunctionIndex);
        return "needs " + (error is null ? "a function the compiler did not compile" : What(error.Message));
    }

    private static string What(string message)
        => message.EndsWith(NotSupportedSuffix, StringComparison.Ordinal) ? message.Substring(0, message.Length - NotSupportedSuffix.Length) : message;

    private static string Call(WastAction action) => $"{action.Name}({string.Join(", ", action.Arguments.Select(a => TryBox(a, out var v) ? v : a))})";

    private static string Show(object? value) => value is object?[] many ? "(" + string.Join(", ", many) + ")" : value?.ToString() ?? "nothing";

    private static string FirstLine(string text) => text.Split('\n')[0];

    private static string First(IEnumerable<Diagnostic> diagnostics) => diagnostics.FirstOrDefault(d => d.IsError)?.ToString() ?? "(no diagnostic)";

    private static int LineOf(Diagnostic diagnostic) => diagnostic.Location is TextLocation t ? t.Start.Line + 1 : 0;

    private static string Label(WastCommandKind kind) => kind switch
    {
        WastCommandKind.Module => "module",
        WastCommandKind.Register => "register",
        WastCommandKind.Action => "action",
        WastCommandKind.AssertReturn => "assert_return",
        WastCommandKind.AssertTrap => "assert_trap",
        WastCommandKind.AssertExhaustion => "assert_exhaustion",
        WastCommandKind.AssertInvalid => "assert_invalid",
        WastCommandKind.AssertMalformed => "assert_malformed",
        WastCommandKind.AssertUnlinkable => "assert_unlinkable",
        _ => "assert_uninstantiable",
    };

    private static (CommandStatus, string?) Pass() => (CommandStatus.Passed, null);

    private static (CommandStatus, string?) Skip(string reason) => (CommandStatus.Skipped, reason);

    private static (CommandStatus, string?) Fail(string reason) => (CommandStatus.Failed, reason);
}
