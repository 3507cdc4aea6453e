using System.Linq;
using WasmToolkit.Text;
using Xunit;
using Xunit.Abstractions;

namespace WasmToolkit.Compiler.Tests;

/// <summary>
/// Compile-only checks of the code for reference values, tables, <c>call_indirect</c>, bulk memory and
/// imported globals: which trap sites exist (with their wasm offsets) and which context slots the code reaches.
/// Running it is the runtime's spec test.
/// </summary>
public class ReferenceAndTableTests
{
    private readonly ITestOutputHelper _output;

    public ReferenceAndTableTests(ITestOutputHelper output) => _output = output;

    private CompiledModule Compile(string wat)
    {
        var parsed = TextModuleParser.Parse(wat);
        Assert.True(parsed.Module is not null, string.Join("\n", parsed.Diagnostics));
        var compiled = ModuleCompiler.Compile(parsed.Module!);
        _output.WriteLine(Disassembler.Disassemble(compiled));
        return compiled;
    }

    private static System.Collections.Generic.IReadOnlyList<string> Code(CompiledModule compiled, int definedIndex)
        => Disassembler.DisassembleFunction(compiled, compiled.Functions[definedIndex]);

    private static string Hex(int n) => "0x" + n.ToString("X");

    [Fact]
    public void CallIndirectChecksBoundsNullAndTypeThenCallsThroughTheRecord()
    {
        var compiled = Compile("""
            (module
              (type $t (func (param i32) (result i32)))
              (table 2 funcref)
              (func $f (type $t) local.get 0)
              (func (param i32) (result i32) i32.const 7 local.get 0 call_indirect (type $t)))
            """);
        var layout = VmContextLayout.For(compiled.Module);
        var sites = compiled.TrapSites.Where(t => t.FunctionIndex == 1 && t.Kind != TrapKind.CallStackExhausted).ToList();
        Assert.Equal(new[] { TrapKind.UndefinedElement, TrapKind.UninitializedElement, TrapKind.IndirectCallTypeMismatch }, sites.Select(t => t.Kind).OrderBy(k => k));
        Assert.Single(sites.Select(t => t.WasmOffset).Distinct());
        var call = Assert.Single(compiled.CallSites, c => c.FunctionIndex == 1);
        Assert.Equal(sites[0].WasmOffset, call.WasmOffset);

        var code = string.Join("\n", Code(compiled, 1)).ToUpperInvariant();
        Assert.Contains(("[R15+" + Hex(layout.Table(0)) + "]").ToUpperInvariant(), code);
        Assert.Contains("TEST    R11,R11", code);
        Assert.Contains(("[R15+" + Hex(layout.TypeId(0)) + "]").ToUpperInvariant(), code);
        Assert.Contains(("[R11+" + Hex(FuncRefLayout.TypeId) + "]").ToUpperInvariant(), code);
        Assert.Contains("CALL    QWORD [R11]", code);
    }

    [Fact]
    public void TableAccessIsInlineAndBulkTableOperationsCallBuiltins()
    {
        var compiled = Compile("""
            (module
              (table $t 1 externref)
              (table $u 1 funcref)
              (elem $e func 0)
              (func (param i32 externref) (result i32)
                (table.set $t (local.get 0) (table.get $t (local.get 0)))
                (drop (table.grow $t (local.get 1) (i32.const 2)))
                (table.fill $t (i32.const 0) (local.get 1) (i32.const 1))
                (table.copy $t $t (i32.const 0) (i32.const 0) (i32.const 1))
                (table.init $u $e (i32.const 0) (i32.const 0) (i32.const 1))
                (elem.drop $e)
                (table.size $u)))
            """);
        var layout = VmContextLayout.For(compiled.Module);
        Assert.Equal(2, compiled.TrapSites.Count(t => t.Kind == TrapKind.TableOutOfBounds));

        // fill, copy and init may trap with a kind their builtin returns; grow and drop do not.
        Assert.Equal(3, compiled.TrapSites.Count(t => t.Kind == 0));
        var code = string.Join("\n", Code(compiled, 0)).ToUpperInvariant();
        foreach (var f in new[] { BuiltinFunction.TableGrow, BuiltinFunction.TableFill, BuiltinFunction.TableCopy, BuiltinFunction.TableInit, BuiltinFunction.ElemDrop })
        {
            Assert.Contains(("CALL    QWORD [R15+" + Hex(layout.Builtin(f)) + "]").ToUpperInvariant(), code);
        }

        Assert.Contains("MOV     RDI,R15", code);
    }

