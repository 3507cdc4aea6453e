using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using WasmToolkit.Tests.Infrastructure;
using WasmToolkit.Text;
using Xunit;

namespace WasmToolkit.Compiler.Tests.Arm64;

/// <summary>
/// Functions compiled by the ARM64 backend (<see cref="ModuleCompiler"/> with <see cref="TargetArchitecture.Arm64"/>, the
/// linked image as it is) run on Unicorn through their entry stub, as a host calls them: the edge cases of the x64
/// backend's issue (division traps and INT_MIN / -1, shift counts modulo the width, rotations, bit counts, trapping and
/// saturating truncations at their bounds, NaN and -0 in min/max, ties-to-even rounding, copysign, memory accesses in and
/// out of bounds, br_table) against the values wasm defines. Each case runs on a fresh engine.
/// </summary>
public class Arm64MacroAssemblerTests
{
    private const ulong ImageAddress = Arm64Emulator.CodeAddress;
    private const ulong HostReturnAddress = ImageAddress + 0xFFF0;
    private const ulong ContextAddress = Arm64Emulator.DataAddress;
    private const ulong StateAddress = ContextAddress + 0x800;
    private const ulong SlotsAddress = ContextAddress + 0x1000;
    private const ulong MemoryAddress = 0x200000;
    private const int MemoryBytes = 0x10000;

