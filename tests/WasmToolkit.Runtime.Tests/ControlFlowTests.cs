using System;
using System.Collections.Immutable;
using System.Linq;
using WasmToolkit.Compiler;
using WasmToolkit.Instructions;
using Xunit;
using static WasmToolkit.Runtime.Tests.Asm;

namespace WasmToolkit.Runtime.Tests;

public class ControlFlowTests
{
    private static Instruction[] Factorial() => new[]
    {
        I64(1), LocalSet(1),
        Block(),
          Loop(),
            LocalGet(0), Op(Opcode.I32Eqz), BrIf(1),
            LocalGet(1), LocalGet(0), Op(Opcode.I64ExtendI32U), Op(Opcode.I64Mul), LocalSet(1),
            LocalGet(0), I32(1), Op(Opcode.I32Sub), LocalSet(0),
            Br(0),
          End,
        End,
        LocalGet(1),
    };

    [Fact]
    public void LoopComputesFactorial()
    {
        using var instance = new TestModule()
            .Func("fac", Type(P(I32T), I64T), TestModule.Locals((1, I64T)), Factorial())
            .Instantiate();
        var fac = instance.GetFunction<int, long>("fac");
        long expected = 1;
        for (var n = 0; n <= 20; n++)
        {
            if (n > 0) expected *= n;
            Assert.Equal(expected, fac.Invoke(n));
        }
    }

    [Fact]
    public void RecursiveFibonacci()
    {
        // fib(n) = n < 2 ? n : fib(n - 1) + fib(n - 2)
        using var instance = new TestModule()
            .Func("fib", Type(P(I32T), I32T),
                LocalGet(0), I32(2), Op(Opcode.I32LtS),
                If(I32T),
                  LocalGet(0),
                Else,
                  LocalGet(0), I32(1), Op(Opcode.I32Sub), Call(0),
                  LocalGet(0), I32(2), Op(Opcode.I32Sub), Call(0),
                  Op(Opcode.I32Add),
                End)
            .Instantiate();
        var fib = instance.GetFunction<int, int>("fib");
        Assert.Equal(0, fib.Invoke(0));
        Assert.Equal(1, fib.Invoke(1));
        Assert.Equal(55, fib.Invoke(10));
        Assert.Equal(75025, fib.Invoke(25));
    }

    [Fact]
    public void IterativeFibonacciWithLoopCarriedLocals()
    {
        // a, b = 0, 1; repeat n times: a, b = b, a + b; return a
        using var instance = new TestModule()
            .Func("fib", Type(P(I32T), I64T), TestModule.Locals((3, I64T)),
                I64(0), LocalSet(1), I64(1), LocalSet(2),
                Block(), Loop(),
                  LocalGet(0), Op(Opcode.I32Eqz), BrIf(1),
                  LocalGet(1), LocalGet(2), Op(Opcode.I64Add), LocalSet(3),
                  LocalGet(2), LocalSet(1), LocalGet(3), LocalSet(2),
                  LocalGet(0), I32(1), Op(Opcode.I32Sub), LocalSet(0),
                  Br(0),
                End, End,
                LocalGet(1))
            .Instantiate();
        Assert.Equal(12586269025L, instance.GetFunction<int, long>("fib").Invoke(50));
    }

    [Fact]
    public void NestedBlocksBranchOutWithValues()
    {
        using var instance = new TestModule()
            // (block (result i32) (block (result i32) (i32.const 1) (br_if 1 (local.get 0)) (drop) (i32.const 2)) (i32.const 10) (i32.add))
            .Func("nested", Type(P(I32T), I32T),
                Block(I32T),
                  Block(I32T),
                    I32(1), LocalGet(0), BrIf(1),
                    Op(Opcode.Drop), I32(2),
                  End,
                  I32(10), Op(Opcode.I32Add),
                End)
            .Func("deep", Type(P(I32T), I32T),
                Block(I32T), Block(), Block(), Block(),
                  LocalGet(0), I32(100), Op(Opcode.I32Mul), Br(3),
                End, End, End, I32(-1), End)
            .Instantiate();
        Assert.Equal(1, (int)instance.Invoke("nested", 5)!);
        Assert.Equal(12, (int)instance.Invoke("nested", 0)!);
        Assert.Equal(700, (int)instance.Invoke("deep", 7)!);
    }

