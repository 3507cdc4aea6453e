using System;
using System.Linq;
using System.Text;
using WasmToolkit.Compiler.Arm64;
using WasmToolkit.Compiler.Serialization;
using WasmToolkit.Tests.Infrastructure;
using Xunit;
using static WasmToolkit.Compiler.Arm64.Arm64Register;

namespace WasmToolkit.Compiler.Tests.Arm64;

/// <summary>
/// Runs the ARM64 entry, trap and host stubs on Unicorn with hand-assembled functions in the wasm convention
/// (<see cref="Arm64Abi"/>): results and multi-value results through the slots, calls between functions, traps from
/// several frames deep (returned kind, recorded trap pc, walked frames), stack exhaustion by recursion, host calls
/// through a fake trampoline, and that every AAPCS64 callee-saved register, sp and the previous entry record come back
/// on normal and trapping returns. Skipped with the reason when libunicorn.so.2 is missing (fails under <c>CI=true</c>).
/// </summary>
public class Arm64StubTests
{
    // Code region (Arm64Emulator.CodeAddress, 64 KiB): one image laid out like a linked module plus the host's return address.
    private const ulong TrapStubAddress = Arm64Emulator.CodeAddress;
    private const ulong HostStubAddress = TrapStubAddress + 0x400;
    private const ulong FunctionsAddress = TrapStubAddress + 0x1000;
    private const ulong TrampolineAddress = TrapStubAddress + 0x2000;
    private const ulong EntryStubAddress = TrapStubAddress + 0x3000; // last: an entry stub for 600 parameters takes 4.8 KiB
    private const ulong NestedEntryStubAddress = TrapStubAddress + 0xE000;
    private const ulong HostReturnAddress = TrapStubAddress + 0xF000;

    // Data region (64 KiB): context, host context, execution state, slots; the stack grows down from its top.
    private const ulong ContextAddress = Arm64Emulator.DataAddress;
    private const ulong HostContextAddress = ContextAddress + 0x200;
    private const ulong StateAddress = ContextAddress + 0x400;
    private const ulong SlotsAddress = ContextAddress + 0x1000;
    private const ulong StackTop = Arm64Emulator.DataAddress + Arm64Emulator.DataSize;
    private const ulong HostHandle = 0x1000;

    /// <summary>Stands for the record of an outer entry stub (nested entries); it must be back after every return.</summary>
    private const ulong OuterEntryStackPointer = 0x0000_7FFF_0000_0F00;

    private const long TrapStubPosition = (long)TrapStubAddress - (long)FunctionsAddress;

    private static readonly ValType[] I32x2 = { ValType.I32, ValType.I32 };
    private static readonly ValType[] I64x2 = { ValType.I64, ValType.I64 };
    private static readonly ValType[] I64x3 = { ValType.I64, ValType.I64, ValType.I64 };

    /// <summary>The functions of every test, assembled once at <see cref="FunctionsAddress"/>; positions are byte offsets.</summary>
    private sealed class Functions
    {
        public readonly byte[] Code;
        public readonly int Add, Parameter599, TwiceSum, Rotate, Clobber, Outer, Recurse, CallHost, Last;
        public readonly int InnerTrapReturn, MiddleReturn, OuterReturn, RecurseReturn, RecurseStackTrapReturn, CallHostReturn;

