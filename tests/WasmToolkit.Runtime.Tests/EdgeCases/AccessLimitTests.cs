using WasmToolkit.Compiler;
using Xunit;

namespace WasmToolkit.Runtime.Tests.EdgeCases;

/// <summary>
/// An access with no static offset is checked against the memory definition's access limit for its width (size -
/// width, signed), which the runtime rewrites with every size change. For each width: a memory of 0 pages (the limit
/// is negative) traps at address 0; after growing, from wasm or from the host, the last address that fits works and
/// the next traps; the same through an imported memory (the limit is read through the definition pointer); and
/// addresses that are small negative i32 values (huge unsigned ones) trap.
/// </summary>
public class AccessLimitTests
{
    private const int Page = 65536;

    private static string Accessors(string memory) => $$"""
        (module
          {{memory}}
          (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
          (func (export "load16") (param i32) (result i32) (i32.load16_u (local.get 0)))
          (func (export "load32") (param i32) (result i32) (i32.load (local.get 0)))
          (func (export "load64") (param i32) (result i64) (i64.load (local.get 0)))
          (func (export "loadf64") (param i32) (result f64) (f64.load (local.get 0)))
          (func (export "store64") (param i32) (i64.store (local.get 0) (i64.const -1)))
          (func (export "store8") (param i32) (i32.store8 (local.get 0) (i32.const 255)))
          ;; the address computed just before the access (the path without the zero-extending copy)
          (func (export "load32At") (param i32 i32) (result i32) (i32.load (i32.add (local.get 0) (local.get 1))))
          (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))
        """;

    private static readonly (string Export, int Width)[] s_accesses =
    [
        ("load8", 1), ("load16", 2), ("load32", 4), ("load64", 8), ("loadf64", 8), ("store64", 8), ("store8", 1),
    ];

    [Fact]
    public void DefinedMemoryFromZeroPagesThroughGrowth()
    {
        using var instance = Wat.Instantiate(Accessors("(memory (export \"memory\") 0 3)"));
        CheckEmpty(instance);

        Assert.Equal(0, (int)instance.Invoke("grow", 1)!);
        CheckLimits(instance, Page);

        // Growth from the host updates the limits too.
        Assert.Equal(1, ((Memory)instance.GetExport("memory")!).Grow(1));
        CheckLimits(instance, 2 * Page);
    }

    [Fact]
    public void ImportedMemoryFollowsItsDefinition()
    {
        var memory = new Memory(0, 3);
        using var linker = new Linker();
        linker.Define("env", "memory", memory);
        using var instance = linker.Instantiate(Wat.Compile(Accessors("(import \"env\" \"memory\" (memory 0 3))")));
        CheckEmpty(instance);

        Assert.Equal(0, memory.Grow(1));
        CheckLimits(instance, Page);

        Assert.Equal(1, (int)instance.Invoke("grow", 1)!);
        CheckLimits(instance, 2 * Page);
        Assert.Equal(2 * Page, memory.Size);
    }

    private static void CheckEmpty(Instance instance)
    {
        foreach (var (export, _) in s_accesses)
        {
            Wat.Traps(TrapKind.MemoryOutOfBounds, () => instance.Invoke(export, 0), export + " at 0 of an empty memory");
        }

        Wat.Traps(TrapKind.MemoryOutOfBounds, () => instance.Invoke("load32At", 0, 0), "load32At 0 of an empty memory");
    }

    private static void CheckLimits(Instance instance, int size)
    {
        foreach (var (export, width) in s_accesses)
        {
            instance.Invoke(export, size - width);
            Wat.Traps(TrapKind.MemoryOutOfBounds, () => instance.Invoke(export, size - width + 1), $"{export} at {size - width + 1} of {size}");
            Wat.Traps(TrapKind.MemoryOutOfBounds, () => instance.Invoke(export, size), $"{export} at {size} of {size}");
            Wat.Traps(TrapKind.MemoryOutOfBounds, () => instance.Invoke(export, -1), $"{export} at 0xffffffff");
            Wat.Traps(TrapKind.MemoryOutOfBounds, () => instance.Invoke(export, int.MinValue), $"{export} at 0x80000000");
        }

        Assert.Equal(-1, (int)instance.Invoke("load32At", size - 8, 4)!); // store64 above wrote all ones there
        Wat.Traps(TrapKind.MemoryOutOfBounds, () => instance.Invoke("load32At", size - 8, 5), $"load32At {size - 3} of {size}");
        Wat.Traps(TrapKind.MemoryOutOfBounds, () => instance.Invoke("load32At", -4, 0), "load32At 0xfffffffc");
    }
}
