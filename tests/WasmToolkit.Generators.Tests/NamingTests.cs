using Xunit;

namespace WasmToolkit.Generators.Tests;

/// <summary>WebAssembly names to C# identifiers, and the attribute path's suffix match.</summary>
public class NamingTests
{
    [Theory]
    [InlineData("add", "Add")]
    [InlineData("add_scaled", "AddScaled")]
    [InlineData("echo-ref", "EchoRef")]
    [InlineData("get.value", "GetValue")]
    [InlineData("_start", "Start")]
    [InlineData("2x", "_2x")]
    [InlineData("", "_")]
    [InlineData("---", "_")]
    [InlineData("memory", "Memory")]
    [InlineData("größe", "Größe")]
    [InlineData("a b", "AB")]
    public void Pascal(string name, string expected) => Assert.Equal(expected, Naming.Pascal(name));

    [Theory]
    [InlineData("host-io", "hostIo")]
    [InlineData("env", "env")]
    [InlineData("string", "@string")]
    [InlineData("class", "@class")]
    [InlineData("Value", "value")]
    public void Camel(string name, string expected) => Assert.Equal(expected, Naming.Camel(name));

    [Theory]
    [InlineData("/p/math.wat", "math.wat", true)]
    [InlineData("/p/wasm/math.wat", "wasm/math.wat", true)]
    [InlineData("C:\\p\\wasm\\math.wat", "wasm/math.wat", true)]
    [InlineData("/p/wasm/math.wat", "./wasm/math.wat", true)]
    [InlineData("math.wat", "math.wat", true)]
    [InlineData("/p/mymath.wat", "math.wat", false)]
    [InlineData("/p/Math.wat", "math.wat", false)]
    [InlineData("/p/math.wat", "", false)]
    public void PathSuffix(string file, string attribute, bool matches)
        => Assert.Equal(matches, WasmModuleGenerator.Emitter.Matches(file, attribute));
}