        public Functions()
        {
            var a = new Arm64Assembler();
            var add = a.CreateLabel();
            var inner = a.CreateLabel();
            var middle = a.CreateLabel();
            var recurse = a.CreateLabel();

            // add(i32, i32) -> i32
            Add = Begin(a, add, 0, out var trap);
            a.Emit(Load(Arm64Code.Ldr, W(0), Fp, 16));
            a.Emit(Load(Arm64Code.Ldr, W(1), Fp, 24));
            a.Add(W(0), W(0), W(1));
            End(a, trap);

            // parameter599(i64 × 600) -> i64 = the last parameter (an argument area above 4 KiB).
            Parameter599 = Begin(a, a.CreateLabel(), 0, out trap);
            a.Emit(Load(Arm64Code.Ldr, X(0), Fp, 16 + (8 * 599)));
            End(a, trap);

            // twiceSum(i32, i32) -> i32 = add(a, b) * 2: a call in the internal convention.
            TwiceSum = Begin(a, a.CreateLabel(), 0, out trap);
            a.Sub(Sp, Sp, 16);
            a.Emit(Load(Arm64Code.Ldr, X(0), Fp, 16));
            a.Emit(Load(Arm64Code.Str, X(0), Sp, 0));
            a.Emit(Load(Arm64Code.Ldr, X(0), Fp, 24));
            a.Emit(Load(Arm64Code.Str, X(0), Sp, 8));
            a.Bl(add);
            a.Add(Sp, Sp, 16);
            a.Add(W(0), W(0), W(0));
            End(a, trap);

            // rotate(i64 a, i64 b, i64 c) -> (c, a, b): several results over the dead parameters.
            Rotate = Begin(a, a.CreateLabel(), 0, out trap);
            a.Emit(Load(Arm64Code.Ldr, X(0), Fp, 16));
            a.Emit(Load(Arm64Code.Ldr, X(1), Fp, 24));
            a.Emit(Load(Arm64Code.Ldr, X(2), Fp, 32));
            a.Emit(Load(Arm64Code.Str, X(2), Fp, 16));
            a.Emit(Load(Arm64Code.Str, X(0), Fp, 24));
            a.Emit(Load(Arm64Code.Str, X(1), Fp, 32));
            End(a, trap);

            // clobber() -> i32 = 7, after overwriting every register wasm code may use (the callee-saved ones of AAPCS64 too).
            Clobber = Begin(a, a.CreateLabel(), 0, out trap);
            EmitClobber(a);
            a.MovImmediate(W(0), 7);
            End(a, trap);

            // outer() -> middle() -> inner(): inner clobbers everything, then traps with `unreachable`.
            Begin(a, inner, 0, out trap);
            EmitClobber(a);
            Arm64Abi.EmitTrapSite(a, TrapKind.Unreachable, TrapStubPosition);
            InnerTrapReturn = a.Position;
            End(a, trap);
            Begin(a, middle, 16, out trap);
            a.Bl(inner);
            MiddleReturn = a.Position;
            End(a, trap);
            Outer = Begin(a, a.CreateLabel(), 0, out trap);
            a.Bl(middle);
            OuterReturn = a.Position;
            End(a, trap);

            // recurse(): calls itself until the stack-limit check in its prologue fails.
            Recurse = Begin(a, recurse, 16, out trap);
            a.Bl(recurse);
            RecurseReturn = a.Position;
            Arm64Abi.EmitEpilogue(a);
            a.Bind(trap);
            Arm64Abi.EmitTrapSite(a, TrapKind.CallStackExhausted, TrapStubPosition);
            RecurseStackTrapReturn = a.Position;

            // callHost(i64 a, i64 b) -> i64 = host(a, b) + 1, an import call: the context register is kept in a frame slot
            // while x28 holds the host function's context block.
            CallHost = Begin(a, a.CreateLabel(), 16, out trap);
            a.Emit(new Arm64Instruction { Code = Arm64Code.Stur, Rd = X(28), Memory = Arm64Memory.At(Fp, -8) });
            a.Sub(Sp, Sp, 16);
            a.Emit(Load(Arm64Code.Ldr, X(0), Fp, 16));
            a.Emit(Load(Arm64Code.Str, X(0), Sp, 0));
            a.Emit(Load(Arm64Code.Ldr, X(0), Fp, 24));
            a.Emit(Load(Arm64Code.Str, X(0), Sp, 8));
            a.MovImmediate(X(28), HostContextAddress);
            a.Emit(new Arm64Instruction { Code = Arm64Code.Bl, BranchOffset = 0 }); // patched below, once the host stub's entry is known
            CallHostReturn = a.Position;
            a.Add(Sp, Sp, 16);
            a.Emit(new Arm64Instruction { Code = Arm64Code.Ldur, Rd = X(28), Memory = Arm64Memory.At(Fp, -8) });
            a.Add(X(0), X(0), 1);
            End(a, trap);
            Last = a.Position;
            Code = a.ToArray();
        }

