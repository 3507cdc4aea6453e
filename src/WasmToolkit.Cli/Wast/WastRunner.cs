using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using WasmToolkit.Binary;
using WasmToolkit.Diagnostics;
using WasmToolkit.Text;
using WasmToolkit.Validation;

namespace WasmToolkit.Cli.Wast;

/// <summary>
/// Runs <c>.wast</c> scripts (the spec test suite's format). Commands about modules (decoding,
/// validation, <c>assert_malformed</c>, <c>assert_invalid</c>) run on the front end; modules that pass it
/// are then compiled and instantiated on the runtime, and <c>invoke</c>, <c>get</c>, <c>assert_return</c>,
/// <c>assert_trap</c>, <c>assert_exhaustion</c> and <c>assert_uninstantiable</c> run on it where it supports
/// them (see <see cref="WastExecution"/>). What it cannot do yet is skipped with the reason ("needs …").
/// </summary>
/// <remarks>
/// Strictness: <c>assert_malformed</c> passes only when the decoder or text parser rejects the module
/// (a module that parses and is merely invalid fails it); <c>assert_invalid</c> passes only when the
/// module is well formed and the validator rejects it. Expected messages are compared by substring
/// and a mismatch is reported in the reason but does not fail the command (the suite's wording is the
/// reference interpreter's, not a contract).
/// </remarks>
public sealed class WastRunner
{
    private static readonly UTF8Encoding s_utf8 = new(false, false);
    private readonly WastRunOptions _options;

    public WastRunner(WastRunOptions? options = null) => _options = options ?? new WastRunOptions();

    /// <summary>Runs the script at <paramref name="path"/> (read as bytes, decoded as UTF-8).</summary>
    public WastFileResult RunFile(string path) => RunText(s_utf8.GetString(File.ReadAllBytes(path)), path);

    /// <summary>Runs a script given as text.</summary>
    public WastFileResult RunText(string text, string path)
    {
        var outcomes = new List<WastOutcome>();
        WastParseResult parsed;
        try
        {
            parsed = WastParser.Parse(text, path);
        }
        catch (Exception e)
        {
            outcomes.Add(new WastOutcome(0, WastCommandKind.Module, WastStatus.Failed, "script parser threw " + e.GetType().Name + ": " + e.Message));
            return new WastFileResult(path, outcomes);
        }

        foreach (var error in parsed.Diagnostics.Where(d => d.IsError))
        {
            outcomes.Add(new WastOutcome(LineOf(error), WastCommandKind.Module, WastStatus.Failed, "script does not parse: " + error));
        }

        using var execution = new WastExecution(_options.Strict, _options.CompileMode);
        foreach (var command in parsed.Script.Commands)
        {
            WastOutcome outcome;
            try
            {
                outcome = Run(command, execution);
            }
            catch (Exception e)
            {
                // An exception on any input is a bug: report it as a failure of this command and go on.
                outcome = new WastOutcome(command.Line, command.Kind, WastStatus.Failed, "unexpected " + e.GetType().Name + ": " + e.Message);
            }

            outcomes.Add(outcome);
        }

        return new WastFileResult(path, outcomes);
    }

    private WastOutcome Run(WastCommand command, WastExecution execution)
    {
        switch (command)
        {
            case WastModuleCommand m:
                return RunModule(command, m.Module, execution);
            case WastAssertModuleCommand a when a.Kind == WastCommandKind.AssertMalformed:
                return RunAssertMalformed(command, a.Module, a.Message);
            case WastAssertModuleCommand a when a.Kind == WastCommandKind.AssertInvalid:
                return RunAssertInvalid(command, a.Module, a.Message);
            case WastAssertModuleCommand a when a.Kind == WastCommandKind.AssertUninstantiable:
                return ValidModuleThen(command, a.Module, module => execution.ExpectInstantiationTrap(module, a.Message));
            case WastAssertModuleCommand a:
                // assert_unlinkable: the module itself must be valid, then linking must fail.
                return ValidModuleThen(command, a.Module, module => execution.ExpectLinkError(module, a.Message));
            case WastAssertTrapCommand { Module: { } module } t:
                return ValidModuleThen(command, module, m => execution.ExpectInstantiationTrap(m, t.Message));
            case WastAssertTrapCommand { Action: { } action } t:
                return Outcome(command, execution.ExpectTrap(action, t.Message));
            case WastAssertExhaustionCommand e:
                return Outcome(command, execution.ExpectTrap(e.Action, e.Message));
            case WastAssertReturnCommand r:
                return Outcome(command, execution.Act(r.Action, r.Results));
            case WastActionCommand a:
                return Outcome(command, execution.Act(a.Action, null));
            case WastRegisterCommand r:
                return Outcome(command, execution.Register(r.Name, r.ModuleId));
            default:
                return Outcome(command, WastStatus.Failed, "unexpected command " + command);
        }
    }

    private WastOutcome RunModule(WastCommand command, WastModuleDefinition definition, WastExecution execution)
    {
        var outcome = RunModuleFrontEnd(command, definition, out var module);
        if (module is null || outcome.Status != WastStatus.Passed)
        {
            execution.DefineFailed(definition);
            return outcome;
        }

        // A module the runtime cannot run still passed the front end; the commands on it skip with the reason.
        return execution.Define(definition, module) is { } failure ? Outcome(command, WastStatus.Failed, failure) : outcome;
    }