    [Fact]
    public void BulkMemoryCallsBuiltinsWithTrapSitesAtTheInstruction()
    {
        var compiled = Compile("""
            (module
              (memory 1)
              (data $d "abc")
              (func (param i32) (result i32)
                (local.get 0)
                (i32.add (local.get 0) (i32.const 1))
                (memory.fill (local.get 0) (i32.const 0) (i32.const 3))
                (memory.copy (local.get 0) (i32.const 8) (i32.const 3))
                (memory.init $d (local.get 0) (i32.const 0) (i32.const 3))
                (data.drop $d)
                i32.add))
            """);
        var layout = VmContextLayout.For(compiled.Module);
        var dynamic = compiled.TrapSites.Where(t => t.Kind == 0).ToList();
        Assert.Equal(3, dynamic.Count);
        Assert.Equal(3, dynamic.Select(t => t.WasmOffset).Distinct().Count());
        var code = Code(compiled, 0);
        var text = string.Join("\n", code).ToUpperInvariant();
        foreach (var f in new[] { BuiltinFunction.MemoryFill, BuiltinFunction.MemoryCopy, BuiltinFunction.MemoryInit, BuiltinFunction.DataDrop })
        {
            Assert.Contains(("CALL    QWORD [R15+" + Hex(layout.Builtin(f)) + "]").ToUpperInvariant(), text);
        }

        // A trapping builtin's site calls the trap stub with the kind the builtin left in eax.
        var trapCalls = code.Select((l, i) => (l, i)).Where(x => x.l.Contains("call") && !x.l.Contains("qword")).ToList();
        Assert.Contains(trapCalls, x => x.i > 0 && !code[x.i - 1].Contains("mov     eax,"));
    }

    [Fact]
    public void ReferencesAreValuesEverywhere()
    {
        var compiled = Compile("""
            (module
              (type $r (func (param funcref externref) (result externref funcref)))
              (global $g (mut funcref) (ref.null func))
              (global $h (mut externref) (ref.null extern))
              (func $f (type $r)
                (local $l funcref)
                (local.set $l (ref.func $f))
                (global.set $g (select (result funcref) (local.get $l) (local.get 0) (i32.const 1)))
                (global.set $h (local.get 1))
                (block (result externref) (global.get $h))
                (if (result funcref) (ref.is_null (global.get $g)) (then (ref.null func)) (else (local.tee $l (global.get $g))))))
            """);
        var layout = VmContextLayout.For(compiled.Module);
        var code = string.Join("\n", Code(compiled, 0)).ToUpperInvariant();
        Assert.Contains(("[R15+" + Hex(layout.FuncRef(0)) + "]").ToUpperInvariant(), code);
        Assert.Contains(("[R15+" + Hex(layout.Global(0)) + "]").ToUpperInvariant(), code);
    }

    [Fact]
    public void ImportedGlobalsAreReachedThroughTheirCellPointerAndDefinedOnesByGlobalIndex()
    {
        var compiled = Compile("""
            (module
              (import "m" "g" (global $i (mut i32)))
              (global $d (mut i64) (i64.const 5))
              (func (result i64)
                (global.set $i (i32.const 3))
                (global.set $d (i64.extend_i32_u (global.get $i)))
                (global.get $d)))
            """);
        var layout = VmContextLayout.For(compiled.Module);
        var code = string.Join("\n", Code(compiled, 0)).ToUpperInvariant();
        Assert.Contains(("MOV     R10,[R15+" + Hex(layout.Global(0)) + "]").ToUpperInvariant(), code);
        Assert.Contains(("[R15+" + Hex(layout.Global(1)) + "]").ToUpperInvariant(), code);
    }
}
