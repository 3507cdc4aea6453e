using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using WasmToolkit.Binary;
using WasmToolkit.Compiler;
using WasmToolkit.Text;
using WasmToolkit.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace WasmToolkit.Runtime.Tests;

/// <summary>
/// The float scripts of the official spec suite on the x64 backend, with f32/f64 arguments and results compared
/// bit for bit and <c>nan:canonical</c> / <c>nan:arithmetic</c> patterns checked. A small runner of its own, stricter than
/// <c>wasmtk wast</c>'s (every module must compile in full, without the lenient mode): modules, <c>invoke</c>, <c>assert_return</c>,
/// <c>assert_trap</c>; every other command is skipped. Every module of these scripts must compile in full, and
/// nothing may fail.
/// </summary>
public class FloatSpecSuiteTests
{
    internal static readonly string[] Scripts =
    {
        "f32", "f64", "f32_bitwise", "f64_bitwise", "f32_cmp", "f64_cmp", "conversions", "float_exprs", "float_misc",
        "float_literals", "float_memory",
    };

    private readonly ITestOutputHelper _output;

    public FloatSpecSuiteTests(ITestOutputHelper output) => _output = output;

    [SkippableFact]
    public void FloatScriptsRunOnTheRuntime()
    {
        var suite = SuiteLocator.Require();
        var failures = new StringBuilder();
        int passed = 0, skipped = 0, failed = 0;
        foreach (var script in Scripts)
        {
            var path = Path.Combine(suite, script + ".wast");
            Assert.True(File.Exists(path), "missing " + path);
            var (p, s, f) = RunFile(path, script, failures);
            _output.WriteLine($"{script}.wast: {p} passed, {f} failed, {s} skipped");
            passed += p;
            skipped += s;
            failed += f;
        }

        _output.WriteLine($"total: {passed} passed, {failed} failed, {skipped} skipped");
        _output.WriteLine(failures.ToString());
        Assert.True(failures.Length == 0, "Failed commands:\n" + failures);
        Assert.True(passed > 3000, $"only {passed} commands passed");
    }

    /// <summary>
    /// The integer-subset scripts again, with their f32/f64 commands now run too (address, endianness, left-to-right,
    /// select, traps, …). Here modules may use what the compiler lacks: they compile with
    /// <see cref="CompilerOptions.TrapOnUnsupportedFunctions"/>, and unsupported modules or functions are skips.
    /// </summary>
    [SkippableFact]
    public void FloatCommandsOfTheIntegerSubsetScriptsRun()
    {
        var suite = SuiteLocator.Require();
        var failures = new StringBuilder();
        int passed = 0, skipped = 0;
        foreach (var script in SpecSuiteTests.Scripts)
        {
            var (p, s, _) = RunFile(Path.Combine(suite, script + ".wast"), script, failures, lenient: true);
            passed += p;
            skipped += s;
        }

        _output.WriteLine($"total: {passed} passed, {skipped} skipped");
        Assert.True(failures.Length == 0, "Failed commands:\n" + failures);
    }

    private static readonly CompilerOptions Lenient = new() { TrapOnUnsupportedFunctions = true };

    private sealed class SkipException : Exception
    {
    }

