using System;

namespace WasmToolkit.Instructions;

/// <summary>A memory immediate (spec 5.4.6): alignment exponent, offset and memory index.</summary>
/// <remarks>The offset is 64 bits so memory64 fits; the memory index is 0 unless multi-memory is used.</remarks>
public readonly struct MemArg : IEquatable<MemArg>
{
    public MemArg(uint alignExponent, ulong offset, uint memory = 0)
    {
        AlignExponent = alignExponent;
        Offset = offset;
        Memory = memory;
    }

    /// <summary>log2 of the alignment hint.</summary>
    public uint AlignExponent { get; }

    public ulong Offset { get; }

    public uint Memory { get; }

    public bool Equals(MemArg other) => AlignExponent == other.AlignExponent && Offset == other.Offset && Memory == other.Memory;

    public override bool Equals(object? obj) => obj is MemArg other && Equals(other);

    public override int GetHashCode() => (int)AlignExponent ^ Offset.GetHashCode() ^ ((int)Memory << 8);

    public override string ToString() => $"align=2^{AlignExponent} offset={Offset}" + (Memory != 0 ? $" memory={Memory}" : "");
}
