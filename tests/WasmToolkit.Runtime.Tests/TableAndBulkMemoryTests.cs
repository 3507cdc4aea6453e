using System.Linq;
using WasmToolkit.Compiler;
using WasmToolkit.Instructions;
using WasmToolkit.Runtime.Tests.Linking;
using Xunit;

namespace WasmToolkit.Runtime.Tests;

/// <summary>
/// Runs <c>call_indirect</c>, table and bulk-memory code: results, each trap kind, and that the trap's
/// wasm stack trace points at the trapping instruction (static sites for call_indirect's three checks,
/// run-time-kind sites after trapping builtins) and through the indirect call's site to its caller.
/// </summary>
public class TableAndBulkMemoryTests
{
    private const string Source = """
        (module
          (type $ii (func (param i32) (result i32)))
          (type $v (func))
          (memory 1)
          (data $d "hello")
          (table $t 4 8 funcref)
          (elem (table $t) (i32.const 0) func $double $boom)
          (elem declare func $nop)
          (func $double (type $ii) (i32.mul (local.get 0) (i32.const 2)))
          (func $boom (type $ii) (i32.div_u (local.get 0) (i32.const 0)))
          (func $nop (type $v))
          (func (export "ci") (param i32 i32) (result i32) (call_indirect $t (type $ii) (local.get 1) (local.get 0)))
          (func (export "grow") (param i32) (result i32) (table.grow $t (ref.func $nop) (local.get 0)))
          (func (export "isnull") (param i32) (result i32) (ref.is_null (table.get $t (local.get 0))))
          (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
          (func (export "init") (param i32 i32 i32) (memory.init $d (local.get 0) (local.get 1) (local.get 2)))
          (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
          (func (export "live") (param i32) (result i32)
            ;; values in registers across a builtin call and an indirect call
            (i32.add (local.get 0) (i32.const 5))
            (i32.mul (local.get 0) (i32.const 7))
            (memory.fill (i32.const 100) (i32.const 9) (i32.const 4))
            (call_indirect $t (type $ii) (local.get 0) (i32.const 0))
            i32.add
            i32.add
            (i32.load8_u (i32.const 103))
            i32.add))
        """;

    /// <summary>Offset of the first <paramref name="opcode"/> in function <paramref name="functionIndex"/>.</summary>
    private static int OffsetOf(Module module, int functionIndex, Opcode opcode)
    {
        var reader = module.Functions[functionIndex - module.ImportedFunctionCount].GetInstructionReader();
        while (reader.Read())
        {
            if (reader.Opcode == opcode) return reader.InstructionOffset;
        }

        throw new Xunit.Sdk.XunitException(opcode + " not found");
    }

    [Fact]
    public void CallIndirectChecksEachCaseAtTheInstruction()
    {
        var compiled = Wat.Compile(Source);
        using var instance = Instance.Create(compiled);
        var at = OffsetOf(compiled.Module, 3, Opcode.CallIndirect);
        Assert.Equal(42, (int)instance.Invoke("ci", 0, 21)!);

        void Traps(TrapKind kind, int index)
        {
            var e = Assert.Throws<TrapException>(() => instance.Invoke("ci", index, 21));
            Assert.Equal(kind, e.Kind);
            Assert.Equal(3, e.FunctionIndex);
            Assert.Equal(at, e.WasmOffset);
        }

        Traps(TrapKind.UninitializedElement, 2);
        Traps(TrapKind.UndefinedElement, 4);
        Traps(TrapKind.UndefinedElement, -1);
        Assert.Equal(4, (int)instance.Invoke("grow", 1)!);
        Traps(TrapKind.IndirectCallTypeMismatch, 4);
        Assert.Equal(-1, (int)instance.Invoke("grow", 10)!);

        // A trap inside the called function: its frame, then the indirect call's site.
        var inner = Assert.Throws<TrapException>(() => instance.Invoke("ci", 1, 21));
        Assert.Equal(TrapKind.IntegerDivideByZero, inner.Kind);
        Assert.Equal(new[] { 1, 3 }, inner.WasmStackTrace.Select(f => f.FunctionIndex).ToArray());
        Assert.Equal(at, inner.WasmStackTrace[1].WasmOffset);

        Assert.Equal(0, (int)instance.Invoke("isnull", 0)!);
        Assert.Equal(1, (int)instance.Invoke("isnull", 2)!);
        Assert.Equal(TrapKind.TableOutOfBounds, Assert.Throws<TrapException>(() => instance.Invoke("isnull", 5)).Kind);
    }

    [Fact]
    public void TrappingBuiltinsTrapWithTheirKindAtTheInstruction()
    {
        var compiled = Wat.Compile(Source);
        using var instance = Instance.Create(compiled);
        instance.Invoke("fill", 10, 0x41, 3);
        Assert.Equal(0x41, (int)instance.Invoke("load8", 12)!);
        Assert.Equal(0, (int)instance.Invoke("load8", 13)!);

        var e = Assert.Throws<TrapException>(() => instance.Invoke("fill", 65535, 0x42, 2));
        Assert.Equal(TrapKind.MemoryOutOfBounds, e.Kind);
        Assert.Equal(OffsetOf(compiled.Module, 6, Opcode.MemoryFill), e.WasmOffset);
        Assert.Equal(0, (int)instance.Invoke("load8", 65535)!); // bounds are checked before any write

        instance.Invoke("init", 20, 1, 4);
        Assert.Equal((int)'e', (int)instance.Invoke("load8", 20)!);
        e = Assert.Throws<TrapException>(() => instance.Invoke("init", 20, 2, 4));
        Assert.Equal(TrapKind.MemoryOutOfBounds, e.Kind);
        Assert.Equal(OffsetOf(compiled.Module, 7, Opcode.MemoryInit), e.WasmOffset);
    }

    [Fact]
    public void ValuesSurviveBuiltinAndIndirectCalls()
    {
        using var instance = Instance.Create(Wat.Compile(Source));
        Assert.Equal((4 + 5) + (4 * 7) + (4 * 2) + 9, (int)instance.Invoke("live", 4)!);
    }
}
