using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using WasmToolkit.Compiler;
using WasmToolkit.Text;
using Xunit;

namespace WasmToolkit.Runtime.Tests.Lazy;

/// <summary>
/// Lazy mode (<see cref="ModuleCompiler.CompileLazy"/>): only called functions compile, each once, through every
/// way a function can be reached (direct calls, tables, exports, references handed to the host), with the same
/// results, traps and wasm stack traces as eager code.
/// </summary>
public class LazyCompilationTests
{
    /// <summary>$a calls $b; $c is reached only through the table; $unused never runs.</summary>
    private const string Calls = """
        (module
          (type $unary (func (param i32) (result i32)))
          (table 2 funcref)
          (elem (i32.const 0) $c $unused)
          (func $a (export "a") (param i32) (result i32) (i32.add (call $b (local.get 0)) (i32.const 1)))
          (func $b (param i32) (result i32) (i32.mul (local.get 0) (i32.const 10)))
          (func $c (param i32) (result i32) (i32.sub (local.get 0) (i32.const 3)))
          (func $unused (param i32) (result i32) (unreachable))
          (func (export "indirect") (param i32 i32) (result i32) (call_indirect (type $unary) (local.get 0) (local.get 1))))
        """;

    [Fact]
    public void OnlyTheFunctionsCalledAreCompiled()
    {
        var compiled = CompileLazy(Calls);
        var lazy = compiled.Lazy!;
        using var instance = Instance.Create(compiled);
        Assert.Equal(5, lazy.FunctionCount);
        Assert.Equal(0, lazy.CompiledFunctionCount);

        Assert.Equal(421, instance.GetFunction<int, int>("a").Invoke(42));
        Assert.Equal(2, lazy.CompiledFunctionCount);
        Assert.True(lazy.IsCompiled(0));
        Assert.True(lazy.IsCompiled(1));
        Assert.False(lazy.IsCompiled(2));

        // Called again, through the export and directly: nothing more compiles.
        Assert.Equal(11, instance.Invoke("a", 1));
        Assert.Equal(2, lazy.CompiledFunctionCount);

        // Through the table: the indirect caller and its target compile; the other table entry does not.
        Assert.Equal(4, instance.Invoke("indirect", 7, 0));
        Assert.Equal(4, lazy.CompiledFunctionCount);
        Assert.True(lazy.IsCompiled(2));
        Assert.False(lazy.IsCompiled(3));
        Assert.True(lazy.CodeBytes > 0);
    }

    [Fact]
    public void ASecondInstanceReusesTheCompiledCode()
    {
        var compiled = CompileLazy(Calls);
        using (var first = Instance.Create(compiled)) Assert.Equal(21, first.Invoke("a", 2));
        Assert.Equal(2, compiled.Lazy!.CompiledFunctionCount);

        // The first instance (and its mapping of the code) is gone; the second maps the same compiled code again.
        using var second = Instance.Create(compiled);
        Assert.Equal(31, second.Invoke("a", 3));
        Assert.Equal(2, compiled.Lazy.CompiledFunctionCount);
    }

    [Fact]
    public void AReferenceHandedToTheHostCompilesWhenTheHostCallsIt()
    {
        const string text = """
            (module
              (import "env" "apply" (func $apply (param funcref i32) (result i32)))
              (func $square (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
              (elem declare func $square)
              (func (export "run") (param i32) (result i32) (call $apply (ref.func $square) (local.get 0))))
            """;
        var compiled = CompileLazy(text);
        using var linker = new Linker();
        Function? seen = null;
        var applyType = compiled.Module.GetFunctionType(0)!;
        linker.Define("env", "apply", Function.FromCallback(applyType, (args, results) =>
        {
            seen = (Function)args[0]!;
            results[0] = seen.Invoke(args[1]);
        }));
        var instance = linker.Instantiate(compiled);
        Assert.Equal(49, instance.Invoke("run", 7));
        Assert.True(compiled.Lazy!.IsCompiled(1));
        Assert.Equal(2, compiled.Lazy.CompiledFunctionCount);

        // The host keeps the reference and calls the now compiled function again.
        Assert.Equal(144, seen!.Invoke(12));
    }

    [Fact]
    public void MutualRecursionAcrossCompileStubs()
    {
        const string text = """
            (module
              (func $even (export "even") (param i32) (result i32)
                (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 1)) (else (call $odd (i32.sub (local.get 0) (i32.const 1))))))
              (func $odd (param i32) (result i32)
                (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0)) (else (call $even (i32.sub (local.get 0) (i32.const 1))))))
              (func $self (export "fact") (param i64) (result i64)
                (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 1)) (else (i64.mul (local.get 0) (call $self (i64.sub (local.get 0) (i64.const 1))))))))
            """;
        var compiled = CompileLazy(text);
        using var instance = Instance.Create(compiled);
        Assert.Equal(1, instance.Invoke("even", 1000));
        Assert.Equal(0, instance.Invoke("even", 1001));
        Assert.Equal(3628800L, instance.Invoke("fact", 10L));
        Assert.Equal(3, compiled.Lazy!.CompiledFunctionCount);
    }