        /// <summary>The code with callHost's <c>bl</c> aimed at <paramref name="hostEntry"/>.</summary>
        public byte[] WithHostCall(ulong hostEntry)
        {
            var code = (byte[])Code.Clone();
            var at = CallHostReturn - 4;
            var word = Arm64Encoder.Encode(new Arm64Instruction { Code = Arm64Code.Bl, BranchOffset = (long)hostEntry - (long)(FunctionsAddress + (ulong)at) });
            BitConverter.TryWriteBytes(code.AsSpan(at), word);
            return code;
        }

        private static int Begin(Arm64Assembler a, Arm64Label self, int frame, out Arm64Label stackTrap)
        {
            var start = a.Position;
            a.Bind(self);
            stackTrap = a.CreateLabel();
            Arm64Abi.EmitPrologue(a, frame, stackTrap);
            return start;
        }

        private static void End(Arm64Assembler a, Arm64Label stackTrap)
        {
            Arm64Abi.EmitEpilogue(a);
            a.Bind(stackTrap);
            Arm64Abi.EmitTrapSite(a, TrapKind.CallStackExhausted, TrapStubPosition);
        }

        private static void EmitClobber(Arm64Assembler a)
        {
            for (var r = 0; r < 27; r++)
            {
                if (r is 16 or 17 or 18) continue; // x18: the platform register, never touched
                a.MovImmediate(X(r), 0xBAD0_0000_0000_0000UL | (uint)r);
            }

            for (var d = 0; d < 32; d++) a.Emit(new Arm64Instruction { Code = Arm64Code.Fmov, Rd = D(d), Rn = X(d % 16) });
        }
    }

    private static readonly Lazy<Functions> Shared = new(() => new Functions());

    private sealed class Machine : IDisposable
    {
        public readonly Arm64Emulator Emulator = new();
        public readonly byte[] EntryStub;
        public readonly Functions Functions = Shared.Value;

        public Machine(FuncType type, ulong stackLimit = 0, byte[]? hostStub = null, int hostEntry = 0)
        {
            EntryStub = StubCompiler.CreateEntryStub(type, TargetArchitecture.Arm64);
            Assert.True(EntryStubAddress + (ulong)EntryStub.Length <= NestedEntryStubAddress, "the entry stub does not fit its region");
            Assert.True(FunctionsAddress + (ulong)Functions.Code.Length <= TrampolineAddress, "the functions do not fit their region");
            Emulator.WriteMemory(TrapStubAddress, StubCompiler.CreateTrapStub(TargetArchitecture.Arm64));
            Emulator.WriteMemory(EntryStubAddress, EntryStub);
            Emulator.WriteMemory(FunctionsAddress, hostStub is null ? Functions.Code : Functions.WithHostCall(HostStubAddress + (ulong)hostEntry));
            if (hostStub is not null) Emulator.WriteMemory(HostStubAddress, hostStub);
            Emulator.WriteUInt64(StateAddress + ExecutionStateLayout.StackLimit, stackLimit);
            Emulator.WriteUInt64(StateAddress + ExecutionStateLayout.EntryStackPointer, OuterEntryStackPointer);
        }

        /// <summary>The entry stub's return address into itself (after its <c>blr</c>).</summary>
        public ulong EntryReturn
        {
            get
            {
                for (var i = 0; i < EntryStub.Length; i += 4)
                {
                    if (BitConverter.ToUInt32(EntryStub, i) == 0xD63F0020) return EntryStubAddress + (ulong)i + 4; // blr x1
                }

                throw new InvalidOperationException("The entry stub has no blr x1.");
            }
        }

