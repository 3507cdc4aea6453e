using System;
using System.Linq;
using WasmToolkit.Binary;
using WasmToolkit.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace WasmToolkit.SpecTests;

/// <summary>
/// Reading a module and writing it back gives identical bytes for every module of the suite that uses
/// canonical encodings (<see cref="ModuleReadResult.UsesCanonicalEncoding"/>: shortest LEB128 integers
/// in the module's structure and no empty sections); the others still come back as equal modules.
/// </summary>
public class BinaryRoundTripTests
{
    private readonly ITestOutputHelper _output;

    public BinaryRoundTripTests(ITestOutputHelper output) => _output = output;

    [SkippableFact]
    public void CanonicalModulesReadAndWriteBackByteForByte()
    {
        var corpus = SuiteCorpus.BinaryModules(SuiteLocator.Require());
        int canonical = 0, other = 0;
        foreach (var (origin, bytes) in corpus)
        {
            var read = ModuleReader.Read(bytes);
            Assert.True(read.Success, origin + ": " + string.Join("; ", read.Diagnostics));
            var written = ModuleWriter.Write(read.Module!);
            if (read.UsesCanonicalEncoding)
            {
                canonical++;
                Assert.True(written.AsSpan().SequenceEqual(bytes), origin + ": canonical module written back differently");
            }
            else
            {
                other++;
                _output.WriteLine("not canonical: " + origin);
                Assert.Null(ModuleComparer.FindDifference(read.Module!, ModuleReader.Read(written).Module!));
                Assert.True(ModuleReader.Read(written).UsesCanonicalEncoding, origin + ": the writer's output should be canonical");
            }
        }

        _output.WriteLine($"{corpus.Count} modules: {canonical} canonical, written back byte for byte; {other} not canonical, written back as equal modules");
        Assert.True(canonical > 1500);
    }
}