    [Fact]
    public void BrTableDispatches()
    {
        // switch (x) { case 0: 100; case 1: 101; case 2: 102; default: 999 }, with values carried by br_table
        using var instance = new TestModule()
            .Func("switch", Type(P(I32T), I32T),
                Block(I32T), Block(I32T), Block(I32T), Block(I32T),
                  I32(100), LocalGet(0), BrTable(3, 0, 1, 2),
                End,
                Br(2),
                End, I32(1), Op(Opcode.I32Add), Br(1),
                End, I32(2), Op(Opcode.I32Add),
                End)
            .Func("plain", Type(P(I32T), I32T),
                Block(), Block(), Block(),
                  LocalGet(0), BrTable(2, 0, 1, 0, 1),
                End, I32(10), Op(Opcode.Return),
                End, I32(20), Op(Opcode.Return),
                End, I32(30))
            .Instantiate();
        var f = instance.GetFunction<int, int>("switch");
        Assert.Equal(100, f.Invoke(0));
        Assert.Equal(101, f.Invoke(1));
        Assert.Equal(102, f.Invoke(2));
        Assert.Equal(100, f.Invoke(3));
        Assert.Equal(100, f.Invoke(-1));
        var plain = instance.GetFunction<int, int>("plain");
        Assert.Equal(new[] { 10, 20, 10, 20, 30, 30 }, new[] { 0, 1, 2, 3, 4, int.MaxValue }.Select(plain.Invoke).ToArray());
    }

    [Fact]
    public void MultiValueBlocksAndLoopParameters()
    {
        var m = new TestModule();
        var swap = m.AddType(Type(P(I32T, I32T), I32T, I32T));
        var loopType = m.AddType(Type(P(I32T), I32T));
        var twoResults = m.AddType(Type(P(), I32T, I64T));
        m.Func("sub_swapped", Type(P(I32T, I32T), I32T),
                // (local.get 0) (local.get 1) (block (param i32 i32) (result i32 i32) swap via locals) i32.sub
                LocalGet(0), LocalGet(1),
                BlockOfType(Opcode.Block, swap),
                  LocalSet(0), LocalSet(1), LocalGet(0), LocalGet(1),
                End,
                Op(Opcode.I32Sub))
            .Func("sum_to", Type(P(I32T), I32T), TestModule.Locals((1, I32T)),
                // acc carried as a loop parameter: loop (param i32) (result i32)
                I32(0),
                BlockOfType(Opcode.Loop, loopType),
                  LocalGet(0), Op(Opcode.I32Add),
                  LocalGet(0), I32(1), Op(Opcode.I32Sub), LocalTee(0),
                  BrIf(0),
                End)
            .Func("two", Type(P(I32T), I64T),
                BlockOfType(Opcode.Block, twoResults),
                  I32(7), I64(5_000_000_000), LocalGet(0), BrIf(0),
                  Op(Opcode.Drop), Op(Opcode.Drop), I32(1), I64(2),
                End,
                LocalSet(1), Op(Opcode.I64ExtendI32U), LocalGet(1), Op(Opcode.I64Add));
        using var instance = Instance.Create(m.Build().WithFunctions(m.Build().Functions.SetItem(2,
            m.Build().Functions[2].WithLocals(TestModule.Locals((1, I64T))))));
        Assert.Equal(3, (int)instance.Invoke("sub_swapped", 2, 5)!);
        Assert.Equal(5050, (int)instance.Invoke("sum_to", 100)!);
        Assert.Equal(5_000_000_007L, (long)instance.Invoke("two", 1)!);
        Assert.Equal(3L, (long)instance.Invoke("two", 0)!);
    }

