using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using WasmToolkit.Compiler.Arm64;
using WasmToolkit.Tests;
using WasmToolkit.Tests.Infrastructure;
using Xunit;

namespace WasmToolkit.Compiler.Tests.Arm64;

/// <summary>
/// Golden A64 encodings, after cranelift's <c>emit_tests.rs</c>: each line of <c>Arm64EncodingTable.txt</c> beside this
/// file is <c>instruction | hex | text</c>. <see cref="Row"/> (one test per line, named by its line number) parses the
/// instruction (<see cref="Arm64RowParser"/>), encodes it with <see cref="Arm64Encoder"/> and expects the hex word, then
/// prints the word with <see cref="Arm64Disassembler"/> at address <see cref="RowAddress"/> and expects the text; a row
/// whose hex is <c>error</c> expects <c>TryEncode</c> to refuse with that message (and <c>Encode</c> to throw it).
/// <see cref="ObjdumpReadsTheTableAlike"/> assembles every encodable row into one binary, disassembles it once with
/// <c>aarch64-linux-gnu-objdump -D -b binary -m aarch64</c> and compares objdump's text with each row's (objdump's
/// branch targets are absolute: they are rebased to <see cref="RowAddress"/>; its <c>//</c> comments are dropped).
/// </summary>
/// <remarks>
/// To add rows, write the instruction column only and run
/// <c>VERIFY_ACCEPT=1 dotnet test tests/WasmToolkit.Compiler.Tests -c Release --filter Arm64GoldenTests</c>:
/// <see cref="TableIsUpToDate"/> rewrites the hex and text columns. Review the diff; the objdump test keeps the
/// blessed text honest.
/// </remarks>
public class Arm64GoldenTests
{
    /// <summary>The address rows are printed at, so pc-relative targets read as <c>0x10000 + offset</c>.</summary>
    public const ulong RowAddress = 0x10000;

    private static readonly string TablePath = Path.Combine(TestPaths.RepositoryRoot, "tests", "WasmToolkit.Compiler.Tests", "Arm64", "Arm64EncodingTable.txt");

    private sealed record TableRow(int Line, string Instruction, string Hex, string Text);

    private static readonly Lazy<IReadOnlyList<TableRow>> Rows = new(ReadRows);

    public static TheoryData<int, string> RowData()
    {
        var data = new TheoryData<int, string>();
        foreach (var row in Rows.Value) data.Add(row.Line, row.Instruction);
        return data;
    }

    [Theory]
    [MemberData(nameof(RowData))]
    public void Row(int line, string instruction)
    {
        var row = Rows.Value.Single(r => r.Line == line);
        var instr = Arm64RowParser.Parse(instruction);
        if (row.Hex == "error")
        {
            Assert.False(Arm64Encoder.TryEncode(instr, out _, out var error), $"line {line}: '{instruction}' encoded, but the table expects an error");
            Assert.Equal(row.Text, error);
            var thrown = Assert.Throws<Arm64EncodingException>(() => Arm64Encoder.Encode(instr));
            Assert.Equal(row.Text, thrown.Message);
            return;
        }

        Assert.True(Arm64Encoder.TryEncode(instr, out var word, out var message), $"line {line}: {message}");
        Assert.Equal(row.Hex, word.ToString("x8", CultureInfo.InvariantCulture));
        Assert.Equal(row.Text, Arm64Disassembler.Format(word, RowAddress));
    }

    [Fact]
    public void TableIsUpToDate()
    {
        var builder = new StringBuilder();
        foreach (var line in File.ReadAllLines(TablePath))
        {
            if (IsComment(line))
            {
                builder.Append(line).Append('\n');
                continue;
            }

            var instruction = line.Split('|')[0].Trim();
            var (hex, text) = Compute(instruction);
            builder.Append(instruction.PadRight(40)).Append(" | ").Append(hex.PadRight(8)).Append(" | ").Append(text).Append('\n');
        }

        Snapshot.MatchFile(builder.ToString(), TablePath);
    }

    [Fact]
    public void TableCoversEveryCode()
    {
        var used = new HashSet<string>(Rows.Value.Where(r => r.Hex != "error").Select(r => r.Instruction.Split(' ')[0]));
        var missing = Enum.GetNames<Arm64Code>().Where(n => n != nameof(Arm64Code.Invalid) && !used.Contains(n)).ToList();
        Assert.True(missing.Count == 0, "Codes without an encodable golden row: " + string.Join(", ", missing));
    }