    [Fact]
    public void TrapsInLazilyCompiledFunctionsHaveTheEagerStackTrace()
    {
        const string text = """
            (module
              (memory 1)
              (func $load (param i32) (result i32) (i32.load (local.get 0)))
              (func $middle (param i32) (result i32) (i32.add (i32.const 1) (call $load (local.get 0))))
              (func $div (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
              (table 1 funcref)
              (elem (i32.const 0) $div)
              (func (export "load") (param i32) (result i32) (call $middle (local.get 0)))
              (func (export "divide") (param i32) (result i32) (call_indirect (param i32) (result i32) (local.get 0) (i32.const 0))))
            """;
        var module = Parse(text);
        using var eager = Instance.Create(ModuleCompiler.Compile(module));
        using var lazy = Instance.Create(ModuleCompiler.CompileLazy(module));

        var expected = Assert.Throws<TrapException>(() => eager.Invoke("load", 70000));
        var actual = Assert.Throws<TrapException>(() => lazy.Invoke("load", 70000));
        Assert.Equal(TrapKind.MemoryOutOfBounds, actual.Kind);
        Assert.Equal(new[] { "load", "middle", "" }, actual.WasmStackTrace.Select(f => f.FunctionName ?? "").ToArray());
        Assert.Equal(expected.WasmStackTrace.ToArray(), actual.WasmStackTrace.ToArray());

        expected = Assert.Throws<TrapException>(() => eager.Invoke("divide", 0));
        actual = Assert.Throws<TrapException>(() => lazy.Invoke("divide", 0));
        Assert.Equal(TrapKind.IntegerDivideByZero, actual.Kind);
        Assert.Equal(expected.WasmStackTrace.ToArray(), actual.WasmStackTrace.ToArray());
        Assert.Equal(2, actual.WasmStackTrace.Length);

        // The instance stays usable after traps, and the compiled functions stay compiled.
        Assert.Equal(1, lazy.Invoke("divide", 1));
        Assert.Equal(1, lazy.Invoke("load", 0));
    }

    [Fact]
    public void StackExhaustionTrapsInLazilyCompiledCode()
    {
        var compiled = CompileLazy("(module (func $f (export \"forever\") (param i32) (result i32) (call $f (i32.add (local.get 0) (i32.const 1)))))");
        using var instance = Instance.Create(compiled);
        var e = Assert.Throws<TrapException>(() => instance.Invoke("forever", 0));
        Assert.Equal(TrapKind.CallStackExhausted, e.Kind);
        Assert.Equal(0, e.WasmStackTrace[0].FunctionIndex);
        Assert.Equal(1, compiled.Lazy!.CompiledFunctionCount);
    }

