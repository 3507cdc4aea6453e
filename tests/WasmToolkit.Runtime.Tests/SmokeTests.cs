using WasmToolkit.Instructions;
using Xunit;
using static WasmToolkit.Runtime.Tests.Asm;

namespace WasmToolkit.Runtime.Tests;

public class SmokeTests
{
    [Fact]
    public void AddTwoNumbers()
    {
        using var instance = new TestModule()
            .Func("add", Type(P(I32T, I32T), I32T), LocalGet(0), LocalGet(1), Op(Opcode.I32Add))
            .Instantiate();
        Assert.Equal(5, (int)instance.Invoke("add", 2, 3)!);
        Assert.Equal(7, instance.GetFunction<int, int, int>("add").Invoke(3, 4));
    }
}