    private const string Wat = """
        (module
          (memory 1)
          (func (export "i32.div_s") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
          (func (export "i32.div_u") (param i32 i32) (result i32) (i32.div_u (local.get 0) (local.get 1)))
          (func (export "i32.rem_s") (param i32 i32) (result i32) (i32.rem_s (local.get 0) (local.get 1)))
          (func (export "i32.rem_u") (param i32 i32) (result i32) (i32.rem_u (local.get 0) (local.get 1)))
          (func (export "i64.div_s") (param i64 i64) (result i64) (i64.div_s (local.get 0) (local.get 1)))
          (func (export "i64.div_u") (param i64 i64) (result i64) (i64.div_u (local.get 0) (local.get 1)))
          (func (export "i64.rem_s") (param i64 i64) (result i64) (i64.rem_s (local.get 0) (local.get 1)))
          (func (export "i64.rem_u") (param i64 i64) (result i64) (i64.rem_u (local.get 0) (local.get 1)))
          (func (export "i32.div_s_by_7") (param i32) (result i32) (i32.div_s (local.get 0) (i32.const 7)))
          (func (export "i32.shl") (param i32 i32) (result i32) (i32.shl (local.get 0) (local.get 1)))
          (func (export "i32.shr_s") (param i32 i32) (result i32) (i32.shr_s (local.get 0) (local.get 1)))
          (func (export "i32.shr_u") (param i32 i32) (result i32) (i32.shr_u (local.get 0) (local.get 1)))
          (func (export "i32.rotl") (param i32 i32) (result i32) (i32.rotl (local.get 0) (local.get 1)))
          (func (export "i32.rotr") (param i32 i32) (result i32) (i32.rotr (local.get 0) (local.get 1)))
          (func (export "i32.shl_33") (param i32) (result i32) (i32.shl (local.get 0) (i32.const 33)))
          (func (export "i32.rotl_4") (param i32) (result i32) (i32.rotl (local.get 0) (i32.const 4)))
          (func (export "i64.shl") (param i64 i64) (result i64) (i64.shl (local.get 0) (local.get 1)))
          (func (export "i64.shr_s") (param i64 i64) (result i64) (i64.shr_s (local.get 0) (local.get 1)))
          (func (export "i64.rotl") (param i64 i64) (result i64) (i64.rotl (local.get 0) (local.get 1)))
          (func (export "i64.rotr") (param i64 i64) (result i64) (i64.rotr (local.get 0) (local.get 1)))
          (func (export "i64.rotl_68") (param i64) (result i64) (i64.rotl (local.get 0) (i64.const 68)))
          (func (export "i32.clz") (param i32) (result i32) (i32.clz (local.get 0)))
          (func (export "i32.ctz") (param i32) (result i32) (i32.ctz (local.get 0)))
          (func (export "i32.popcnt") (param i32) (result i32) (i32.popcnt (local.get 0)))
          (func (export "i64.clz") (param i64) (result i64) (i64.clz (local.get 0)))
          (func (export "i64.ctz") (param i64) (result i64) (i64.ctz (local.get 0)))
          (func (export "i64.popcnt") (param i64) (result i64) (i64.popcnt (local.get 0)))
          (func (export "i32.add_big") (param i32) (result i32) (i32.add (local.get 0) (i32.const 0x12345678)))
          (func (export "i64.and_mask") (param i64) (result i64) (i64.and (local.get 0) (i64.const 0xff00ff00ff00ff00)))
          (func (export "i32.lt_s") (param i32 i32) (result i32) (i32.lt_s (local.get 0) (local.get 1)))
          (func (export "i32.lt_u") (param i32 i32) (result i32) (i32.lt_u (local.get 0) (local.get 1)))
          (func (export "i64.extend_i32_s") (param i32) (result i64) (i64.extend_i32_s (local.get 0)))
          (func (export "i64.extend8_s") (param i64) (result i64) (i64.extend8_s (local.get 0)))
          (func (export "i32.trunc_f32_s") (param f32) (result i32) (i32.trunc_f32_s (local.get 0)))
          (func (export "i32.trunc_f32_u") (param f32) (result i32) (i32.trunc_f32_u (local.get 0)))
          (func (export "i32.trunc_f64_s") (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))
          (func (export "i32.trunc_f64_u") (param f64) (result i32) (i32.trunc_f64_u (local.get 0)))
          (func (export "i64.trunc_f64_s") (param f64) (result i64) (i64.trunc_f64_s (local.get 0)))
          (func (export "i64.trunc_f64_u") (param f64) (result i64) (i64.trunc_f64_u (local.get 0)))
          (func (export "i32.trunc_sat_f32_s") (param f32) (result i32) (i32.trunc_sat_f32_s (local.get 0)))
          (func (export "i32.trunc_sat_f64_u") (param f64) (result i32) (i32.trunc_sat_f64_u (local.get 0)))
          (func (export "i64.trunc_sat_f64_s") (param f64) (result i64) (i64.trunc_sat_f64_s (local.get 0)))
          (func (export "f32.min") (param f32 f32) (result f32) (f32.min (local.get 0) (local.get 1)))
          (func (export "f32.max") (param f32 f32) (result f32) (f32.max (local.get 0) (local.get 1)))
          (func (export "f64.min") (param f64 f64) (result f64) (f64.min (local.get 0) (local.get 1)))
          (func (export "f64.max") (param f64 f64) (result f64) (f64.max (local.get 0) (local.get 1)))
          (func (export "f64.nearest") (param f64) (result f64) (f64.nearest (local.get 0)))
          (func (export "f32.nearest") (param f32) (result f32) (f32.nearest (local.get 0)))
          (func (export "f64.copysign") (param f64 f64) (result f64) (f64.copysign (local.get 0) (local.get 1)))
          (func (export "f32.copysign") (param f32 f32) (result f32) (f32.copysign (local.get 0) (local.get 1)))
          (func (export "f64.lt") (param f64 f64) (result i32) (f64.lt (local.get 0) (local.get 1)))
          (func (export "f64.ne") (param f64 f64) (result i32) (f64.ne (local.get 0) (local.get 1)))
          (func (export "f64.convert_i64_u") (param i64) (result f64) (f64.convert_i64_u (local.get 0)))
          (func (export "f32.demote_f64") (param f64) (result f32) (f32.demote_f64 (local.get 0)))
          (func (export "store_load") (param i32 i64) (result i64) (i64.store offset=3 (local.get 0) (local.get 1)) (i64.load offset=3 (local.get 0)))
          (func (export "i32.load8_s") (param i32) (result i32) (i32.store8 (local.get 0) (i32.const 0x80)) (i32.load8_s (local.get 0)))
          (func (export "i64.load32_u") (param i32) (result i64) (i32.store (local.get 0) (i32.const -1)) (i64.load32_u (local.get 0)))
          (func (export "i32.load") (param i32) (result i32) (i32.load (local.get 0)))
          (func (export "i32.load_offset_max") (param i32) (result i32) (i32.load offset=0xfffffffc (local.get 0)))
          (func (export "i32.load_const") (result i32) (i32.store (i32.const 65532) (i32.const 7)) (i32.load (i32.const 65532)))
          (func (export "i32.load_const_oob") (result i32) (i32.load (i32.const 65533)))
          (func (export "memory.size") (result i32) (memory.size))
          (func (export "select") (param i32 i64 i64) (result i64) (select (local.get 1) (local.get 2) (local.get 0)))
          (func (export "br_table") (param i32) (result i32)
            (block (block (block (block (br_table 0 1 2 3 (local.get 0))) (return (i32.const 10))) (return (i32.const 11))) (return (i32.const 12)))
            (i32.const 13))
          (func $fib (export "fib") (param i64) (result i64)
            (if (result i64) (i64.lt_u (local.get 0) (i64.const 2)) (then (local.get 0))
              (else (i64.add (call $fib (i64.sub (local.get 0) (i64.const 1))) (call $fib (i64.sub (local.get 0) (i64.const 2)))))))
          (func (export "increment") (param i32) (result i32)
            (i32.store offset=4 (local.get 0) (i32.add (i32.load offset=4 (local.get 0)) (i32.const 1)))
            (i32.store8 offset=5 (local.get 0) (i32.const 2))
            (i32.load offset=4 (local.get 0)))
          (func $recurse (export "recurse") (result i32) (i32.add (call $recurse) (i32.const 1)))
          (func (export "far_local") (param i64) (result i64) (local FAR_LOCALS)
            (local.set 600 (local.get 0)) (local.set 1 (i64.const 5)) (i64.add (local.get 600) (local.get 1)))
        )
        """;

