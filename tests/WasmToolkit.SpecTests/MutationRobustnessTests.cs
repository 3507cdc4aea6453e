using System;
using System.Linq;
using WasmToolkit.Binary;
using WasmToolkit.Tests.Infrastructure;
using WasmToolkit.Text;
using WasmToolkit.Validation;
using Xunit;
using Xunit.Abstractions;

namespace WasmToolkit.SpecTests;

/// <summary>
/// Bad input never throws and every rejection carries a diagnostic: every module of the suite is
/// truncated at every byte and has random bits flipped (fixed seed), and every text module gets random
/// edits; each variant goes through reader (or parser) and validator.
/// </summary>
public class MutationRobustnessTests
{
    private const int Seed = 20261125;
    private readonly ITestOutputHelper _output;

    public MutationRobustnessTests(ITestOutputHelper output) => _output = output;

    [SkippableFact]
    public void TruncatedAndBitFlippedBinariesGiveDiagnosticsNotExceptions()
    {
        var corpus = SuiteCorpus.BinaryModules(SuiteLocator.Require());
        Assert.True(corpus.Count > 1000, "expected the suite's modules, found " + corpus.Count);
        var random = new Random(Seed);
        long variants = 0, rejected = 0;
        foreach (var (origin, bytes) in corpus)
        {
            for (var length = 0; length < bytes.Length; length++)
            {
                rejected += Check(origin + " truncated to " + length, bytes.AsSpan(0, length).ToArray()) ? 0 : 1;
                variants++;
            }

            for (var i = 0; i < 24 && bytes.Length > 8; i++)
            {
                var mutated = (byte[])bytes.Clone();
                var flips = 1 + random.Next(3);
                for (var k = 0; k < flips; k++)
                {
                    var at = 8 + random.Next(mutated.Length - 8);
                    mutated[at] ^= (byte)(1 << random.Next(8));
                }

                rejected += Check($"{origin} flip #{i}", mutated) ? 0 : 1;
                variants++;
            }
        }

        _output.WriteLine($"{corpus.Count} modules, {variants} variants, {rejected} rejected with diagnostics, the rest decoded (and validated) cleanly");
        Assert.True(variants > 100_000);
    }

    /// <summary>Reads and validates; true when accepted. Throws (failing the test) on a rejection without an error.</summary>
    private static bool Check(string what, byte[] bytes)
    {
        ModuleReadResult read;
        try
        {
            read = ModuleReader.Read(bytes, new ReadOptions { DecodeFunctionBodies = true });
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"{what}: the reader threw {e}");
        }

        if (read.Module is null)
        {
            Assert.True(read.Diagnostics.Any(d => d.IsError), what + ": rejected without an error diagnostic");
            return false;
        }

        ValidatedModule validated;
        try
        {
            validated = ModuleValidator.Validate(read.Module);
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"{what}: the validator threw {e}");
        }

        Assert.True(validated.IsValid || validated.Diagnostics.Any(d => d.IsError), what + ": invalid without an error diagnostic");
        return validated.IsValid;
    }

    [SkippableFact]
    public void MutatedTextGivesDiagnosticsNotExceptions()
    {
        var corpus = SuiteCorpus.TextModules(SuiteLocator.Require());
        Assert.True(corpus.Count > 1000, "expected the suite's text modules, found " + corpus.Count);
        var random = new Random(Seed);
        const string alphabet = "()$\";.-+_0123456789abcdefxpnai \n\t\u0001\u00e9\u2028";
        var variants = 0;
        foreach (var (origin, text) in corpus)
        {
            for (var i = 0; i < 12; i++)
            {
                var chars = text.ToCharArray().ToList();
                var edits = 1 + random.Next(4);
                for (var k = 0; k < edits && chars.Count > 0; k++)
                {
                    var at = random.Next(chars.Count);
                    switch (random.Next(4))
                    {
                        case 0: chars.RemoveAt(at); break;
                        case 1: chars.Insert(at, alphabet[random.Next(alphabet.Length)]); break;
                        case 2: chars[at] = alphabet[random.Next(alphabet.Length)]; break;
                        default: chars.RemoveRange(at, chars.Count - at); break;
                    }
                }

                var mutated = new string(chars.ToArray());
                var what = $"{origin} edit #{i}";
                TextParseResult parsed;
                try
                {
                    parsed = TextModuleParser.Parse(mutated, "mutated.wat");
                }
                catch (Exception e)
                {
                    throw new Xunit.Sdk.XunitException($"{what}: the parser threw {e}\n--- text ---\n{mutated}");
                }

                if (parsed.Module is null)
                {
                    Assert.True(parsed.Diagnostics.Any(d => d.IsError), what + ": rejected without an error diagnostic");
                }
                else
                {
                    try
                    {
                        ModuleValidator.Validate(parsed.Module);
                    }
                    catch (Exception e)
                    {
                        throw new Xunit.Sdk.XunitException($"{what}: the validator threw {e}");
                    }
                }

                variants++;
            }
        }

        _output.WriteLine($"{corpus.Count} text modules, {variants} variants parsed without exceptions");
    }
}
