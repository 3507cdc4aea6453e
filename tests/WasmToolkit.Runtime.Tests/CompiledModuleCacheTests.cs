using System;
using System.Collections.Generic;
using System.Linq;
using WasmToolkit.Compiler;
using WasmToolkit.Compiler.Serialization;
using WasmToolkit.Compiler.Tests.Serialization;
using WasmToolkit.Benchmarks.Kernels;
using Xunit;

namespace WasmToolkit.Runtime.Tests;

/// <summary>
/// A compiled module loaded from a cache (<see cref="CompiledModuleSerializer"/>) runs exactly as the module it was
/// made from: same results, same memory and globals, same traps with the same wasm stack traces, any number of
/// instances. The compiler tests cover the format and the refusals.
/// </summary>
public class CompiledModuleCacheTests
{
    private static CompiledModule ThroughCache(CompiledModule compiled)
    {
        var result = CompiledModuleSerializer.Deserialize(CompiledModuleSerializer.Serialize(compiled), HostFeatures.CompiledModuleReadOptions);
        Assert.True(result.Succeeded, result.FirstError?.ToString());
        return result.Module!;
    }

    // Without SSE4.1 the rich module's SIMD function is a trapping stub, so the cache carries one.
    private static CompiledModule CompileRich() => CacheTestModules.Compile(CacheTestModules.Rich, new CompilerOptions { TrapOnUnsupportedFunctions = true, X64Features = HostFeatures.X64 & ~X64Features.Sse41 });

    /// <summary>Every observable outcome of the rich module's exports, as text: results, globals, memory, traps with frames.</summary>
    private static List<string> Observe(CompiledModule compiled)
    {
        var seen = new List<string>();
        using var instance = Instance.Create(compiled);
        void Call(string name, params object?[] args)
        {
            try
            {
                seen.Add($"{name}({string.Join(", ", args)}) = {instance.Invoke(name, args)}");
            }
            catch (TrapException trap)
            {
                var frames = string.Join(" <- ", trap.WasmStackTrace.Select(f => $"{f.FunctionIndex}@0x{f.WasmOffset:x}"));
                seen.Add($"{name}({string.Join(", ", args)}) traps {trap.Kind} at {frames}");
            }
        }

        Call("fac", 0L);
        Call("fac", 20L);
        Call("counter");
        Call("apply", 0, 40, 2);
        Call("apply", 1, 40, 2);
        Call("apply", 2, 40, 2);
        Call("div", 7, 2);
        Call("div", 7, 0);
        Call("div", int.MinValue, -1);
        Call("deep", 5);
        for (var i = 14; i < 30; i++) Call("load", i);
        Call("load", 65536);
        Call("simd");
        return seen;
    }

    [Fact]
    public void ALoadedModuleRunsExactlyAsTheCompiledOne()
    {
        var compiled = CompileRich();
        var expected = Observe(compiled);
        Assert.Contains("fac(20) = 2432902008176640000", expected);
        Assert.Contains("apply(2, 40, 2) traps UndefinedElement at 2@0x", string.Join("\n", expected));
        Assert.Contains(expected, e => e.StartsWith("deep(5) traps IntegerDivideByZero at 6@0x", StringComparison.Ordinal) && e.Contains(" <- 5@0x", StringComparison.Ordinal));
        Assert.Contains("simd() traps UnsupportedFunction", string.Join("\n", expected));
        Assert.Equal(expected, Observe(ThroughCache(compiled)));
    }

    [Fact]
    public void OneLoadedModuleBacksSeveralInstances()
    {
        var loaded = ThroughCache(CompileRich());
        using var a = Instance.Create(loaded);
        using var b = Instance.Create(loaded);
        a.Invoke("fac", 3L);
        Assert.Equal(7L + 4, (long)a.Invoke("counter")!);
        Assert.Equal(7L, (long)b.Invoke("counter")!);
        Assert.Equal((int)'h', (int)b.Invoke("load", 16)!);
    }

    [Fact]
    public void AModuleLoadedTwiceFromTheSameBytesIsEquivalent()
    {
        var bytes = CompiledModuleSerializer.Serialize(CompileRich());
        var first = CompiledModuleSerializer.Deserialize(bytes, HostFeatures.CompiledModuleReadOptions).Module!;
        var second = CompiledModuleSerializer.Deserialize(bytes, HostFeatures.CompiledModuleReadOptions).Module!;
        Assert.Equal(Observe(first), Observe(second));
    }

    public static IEnumerable<object[]> Kernels() => KernelCatalog.All.Select(k => new object[] { k.Name });

    [SkippableTheory]
    [MemberData(nameof(Kernels))]
    public void KernelsGiveTheSameResultsThroughACache(string name)
    {
        var kernel = KernelCatalog.Get(name);
        var compiled = KernelCatalog.TryCompile(KernelCatalog.Read(KernelCatalog.ReadBytes(kernel), name), out var reason);
        Skip.If(compiled is null, $"{name}: {reason}");
        var loaded = ThroughCache(compiled!);
        Assert.True(compiled!.Code.AsSpan().SequenceEqual(loaded.Code.AsSpan()));
        using var direct = Instance.Create(compiled);
        using var cached = Instance.Create(loaded);
        foreach (var n in kernel.TestInputs)
        {
            Assert.Equal(direct.Invoke("run", n), cached.Invoke("run", n));
        }
    }
}