    [Fact]
    public void SelectIfWithoutElseAndDeadCode()
    {
        using var instance = new TestModule()
            .Func("max", Type(P(I64T, I64T), I64T), LocalGet(0), LocalGet(1), LocalGet(0), LocalGet(1), Op(Opcode.I64GtS), Op(Opcode.Select))
            .Func("abs", Type(P(I32T), I32T),
                LocalGet(0), I32(0), Op(Opcode.I32LtS),
                If(), I32(0), LocalGet(0), Op(Opcode.I32Sub), LocalSet(0), End,
                LocalGet(0))
            .Func("dead", Type(P(I32T), I32T),
                Block(I32T),
                  LocalGet(0), Br(0),
                  // unreachable code, including nested control and instructions the compiler would reject in live code
                  Block(), Loop(), Op(Opcode.F32Add), End, End, Op(Opcode.Drop), Op(Opcode.Unreachable),
                End,
                Op(Opcode.Return),
                I32(5), Op(Opcode.Drop))
            .Instantiate();
        Assert.Equal(9L, (long)instance.Invoke("max", 9L, -3L)!);
        Assert.Equal(-3L, (long)instance.Invoke("max", -9L, -3L)!);
        Assert.Equal(7, (int)instance.Invoke("abs", -7)!);
        Assert.Equal(7, (int)instance.Invoke("abs", 7)!);
        Assert.Equal(42, (int)instance.Invoke("dead", 42)!);
    }

    [Fact]
    public void RegisterPressureSpillsAndReloads()
    {
        // Thirty live values, each (local.get 0 + i), then summed: more than the allocatable registers.
        var body = Enumerable.Range(0, 30).SelectMany(i => new[] { LocalGet(0), I32(i), Op(Opcode.I32Add) })
            .Concat(Enumerable.Range(0, 29).Select(_ => Op(Opcode.I32Add)))
            .ToArray();
        using var instance = new TestModule().Func("sum", Type(P(I32T), I32T), body).Instantiate();
        Assert.Equal((30 * 1000) + (29 * 30 / 2), (int)instance.Invoke("sum", 1000)!);
    }

    [Fact]
    public void CallsKeepLiveValuesAndPassManyArguments()
    {
        // callee(a, b, c, d, e) = a - b + c * d - e ; caller keeps values live across the call.
        using var instance = new TestModule()
            .Func("callee", Type(P(I32T, I64T, I32T, I32T, I64T), I64T),
                LocalGet(0), Op(Opcode.I64ExtendI32S), LocalGet(1), Op(Opcode.I64Sub),
                LocalGet(2), LocalGet(3), Op(Opcode.I32Mul), Op(Opcode.I64ExtendI32S), Op(Opcode.I64Add),
                LocalGet(4), Op(Opcode.I64Sub))
            .Func("caller", Type(P(I32T), I64T),
                LocalGet(0), I32(3), Op(Opcode.I32Mul), Op(Opcode.I64ExtendI32U),           // live in a register across the call
                LocalGet(0), I64(10), LocalGet(0), I32(1), Op(Opcode.I32Add), I32(4), I64(1L << 40),
                Call(0),
                Op(Opcode.I64Add))
            .Instantiate();
        // x = 5: 15 + (5 - 10 + 6*4 - 2^40)
        Assert.Equal(15L + (5 - 10 + 24 - (1L << 40)), (long)instance.Invoke("caller", 5)!);
    }