        /// <summary>Calls the entry stub for the function at <paramref name="position"/> with <paramref name="slots"/> and returns w0.</summary>
        public int Invoke(int position, ulong[] slots)
        {
            for (var i = 0; i < slots.Length; i++) Emulator.WriteUInt64(SlotsAddress + (ulong)(8 * i), slots[i]);

            // Host state that must come back: callee-saved x19-x28, d8-d15, fp, sp (16-byte aligned).
            for (var r = 19; r <= 28; r++) Emulator.SetX(r, 0x5AFE_0000_0000_0000UL | (uint)r);
            for (var d = 8; d <= 15; d++) Emulator.SetD(d, 0xD0D0_0000_0000_0000UL | (uint)d);
            Emulator.SetX(29, 0xF00D_F00D);
            Emulator.SetX(31, StackTop);
            Emulator.SetX(0, ContextAddress);
            Emulator.SetX(1, FunctionsAddress + (ulong)position);
            Emulator.SetX(2, SlotsAddress);
            Emulator.SetX(3, StateAddress);
            Emulator.Call(EntryStubAddress, HostReturnAddress);

            for (var r = 19; r <= 28; r++) Assert.Equal(0x5AFE_0000_0000_0000UL | (uint)r, Emulator.GetX(r));
            for (var d = 8; d <= 15; d++) Assert.Equal(0xD0D0_0000_0000_0000UL | (uint)d, Emulator.GetD(d));
            Assert.Equal(0xF00D_F00DUL, Emulator.GetX(29));
            Assert.Equal(StackTop, Emulator.GetX(31));
            Assert.Equal(OuterEntryStackPointer, State(ExecutionStateLayout.EntryStackPointer));
            return (int)(uint)Emulator.GetX(0);
        }

        public ulong Slot(int i) => Emulator.ReadUInt64(SlotsAddress + (ulong)(8 * i));

        public ulong State(int offset) => Emulator.ReadUInt64(StateAddress + (ulong)offset);

        public ulong TrapFrame(int i) => State(ExecutionStateLayout.TrapFrames + (8 * i));

        public static ulong At(int position) => FunctionsAddress + (ulong)position;

        public void Dispose() => Emulator.Dispose();
    }

    [SkippableTheory]
    [InlineData(2, 3, 5)]
    [InlineData(-1, 1, 0)]
    [InlineData(int.MaxValue, 1, int.MinValue)]
    public void EntryStubPassesArgumentsAndTheResultThroughTheSlots(int x, int y, int sum)
    {
        Arm64Emulator.Require();
        using var m = new Machine(FuncType.Create(I32x2, new[] { ValType.I32 }));
        Assert.Equal(0, m.Invoke(m.Functions.Add, new[] { (ulong)(uint)x, (ulong)(uint)y }));
        Assert.Equal((uint)sum, (uint)m.Slot(0));
    }

    [SkippableFact]
    public void WasmFunctionsCallEachOtherInTheInternalConvention()
    {
        Arm64Emulator.Require();
        using var m = new Machine(FuncType.Create(I32x2, new[] { ValType.I32 }));
        Assert.Equal(0, m.Invoke(m.Functions.TwiceSum, new ulong[] { 20, 1 }));
        Assert.Equal(42UL, m.Slot(0) & 0xFFFF_FFFF);
    }

    [SkippableFact]
    public void SeveralResultsComeBackOverTheSlots()
    {
        Arm64Emulator.Require();
        using var m = new Machine(FuncType.Create(I64x3, I64x3));
        Assert.Equal(0, m.Invoke(m.Functions.Rotate, new ulong[] { 0x1111_0000_0000_0001, 0x2222_0000_0000_0002, 0x3333_0000_0000_0003 }));
        Assert.Equal(new ulong[] { 0x3333_0000_0000_0003, 0x1111_0000_0000_0001, 0x2222_0000_0000_0002 }, new[] { m.Slot(0), m.Slot(1), m.Slot(2) });
    }

    [SkippableFact]
    public void CalleeSavedRegistersSurviveAFunctionThatClobbersEverything()
    {
        Arm64Emulator.Require();
        using var m = new Machine(FuncType.Create(Array.Empty<ValType>(), new[] { ValType.I32 }));
        Assert.Equal(0, m.Invoke(m.Functions.Clobber, Array.Empty<ulong>())); // Invoke checks x19-x28, d8-d15, fp, sp and the entry record
        Assert.Equal(7UL, m.Slot(0));
    }