    private static readonly Lazy<CompiledModule> s_module = new(() =>
    {
        // far_local's 600 locals put its slots beyond ldur's ±256 bytes and the scaled offsets' reach.
        var parsed = TextModuleParser.Parse(Wat.Replace("FAR_LOCALS", string.Join(" ", Enumerable.Repeat("i64", 600))));
        var module = parsed.Module ?? throw new InvalidOperationException("the test module does not parse: " + string.Join("\n", parsed.Diagnostics));
        return ModuleCompiler.Compile(module, new CompilerOptions { Architecture = TargetArchitecture.Arm64 });
    });

    private const ulong NaN64 = 0x7FF8_0000_0000_0000, NegZero64 = 0x8000_0000_0000_0000;
    private const ulong NaN32 = 0x7FC0_0000, NegZero32 = 0x8000_0000;

    private static ulong F64(double v) => (ulong)BitConverter.DoubleToInt64Bits(v);

    private static ulong F32(float v) => (uint)BitConverter.SingleToInt32Bits(v);

    private static ulong I32(int v) => (uint)v;

    private static ulong I64(long v) => (ulong)v;

    /// <summary>A case: the export, its arguments as slot values, and the expected result slot or trap.</summary>
    public static IEnumerable<object[]> Cases()
    {
        object[] Value(string name, ulong expected, params ulong[] args) => new object[] { name, args, expected, 0 };
        object[] Trap(string name, TrapKind kind, params ulong[] args) => new object[] { name, args, 0UL, (int)kind };

        yield return Value("i32.div_s", I32(-3), I32(-7), I32(2));
        yield return Trap("i32.div_s", TrapKind.IntegerDivideByZero, I32(1), I32(0));
        yield return Trap("i32.div_s", TrapKind.IntegerOverflow, I32(int.MinValue), I32(-1));
        yield return Value("i32.div_s", I32(int.MinValue), I32(int.MinValue), I32(1));
        yield return Value("i32.div_u", 0x7FFF_FFFF, I32(-1), I32(2));
        yield return Trap("i32.div_u", TrapKind.IntegerDivideByZero, I32(1), I32(0));
        yield return Value("i32.rem_s", 0, I32(int.MinValue), I32(-1));
        yield return Value("i32.rem_s", I32(-1), I32(-7), I32(2));
        yield return Trap("i32.rem_s", TrapKind.IntegerDivideByZero, I32(1), I32(0));
        yield return Value("i32.rem_u", 1, I32(-1), I32(2));
        yield return Value("i64.div_s", I64(long.MinValue), I64(long.MinValue), I64(1));
        yield return Trap("i64.div_s", TrapKind.IntegerOverflow, I64(long.MinValue), I64(-1));
        yield return Trap("i64.div_s", TrapKind.IntegerDivideByZero, I64(long.MinValue), 0);
        yield return Value("i64.div_s", I64(-1), I64(long.MinValue + 1), I64(long.MaxValue));
        yield return Value("i64.div_u", 0x7FFF_FFFF_FFFF_FFFF, I64(-1), 2);
        yield return Value("i64.rem_s", 0, I64(long.MinValue), I64(-1));
        yield return Value("i64.rem_u", 1, I64(-1), 2);
        yield return Value("i32.div_s_by_7", I32(-2), I32(-14));
        yield return Value("i32.shl", 2, 1, 33);
        yield return Value("i32.shl", 0x8000_0000, 1, 31);
        yield return Value("i32.shr_s", I32(-1), I32(int.MinValue), 63);
        yield return Value("i32.shr_u", 1, I32(int.MinValue), 63);
        yield return Value("i32.rotl", 0x0000_0003, 0x8000_0001, 1);
        yield return Value("i32.rotl", 0x8000_0001, 0x8000_0001, 32);
        yield return Value("i32.rotr", 0xC000_0000, 0x8000_0001, 33);
        yield return Value("i32.rotl", 0x1234_5678, 0x1234_5678, 0);
        yield return Value("i32.shl_33", 2, 1);
        yield return Value("i32.rotl_4", 0x2345_6781, 0x1234_5678);
        yield return Value("i64.shl", 2, 1, 65);
        yield return Value("i64.shr_s", I64(-1), I64(long.MinValue), 127);
        yield return Value("i64.rotl", 0x0000_0000_0000_0003, 0x8000_0000_0000_0001, 65);
        yield return Value("i64.rotr", 0xC000_0000_0000_0000, 0x8000_0000_0000_0001, 1);
        yield return Value("i64.rotl_68", 0x2345_6789_ABCD_EF01, 0x1234_5678_9ABC_DEF0);
        yield return Value("i32.clz", 32, 0);
        yield return Value("i32.clz", 0, 0x8000_0000);
        yield return Value("i32.clz", 31, 1);
        yield return Value("i32.ctz", 32, 0);
        yield return Value("i32.ctz", 31, 0x8000_0000);
        yield return Value("i32.popcnt", 32, 0xFFFF_FFFF);
        yield return Value("i32.popcnt", 0, 0);
        yield return Value("i64.clz", 64, 0);
        yield return Value("i64.clz", 31, 0x1_0000_0000);
        yield return Value("i64.ctz", 64, 0);
        yield return Value("i64.ctz", 32, 0x1_0000_0000);
        yield return Value("i64.popcnt", 64, ulong.MaxValue);
        yield return Value("i64.popcnt", 2, 0x8000_0000_0000_0001);
        yield return Value("i32.add_big", 0x1234_5677, 0xFFFF_FFFF);
        yield return Value("i64.and_mask", 0xFF00_FF00_FF00_FF00, ulong.MaxValue);
        yield return Value("i32.lt_s", 1, I32(-1), 0);
        yield return Value("i32.lt_u", 0, I32(-1), 0);
        yield return Value("i64.extend_i32_s", I64(-1), 0xFFFF_FFFF);
        yield return Value("i64.extend8_s", I64(-128), 0x80);
        yield return Value("i32.trunc_f32_s", I32(int.MinValue), F32(-2147483648f));
        yield return Trap("i32.trunc_f32_s", TrapKind.IntegerOverflow, F32(2147483648f));
        yield return Trap("i32.trunc_f32_s", TrapKind.IntegerOverflow, F32(-2147483904f));
        yield return Trap("i32.trunc_f32_s", TrapKind.InvalidConversionToInteger, NaN32);
        yield return Value("i32.trunc_f32_s", I32(-1), F32(-1.9f));
        yield return Value("i32.trunc_f32_u", 0, F32(-0.9f));
        yield return Trap("i32.trunc_f32_u", TrapKind.IntegerOverflow, F32(-1f));
        yield return Value("i32.trunc_f32_u", 0xFFFF_FF00, F32(4294967040f));
        yield return Trap("i32.trunc_f32_u", TrapKind.IntegerOverflow, F32(4294967296f));
        yield return Value("i32.trunc_f64_s", I32(int.MinValue), F64(-2147483648.9));
        yield return Trap("i32.trunc_f64_s", TrapKind.IntegerOverflow, F64(-2147483649.0));
        yield return Value("i32.trunc_f64_s", I32(int.MaxValue), F64(2147483647.9));
        yield return Trap("i32.trunc_f64_s", TrapKind.IntegerOverflow, F64(2147483648.0));
        yield return Value("i32.trunc_f64_u", 0xFFFF_FFFF, F64(4294967295.9));
        yield return Trap("i32.trunc_f64_u", TrapKind.IntegerOverflow, F64(4294967296.0));
        yield return Trap("i32.trunc_f64_u", TrapKind.InvalidConversionToInteger, NaN64);
        yield return Value("i64.trunc_f64_s", I64(long.MinValue), F64(-9223372036854775808.0));
        yield return Trap("i64.trunc_f64_s", TrapKind.IntegerOverflow, F64(9223372036854775808.0));
        yield return Value("i64.trunc_f64_u", 0xFFFF_FFFF_FFFF_F800, F64(18446744073709549568.0));
        yield return Trap("i64.trunc_f64_u", TrapKind.IntegerOverflow, F64(18446744073709551616.0));
        yield return Value("i64.trunc_f64_u", 0, F64(-0.99));
        yield return Value("i32.trunc_sat_f32_s", I32(int.MaxValue), F32(3e9f));
        yield return Value("i32.trunc_sat_f32_s", I32(int.MinValue), F32(float.NegativeInfinity));
        yield return Value("i32.trunc_sat_f32_s", 0, NaN32);
        yield return Value("i32.trunc_sat_f64_u", 0, F64(-5.0));
        yield return Value("i32.trunc_sat_f64_u", 0xFFFF_FFFF, F64(1e10));
        yield return Value("i64.trunc_sat_f64_s", I64(long.MaxValue), F64(1e19));
        yield return Value("i64.trunc_sat_f64_s", 0, F64(double.NaN));
        yield return Value("f64.min", NegZero64, F64(0.0), NegZero64);
        yield return Value("f64.min", NegZero64, NegZero64, F64(0.0));
        yield return Value("f64.max", 0, NegZero64, F64(0.0));
        yield return Value("f64.min", NaN64, NaN64, F64(1.0));
        yield return Value("f64.max", NaN64, F64(1.0), NaN64);
        yield return Value("f64.min", F64(-1.0), F64(-1.0), F64(2.0));
        yield return Value("f32.min", NegZero32, F32(0f), NegZero32);
        yield return Value("f32.max", 0, NegZero32, F32(0f));
        yield return Value("f32.min", NaN32, F32(1f), NaN32);
        yield return Value("f64.nearest", F64(2.0), F64(2.5));
        yield return Value("f64.nearest", F64(4.0), F64(3.5));
        yield return Value("f64.nearest", NegZero64, F64(-0.5));
        yield return Value("f64.nearest", F64(-2.0), F64(-1.5));
        yield return Value("f32.nearest", F32(2f), F32(2.5f));
        yield return Value("f64.copysign", F64(-1.5), F64(1.5), NegZero64);
        yield return Value("f64.copysign", NaN64, NaN64 | NegZero64, F64(1.0));
        yield return Value("f32.copysign", F32(-2f), F32(2f), F32(-0f));
        yield return Value("f64.lt", 0, NaN64, F64(1.0));
        yield return Value("f64.lt", 1, F64(-1.0), F64(1.0));
        yield return Value("f64.ne", 1, NaN64, NaN64);
        yield return Value("f64.convert_i64_u", F64(18446744073709551615.0), ulong.MaxValue);
        yield return Value("f32.demote_f64", F32(1.5f), F64(1.5));
        yield return Value("store_load", 0x0102_0304_0506_0708, 65525, 0x0102_0304_0506_0708);
        yield return Trap("store_load", TrapKind.MemoryOutOfBounds, 65526, 1);
        yield return Trap("store_load", TrapKind.MemoryOutOfBounds, 0xFFFF_FFFF, 1);
        yield return Value("i32.load8_s", I32(-128), 65535);
        yield return Trap("i32.load8_s", TrapKind.MemoryOutOfBounds, 65536);
        yield return Value("i64.load32_u", 0xFFFF_FFFF, 65532);
        yield return Trap("i32.load", TrapKind.MemoryOutOfBounds, 65533);
        yield return Trap("i32.load_offset_max", TrapKind.MemoryOutOfBounds, 4);
        yield return Value("i32.load_const", 7);
        yield return Trap("i32.load_const_oob", TrapKind.MemoryOutOfBounds);
        yield return Value("memory.size", 1);
        yield return Value("select", 5, 1, 5, 6);
        yield return Value("select", 6, 0, 5, 6);
        yield return Value("br_table", 10, 0);
        yield return Value("br_table", 11, 1);
        yield return Value("br_table", 12, 2);
        yield return Value("br_table", 13, 3);
        yield return Value("br_table", 13, 0xFFFF_FFFF);
        yield return Value("fib", 55, 10);
        yield return Value("increment", 0x201, 100);
        yield return Value("increment", 0x201, 65528);
        yield return Trap("increment", TrapKind.MemoryOutOfBounds, 65529);
        yield return Trap("increment", TrapKind.MemoryOutOfBounds, 0xFFFF_FFFC);
        yield return Trap("recurse", TrapKind.CallStackExhausted);
        yield return Value("far_local", 47, 42);
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void RunsWithWasmSemantics(string name, ulong[] args, ulong expected, int trap)
    {
        Arm64Emulator.Require();
        var (kind, result) = Run(s_module.Value, name, args);
        Assert.Equal(trap, kind);
        if (trap == 0) Assert.Equal($"0x{expected:x}", $"0x{result:x}");
    }

    /// <summary>
    /// A function of over 1 MiB of code, out of reach of its conditional branches to the trap sites at its end, is compiled
    /// again with long branches (<c>b.!cond</c> over a <c>b</c>) and still traps and returns correctly.
    /// </summary>
    [SkippableFact]
    public void AFunctionBeyondConditionalBranchReachCompilesWithLongBranches()
    {
        Arm64Emulator.Require();
        // A growing offset per load, so each keeps its own check (a repeated one would be MemoryAccess.CheckedBefore).
        var loads = string.Concat(Enumerable.Range(0, 50000).Select(i => $"(drop (i32.load offset={i} (local.get 0)))"));
        var wat = $"(module (memory 1) (func (export \"big\") (param i32) (result i32) {loads} (i32.store (i32.const 8) (i32.const 99)) (i32.load offset=8 (local.get 0))))";
        var compiled = ModuleCompiler.Compile(TextModuleParser.Parse(wat).Module!, new CompilerOptions { Architecture = TargetArchitecture.Arm64 });
        Assert.True(compiled.Functions[0].Size > 1 << 20, $"the function has only {compiled.Functions[0].Size} bytes");

        const ulong bigImage = 0x1000000;
        Assert.Equal((0, 99UL), Run(compiled, "big", new ulong[] { 0 }, bigImage));
        Assert.Equal(((int)TrapKind.MemoryOutOfBounds, 65535UL), Run(compiled, "big", new ulong[] { 65535 }, bigImage));
    }

    /// <summary>
    /// Calls export <paramref name="name"/> of <paramref name="compiled"/> through its entry stub on a fresh emulator, the
    /// image at <paramref name="imageAddress"/> (the emulator's code region, or a region mapped here for a larger image).
    /// Returns the entry stub's result (0 or a trap kind) and slot 0.
    /// </summary>
    private static (int Kind, ulong Result) Run(CompiledModule compiled, string name, ulong[] args, ulong imageAddress = ImageAddress)
    {
        var export = compiled.Module.Exports.Single(e => e.Name == name);
        var function = compiled.Functions.Single(f => f.FunctionIndex == (int)export.Index);
        using var emulator = new Arm64Emulator();
        ulong hostReturn;
        if (imageAddress == ImageAddress)
        {
            Assert.True(compiled.Code.Length < (int)(HostReturnAddress - ImageAddress), "the image outgrew the emulator's code region");
            hostReturn = HostReturnAddress;
        }
        else
        {
            var size = ((ulong)compiled.Code.Length + 0x1FFF) & ~0xFFFUL;
            emulator.Map(imageAddress, size);
            hostReturn = imageAddress + size - 16;
        }

        emulator.Map(MemoryAddress, MemoryBytes);
        emulator.WriteMemory(imageAddress, compiled.Code.AsSpan());

        // A defined memory's definition is inline at the start of the context: base, then size in bytes.
        emulator.WriteUInt64(ContextAddress + MemoryDefinitionLayout.Base, MemoryAddress);
        emulator.WriteUInt64(ContextAddress + MemoryDefinitionLayout.Size, MemoryBytes);
        emulator.WriteUInt64(StateAddress + ExecutionStateLayout.StackLimit, Arm64Emulator.DataAddress + 0x4000);
        emulator.WriteUInt64(StateAddress + ExecutionStateLayout.EntryStackPointer, 0x7FFF_0000);
        emulator.WriteUInt64(SlotsAddress, 0xDEAD_BEEF_DEAD_BEEF);
        for (var i = 0; i < args.Length; i++) emulator.WriteUInt64(SlotsAddress + (ulong)(8 * i), args[i]);

        emulator.SetX(0, ContextAddress);
        emulator.SetX(1, imageAddress + (ulong)function.Offset);
        emulator.SetX(2, SlotsAddress);
        emulator.SetX(3, StateAddress);
        emulator.Call(imageAddress + (ulong)compiled.EntryStubs[function.EntryStubIndex].Offset, hostReturn);
        return ((int)(uint)emulator.GetX(0), emulator.ReadUInt64(SlotsAddress));
    }

    /// <summary>
    /// The listing <c>wasmtk compile --target arm64 --disasm</c> prints for a small module (a bounds-checked load, a
    /// division with its two traps, a call), snapshot in <c>Arm64MacroAssemblerTests.SmallFunctionListing.verified.txt</c>:
    /// a change of the code the backend emits shows as a diff to review (bless with VERIFY_ACCEPT=1).
    /// </summary>
    [Fact]
    public void SmallFunctionListing()
    {
        const string wat = """
            (module
              (memory 1)
              (func $average (param $p i32) (param $n i32) (result i32)
                (i32.div_s (i32.load offset=4 (local.get $p)) (local.get $n)))
              (func $main (param i32) (result i32) (call $average (local.get 0) (i32.const 3))))
            """;
        var parsed = TextModuleParser.Parse(wat);
        var compiled = ModuleCompiler.Compile(parsed.Module!, new CompilerOptions { Architecture = TargetArchitecture.Arm64, MaxDegreeOfParallelism = 1 });
        var text = new StringBuilder();
        foreach (var f in compiled.Functions) text.Append(Disassembler.FormatFunction(compiled, f, showBytes: true)).Append('\n');
        var listing = text.ToString();
        Assert.Contains("bl trap_stub", listing);
        Assert.Contains("bl func[0] $average", listing);
        Snapshot.Match(listing);
    }

    /// <summary>
    /// The listing of a small SIMD module (v128 parameters and result in slots, a bounds-checked v128 load, lane-wise
    /// arithmetic, a shuffle, a bitmask, a shift by a register count), snapshot in
    /// <c>Arm64MacroAssemblerTests.SimdFunctionListing.verified.txt</c> like <see cref="SmallFunctionListing"/>.
    /// </summary>
    [Fact]
    public void SimdFunctionListing()
    {
        const string wat = """
            (module
              (memory 1)
              (func $mix (param $p i32) (param $v v128) (param $n i32) (result v128)
                (i8x16.shuffle 0 17 2 19 4 21 6 23 8 25 10 27 12 29 14 31
                  (i32x4.add (v128.load offset=16 (local.get $p)) (local.get $v))
                  (i16x8.shl (local.get $v) (local.get $n))))
              (func $mask (param v128) (result i32) (i8x16.bitmask (local.get 0))))
            """;
        var parsed = TextModuleParser.Parse(wat);
        var compiled = ModuleCompiler.Compile(parsed.Module!, new CompilerOptions { Architecture = TargetArchitecture.Arm64, MaxDegreeOfParallelism = 1 });
        var text = new StringBuilder();
        foreach (var f in compiled.Functions) text.Append(Disassembler.FormatFunction(compiled, f, showBytes: true)).Append('\n');
        var listing = text.ToString();
        Assert.Contains("tbl v", listing);
        Assert.Contains("ldr q", listing);
        Snapshot.Match(listing);
    }
}