    private static (int Passed, int Skipped, int Failed) RunFile(string path, string name, StringBuilder failures, bool lenient = false)
    {
        var parsed = WastParser.Parse(File.ReadAllBytes(path), path);
        int passed = 0, skipped = 0, failed = 0;
        foreach (var d in parsed.Diagnostics.Where(d => d.IsError))
        {
            failures.AppendLine($"{name}: parser: {d}");
            failed++;
        }

        var instances = new List<Instance>();
        Instance? current = null;
        try
        {
            foreach (var command in parsed.Script.Commands)
            {
                string? failure = null;
                var ran = true;
                try
                {
                    switch (command)
                    {
                        case WastModuleCommand m:
                            current = null;
                            var module = Load(m.Module);
                            var result = lenient ? ModuleCompiler.TryCompile(module, Lenient) : ModuleCompiler.TryCompile(module);
                            if (lenient && result.IsUnsupported) throw new SkipException();
                            if (!result.Succeeded)
                            {
                                failure = "compile: " + string.Join("; ", result.Errors);
                                break;
                            }

                            try
                            {
                                current = Instance.Create(result.Module!);
                            }
                            catch (TrapException e) when (lenient && e.Kind == TrapKind.UnsupportedFunction)
                            {
                                throw new SkipException();
                            }

                            instances.Add(current);
                            break;
                        case WastActionCommand a when a.Action.Kind == WastActionKind.Invoke && a.Action.ModuleId is null:
                            if (current is null) failure = lenient ? throw new SkipException() : "no instance";
                            else current.Invoke(a.Action.Name, Args(a.Action));
                            break;
                        case WastAssertReturnCommand r when r.Action.Kind == WastActionKind.Invoke && r.Action.ModuleId is null:
                            if (current is null)
                            {
                                if (lenient) throw new SkipException();
                                failure = "no instance";
                                break;
                            }

                            var returned = current.Invoke(r.Action.Name, Args(r.Action));
                            var actual = returned is object?[] many ? many : returned is null ? Array.Empty<object?>() : new[] { returned };
                            if (actual.Length != r.Results.Length) failure = $"{actual.Length} results";
                            for (var i = 0; failure is null && i < actual.Length; i++)
                            {
                                if (!Matches(r.Results[i], actual[i])) failure = $"{r.Action.Name}({string.Join(", ", r.Action.Arguments.Select(Show))}) = {Show(actual[i])}, expected {Show(r.Results[i])}";
                            }

                            break;
                        case WastAssertTrapCommand { Action: { } action } t when action.Kind == WastActionKind.Invoke && action.ModuleId is null:
                            if (current is null)
                            {
                                if (lenient) throw new SkipException();
                                failure = "no instance";
                                break;
                            }

                            try
                            {
                                current.Invoke(action.Name, Args(action));
                                failure = $"{action.Name} did not trap, expected \"{t.Message}\"";
                            }
                            catch (TrapException e) when (e.Message.StartsWith(t.Message, StringComparison.Ordinal))
                            {
                            }
                            catch (TrapException e) when (e.Kind == TrapKind.UnsupportedFunction && lenient)
                            {
                                throw new SkipException();
                            }

                            break;
                        default:
                            ran = false;
                            break;
                    }
                }
                catch (SkipException)
                {
                    ran = false;
                }
                catch (TrapException e) when (e.Kind == TrapKind.UnsupportedFunction && lenient)
                {
                    ran = false;
                }
                catch (NotSupportedException) when (lenient)
                {
                    // Reference or vector values.
                    ran = false;
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    failure = e.GetType().Name + ": " + e.Message.Split('\n')[0];
                }

                if (failure is not null && ran)
                {
                    failed++;
                    failures.AppendLine($"{name}.wast:{command.Line}: {failure}");
                }
                else if (ran)
                {
                    passed++;
                }
                else
                {
                    skipped++;
                }
            }
        }
        finally
        {
            foreach (var instance in instances) instance.Dispose();
        }

        return (passed, skipped, failed);
    }

    private static Module Load(WastModuleDefinition definition)
    {
        var content = definition.Load();
        if (content.Kind == WastModuleKind.Binary)
        {
            var read = ModuleReader.Read(content.Binary, "binary module");
            return read.Module ?? throw new InvalidOperationException("binary module does not read");
        }

        return content.Module ?? throw new InvalidOperationException("module does not parse");
    }

    private static object?[] Args(WastAction action) => action.Arguments.Select(Box).ToArray();

    private static object? Box(WastValue v) => v.Kind switch
    {
        WastValueKind.I32 => (object)v.I32,
        WastValueKind.I64 => (object)v.I64,
        WastValueKind.F32 => (object)BitConverter.UInt32BitsToSingle((uint)v.Bits),
        WastValueKind.F64 => (object)BitConverter.UInt64BitsToDouble(v.Bits),
        _ => throw new NotSupportedException(v.Kind.ToString()),
    };

    private static bool Matches(WastResult expected, object? actual)
    {
        switch (expected.Kind)
        {
            case WastValueKind.I32: return actual is int i && i == expected.Value.I32;
            case WastValueKind.I64: return actual is long l && l == expected.Value.I64;
            case WastValueKind.F32:
            {
                if (actual is not float f) return false;
                var bits = BitConverter.SingleToUInt32Bits(f);
                return expected.Nan switch
                {
                    WastNanPattern.Canonical => (bits & 0x7FFFFFFF) == 0x7FC00000,
                    WastNanPattern.Arithmetic => (bits & 0x7FC00000) == 0x7FC00000,
                    _ => bits == (uint)expected.Value.Bits,
                };
            }

            case WastValueKind.F64:
            {
                if (actual is not double d) return false;
                var bits = BitConverter.DoubleToUInt64Bits(d);
                return expected.Nan switch
                {
                    WastNanPattern.Canonical => (bits & 0x7FFFFFFFFFFFFFFF) == 0x7FF8000000000000,
                    WastNanPattern.Arithmetic => (bits & 0x7FF8000000000000) == 0x7FF8000000000000,
                    _ => bits == expected.Value.Bits,
                };
            }

            default: return false;
        }
    }

    private static string Show(WastValue v) => v.Kind switch
    {
        WastValueKind.F32 => $"f32:0x{(uint)v.Bits:x8}",
        WastValueKind.F64 => $"f64:0x{v.Bits:x16}",
        _ => Box(v)?.ToString() ?? "?",
    };

    private static string Show(WastResult r) => r.Nan != WastNanPattern.None ? "nan:" + r.Nan : Show(r.Value);

    private static string Show(object? o) => o switch
    {
        float f => $"f32:0x{BitConverter.SingleToUInt32Bits(f):x8}",
        double d => $"f64:0x{BitConverter.DoubleToUInt64Bits(d):x16}",
        _ => o?.ToString() ?? "nothing",
    };
}
