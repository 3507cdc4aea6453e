using System;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using WasmToolkit.Binary;
using WasmToolkit.Runtime;
using WasmToolkit.Text;

namespace WasmToolkit.Benchmarks;

/// <summary>
/// The cost of crossing between C# and wasm: one call of a trivial exported function from C# (host to wasm), typed
/// and untyped, WasmToolkit beside Wasmtime; and one call of a C# function from wasm (wasm to host), both engines
/// with a typed host function (<c>Function.Create&lt;int, int&gt;</c> here, <c>Linker.DefineFunction</c> there).
/// </summary>
/// <remarks>
/// Rows are grouped by category, Wasmtime being each group's baseline, so Ratio is "our time / Wasmtime's time".
/// The typed paths are WasmToolkit's <c>Instance.GetFunction&lt;int, int, int&gt;</c> (a struct, no allocation) and
/// Wasmtime's <c>Instance.GetFunction&lt;int, int, int&gt;</c> (a <c>Func</c> over its typed, unboxed call path);
/// the untyped ones pass boxed arguments (<c>Instance.Invoke(name, object[])</c>, <c>Function.Invoke(ValueBox[])</c>).
/// The wasm-to-host row loops 1,000 calls of an imported <c>Func&lt;int, int&gt;</c> inside wasm and reports per call
/// (loop overhead included: a compare and a branch per call).
/// </remarks>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class CallBenchmarks
{
    private const int HostCallsPerInvoke = 1000;

    /// <summary>The module both engines call into: <c>add</c> and an empty <c>nop</c>.</summary>
    private const string CalleeWat = """
        (module
          (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
          (func (export "nop")))
        """;

    /// <summary>Calls the host import <paramref name="n"/> times.</summary>
    private const string CallerWat = """
        (module
          (import "env" "host" (func $host (param i32) (result i32)))
          (func (export "callhost") (param $n i32) (result i32) (local $acc i32)
            (block $done
              (loop $next
                (br_if $done (i32.eqz (local.get $n)))
                (local.set $acc (call $host (local.get $acc)))
                (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                (br $next)))
            (local.get $acc)))
        """;

    private global::Wasmtime.Engine? _engine;
    private global::Wasmtime.Store? _store;
    private Func<int, int, int>? _wasmtimeAdd;
    private Action? _wasmtimeNop;
    private global::Wasmtime.Function? _wasmtimeAddUntyped;
    private Func<int, int>? _wasmtimeCallHost;
    private Instance? _instance;
    private WasmToolkit.Runtime.Linker? _ourLinker;
    private TypedFunction<int, int> _ourCallHost;
    private TypedFunction<int, int, int> _ourAdd;
    private TypedAction _ourNop;
    private int _i;

    [GlobalSetup]
    public void Setup()
    {
        byte[] callee = ToBinary(CalleeWat);
        byte[] caller = ToBinary(CallerWat);

        _engine = new global::Wasmtime.Engine();
        _store = new global::Wasmtime.Store(_engine);
        var linker = new global::Wasmtime.Linker(_engine);
        linker.DefineFunction("env", "host", (int x) => x + 1);
        using (var module = global::Wasmtime.Module.FromBytes(_engine, "callee", callee))
        {
            global::Wasmtime.Instance instance = linker.Instantiate(_store, module);
            _wasmtimeAdd = instance.GetFunction<int, int, int>("add")!;
            _wasmtimeNop = instance.GetAction("nop")!;
            _wasmtimeAddUntyped = instance.GetFunction("add")!;
        }

        using (var module = global::Wasmtime.Module.FromBytes(_engine, "caller", caller))
        {
            _wasmtimeCallHost = linker.Instantiate(_store, module).GetFunction<int, int>("callhost")!;
        }

        if (_wasmtimeCallHost(HostCallsPerInvoke) != HostCallsPerInvoke) throw new InvalidOperationException("callhost is wrong");

        _instance = Instance.Create(ModuleReader.Read(callee, "callee").Module!);
        _ourAdd = _instance.GetFunction<int, int, int>("add");
        _ourNop = _instance.GetAction("nop");
        if (_ourAdd.Invoke(2, 3) != 5 || _wasmtimeAdd(2, 3) != 5) throw new InvalidOperationException("add is wrong");

        _ourLinker = new WasmToolkit.Runtime.Linker();
        _ourLinker.Define("env", "host", Function.Create<int, int>(x => x + 1));
        _ourCallHost = _ourLinker.Instantiate(ModuleReader.Read(caller, "caller").Module!).GetFunction<int, int>("callhost");
        if (_ourCallHost.Invoke(HostCallsPerInvoke) != HostCallsPerInvoke) throw new InvalidOperationException("callhost is wrong");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _instance?.Dispose();
        _ourLinker?.Dispose();
        _store?.Dispose();
        _engine?.Dispose();
    }

    [Benchmark(Baseline = true), BenchmarkCategory("typed add(i32, i32)")]
    public int WasmtimeTyped() => _wasmtimeAdd!(_i++, 1);

    [Benchmark, BenchmarkCategory("typed add(i32, i32)")]
    public int WasmToolkitTyped() => _ourAdd.Invoke(_i++, 1);

    [Benchmark(Baseline = true), BenchmarkCategory("typed nop()")]
    public void WasmtimeTypedNop() => _wasmtimeNop!();

    [Benchmark, BenchmarkCategory("typed nop()")]
    public void WasmToolkitTypedNop() => _ourNop.Invoke();

    [Benchmark(Baseline = true), BenchmarkCategory("untyped add(i32, i32)")]
    public object? WasmtimeUntyped() => _wasmtimeAddUntyped!.Invoke(_i++, 1);

    [Benchmark, BenchmarkCategory("untyped add(i32, i32)")]
    public object? WasmToolkitUntyped() => _instance!.Invoke("add", _i++, 1);

    /// <summary>Per call of the imported C# function from wasm.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = HostCallsPerInvoke), BenchmarkCategory("wasm to host")]
    public int WasmtimeWasmToHost() => _wasmtimeCallHost!(HostCallsPerInvoke);

    /// <summary>Per call of the imported C# function from wasm.</summary>
    [Benchmark(OperationsPerInvoke = HostCallsPerInvoke), BenchmarkCategory("wasm to host")]
    public int WasmToolkitWasmToHost() => _ourCallHost.Invoke(HostCallsPerInvoke);

    private static byte[] ToBinary(string wat)
    {
        TextParseResult parsed = TextModuleParser.Parse(wat, "bench.wat");
        return ModuleWriter.Write(parsed.Module ?? throw new InvalidOperationException(string.Join("; ", parsed.Diagnostics)));
    }
}
