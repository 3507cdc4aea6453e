using System;
using System.IO;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using WasmToolkit.Runtime;

namespace WasmToolkit.Benchmarks;

/// <summary>Typed bindings of Inputs/binding.wat, generated at build time by WasmToolkit.Generators.</summary>
[WasmModule("binding.wat")]
public partial class BindingModule;

/// <summary>
/// One call of the same export, <c>add(i32, i32) -> i32</c>, through every path a C# caller has: the generated typed
/// method (<see cref="BindingModule.Add"/>), the runtime's typed handle it wraps (<c>TypedFunction&lt;int, int, int&gt;</c>),
/// the untyped boxed paths (<c>Function.Invoke(object[])</c> on a cached function, and <c>Instance.Invoke(name, ...)</c>
/// which also looks the export up), and Wasmtime's .NET API typed (<c>Func&lt;int, int, int&gt;</c>) and untyped
/// (<c>Function.Invoke</c>). A second group calls <c>mix</c>, five parameters (beyond the typed handles), which the
/// generated method passes as raw slots (<c>SlotFunction</c>). A third calls <c>xor(v128, v128) -> v128</c>: the generated
/// method with <c>Vector128&lt;byte&gt;</c>, the boxed path with <c>V128</c>, Wasmtime's with its <c>V128</c>.
/// Wasmtime's typed call is each group's baseline.
/// </summary>
/// <remarks>
/// Run: <c>dotnet run -c Release --project tests/WasmToolkit.Benchmarks -- --job short --filter '*GeneratedBinding*'</c>.
/// The generated and typed rows must allocate nothing (the generator's promise, also checked by
/// EndToEndTests.TypedCallsDoNotAllocate); the untyped rows box their arguments and result.
/// </remarks>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class GeneratedBindingBenchmarks
{
    private BindingModule? _generated;
    private TypedFunction<int, int, int> _typed;
    private Function? _untyped;
    private global::Wasmtime.Engine? _engine;
    private global::Wasmtime.Store? _store;
    private Func<int, int, int>? _wasmtimeTyped;
    private global::Wasmtime.Function? _wasmtimeUntyped;
    private Func<int, long, int, long, int, long>? _wasmtimeMix;
    private Function? _untypedMix;
    private Function? _untypedXor;
    private Func<global::Wasmtime.V128, global::Wasmtime.V128, global::Wasmtime.V128>? _wasmtimeXor;
    private Vector128<byte> _vector = Vector128.Create((byte)1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);
    private global::Wasmtime.V128 _wasmtimeVector = new(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);
    private Instructions.V128 _boxedVector = new(0x0807060504030201, 0x100F0E0D0C0B0A09);
    private int _i;

    [GlobalSetup]
    public void Setup()
    {
        _generated = new BindingModule();
        _typed = _generated.Instance.GetFunction<int, int, int>("add");
        _untyped = _generated.Instance.GetFunction("add");
        _untypedMix = _generated.Instance.GetFunction("mix");
        _untypedXor = _generated.Instance.GetFunction("xor");

        // Wasmtime gets the same module: the text the generator compiled, written to binary by our front end.
        var wat = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Inputs", "binding.wat"));
        var bytes = Binary.ModuleWriter.Write(Text.TextModuleParser.Parse(wat, "binding.wat").Module!);
        _engine = new global::Wasmtime.Engine();
        _store = new global::Wasmtime.Store(_engine);
        using (var module = global::Wasmtime.Module.FromBytes(_engine, "binding", bytes))
        {
            var instance = new global::Wasmtime.Instance(_store, module);
            _wasmtimeTyped = instance.GetFunction<int, int, int>("add")!;
            _wasmtimeUntyped = instance.GetFunction("add")!;
            _wasmtimeMix = instance.GetFunction<int, long, int, long, int, long>("mix")!;
            _wasmtimeXor = instance.GetFunction<global::Wasmtime.V128, global::Wasmtime.V128, global::Wasmtime.V128>("xor")!;
        }

        if (_generated.Add(2, 3) != 5 || _typed.Invoke(2, 3) != 5 || (int)_untyped.Invoke(2, 3)! != 5 || _wasmtimeTyped(2, 3) != 5)
        {
            throw new InvalidOperationException("add is wrong");
        }

        if (_generated.Mix(1, 2, 3, 4, -5) != 5 || _wasmtimeMix(1, 2, 3, 4, -5) != 5 || (long)_untypedMix.Invoke(1, 2L, 3, 4L, -5)! != 5)
        {
            throw new InvalidOperationException("mix is wrong");
        }

        var ones = Vector128<byte>.AllBitsSet;
        if (_generated.Xor(_vector, ones) != ~_vector || !((Instructions.V128)_untypedXor.Invoke(_boxedVector, _boxedVector)!).Equals(default)
            || _wasmtimeXor(_wasmtimeVector, _wasmtimeVector).AsSpan().IndexOfAnyExcept((byte)0) >= 0)
        {
            throw new InvalidOperationException("xor is wrong");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _generated?.Dispose();
        _store?.Dispose();
        _engine?.Dispose();
    }

    [Benchmark(Baseline = true), BenchmarkCategory("add(i32, i32)")]
    public int WasmtimeTyped() => _wasmtimeTyped!(_i++, 1);

    [Benchmark, BenchmarkCategory("add(i32, i32)")]
    public object? WasmtimeUntyped() => _wasmtimeUntyped!.Invoke(_i++, 1);

    [Benchmark, BenchmarkCategory("add(i32, i32)")]
    public int Generated() => _generated!.Add(_i++, 1);

    [Benchmark, BenchmarkCategory("add(i32, i32)")]
    public int TypedHandle() => _typed.Invoke(_i++, 1);

    [Benchmark, BenchmarkCategory("add(i32, i32)")]
    public object? UntypedFunction() => _untyped!.Invoke(_i++, 1);

    [Benchmark, BenchmarkCategory("add(i32, i32)")]
    public object? UntypedByName() => _generated!.Instance.Invoke("add", _i++, 1);

    [Benchmark(Baseline = true), BenchmarkCategory("mix(i32, i64, i32, i64, i32)")]
    public long WasmtimeTypedMix() => _wasmtimeMix!(_i++, 2, 3, 4, 5);

    [Benchmark, BenchmarkCategory("mix(i32, i64, i32, i64, i32)")]
    public long GeneratedMix() => _generated!.Mix(_i++, 2, 3, 4, 5);

    [Benchmark, BenchmarkCategory("mix(i32, i64, i32, i64, i32)")]
    public object? UntypedFunctionMix() => _untypedMix!.Invoke(_i++, 2L, 3, 4L, 5);

    // The result feeds the next call, so each call waits for the one before (as the i32 groups' counters do).
    [Benchmark(Baseline = true), BenchmarkCategory("xor(v128, v128)")]
    public global::Wasmtime.V128 WasmtimeTypedXor() => _wasmtimeVector = _wasmtimeXor!(_wasmtimeVector, _wasmtimeVector);

    [Benchmark, BenchmarkCategory("xor(v128, v128)")]
    public Vector128<byte> GeneratedXor() => _vector = _generated!.Xor(_vector, Vector128<byte>.AllBitsSet);

    [Benchmark, BenchmarkCategory("xor(v128, v128)")]
    public object? UntypedFunctionXor() => _untypedXor!.Invoke(_boxedVector, _boxedVector);
}