    [SkippableFact]
    public void TrapTwoFramesDeepUnwindsToTheEntryStubAndRecordsTheFrames()
    {
        Arm64Emulator.Require();
        using var m = new Machine(FuncType.Empty);
        Assert.Equal((int)TrapKind.Unreachable, m.Invoke(m.Functions.Outer, Array.Empty<ulong>()));
        Assert.Equal(Machine.At(m.Functions.InnerTrapReturn), m.State(ExecutionStateLayout.TrapPc));
        Assert.Equal(3UL, m.State(ExecutionStateLayout.TrapFrameCount));
        Assert.Equal(Machine.At(m.Functions.MiddleReturn), m.TrapFrame(0));
        Assert.Equal(Machine.At(m.Functions.OuterReturn), m.TrapFrame(1));
        Assert.Equal(m.EntryReturn, m.TrapFrame(2)); // the outermost wasm frame returns into the entry stub, as on x64
    }

    [SkippableFact]
    public void RecursionFailsTheStackLimitCheckAndRecordsTheInnermostFrames()
    {
        Arm64Emulator.Require();
        const ulong limit = StackTop - 0x4000;
        using var m = new Machine(FuncType.Empty, stackLimit: limit);
        Assert.Equal((int)TrapKind.CallStackExhausted, m.Invoke(m.Functions.Recurse, Array.Empty<ulong>()));
        Assert.Equal(Machine.At(m.Functions.RecurseStackTrapReturn), m.State(ExecutionStateLayout.TrapPc));

        // The entry stub records sp = StackTop - 176 (its fp/lr pair, then 160 bytes) and needs no argument area; frame k
        // of recurse has sp = that - 32k once its prologue reserved the frame, so frame 507 is the first below the limit
        // (0x4000 - 176 = 16208 = 32 * 506.5).
        Assert.Equal(507UL, m.State(ExecutionStateLayout.TrapFrameCount));
        for (var i = 0; i < ExecutionStateLayout.MaxTrapFrames; i++) Assert.Equal(Machine.At(m.Functions.RecurseReturn), m.TrapFrame(i));
        Assert.Equal(0UL, m.Emulator.ReadUInt64(StateAddress + ExecutionStateLayout.Size)); // nothing written past the 32 records
    }

    [SkippableFact]
    public void ManyParametersNeedAnArgumentAreaAbove4KiB()
    {
        Arm64Emulator.Require();
        var parameters = Enumerable.Repeat(ValType.I64, 600).ToArray();
        using var m = new Machine(FuncType.Create(parameters, new[] { ValType.I64 }));
        var slots = Enumerable.Range(0, 600).Select(i => 1000UL + (ulong)i).ToArray();

        Assert.Equal(0, m.Invoke(m.Functions.Parameter599, slots));
        Assert.Equal(1599UL, m.Slot(0));
        Assert.Contains("sub sp, sp, #0x1, lsl #12", Listing(m.EntryStub));
    }

    [SkippableTheory]
    [InlineData(50UL, 8UL)]
    [InlineData(1UL, 0x8000_0000_0000_0000UL)]
    public void HostStubHandsTheSlotsToTheTrampolineAndReturnsItsResult(ulong a, ulong b)
    {
        Arm64Emulator.Require();
        using var m = HostMachine(out _);
        Assert.Equal(0, m.Invoke(m.Functions.CallHost, new[] { a, b }));
        Assert.Equal(a - b + HostHandle + 1, m.Slot(0));
    }

    [SkippableFact]
    public void HostFailureUnwindsLikeATrap()
    {
        Arm64Emulator.Require();
        using var m = HostMachine(out var hostStub);
        Assert.Equal((int)TrapKind.HostException, m.Invoke(m.Functions.CallHost, new ulong[] { 0, 5 }));
        Assert.Equal(HostStubAddress + (ulong)hostStub.Length, m.State(ExecutionStateLayout.TrapPc)); // after the stub's last `bl trap`
        Assert.Equal(2UL, m.State(ExecutionStateLayout.TrapFrameCount));
        Assert.Equal(Machine.At(m.Functions.CallHostReturn), m.TrapFrame(0));
        Assert.Equal(m.EntryReturn, m.TrapFrame(1));
    }

