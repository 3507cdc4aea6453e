using WasmToolkit.Instructions;

namespace WasmToolkit.Validation.Internal;

/// <summary>
/// The fixed signatures of opcodes.txt as <see cref="StackType"/> arrays in a dense table, so the
/// validator's hot loop types an instruction with one array load instead of converting
/// <see cref="OpcodeInfo.Operands"/> each time.
/// </summary>
internal static class OpcodeSignatures
{
    // Dense index: one-byte opcodes at 0..255, 0xFC sub-opcodes at 256..383, 0xFD sub-opcodes at 384..895.
    private const int FcBase = 256;
    private const int FcCount = 128;
    private const int FdBase = FcBase + FcCount;
    private const int FdCount = 512;

    private static readonly StackType[]?[] s_operands = new StackType[]?[FdBase + FdCount];
    private static readonly StackType[]?[] s_results = new StackType[]?[FdBase + FdCount];

    static OpcodeSignatures()
    {
        foreach (var info in OpcodeTable.All)
        {
            if (!info.HasFixedSignature) continue;
            var i = Index(info.Opcode);
            if (i < 0) continue;
            s_operands[i] = StackTypes.From(info.Operands, ~WasmFeatures.None);
            s_results[i] = StackTypes.From(info.Results, ~WasmFeatures.None);
        }
    }

    /// <summary>
    /// Per one-byte opcode, the fixed signatures the validator's fast path applies without going through
    /// <see cref="CodeValidator"/>'s general step; 0 where it must take the general step. Packed as: bits 0–1
    /// operand count, bit 2 one result, bit 3 a memory immediate to check, bits 8–15 the result type, bits
    /// 16–39 the operand types (bottom of the stack first), bits 40–47 the natural alignment.
    /// </summary>
    internal static readonly ulong[] FastOneByte = CreateFastOneByte();

    internal const ulong FastHasResult = 1 << 2;
    internal const ulong FastMemArg = 1 << 3;

    private static ulong[] CreateFastOneByte()
    {
        var result = new ulong[256];
        foreach (var info in OpcodeTable.All)
        {
            if (!info.HasFixedSignature || info.Prefix != 0) continue;
            if (info.Operands.Length > 3 || info.Results.Length > 1) continue;
            var memArg = info.Immediate == ImmediateKind.Memarg;
            if (!memArg && info.Immediate is not (ImmediateKind.None or ImmediateKind.I32 or ImmediateKind.I64 or ImmediateKind.F32 or ImmediateKind.F64)) continue;

            // Opcodes the general step types by hand never take the table's signature.
            switch (info.Opcode)
            {
                case Opcode.Unreachable: case Opcode.Block: case Opcode.Loop: case Opcode.If: case Opcode.Else:
                case Opcode.End: case Opcode.Br: case Opcode.BrIf: case Opcode.BrTable: case Opcode.Return:
                case Opcode.Call: case Opcode.CallIndirect: case Opcode.RefNull: case Opcode.RefIsNull:
                case Opcode.RefFunc: case Opcode.Drop: case Opcode.Select: case Opcode.SelectTyped:
                case Opcode.LocalGet: case Opcode.LocalSet: case Opcode.LocalTee: case Opcode.GlobalGet:
                case Opcode.GlobalSet: case Opcode.TableGet: case Opcode.TableSet:
                    continue;
            }

            var operands = StackTypes.From(info.Operands, ~WasmFeatures.None);
            var results = StackTypes.From(info.Results, ~WasmFeatures.None);
            ulong packed = (ulong)operands.Length;
            if (results.Length == 1) packed |= FastHasResult | ((ulong)results[0] << 8);
            if (memArg) packed |= FastMemArg | ((ulong)info.NaturalAlignment << 40);
            for (var i = 0; i < operands.Length; i++) packed |= (ulong)operands[i] << (16 + (8 * i));
            result[info.Code] = packed;
        }

        return result;
    }

    /// <summary>Gets the fixed signature of <paramref name="opcode"/>; false for hand-typed instructions.</summary>
    public static bool TryGet(Opcode opcode, out StackType[] operands, out StackType[] results)
    {
        var i = Index(opcode);
        if (i >= 0 && s_operands[i] is { } o)
        {
            operands = o;
            results = s_results[i]!;
            return true;
        }

        operands = StackTypes.Empty;
        results = StackTypes.Empty;
        return false;
    }

    private static int Index(Opcode opcode)
    {
        var code = (int)opcode;
        if (code < 0x100) return code;
        var sub = code & 0xFFFF;
        return (code >> 16) switch
        {
            0xFC when sub < FcCount => FcBase + sub,
            0xFD when sub < FdCount => FdBase + sub,
            _ => -1,
        };
    }
}
