using System;
using System.Linq;
using System.Threading.Tasks;
using System.Runtime.CompilerServices;
using WasmToolkit.Binary;
using WasmToolkit.Compiler.Pipeline;
using Xunit;

namespace WasmToolkit.Compiler.Tests.Pipeline;

/// <summary>
/// Compile workers are kept from one compilation to the next (<c>WorkerPool</c>): a kept worker must compile like a new
/// one whatever module it compiled before, and must not keep that module alive.
/// </summary>
public class WorkerPoolTests
{
    // Its own memory and globals: the code addresses them in the instance's context directly.
    private const string Owning = """
        (module
          (type $ii (func (param i32) (result i32)))
          (import "env" "f" (func $f (param i32) (result i32)))
          (memory 1)
          (table 2 funcref)
          (global $g (mut i32) (i32.const 7))
          (global $h (mut i64) (i64.const 9))
          (func $a (type $ii) (i32.add (i32.load offset=8 (local.get 0)) (global.get $g)))
          (func $b (type $ii) (call_indirect (type $ii) (call $f (local.get 0)) (i32.const 1)))
          (func $c (param i64) (result i64) (global.set $h (i64.add (global.get $h) (local.get 0))) (global.get $h))
          (func $d (param i32) (result i32) (i32.add (call $a (local.get 0)) (call $b (local.get 0)))))
        """;

    // Memory and globals imported, more function imports: other context offsets and another way to reach memory.
    private const string Importing = """
        (module
          (import "env" "g1" (func $g1))
          (import "env" "g2" (func $g2 (param i32)))
          (import "env" "mem" (memory 1))
          (import "env" "g" (global $g (mut i32)))
          (import "env" "h" (global $h (mut i64)))
          (table 2 funcref)
          (func $a (param i32) (result i32) (call $g1) (i32.add (i32.load offset=8 (local.get 0)) (global.get $g)))
          (func $c (param i64) (result i64) (global.set $h (i64.add (global.get $h) (local.get 0))) (global.get $h)))
        """;

    private static Module Read(string wat) => ModuleReader.Read(PipelineTestInputs.FromText(wat)).Module!;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void AWorkerKeptFromAnotherModuleCompilesLikeANewOne(int workers)
    {
        var options = new CompilerOptions { MaxDegreeOfParallelism = workers };
        var owning = Read(Owning);
        var importing = Read(Importing);

        // New workers for the first compile of each module (other tests may return workers meanwhile; rarely).
        WorkerPool.Clear();
        var owningNew = ModuleCompiler.Compile(owning, options);
        WorkerPool.Clear();
        var importingNew = ModuleCompiler.Compile(importing, options);
        for (var round = 0; round < 3; round++)
        {
            CompiledAssert.Identical(owningNew, ModuleCompiler.Compile(owning, options), $"owning module after the importing one, round {round}");
            CompiledAssert.Identical(importingNew, ModuleCompiler.Compile(importing, options), $"importing module after the owning one, round {round}");
        }
    }

    [Fact]
    public void CompilationsOnManyThreadsAtOnceShareThePoolSafely()
    {
        // Workers go from compilation to compilation across threads, modules, worker counts and lazy compilation. A stress
        // test: a pool that lent one worker to two compilations at once failed it in one of two runs (tried).
        var modules = new[] { Read(Owning), Read(Importing), ModuleReader.Read(PipelineTestInputs.ManyFunctions(300)).Module!, ModuleReader.Read(PipelineTestInputs.Mixed()).Module! };
        var expected = modules.Select(m => ModuleCompiler.Compile(m, new CompilerOptions { MaxDegreeOfParallelism = 1 })).ToArray();
        Parallel.For(0, 160, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var m = i % modules.Length;
            if (i % 5 == 0)
            {
                var lazy = ModuleCompiler.CompileLazy(modules[m], new CompilerOptions { MaxDegreeOfParallelism = 1 });
                for (var f = 0; f < modules[m].Functions.Length; f++) Assert.NotNull(lazy.Lazy!.GetOrCompile(f));
                return;
            }

            var options = new CompilerOptions { MaxDegreeOfParallelism = 1 + (i % 3) };
            CompiledAssert.Identical(expected[m], ModuleCompiler.Compile(modules[m], options), $"iteration {i}, module {m}, {options.MaxDegreeOfParallelism} workers");
        });
    }

    [Fact]
    public void AWorkerLentToLazyCompilationCallsDirectlyAgainAfterwards()
    {
        // Lazily compiled code calls other functions through their records; a worker must not bring that back.
        var options = new CompilerOptions { MaxDegreeOfParallelism = 1 };
        var owning = Read(Owning);
        WorkerPool.Clear();
        var eager = ModuleCompiler.Compile(owning, options);

        var lazy = ModuleCompiler.CompileLazy(owning, options);
        for (var i = 0; i < owning.Functions.Length; i++) Assert.NotNull(lazy.Lazy!.GetOrCompile(i));
        CompiledAssert.Identical(eager, ModuleCompiler.Compile(owning, options), "eager compile after lazy ones");
    }

    [Fact]
    public void AKeptWorkerDoesNotKeepItsLastModuleAlive()
    {
        var module = CompileAndDrop();
        for (var i = 0; i < 5 && module.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.False(module.IsAlive, "the module compiled last is still reachable after its compiled module was dropped");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference CompileAndDrop()
    {
        var module = Read(Owning);
        Assert.NotNull(ModuleCompiler.Compile(module, new CompilerOptions { MaxDegreeOfParallelism = 1 }));
        return new WeakReference(module);
    }
}