    [SkippableFact]
    public void NestedEntryTrapsUnwindOnlyToTheInnermostEntry()
    {
        // wasm -> host stub -> trampoline -> entry stub -> outer() -> middle() -> inner() traps: the trap unwinds to the
        // inner entry stub, the trampoline gets the kind (1) as the host function's result, and the outer call goes on.
        Arm64Emulator.Require();
        using var m = HostMachine(out _, nested: true);
        var nestedEntry = StubCompiler.CreateEntryStub(FuncType.Empty, TargetArchitecture.Arm64);
        m.Emulator.WriteMemory(NestedEntryStubAddress, nestedEntry);
        Assert.Equal(0, m.Invoke(m.Functions.CallHost, new ulong[] { 1, 2 })); // Invoke checks that the outer entry record is back
        Assert.Equal((ulong)TrapKind.Unreachable + 1, m.Slot(0));
        Assert.Equal(Machine.At(m.Functions.InnerTrapReturn), m.State(ExecutionStateLayout.TrapPc));
        Assert.Equal(3UL, m.State(ExecutionStateLayout.TrapFrameCount)); // inner, middle, outer: the walk stopped at the inner entry
        Assert.Equal(NestedEntryStubAddress + (ulong)Array.IndexOf(Words(nestedEntry), 0xD63F0020u) * 4 + 4, m.TrapFrame(2));
    }

    [Fact]
    public void StubCompilerRoutesEachArchitecture()
    {
        var type = FuncType.Create(I32x2, new[] { ValType.I32 });
        Assert.Equal(Arm64Stubs.EntryStub(type), StubCompiler.CreateEntryStub(type, TargetArchitecture.Arm64));
        Assert.Equal(X64.X64Stubs.EntryStub(type), StubCompiler.CreateEntryStub(type));
        Assert.Equal(Arm64Stubs.HostStub(type, out var arm64Entry), StubCompiler.CreateHostStub(type, out var entry, TargetArchitecture.Arm64));
        Assert.Equal(arm64Entry, entry);
        Assert.NotEqual(StubCompiler.CreateTrapStub(), StubCompiler.CreateTrapStub(TargetArchitecture.Arm64));
        Assert.Throws<NotSupportedException>(() => StubCompiler.CreateEntryStub(type, (TargetArchitecture)99));
    }

    [Fact]
    public void ModuleCompilerEmitsArm64CodeForTheArm64TargetEagerlyAndLazily()
    {
        var builder = new ModuleBuilder();
        builder.AddFunction(FuncType.Create(new[] { ValType.I32 }, new[] { ValType.I32 }), default, Runtime.Tests.Asm.LocalGet(0));
        var options = new CompilerOptions { Architecture = TargetArchitecture.Arm64 };
        var compiled = ModuleCompiler.Compile(builder.ToModule(), options);
        Assert.Equal(TargetArchitecture.Arm64, compiled.Options.Architecture);
        Assert.Equal(StubCompiler.CreateTrapStub(TargetArchitecture.Arm64), compiled.Code.AsSpan(compiled.TrapStubOffset, StubCompiler.CreateTrapStub(TargetArchitecture.Arm64).Length).ToArray());
        Assert.Equal("stp x29, x30, [sp, #-16]!", Arm64Disassembler.Format(BitConverter.ToUInt32(compiled.Code.AsSpan(compiled.Functions[0].Offset, 4))));
        var listing = Disassembler.Disassemble(compiled);
        Assert.Contains("trap stub:\n  000000  str x30, [x27, #", listing);
        Assert.Contains("  blr x1\n", listing); // the entry stub's call of the function
        Assert.DoesNotContain(".inst", listing);

        // Lazily: the image holds a compile stub per function; compiling it on first call gives a blob with the ARM64
        // trap stub first and every trap site's bl pointing at it.
        var lazy = ModuleCompiler.CompileLazy(builder.ToModule(), options);
        var stub = lazy.Code.AsSpan(lazy.Functions[0].Offset, lazy.Functions[0].Size).ToArray();
        Assert.DoesNotContain(".inst", Arm64Disassembler.Disassemble(stub));
        Assert.Equal("stp x29, x30, [sp, #-16]!", Arm64Disassembler.Format(BitConverter.ToUInt32(stub, 0)));
        var blob = lazy.Lazy!.GetOrCompile(0);
        Assert.Equal(StubCompiler.CreateTrapStub(TargetArchitecture.Arm64), blob.Code.AsSpan(0, StubCompiler.CreateTrapStub(TargetArchitecture.Arm64).Length).ToArray());
        Assert.Equal("stp x29, x30, [sp, #-16]!", Arm64Disassembler.Format(BitConverter.ToUInt32(blob.Code.AsSpan(blob.EntryOffset, 4))));
        var site = Assert.Single(blob.TrapSites);
        var bl = BitConverter.ToUInt32(blob.Code.AsSpan(site.ReturnOffset - 4, 4));
        Assert.Equal("bl 0", Arm64Disassembler.Format(bl, (ulong)(site.ReturnOffset - 4)).Replace("0x", ""));
    }