    [Fact]
    public void UnreachableTrapsAndInstanceStaysUsable()
    {
        using var instance = new TestModule()
            .Func("boom", Type(P(I32T), I32T), LocalGet(0), If(), Op(Opcode.Unreachable), End, I32(1))
            .Instantiate();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(TrapKind.Unreachable, Assert.Throws<TrapException>(() => instance.Invoke("boom", 1)).Kind);
            Assert.Equal(1, (int)instance.Invoke("boom", 0)!);
        }
    }

    [Fact]
    public void DeepRecursionTrapsInsteadOfCrashing()
    {
        using var instance = new TestModule()
            .Func("forever", Type(P(I32T), I32T), LocalGet(0), I32(1), Op(Opcode.I32Add), Call(0))
            .Func("depth", Type(P(I32T), I32T), LocalGet(0), Op(Opcode.I32Eqz), If(I32T), I32(0), Else, LocalGet(0), I32(1), Op(Opcode.I32Sub), Call(1), I32(1), Op(Opcode.I32Add), End)
            .Instantiate();
        for (var i = 0; i < 3; i++)
        {
            var e = Assert.Throws<TrapException>(() => instance.Invoke("forever", 0));
            Assert.Equal(TrapKind.CallStackExhausted, e.Kind);
            Assert.Equal(10_000, (int)instance.Invoke("depth", 10_000)!);
        }
    }

    [Fact]
    public void DeepRecursionTrapsOnANewThreadToo()
    {
        using var instance = new TestModule()
            .Func("forever", Type(P(), P()), Call(0))
            .Instantiate();
        TrapException? caught = null;
        var thread = new System.Threading.Thread(() => caught = Assert.Throws<TrapException>(() => instance.Invoke("forever")), 512 * 1024);
        thread.Start();
        thread.Join();
        Assert.Equal(TrapKind.CallStackExhausted, caught!.Kind);
    }
}

public class MultiValueFunctionTests
{
    [Fact]
    public void FunctionsReturnSeveralValues()
    {
        // divmod(a, b) = (a / b, a % b); swap3(a, b, c) = (c, b, a) with an i64 in the middle; users of both.
        var m = new TestModule()
            .Func("divmod", Type(P(I32T, I32T), I32T, I32T), LocalGet(0), LocalGet(1), Op(Opcode.I32DivU), LocalGet(0), LocalGet(1), Op(Opcode.I32RemU))
            .Func("swap3", Type(P(I32T, I64T, I32T), I32T, I64T, I32T), LocalGet(2), LocalGet(1), LocalGet(0))
            // 10 * q + r, with a value live across the call
            .Func("use_divmod", Type(P(I32T, I32T), I32T), I32(1000), LocalGet(0), LocalGet(1), Call(0), LocalSet(0), I32(10), Op(Opcode.I32Mul), LocalGet(0), Op(Opcode.I32Add), Op(Opcode.I32Add))
            // early return of several values from inside blocks
            .Func("early", Type(P(I32T), I32T, I64T), Block(), LocalGet(0), I64(7), LocalGet(0), BrIf(1), Op(Opcode.Drop), Op(Opcode.Drop), End, I32(-1), I64(-2))
            .Func("use_swap3", Type(P(), I64T), I32(1), I64(2), I32(3), Call(1), Op(Opcode.I64ExtendI32S), LocalSet(0), LocalGet(0), Op(Opcode.I64Add), Op(Opcode.Drop), Op(Opcode.I64ExtendI32S), LocalGet(0), Op(Opcode.I64Mul));
        var module = m.Build();
        module = module.WithFunctions(module.Functions.SetItem(4, module.Functions[4].WithLocals(TestModule.Locals((1, I64T)))));
        using var instance = Instance.Create(module);
        Assert.Equal(new object[] { 3, 2 }, (object?[])instance.Invoke("divmod", 17, 5)!);
        Assert.Equal(new object[] { 9, 8L, 7 }, (object?[])instance.Invoke("swap3", 7, 8L, 9)!);
        Assert.Equal(1000 + 32, (int)instance.Invoke("use_divmod", 17, 5)!);
        Assert.Equal(new object[] { 5, 7L }, (object?[])instance.Invoke("early", 5)!);
        Assert.Equal(new object[] { -1, -2L }, (object?[])instance.Invoke("early", 0)!);
        Assert.Equal(3L, (long)instance.Invoke("use_swap3")!);
    }
}

