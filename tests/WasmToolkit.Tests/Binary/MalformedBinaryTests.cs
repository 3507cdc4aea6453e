using System.Collections.Generic;
using System.Linq;
using WasmToolkit.Binary;
using WasmToolkit.Diagnostics;
using Xunit;

namespace WasmToolkit.Tests.Binary;

/// <summary>Hand-made malformed binaries: each is rejected with the expected id at the expected offset.</summary>
public class MalformedBinaryTests
{
    public static IEnumerable<object[]> Cases() => new[]
    {
        // name, bytes, id, offset
        new object[] { "empty", "", "WASM0001", 0 },
        new object[] { "bad magic", "00 61 73 6e 01 00 00 00", "WASM0002", 0 },
        new object[] { "version 2", "00 61 73 6d 02 00 00 00", "WASM0003", 4 },
        new object[] { "overlong section size", "00 61 73 6d 01 00 00 00 01 80 80 80 80 80 00", "WASM0004", 9 },
        new object[] { "section id 14", "00 61 73 6d 01 00 00 00 0e 00", "WASM0006", 8 },
        new object[] { "section past end", "00 61 73 6d 01 00 00 00 01 05 00", "WASM0021", 10 },
        new object[] { "leftover bytes", "00 61 73 6d 01 00 00 00 01 02 00 00", "WASM0007", 11 },
        new object[] { "duplicate type section", "00 61 73 6d 01 00 00 00 01 01 00 01 01 00", "WASM0008", 11 },
        new object[] { "bad value type", "00 61 73 6d 01 00 00 00 01 04 01 60 01 7a 00", "WASM0022", 13 },
        new object[] { "bad import kind", "00 61 73 6d 01 00 00 00 02 05 01 00 00 05 00", "WASM0017", 13 },
        new object[] { "bad mutability", "00 61 73 6d 01 00 00 00 06 06 01 7f 02 41 00 0b", "WASM0018", 12 },
        new object[] { "function without code", "00 61 73 6d 01 00 00 00 01 04 01 60 00 00 03 02 01 00", "WASM0009", 18 },
        new object[] { "bad utf-8 name", "00 61 73 6d 01 00 00 00 00 02 01 ff", "WASM0012", 10 },
        new object[] { "illegal opcode", "00 61 73 6d 01 00 00 00 01 04 01 60 00 00 03 02 01 00 0a 05 01 03 00 ff 0b", "WASM0014", 23 },
        new object[] { "body without end", "00 61 73 6d 01 00 00 00 01 04 01 60 00 00 03 02 01 00 0a 05 01 03 00 01 01", "WASM0025", 25 },
        new object[] { "data segment kind 3", "00 61 73 6d 01 00 00 00 0b 02 01 03", "WASM0024", 11 },
        new object[] { "element segment kind 8", "00 61 73 6d 01 00 00 00 09 02 01 08", "WASM0023", 11 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void IsRejectedWithIdAndOffset(string name, string hex, string id, int offset)
    {
        var bytes = hex.Length == 0 ? [] : hex.Split(' ').Select(h => System.Convert.ToByte(h, 16)).ToArray();
        var result = ModuleReader.Read(bytes, new ReadOptions { Path = "case.wasm", DecodeFunctionBodies = true });
        Assert.False(result.Success, name);
        var error = result.Diagnostics.First(d => d.IsError);
        Assert.Equal(id, error.Id);
        Assert.Equal(offset, ((BinaryLocation)error.Location).Span.Start);
        Assert.StartsWith("case.wasm(0x", error.ToString());
    }
}
