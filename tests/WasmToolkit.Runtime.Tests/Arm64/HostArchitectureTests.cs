using System;
using System.Runtime.InteropServices;
using WasmToolkit.Compiler;
using Xunit;

namespace WasmToolkit.Runtime.Tests.Arm64;

/// <summary>
/// The runtime runs code of this process's architecture only: it compiles for it by default, and refuses code
/// cross-compiled for the other one (for inspection and caches) with a clear error instead of jumping into it.
/// </summary>
public class HostArchitectureTests
{
    private const string Add = "(module (func (export \"add\") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))";

    [Fact]
    public void HostFeaturesNameThisProcessArchitecture()
    {
        var expected = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => TargetArchitecture.X64,
            Architecture.Arm64 => TargetArchitecture.Arm64,
            _ => (TargetArchitecture?)null,
        };
        Assert.Equal(expected, HostFeatures.Architecture);
        Assert.Equal(expected ?? TargetArchitecture.X64, HostFeatures.CompilerOptions.Architecture);
        Assert.Equal(expected ?? TargetArchitecture.X64, HostFeatures.CompiledModuleReadOptions.Architecture);
    }

    [Fact]
    public void InstancesCompileForThisProcessByDefault()
    {
        using var instance = Wat.Instantiate(Add);
        Assert.Equal(HostFeatures.Architecture, instance.Compiled.Options.Architecture);
        Assert.Equal(42, instance.GetFunction<int, int, int>("add").Invoke(40, 2));
    }

    [Fact]
    public void CodeOfAForeignArchitectureIsRefused()
    {
        var foreign = HostFeatures.Architecture == TargetArchitecture.Arm64 ? TargetArchitecture.X64 : TargetArchitecture.Arm64;
        var compiled = Wat.Compile(Add, new CompilerOptions { Architecture = foreign });
        Assert.Equal(foreign, compiled.Options.Architecture);
        Assert.NotEmpty(compiled.Code);

        var e = Assert.Throws<NotSupportedException>(() => Instance.Create(compiled));
        Assert.Contains($"compiled for {foreign}", e.Message);
        Assert.Contains("foreign architecture", e.Message);
        using var linker = new Linker();
        Assert.Throws<NotSupportedException>(() => linker.Instantiate(compiled));
    }
}
