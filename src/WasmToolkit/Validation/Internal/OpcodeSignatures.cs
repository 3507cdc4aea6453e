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