    private WastOutcome RunModuleFrontEnd(WastCommand command, WastModuleDefinition definition, out Module? loaded)
    {
        loaded = null;
        var (module, problem, sourceMap) = Load(definition);
        if (module is null) return Outcome(command, WastStatus.Failed, "a valid module was rejected as malformed: " + problem);
        var validated = ModuleValidator.Validate(module, _options.Features);
        if (!validated.IsValid) return Outcome(command, WastStatus.Failed, "a valid module was rejected as invalid: " + First(validated.Diagnostics, sourceMap));
        if (_options.CheckRoundTrips && CheckRoundTrips(module) is { } roundTrip) return Outcome(command, WastStatus.Failed, roundTrip);
        loaded = module;
        return Outcome(command, WastStatus.Passed, null);
    }

    private WastOutcome RunAssertMalformed(WastCommand command, WastModuleDefinition definition, string expected)
    {
        var (module, problem, sourceMap) = Load(definition);
        if (module is null) return Outcome(command, WastStatus.Passed, MessageNote(problem, expected));
        var validated = ModuleValidator.Validate(module, _options.Features);
        return validated.IsValid
            ? Outcome(command, WastStatus.Failed, $"a malformed module (\"{expected}\") was accepted")
            : Outcome(command, WastStatus.Failed, $"a malformed module (\"{expected}\") was decoded and only the validator rejected it: {First(validated.Diagnostics, sourceMap)}");
    }

    private WastOutcome RunAssertInvalid(WastCommand command, WastModuleDefinition definition, string expected)
    {
        var (module, problem, sourceMap) = Load(definition);
        if (module is null) return Outcome(command, WastStatus.Failed, $"an invalid module (\"{expected}\") was rejected as malformed: {problem}");
        var validated = ModuleValidator.Validate(module, _options.Features);
        return validated.IsValid
            ? Outcome(command, WastStatus.Failed, $"an invalid module (\"{expected}\") was accepted")
            : Outcome(command, WastStatus.Passed, MessageNote(First(validated.Diagnostics, sourceMap), expected));
    }

    /// <summary>The module must load and validate; then <paramref name="run"/> decides the outcome.</summary>
    private WastOutcome ValidModuleThen(WastCommand command, WastModuleDefinition definition, Func<Module, (WastStatus, string?)> run)
    {
        var (module, problem, sourceMap) = Load(definition);
        if (module is null) return Outcome(command, WastStatus.Failed, "the module was rejected as malformed: " + problem);
        var validated = ModuleValidator.Validate(module, _options.Features);
        if (!validated.IsValid) return Outcome(command, WastStatus.Failed, "the module was rejected as invalid: " + First(validated.Diagnostics, sourceMap));
        return Outcome(command, run(module));
    }

    /// <summary>
    /// Decodes or parses a module definition; the module, or null and the first error; and for text the
    /// source map that puts validation diagnostics at lines of the script.
    /// </summary>
    private (Module? Module, string Problem, TextSourceMap SourceMap) Load(WastModuleDefinition definition)
    {
        var content = definition.Load(_options.Features);
        if (content.Kind == WastModuleKind.Binary)
        {
            var read = ModuleReader.Read(content.Binary, new ReadOptions { Path = "binary module at line " + definition.Line, Features = _options.Features, DecodeFunctionBodies = true });
            return read.Module is { } m && !read.Diagnostics.Any(d => d.IsError) ? (m, "", TextSourceMap.Empty) : (null, First(read.Diagnostics), TextSourceMap.Empty);
        }

        return content.Module is { } module && !content.Diagnostics.Any(d => d.IsError)
            ? (module, "", content.SourceMap)
            : (null, First(content.Diagnostics), TextSourceMap.Empty);
    }

    /// <summary>Binary write → read and text print → parse must give the module back; the difference otherwise.</summary>
    private string? CheckRoundTrips(Module module)
    {
        var bytes = ModuleWriter.Write(module);
        var read = ModuleReader.Read(bytes, new ReadOptions { Features = _options.Features });
        if (read.Module is null) return "binary round trip: the written module does not read back: " + First(read.Diagnostics);
        if (ModuleComparer.FindDifference(module, read.Module) is { } binaryDifference) return "binary round trip: " + binaryDifference;

        var text = ModulePrinter.Print(module);
        var parsed = TextModuleParser.Parse(text, "printed module");
        if (parsed.Module is null || parsed.Diagnostics.Any(d => d.IsError)) return "text round trip: the printed module does not parse: " + First(parsed.Diagnostics);

        // Custom sections are printed as comments, names come back from $identifiers, and the text format has no
        // data count section (the parser derives it), so compare without them.
        if (ModuleComparer.FindDifference(module, parsed.Module, compareCustomSections: false, compareDataCount: false) is { } textDifference) return "text round trip: " + textDifference;
        return null;
    }

    private static string MessageNote(string actual, string expected)
        => actual.IndexOf(expected, StringComparison.Ordinal) >= 0 ? "" : $"(message differs: expected \"{expected}\", got {actual})";

    private static string First(IEnumerable<Diagnostic> diagnostics)
        => diagnostics.FirstOrDefault(d => d.IsError)?.ToString() ?? "(no diagnostic)";

    /// <summary>The first error, at its place in the text for a text module (only it is shown, so only it is mapped).</summary>
    private static string First(IEnumerable<Diagnostic> diagnostics, TextSourceMap sourceMap)
        => diagnostics.FirstOrDefault(d => d.IsError) is { } d ? sourceMap.Remap(d).ToString() : "(no diagnostic)";

    private static int LineOf(Diagnostic d) => d.Location is TextLocation t ? t.Start.Line + 1 : 0;

    private static WastOutcome Outcome(WastCommand command, (WastStatus Status, string? Reason) outcome) => Outcome(command, outcome.Status, outcome.Reason);

    private static WastOutcome Outcome(WastCommand command, WastStatus status, string? reason)
        => new(command.Line, command.Kind, status, string.IsNullOrEmpty(reason) ? null : reason);
}
