using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using WasmToolkit.Tests.Infrastructure;
using WasmToolkit.Text;
using Xunit;
using Xunit.Abstractions;

namespace WasmToolkit.Tests.Text;

/// <summary>
/// Runs the text parsers over every <c>.wast</c> of the spec suite (see <see cref="SuiteLocator"/> for
/// how the suite is found): scripts parse without diagnostics, text modules parse cleanly, and every
/// text or quoted module of <c>assert_malformed</c> is rejected with the expected message.
/// </summary>
public class SpecSuiteTextTests
{
    private readonly ITestOutputHelper _output;

    public SpecSuiteTextTests(ITestOutputHelper output) => _output = output;

    private static IEnumerable<(string File, WastParseResult Result)> ParseAll(string suite)
    {
        foreach (var file in SuiteLocator.WastFiles(suite))
        {
            // Files are bytes; the parser decodes UTF-8 itself (and would report invalid UTF-8).
            yield return (file, WastParser.Parse(File.ReadAllBytes(file), file));
        }
    }

    [SkippableFact]
    public void EveryScriptParsesWithoutDiagnostics()
    {
        var suite = SuiteLocator.Require();
        var problems = new List<string>();
        var files = 0;
        var commands = 0;
        foreach (var file in SuiteLocator.WastFiles(suite))
        {
            files++;
            try
            {
                var result = WastParser.Parse(File.ReadAllBytes(file), file);
                commands += result.Script.Commands.Length;
                problems.AddRange(result.Diagnostics.Select(d => d.ToString()));
            }
            catch (Exception e)
            {
                problems.Add(SuiteLocator.Name(suite, file) + ": unexpected exception " + e);
            }
        }

        _output.WriteLine($"{files} scripts, {commands} commands");
        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(50)));
    }

    [SkippableFact]
    public void TextModulesParseWithoutDiagnostics()
    {
        var suite = SuiteLocator.Require();
        var problems = new List<string>();
        var count = 0;
        foreach (var (file, result) in ParseAll(suite))
        {
            foreach (var command in result.Script.Commands)
            {
                var module = WastCommands.WellFormedModule(command);
                if (module is null || module.Kind == WastModuleKind.Binary) continue;
                count++;
                var content = module.Load();
                if (content.Module is null || content.Diagnostics.Length > 0)
                {
                    problems.Add($"{SuiteLocator.Name(suite, file)}:{module.Line}: {string.Join("; ", content.Diagnostics)}");
                }
            }
        }

        _output.WriteLine($"{count} text and quoted modules parsed");
        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(50)));
    }

    [SkippableFact]
    public void MalformedTextModulesAreRejectedWithTheSuitesMessage()
    {
        var suite = SuiteLocator.Require();
        var undetected = new List<string>();
        var wrongMessage = new List<string>();
        var count = 0;
        foreach (var (file, result) in ParseAll(suite))
        {
            foreach (var command in result.Script.Commands.OfType<WastAssertModuleCommand>())
            {
                if (command.Kind != WastCommandKind.AssertMalformed || command.Module.Kind == WastModuleKind.Binary) continue;
                count++;
                var content = command.Module.Load();
                if (content.Diagnostics.IsEmpty) undetected.Add($"{SuiteLocator.Name(suite, file)}:{command.Line}: expected \"{command.Message}\"");
                else if (!content.Diagnostics.Any(d => d.Message.Contains(command.Message, StringComparison.Ordinal)))
                {
                    wrongMessage.Add($"{SuiteLocator.Name(suite, file)}:{command.Line}: expected \"{command.Message}\", got \"{content.Diagnostics[0].Message}\"");
                }
            }
        }

        _output.WriteLine($"{count} malformed text modules, {count - undetected.Count} rejected, {count - undetected.Count - wrongMessage.Count} with the suite's message");
        Assert.True(undetected.Count == 0, "accepted malformed modules:\n" + string.Join("\n", undetected.Take(50)));
        Assert.True(wrongMessage.Count == 0, "rejected with another message:\n" + string.Join("\n", wrongMessage.Take(50)));
    }

    [SkippableFact]
    public void FloatConstantsAgreeWithTheirExpectedResults()
    {
        // const.wast and float_literals.wast pair a module returning one literal with an
        // assert_return of the exactly rounded value: both go through the literal parser.
        var suite = SuiteLocator.Require();
        var checkedPairs = 0;
        foreach (var name in new[] { "const.wast", "float_literals.wast" })
        {
            var result = WastParser.Parse(File.ReadAllBytes(Path.Combine(suite, name)), name);
            Module? current = null;
            foreach (var command in result.Script.Commands)
            {
                if (command is WastModuleCommand m) current = m.Module.Module;
                if (command is not WastAssertReturnCommand r || current is null || current.Functions.Length != 1 || r.Results.Length != 1 || !r.Results[0].IsExact) continue;
                var code = current.Functions[0].Code.Span;
                var expected = r.Results[0].Value;
                if (expected.Kind == WastValueKind.F32 && code.Length == 6 && code[0] == 0x43)
                {
                    Assert.Equal((uint)expected.Bits, System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(code.Slice(1)));
                    checkedPairs++;
                }
                else if (expected.Kind == WastValueKind.F64 && code.Length == 10 && code[0] == 0x44)
                {
                    Assert.Equal(expected.Bits, System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(code.Slice(1)));
                    checkedPairs++;
                }
            }
        }

        _output.WriteLine($"{checkedPairs} literal/result pairs agree");
        Assert.True(checkedPairs > 100);
    }
}
