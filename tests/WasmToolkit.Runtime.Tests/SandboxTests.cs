using System;
using System.Globalization;
using System.IO;
using WasmToolkit.Instructions;
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
}
