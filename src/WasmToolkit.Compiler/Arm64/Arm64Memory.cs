using System;

namespace WasmToolkit.Compiler.Arm64;

/// <summary>A memory operand of a load or store: a base register and an immediate or index-register offset.</summary>
/// <remarks>
/// Construction does not validate; <see cref="Arm64Encoder"/> checks the operand against the instruction that uses it
/// (offset range and scaling depend on the access size).
/// </remarks>
public readonly struct Arm64Memory : IEquatable<Arm64Memory>
{
    private Arm64Memory(Arm64Register baseRegister, Arm64AddressingMode mode, long offset, Arm64Register index, Arm64Extend extend, int amount)
    {
        Base = baseRegister;
        Mode = mode;
        Offset = offset;
        Index = index;
        Extend = extend;
        Amount = amount;
    }

    /// <summary>The base register (an <c>x</c> register or <c>sp</c>).</summary>
    public Arm64Register Base { get; }

    /// <summary>The addressing mode.</summary>
    public Arm64AddressingMode Mode { get; }

    /// <summary>The byte offset of the immediate modes (not scaled: the encoder scales it).</summary>
    public long Offset { get; }

    /// <summary>The index register of <see cref="Arm64AddressingMode.RegisterOffset"/>.</summary>
    public Arm64Register Index { get; }

    /// <summary>The index's extension (<see cref="Arm64Extend.Uxtx"/> is <c>lsl</c>); only UXTW, UXTX, SXTW, SXTX are valid.</summary>
    public Arm64Extend Extend { get; }

    /// <summary>The index's written shift amount, or -1 when none is written (amount 0, the <c>S</c> bit clear).</summary>
    public int Amount { get; }

    /// <summary><c>[base, #offset]</c>.</summary>
    public static Arm64Memory At(Arm64Register baseRegister, long offset = 0) => new(baseRegister, Arm64AddressingMode.Offset, offset, default, Arm64Extend.Uxtx, -1);

    /// <summary><c>[base, #offset]!</c>.</summary>
    public static Arm64Memory PreIndex(Arm64Register baseRegister, long offset) => new(baseRegister, Arm64AddressingMode.PreIndex, offset, default, Arm64Extend.Uxtx, -1);

    /// <summary><c>[base], #offset</c>.</summary>
    public static Arm64Memory PostIndex(Arm64Register baseRegister, long offset) => new(baseRegister, Arm64AddressingMode.PostIndex, offset, default, Arm64Extend.Uxtx, -1);

    /// <summary>
    /// <c>[base, index{, extend #amount}]</c>; <paramref name="amount"/> is -1 for none, otherwise 0 or log2 of the
    /// access size. <see cref="Arm64Extend.Uxtx"/> (<c>lsl</c>) and <see cref="Arm64Extend.Sxtx"/> take an <c>x</c> index,
    /// <see cref="Arm64Extend.Uxtw"/> and <see cref="Arm64Extend.Sxtw"/> a <c>w</c> index.
    /// </summary>
    public static Arm64Memory Indexed(Arm64Register baseRegister, Arm64Register index, Arm64Extend extend = Arm64Extend.Uxtx, int amount = -1)
        => new(baseRegister, Arm64AddressingMode.RegisterOffset, 0, index, extend, amount);

    /// <inheritdoc/>
    public bool Equals(Arm64Memory other)
        => Base == other.Base && Mode == other.Mode && Offset == other.Offset && Index == other.Index && Extend == other.Extend && Amount == other.Amount;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Arm64Memory m && Equals(m);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Base, Mode, Offset, Index, Extend, Amount);

    /// <summary>Operand equality.</summary>
    public static bool operator ==(Arm64Memory left, Arm64Memory right) => left.Equals(right);

    /// <summary>Operand inequality.</summary>
    public static bool operator !=(Arm64Memory left, Arm64Memory right) => !left.Equals(right);
}