    [Fact]
    public void AFunctionFirstCalledAtTheStackLimitStillCompiles()
    {
        // $deep recurses n times, then calls $leaf for the first time. Find the deepest n that does not exhaust
        // the stack of a 1 MiB thread, with a fresh lazy module each time, so $leaf compiles with only the
        // runtime's head-room left (the builtin moves such compiles to another thread).
        const string text = """
            (module
              (func $leaf (param i32) (result i32) (i32.add (local.get 0) (i32.const 7)))
              (func $deep (export "deep") (param i32) (result i32)
                (if (result i32) (i32.eqz (local.get 0)) (then (call $leaf (i32.const 35))) (else (call $deep (i32.sub (local.get 0) (i32.const 1)))))))
            """;
        var module = Parse(text);
        var movedBefore = Instance.CompilesMovedOffThread;
        int lo = 0, hi = 1 << 20;
        string? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                while (lo < hi)
                {
                    var n = lo + ((hi - lo + 1) / 2);
                    using var instance = Instance.Create(ModuleCompiler.CompileLazy(module));
                    try
                    {
                        if (instance.GetFunction<int, int>("deep").Invoke(n) != 42) throw new InvalidOperationException("wrong result at depth " + n);
                        lo = n;
                    }
                    catch (TrapException trap) when (trap.Kind == TrapKind.CallStackExhausted)
                    {
                        hi = n - 1;
                    }
                }
            }
            catch (Exception e)
            {
                failure = e.ToString();
            }
        }, 1024 * 1024);
        thread.Start();
        thread.Join();
        Assert.Null(failure);
        Assert.True(lo > 1000, $"only {lo} frames fit");
        Assert.True(Instance.CompilesMovedOffThread > movedBefore, "no compile ran short of stack");
    }

    [Fact]
    public void ManyThreadsRacingOnOneUncompiledFunctionGetOneCompile()
    {
        // A body big enough that compiling it takes a while, so the racing threads really wait on one another.
        var body = string.Concat(Enumerable.Range(0, 400).Select(i => $"(local.set 1 (i32.add (local.get 1) (i32.mul (local.get 0) (i32.const {i}))))"));
        var text = $"(module (func $work (param i32) (result i32) (local i32) {body} (local.get 1)) (func (export \"run\") (param i32) (result i32) (call $work (local.get 0))))";
        var module = Parse(text);
        var expected = unchecked(Enumerable.Range(0, 400).Aggregate(0, (sum, i) => sum + (5 * i)));
        const int Threads = 8;
        for (var round = 0; round < 10; round++)
        {
            var compiled = ModuleCompiler.CompileLazy(module);

            // One instance (so one store) per thread: the shared thing is the lazily compiled module.
            var instances = Enumerable.Range(0, Threads).Select(_ => Instance.Create(compiled)).ToArray();
            var results = new int[Threads];
            var errors = new List<Exception>();
            using var barrier = new Barrier(Threads);
            var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
            {
                try
                {
                    var run = instances[t].GetFunction<int, int>("run");
                    barrier.SignalAndWait();
                    results[t] = run.Invoke(5);
                }
                catch (Exception e)
                {
                    lock (errors) errors.Add(e);
                }
            })).ToArray();
            foreach (var t in threads) t.Start();
            foreach (var t in threads) t.Join();
            foreach (var instance in instances) instance.Dispose();

            Assert.Empty(errors);
            Assert.All(results, r => Assert.Equal(expected, r));
            Assert.Equal(2, compiled.Lazy!.CompiledFunctionCount);
        }
    }

    [Fact]
    public void AnInvalidModuleFailsAtCompileTime()
    {
        var module = ParseUnvalidated("(module (func $ok (result i32) (i32.const 1)) (func (export \"bad\") (result i32) (i64.const 1)))");
        var result = ModuleCompiler.TryCompileLazy(module);
        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors);
        Assert.Equal(CompileErrorKind.InvalidInput, error.Kind);
        Assert.Contains("type mismatch", error.Message);
        Assert.Equal(1, error.FunctionIndex);
        Assert.Throws<CompileException>(() => ModuleCompiler.CompileLazy(module));
    }

    [Fact]
    public void AnUnsupportedFunctionFailsItsFirstCallOrTrapsWhenAllowed()
    {
        const string text = """
            (module
              (func (export "simd") (result i32) (i32x4.extract_lane 0 (v128.const i32x4 1 2 3 4)))
              (func (export "plain") (result i32) (i32.const 5)))
            """;
        var module = Parse(text);

        // SIMD is unsupported without SSE4.1. Strict: the compile error surfaces at the first call, and the instance
        // stays usable.
        var withoutSse41 = HostFeatures.X64 & ~X64Features.Sse41;
        using var strict = Instance.Create(ModuleCompiler.CompileLazy(module, new CompilerOptions { X64Features = withoutSse41 }));
        var e = Assert.Throws<CompileException>(() => strict.Invoke("simd"));
        Assert.Equal(CompileErrorKind.Unsupported, Assert.Single(e.Errors).Kind);
        Assert.Equal(5, strict.Invoke("plain"));
        Assert.Throws<CompileException>(() => strict.Invoke("simd"));
        Assert.Equal(1, strict.Compiled.Lazy!.CompiledFunctionCount);

        var lenient = ModuleCompiler.CompileLazy(module, new CompilerOptions { TrapOnUnsupportedFunctions = true, X64Features = withoutSse41 });
        using var instance = Instance.Create(lenient);
        var trap = Assert.Throws<TrapException>(() => instance.Invoke("simd"));
        Assert.Equal(TrapKind.UnsupportedFunction, trap.Kind);
        Assert.Equal(0, Assert.Single(lenient.Lazy!.UnsupportedFunctions).FunctionIndex);
    }

    [Fact]
    public void LazyCodeDoesNotDependOnTheOrderOfFirstCalls()
    {
        var module = Parse(Calls);
        var forward = ModuleCompiler.CompileLazy(module).Lazy!;
        var backward = ModuleCompiler.CompileLazy(module).Lazy!;
        for (var i = 0; i < forward.FunctionCount; i++) forward.GetOrCompile(i);
        for (var i = backward.FunctionCount - 1; i >= 0; i--) backward.GetOrCompile(i);
        for (var i = 0; i < forward.FunctionCount; i++)
        {
            Assert.Equal(forward.GetOrCompile(i).Code.ToArray(), backward.GetOrCompile(i).Code.ToArray());
        }
    }

    private static CompiledModule CompileLazy(string text) => ModuleCompiler.CompileLazy(Parse(text));

    private static Module Parse(string text)
    {
        var module = ParseUnvalidated(text);
        var validated = Validation.ModuleValidator.Validate(module);
        Assert.True(validated.IsValid, string.Join("; ", validated.Diagnostics));
        return module;
    }

    private static Module ParseUnvalidated(string text)
    {
        var parsed = TextModuleParser.Parse(text, "lazy.wat");
        Assert.True(parsed.Module is not null && parsed.Diagnostics.IsEmpty, string.Join("; ", parsed.Diagnostics));
        return parsed.Module!;
    }
}