    [Fact]
    public void AnArm64CacheRoundTripsForArm64()
    {
        var builder = new ModuleBuilder();
        builder.AddFunction(FuncType.Create(new[] { ValType.I32 }, new[] { ValType.I32 }), default, Runtime.Tests.Asm.LocalGet(0));
        var compiled = ModuleCompiler.Compile(builder.ToModule(), new CompilerOptions { Architecture = TargetArchitecture.Arm64 });
        var bytes = CompiledModuleSerializer.Serialize(compiled);
        var result = CompiledModuleSerializer.Deserialize(bytes, new CompiledModuleReadOptions(TargetArchitecture.Arm64, X64Features.None));
        Assert.True(result.Succeeded, result.FirstError?.ToString());
        Assert.Equal(TargetArchitecture.Arm64, result.Module!.Options.Architecture);
        Assert.Equal(compiled.Code.ToArray(), result.Module.Code.ToArray());
        Assert.Equal(bytes, CompiledModuleSerializer.Serialize(result.Module));

        var onX64 = CompiledModuleSerializer.Deserialize(bytes, new CompiledModuleReadOptions(TargetArchitecture.X64, X64Features.Popcnt | X64Features.Sse41));
        Assert.False(onX64.Succeeded);
        Assert.Equal("WASM4105", onX64.FirstError!.Id);
    }

    [Fact]
    public void AnX64CacheReadForArm64IsRefusedWithADiagnostic()
    {
        var builder = new ModuleBuilder();
        builder.AddFunction(FuncType.Create(new[] { ValType.I32 }, new[] { ValType.I32 }), default, Runtime.Tests.Asm.LocalGet(0));
        var bytes = CompiledModuleSerializer.Serialize(ModuleCompiler.Compile(builder.ToModule()));
        var result = CompiledModuleSerializer.Deserialize(bytes, new CompiledModuleReadOptions(TargetArchitecture.Arm64, X64Features.None));
        Assert.False(result.Succeeded);
        Assert.Equal("WASM4105", result.FirstError!.Id);
        Assert.Contains("targets x64, expected arm64", result.FirstError.Message);
    }

    /// <summary>The stubs as our printer lists them (objdump syntax); review the diff when they change.</summary>
    [Fact]
    public void StubListings()
    {
        var text = new StringBuilder();
        text.Append("; trap stub\n").Append(Listing(StubCompiler.CreateTrapStub(TargetArchitecture.Arm64)));
        text.Append("\n; entry stub (i32, i32) -> i32\n").Append(Listing(StubCompiler.CreateEntryStub(FuncType.Create(I32x2, new[] { ValType.I32 }), TargetArchitecture.Arm64)));
        text.Append("\n; entry stub (i64, i64, i64) -> (i64, i64, i64)\n").Append(Listing(StubCompiler.CreateEntryStub(FuncType.Create(I64x3, I64x3), TargetArchitecture.Arm64)));
        var host = StubCompiler.CreateHostStub(FuncType.Create(I64x2, new[] { ValType.I64 }), out var hostEntry, TargetArchitecture.Arm64);
        text.Append($"\n; host stub (i64, i64) -> i64, entry at 0x{hostEntry:x}\n").Append(Listing(host));
        Snapshot.Match(text.ToString());
    }

