using System;
using System.Globalization;
using System.IO;
using WasmToolkit.Compiler;
using WasmToolkit.Instructions;
using WasmToolkit.Runtime.Native;
using Xunit;
using static WasmToolkit.Runtime.Tests.Asm;

namespace WasmToolkit.Runtime.Tests;

/// <summary>Checks the operating system's view of the instance's memory (Linux /proc/self/maps).</summary>
public class SandboxTests
{
    /// <summary>The permission string ("r-xp"…) of the mapping that contains <paramref name="address"/>.</summary>
    private static string Permissions(nint address)
    {
        foreach (var line in File.ReadLines("/proc/self/maps"))
        {
            var parts = line.Split(' ', 3);
            var range = parts[0].Split('-');
            var start = ulong.Parse(range[0], NumberStyles.HexNumber);
            var end = ulong.Parse(range[1], NumberStyles.HexNumber);
            if ((ulong)address >= start && (ulong)address < end) return parts[1];
        }

        throw new InvalidOperationException("address not mapped");
    }

    [Fact]
    public void CodeIsExecutableButNotWritableAndMemoryBeyondItsSizeIsInaccessible()
    {
        using var instance = new TestModule().WithMemory(1, 3)
            .Func("grow", Type(P(I32T), I32T), LocalGet(0), MemoryGrow)
            .Instantiate();
        Assert.Equal("r-xp", Permissions(instance.CodeAddress));
        Assert.Equal("rw-p", Permissions(instance.MemoryAddress));
        Assert.Equal("---p", Permissions(instance.MemoryAddress + 65536));
        Assert.Equal(1, (int)instance.Invoke("grow", 1)!);
        Assert.Equal("rw-p", Permissions(instance.MemoryAddress + 65536));
        Assert.Equal("---p", Permissions(instance.MemoryAddress + (2 * 65536)));
    }

    [Fact]
    public void InstancesOfOneCompiledModuleShareOneMappingOfItsCode()
    {
        var module = new TestModule().Func("add", Type(P(I32T, I32T), I32T), LocalGet(0), LocalGet(1), Op(Opcode.I32Add)).Build();
        var compiled = ModuleCompiler.Compile(module, HostFeatures.CompilerOptions);
        var first = Instance.Create(compiled);
        using var second = Instance.Create(compiled);
        using var other = Instance.Create(ModuleCompiler.Compile(module, HostFeatures.CompilerOptions));
        Assert.Equal(first.CodeAddress, second.CodeAddress);
        Assert.NotEqual(first.CodeAddress, other.CodeAddress);

        // The code outlives the store of the instance that mapped it while another instance uses it.
        first.Dispose();
        Assert.Equal("r-xp", Permissions(second.CodeAddress));
        Assert.Equal(5, (int)second.Invoke("add", 2, 3)!);
    }

    [Fact]
    public void CodeIsUnmappedWithTheLastInstanceUsingIt()
    {
        var module = new TestModule().Func("add", Type(P(I32T, I32T), I32T), LocalGet(0), LocalGet(1), Op(Opcode.I32Add)).Build();
        var compiled = ModuleCompiler.Compile(module, HostFeatures.CompilerOptions);
        var first = Instance.Create(compiled);
        var second = Instance.Create(compiled);
        var address = first.CodeAddress;
        first.Dispose();
        Assert.True(CodeRegistry.TryFind((ulong)address, out _, out _));
        second.Dispose();
        Assert.False(CodeRegistry.TryFind((ulong)address, out _, out _));

        // A later instance maps it again.
        using var third = Instance.Create(compiled);
        Assert.Equal(5, (int)third.Invoke("add", 2, 3)!);
        Assert.True(CodeRegistry.TryFind((ulong)third.CodeAddress, out _, out _));
    }
}
