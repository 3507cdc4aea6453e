using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Xunit;

namespace WasmToolkit.Runtime.Tests.Linking;

public class HostFunctionTests
{
    private const string CallsHost = """
        (module
          (import "env" "add" (func $add (param i32 i32) (result i32)))
          (import "env" "log" (func $log (param i64)))
          (func (export "run") (param i32) (result i32)
            (call $log (i64.extend_i32_s (local.get 0)))
            (call $add (local.get 0) (i32.const 10))))
        """;

    [Fact]
    public void TypedHostFunctionsAreCalledWithTheirArguments()
    {
        var logged = new List<long>();
        using var linker = new Linker();
        linker.Define("env", "add", Function.Create<int, int, int>((a, b) => a + b));
        linker.Define("env", "log", Function.Create<long>(logged.Add));
        var instance = linker.Instantiate(Wat.Compile(CallsHost));
        Assert.Equal(52, instance.GetFunction<int, int>("run").Invoke(42));
        Assert.Equal(-5, instance.Invoke("run", -15));
        Assert.Equal(new long[] { 42, -15 }, logged);
    }

    [Fact]
    public void UntypedHostFunctionsSeeBoxedValues()
    {
        var seen = new List<object?>();
        var type = new FuncType(ImmutableArray.Create(ValType.I32, ValType.I32), ImmutableArray.Create(ValType.I32));
        using var linker = new Linker();
        linker.Define("env", "add", Function.FromCallback(type, (args, results) =>
        {
            seen.AddRange(args.ToArray());
            results[0] = (int)args[0]! * (int)args[1]!;
        }));
        linker.Define("env", "log", Function.Create<long>(_ => { }));
        var instance = linker.Instantiate(Wat.Compile(CallsHost));
        Assert.Equal(70, instance.Invoke("run", 7));
        Assert.Equal(new object?[] { 7, 10 }, seen);
    }

    [Fact]
    public void AHostExceptionReachesTheCallerUnchangedAndTheInstanceStaysUsable()
    {
        var failure = new InvalidOperationException("from the host");
        var fail = true;
        using var linker = new Linker();
        linker.Define("env", "add", Function.Create<int, int, int>((a, b) => fail ? throw failure : a + b));
        linker.Define("env", "log", Function.Create<long>(_ => { }));
        var instance = linker.Instantiate(Wat.Compile(CallsHost));
        var thrown = Assert.Throws<InvalidOperationException>(() => instance.Invoke("run", 1));
        Assert.Same(failure, thrown);
        fail = false;
        Assert.Equal(11, instance.Invoke("run", 1));
    }

    [Fact]
    public void CallsNestHostToWasmToHostAndTrapsUnwindToTheInnermostEntry()
    {
        using var linker = new Linker();
        Instance? self = null;
        var depth = 0;

        // The host function calls back into wasm: recursion through the host down to zero, then a trap.
        linker.Define("env", "back", Function.Create<int, int>(n =>
        {
            depth++;
            return self!.GetFunction<int, int>("down").Invoke(n - 1);
        }));
        self = linker.Instantiate(Wat.Compile("""
            (module
              (import "env" "back" (func $back (param i32) (result i32)))
              (func (export "down") (param i32) (result i32)
                (if (result i32) (i32.eqz (local.get 0))
                  (then (unreachable))
                  (else (i32.add (call $back (local.get 0)) (i32.const 1))))))
            """));
        var trap = Assert.Throws<TrapException>(() => self.Invoke("down", 5));
        Assert.Equal(Compiler.TrapKind.Unreachable, trap.Kind);
        Assert.Equal(5, depth);

        // The host let the inner TrapException through every level unchanged; afterwards all works again.
        depth = 0;
        Assert.Throws<TrapException>(() => self.Invoke("down", 1));
        Assert.Equal(1, depth);
    }

    [Fact]
    public void UnboundedRecursionThroughTheHostTrapsInsteadOfOverflowingTheStack()
    {
        using var linker = new Linker();
        Instance? self = null;
        var levels = 0;
        linker.Define("env", "back", Function.Create<int, int>(n =>
        {
            levels++;
            return self!.GetFunction<int, int>("down").Invoke(n + 1);
        }));
        self = linker.Instantiate(Wat.Compile("""
            (module
              (import "env" "back" (func $back (param i32) (result i32)))
              (func (export "down") (param i32) (result i32) (call $back (local.get 0)))
              (func (export "id") (param i32) (result i32) (local.get 0)))
            """));
        // On a thread with a small stack, so the unwinding through every level (each rethrows) stays quick.
        Exception? failure = null;
        var thread = new System.Threading.Thread(() =>
        {
            try
            {
                var trap = Assert.Throws<TrapException>(() => self.Invoke("down", 0));
                Assert.Equal(Compiler.TrapKind.CallStackExhausted, trap.Kind);
                Assert.True(levels > 50, $"only {levels} levels");

                // The instance and the thread are fine afterwards.
                levels = 0;
                Assert.Throws<TrapException>(() => self.Invoke("down", 0));
                Assert.True(levels > 50);
                Assert.Equal(0, self.GetFunction<int, int>("id").Invoke(0));
            }
            catch (Exception e)
            {
                failure = e;
            }
        }, maxStackSize: 1024 * 1024);
        thread.Start();
        thread.Join();
        Assert.Null(failure);
    }

    [Fact]
    public void AWrongHostResultTypeIsReportedAsAnException()
    {
        var type = new FuncType(ImmutableArray.Create(ValType.I32, ValType.I32), ImmutableArray.Create(ValType.I32));
        using var linker = new Linker();
        linker.Define("env", "add", Function.FromCallback(type, (_, results) => results[0] = "not a number"));
        linker.Define("env", "log", Function.Create<long>(_ => { }));
        var instance = linker.Instantiate(Wat.Compile(CallsHost));
        Assert.Throws<ArgumentException>(() => instance.Invoke("run", 1));
    }

    [Fact]
    public void ExportedHostFunctionsCanBeCalledFromCSharpAndThroughTables()
    {
        using var linker = new Linker();
        var square = Function.Create<int, int>(x => x * x);
        Assert.Equal(49, square.Invoke(7));
        linker.Define("env", "square", square);
        var instance = linker.Instantiate(Wat.Compile("""
            (module
              (import "env" "square" (func $sq (param i32) (result i32)))
              (export "sq" (func $sq)))
            """));
        Assert.Same(square, instance.GetFunction("sq"));
        Assert.Equal(81, instance.GetFunction<int, int>("sq").Invoke(9));
    }
}
