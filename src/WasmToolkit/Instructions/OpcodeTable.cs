using System.Collections.Generic;
using System.Collections.Immutable;

namespace WasmToolkit.Instructions;

/// <summary>
/// Lookups over the instruction table (<c>opcodes.txt</c>, generated into <c>OpcodeTable.g.cs</c>):
/// by opcode in constant time for the decoder and validator, by name for the text parser.
/// </summary>
public static partial class OpcodeTable
{
    private static readonly OpcodeInfo?[] s_single = new OpcodeInfo?[256];
    private static readonly OpcodeInfo?[] s_fc = new OpcodeInfo?[32];
    private static readonly OpcodeInfo?[] s_fd = new OpcodeInfo?[512];
    private static readonly Dictionary<string, OpcodeInfo> s_byName = new(System.StringComparer.Ordinal);

    static OpcodeTable()
    {
        var infos = CreateInfos();
        All = ImmutableArray.Create(infos);
        foreach (var info in infos)
        {
            switch (info.Prefix)
            {
                case 0: s_single[info.Code] = info; break;
                case 0xFC: s_fc[info.Code] = info; break;
                case 0xFD: s_fd[info.Code] = info; break;
            }

            // Untyped select (0x1B) owns the name; the parser picks 0x1C when it sees a result type.
            if (!s_byName.ContainsKey(info.Name)) s_byName.Add(info.Name, info);
        }
    }

    /// <summary>Every instruction, in table order.</summary>
    public static ImmutableArray<OpcodeInfo> All { get; }

    /// <summary>Information on <paramref name="opcode"/>, or null for values that are not instructions.</summary>
    public static OpcodeInfo? Get(Opcode opcode)
    {
        var code = (int)opcode;
        if ((uint)code < 256) return s_single[code];
        var sub = code & 0xFFFF;
        return (code >> 16) switch
        {
            0xFC when sub < s_fc.Length => s_fc[sub],
            0xFD when sub < s_fd.Length => s_fd[sub],
            _ => null,
        };
    }

    /// <summary>Lookup of a one-byte opcode.</summary>
    internal static OpcodeInfo? GetSingle(byte code) => s_single[code];

    /// <summary>Lookup of a prefixed opcode; null when unknown.</summary>
    internal static OpcodeInfo? GetPrefixed(byte prefix, uint sub)
        => prefix == 0xFC ? (sub < (uint)s_fc.Length ? s_fc[sub] : null)
         : prefix == 0xFD ? (sub < (uint)s_fd.Length ? s_fd[sub] : null)
         : null;

    /// <summary>Finds an instruction by its text-format name.</summary>
    public static bool TryGetByName(string name, out OpcodeInfo info) => s_byName.TryGetValue(name, out info!);

    /// <summary>The text-format name of <paramref name="opcode"/>.</summary>
    public static string GetName(Opcode opcode) => Get(opcode)?.Name ?? "0x" + ((int)opcode).ToString("x");
}