    [SkippableFact]
    public void ObjdumpReadsTheTableAlike()
    {
        var objdump = FindTool("aarch64-linux-gnu-objdump")
            ?? throw Prerequisite.Missing("aarch64-linux-gnu-objdump is not installed (Debian package binutils-aarch64-linux-gnu); the golden rows were not cross-checked.");
        var rows = Rows.Value.Where(r => r.Hex != "error").ToList();
        var bytes = new byte[rows.Count * 4];
        for (var i = 0; i < rows.Count; i++)
        {
            var word = Arm64Encoder.Encode(Arm64RowParser.Parse(rows[i].Instruction));
            BitConverter.TryWriteBytes(bytes.AsSpan(i * 4), word);
        }

        var file = Path.Combine(Path.GetTempPath(), $"wasmtk-a64-golden-{Environment.ProcessId}.bin");
        File.WriteAllBytes(file, bytes);
        string output;
        try
        {
            output = Run(objdump, $"-D -b binary -m aarch64 \"{file}\"");
        }
        finally
        {
            File.Delete(file);
        }

        var listing = new Dictionary<ulong, string>();
        foreach (Match m in Regex.Matches(output, @"^\s*([0-9a-f]+):\t([0-9a-f]{8}) \t(.*)$", RegexOptions.Multiline))
        {
            listing[ulong.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture)] = m.Groups[3].Value;
        }

        var mismatches = new List<string>();
        for (var i = 0; i < rows.Count; i++)
        {
            var address = (ulong)i * 4;
            var theirs = listing.TryGetValue(address, out var text) ? Normalize(text, address) : "<missing from objdump output>";
            if (theirs != rows[i].Text) mismatches.Add($"line {rows[i].Line}: {rows[i].Instruction}\n    table:   {rows[i].Text}\n    objdump: {theirs}");
        }

        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {rows.Count} rows read differently by objdump:\n" + string.Join("\n", mismatches));
    }

    /// <summary>objdump's text with whitespace collapsed, comments dropped and an absolute pc-relative target rebased to <see cref="RowAddress"/>.</summary>
    private static string Normalize(string text, ulong address)
    {
        var comment = text.IndexOf("//", StringComparison.Ordinal);
        if (comment >= 0) text = text.Substring(0, comment);
        text = Regex.Replace(text.Replace('\t', ' '), " +", " ").Trim();
        var target = Regex.Match(text, @"(?<=[ ,])0x([0-9a-f]+)$");
        if (target.Success && !text.Contains('#') || target.Success && text.StartsWith("tb", StringComparison.Ordinal))
        {
            var absolute = ulong.Parse(target.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var rebased = text.StartsWith("adrp", StringComparison.Ordinal)
                ? absolute - (address & ~0xFFFUL) + RowAddress
                : absolute - address + RowAddress;
            text = text.Substring(0, target.Index) + "0x" + rebased.ToString("x", CultureInfo.InvariantCulture);
        }

        return text;
    }

    private static (string Hex, string Text) Compute(string instruction)
    {
        var parsed = Arm64RowParser.Parse(instruction);
        return Arm64Encoder.TryEncode(parsed, out var word, out var error)
            ? (word.ToString("x8", CultureInfo.InvariantCulture), Arm64Disassembler.Format(word, RowAddress))
            : ("error", error!);
    }

    private static bool IsComment(string line) => line.Length == 0 || line.StartsWith("//", StringComparison.Ordinal);

    private static IReadOnlyList<TableRow> ReadRows()
    {
        var rows = new List<TableRow>();
        var lines = File.ReadAllLines(TablePath);
        for (var i = 0; i < lines.Length; i++)
        {
            if (IsComment(lines[i])) continue;
            var parts = lines[i].Split('|');
            rows.Add(new TableRow(i + 1, parts[0].Trim(), parts.Length > 1 ? parts[1].Trim() : "", parts.Length > 2 ? string.Join("|", parts.Skip(2)).Trim() : ""));
        }

        return rows;
    }

    internal static string? FindTool(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            if (dir.Length == 0) continue;
            var path = Path.Combine(dir, name);
            if (File.Exists(path)) return path;
        }

        return null;
    }

    private static string Run(string tool, string arguments)
    {
        var start = new ProcessStartInfo(tool, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{tool} {arguments} failed ({process.ExitCode}): {stderr}");
        return stdout.Result;
    }
}
