using System;

namespace WasmToolkit.Compiler.Arm64;

/// <summary>A position in an <see cref="Arm64Assembler"/>'s code, created unbound and bound once with <see cref="Arm64Assembler.Bind"/>.</summary>
public readonly struct Arm64Label : IEquatable<Arm64Label>
{
    internal Arm64Label(int id) => Id = id;

    /// <summary>The label's number in its assembler (1-based; 0 is the default, invalid label).</summary>
    public int Id { get; }

    /// <summary>False for <c>default(Arm64Label)</c>.</summary>
    public bool IsValid => Id > 0;

    /// <inheritdoc/>
    public bool Equals(Arm64Label other) => Id == other.Id;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Arm64Label l && Equals(l);

    /// <inheritdoc/>
    public override int GetHashCode() => Id;

    /// <inheritdoc/>
    public override string ToString() => "L" + Id;

    /// <summary>Label equality.</summary>
    public static bool operator ==(Arm64Label left, Arm64Label right) => left.Equals(right);

    /// <summary>Label inequality.</summary>
    public static bool operator !=(Arm64Label left, Arm64Label right) => !left.Equals(right);
}
