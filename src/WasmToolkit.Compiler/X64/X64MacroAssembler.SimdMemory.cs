using Iced.Intel;
using WasmToolkit.Compiler.Baseline;
using WasmToolkit.Instructions;
using static Iced.Intel.AssemblerRegisters;

namespace WasmToolkit.Compiler.X64;

// v128 loads and stores: the bounds check of LoadMemory/StoreMemory (EffectiveAddress, which may use r10 and r11 for the
// address), then SSE accesses that read or write exactly the access's bytes.
internal sealed partial class X64MacroAssembler
{
    /// <summary>SIMD needs SSSE3 and SSE4.1 (pshufb, pinsrb, pmovsx, ptest …), which X64Features.Sse41 stands for.</summary>
    public bool SupportsSimd => SupportsSimdWith(_features);

    /// <summary>Whether code for a processor with <paramref name="features"/> can hold v128 values (ModuleCompiler asks before any function is compiled).</summary>
    public static bool SupportsSimdWith(X64Features features) => (features & X64Features.Sse41) != 0;

    public void SimdLoad(Opcode op, Reg dst, RegImm address, ulong offset, MemoryAccess access, AsmLabel outOfBounds, int lane)
    {
        var m = EffectiveAddress(address, offset, access, outOfBounds);
        var d = X(dst);
        switch (op)
        {
            case Opcode.V128Load: _asm.movdqu(d, __xmmword_ptr[m]); break;
            case Opcode.V128Load8x8S: _asm.pmovsxbw(d, __qword_ptr[m]); break;
            case Opcode.V128Load8x8U: _asm.pmovzxbw(d, __qword_ptr[m]); break;
            case Opcode.V128Load16x4S: _asm.pmovsxwd(d, __qword_ptr[m]); break;
            case Opcode.V128Load16x4U: _asm.pmovzxwd(d, __qword_ptr[m]); break;
            case Opcode.V128Load32x2S: _asm.pmovsxdq(d, __qword_ptr[m]); break;
            case Opcode.V128Load32x2U: _asm.pmovzxdq(d, __qword_ptr[m]); break;
            case Opcode.V128Load8Splat:
                _asm.pinsrb(d, __byte_ptr[m], 0);
                _asm.pxor(s_scratchA, s_scratchA);
                _asm.pshufb(d, s_scratchA);
                break;
            case Opcode.V128Load16Splat:
                _asm.pinsrw(d, __word_ptr[m], 0);
                _asm.pshuflw(d, d, 0);
                _asm.punpcklqdq(d, d);
                break;
            case Opcode.V128Load32Splat:
                _asm.movss(d, __dword_ptr[m]);
                _asm.shufps(d, d, 0);
                break;
            case Opcode.V128Load64Splat: _asm.movddup(d, __qword_ptr[m]); break;
            case Opcode.V128Load32Zero: _asm.movd(d, __dword_ptr[m]); break;
            case Opcode.V128Load64Zero: _asm.movq(d, __qword_ptr[m]); break;
            case Opcode.V128Load8Lane: _asm.pinsrb(d, __byte_ptr[m], (byte)lane); break;
            case Opcode.V128Load16Lane: _asm.pinsrw(d, __word_ptr[m], (byte)lane); break;
            case Opcode.V128Load32Lane: _asm.pinsrd(d, __dword_ptr[m], (byte)lane); break;
            case Opcode.V128Load64Lane: _asm.pinsrq(d, __qword_ptr[m], (byte)lane); break;
            default: throw SimdNotLowered(op);
        }
    }

    public void SimdStore(Opcode op, RegImm address, ulong offset, Reg value, MemoryAccess access, AsmLabel outOfBounds, int lane)
    {
        var m = EffectiveAddress(address, offset, access, outOfBounds);
        var v = X(value);
        switch (op)
        {
            case Opcode.V128Store: _asm.movdqu(__xmmword_ptr[m], v); break;
            case Opcode.V128Store8Lane: _asm.pextrb(__byte_ptr[m], v, (byte)lane); break;
            case Opcode.V128Store16Lane: _asm.pextrw(__word_ptr[m], v, (byte)lane); break;
            case Opcode.V128Store32Lane: _asm.pextrd(__dword_ptr[m], v, (byte)lane); break;
            case Opcode.V128Store64Lane when lane == 0: _asm.movq(__qword_ptr[m], v); break;
            case Opcode.V128Store64Lane: _asm.pextrq(__qword_ptr[m], v, (byte)lane); break;
            default: throw SimdNotLowered(op);
        }
    }
}