public class IfWithParametersTests
{
    [Fact]
    public void IfArmsBothSeeTheParameters()
    {
        var m = new TestModule();
        var two = m.AddType(Type(P(I32T, I32T), I32T));
        var one = m.AddType(Type(P(I64T), I64T));

        // The then arm spills thirty values over the parameters' slots before the else arm needs them.
        var pressure = Enumerable.Range(0, 30).SelectMany(i => new[] { LocalGet(0), I32(i), Op(Opcode.I32Add) })
            .Concat(Enumerable.Range(0, 29).Select(_ => Op(Opcode.I32Add))).ToArray();
        m.Func("choose", Type(P(I32T, I32T, I32T), I32T),
            [LocalGet(0), LocalGet(1), LocalGet(2),
             BlockOfType(Opcode.If, two),
               Op(Opcode.I32Add), Op(Opcode.Drop), .. pressure,
             Else,
               Op(Opcode.I32Sub),
             End]);
        m.Func("scale_if", Type(P(I64T, I32T), I64T),
            LocalGet(0), LocalGet(1), BlockOfType(Opcode.If, one), I64(10), Op(Opcode.I64Mul), End);
        using var instance = m.Instantiate();
        Assert.Equal((30 * 5) + 435, (int)instance.Invoke("choose", 5, 3, 1)!);
        Assert.Equal(2, (int)instance.Invoke("choose", 5, 3, 0)!);
        Assert.Equal(70L, (long)instance.Invoke("scale_if", 7L, 1)!);
        Assert.Equal(7L, (long)instance.Invoke("scale_if", 7L, 0)!);
    }
}

public class StackTraceTests
{
    [Fact]
    public void TrapsCarryTheWasmStackTraceWithNames()
    {
        // outer(x) = 1 + middle(x); middle(x) = inner(x) * 2; inner(x) = 100 / x
        var module = new TestModule()
            .Func("inner", Type(P(I32T), I32T), I32(100), LocalGet(0), Op(Opcode.I32DivS))
            .Func("middle", Type(P(I32T), I32T), LocalGet(0), Call(0), I32(2), Op(Opcode.I32Mul))
            .Func("outer", Type(P(I32T), I32T), I32(1), LocalGet(0), Call(1), Op(Opcode.I32Add))
            .Build()
            .WithNames(new NameSection { FunctionNames = ImmutableArray.Create(new NameAssociation(0, "inner"), new NameAssociation(2, "outer")) });
        using var instance = Instance.Create(module);
        Assert.Equal(101, (int)instance.Invoke("outer", 2)!);
        var e = Assert.Throws<TrapException>(() => instance.Invoke("outer", 0));
        Assert.Equal(TrapKind.IntegerDivideByZero, e.Kind);
        Assert.Equal(new[] { 0, 1, 2 }, e.WasmStackTrace.Select(f => f.FunctionIndex).ToArray());
        Assert.Equal(new[] { 5, 2, 4 }, e.WasmStackTrace.Select(f => f.WasmOffset).ToArray()); // div_s after i32.const 100 (3 bytes) and local.get (2), then the calls
        Assert.Equal("inner", e.WasmStackTrace[0].FunctionName);
        Assert.Null(e.WasmStackTrace[1].FunctionName);
        Assert.Equal(0, e.OmittedFrames);
        Assert.StartsWith("integer divide by zero (in function 0 $inner at offset 0x5)", e.Message);
        Assert.Contains("at $outer (function 2) at offset 0x4", e.Message);

        // Calling the inner function directly: one frame.
        Assert.Single(Assert.Throws<TrapException>(() => instance.Invoke("inner", 0)).WasmStackTrace);
    }

    [Fact]
    public void DeepRecursionTracesAreTruncated()
    {
        using var instance = new TestModule().Func("forever", Type(P(), P()), Call(0)).Instantiate();
        var e = Assert.Throws<TrapException>(() => instance.Invoke("forever"));
        Assert.Equal(TrapKind.CallStackExhausted, e.Kind);
        Assert.Equal(33, e.WasmStackTrace.Length);
        Assert.True(e.OmittedFrames > 1000, e.OmittedFrames.ToString());
        Assert.Contains("more frames", e.Message);
    }
}