    private static string Listing(byte[] code) => Arm64Disassembler.Disassemble(code);

    private static uint[] Words(byte[] code) => Enumerable.Range(0, code.Length / 4).Select(i => BitConverter.ToUInt32(code, 4 * i)).ToArray();

    private static Machine HostMachine(out byte[] hostStub, bool nested = false)
    {
        hostStub = StubCompiler.CreateHostStub(FuncType.Create(I64x2, new[] { ValType.I64 }), out var entry, TargetArchitecture.Arm64);
        var m = new Machine(FuncType.Create(I64x2, new[] { ValType.I64 }), hostStub: hostStub, hostEntry: entry);

        // A stand-in for the runtime's trampoline (AAPCS64: int trampoline(hostContext, ulong* slots)): slot 0 = a - b +
        // the context's handle; it clobbers the caller-saved registers and fails with HostException when a is 0.
        var t = new Arm64Assembler();
        var fail = t.CreateLabel();
        t.Emit(Load(Arm64Code.Ldr, X(2), X(1), 0));
        t.Emit(Load(Arm64Code.Ldr, X(3), X(1), 8));
        t.Emit(Load(Arm64Code.Ldr, X(4), X(0), HostContextLayout.Handle));
        t.Sub(X(5), X(2), X(3));
        t.Add(X(5), X(5), X(4));
        t.Emit(Load(Arm64Code.Str, X(5), X(1), 0));
        for (var r = 6; r < 18; r++) t.MovImmediate(X(r), 0xBAD0_0000_0000_0000UL | (uint)r);
        t.Cbz(X(2), fail);
        t.Mov(W(0), Wzr);
        t.Ret();
        t.Bind(fail);
        t.MovImmediate(W(0), (ulong)TrapKind.HostException);
        t.Ret();
        if (nested)
        {
            // A trampoline that enters wasm again (AAPCS64 call of the ()->() entry stub at NestedEntryStubAddress with
            // outer(), which traps) and returns that call's result as the host function's result.
            t = new Arm64Assembler();
            t.Emit(new Arm64Instruction { Code = Arm64Code.Stp, Rd = Fp, Rn = Lr, Memory = Arm64Memory.PreIndex(Sp, -16) });
            t.Mov(Fp, Sp);
            t.Emit(new Arm64Instruction { Code = Arm64Code.Str, Rd = X(1), Memory = Arm64Memory.PreIndex(Sp, -16) });
            t.MovImmediate(X(0), ContextAddress);
            t.MovImmediate(X(1), Machine.At(m.Functions.Outer));
            t.MovImmediate(X(2), SlotsAddress + 0x800);
            t.MovImmediate(X(3), StateAddress);
            t.MovImmediate(X(16), NestedEntryStubAddress);
            t.Emit(new Arm64Instruction { Code = Arm64Code.Blr, Rn = X(16) });
            t.Emit(new Arm64Instruction { Code = Arm64Code.Ldr, Rd = X(1), Memory = Arm64Memory.PostIndex(Sp, 16) });
            t.Emit(Load(Arm64Code.Str, X(0), X(1), 0));
            t.Mov(W(0), Wzr);
            t.Emit(new Arm64Instruction { Code = Arm64Code.Ldp, Rd = Fp, Rn = Lr, Memory = Arm64Memory.PostIndex(Sp, 16) });
            t.Ret();
        }

        m.Emulator.WriteMemory(TrampolineAddress, t.ToArray());
        m.Emulator.WriteUInt64(HostContextAddress + HostContextLayout.Trampoline, TrampolineAddress);
        m.Emulator.WriteUInt64(HostContextAddress + HostContextLayout.Handle, HostHandle);
        return m;
    }

    private static Arm64Instruction Load(Arm64Code code, Arm64Register rt, Arm64Register baseRegister, int offset)
        => new() { Code = code, Rd = rt, Memory = Arm64Memory.At(baseRegister, offset) };
}
