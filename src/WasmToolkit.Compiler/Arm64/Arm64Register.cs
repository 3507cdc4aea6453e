using System;

namespace WasmToolkit.Compiler.Arm64;

/// <summary>
/// A register operand: a number 0–31 and a <see cref="Arm64RegisterKind"/>. Number 31 of a general register is
/// either the zero register (<c>xzr</c>/<c>wzr</c>) or the stack pointer (<c>sp</c>/<c>wsp</c>), told apart by
/// <see cref="IsStackPointer"/>; which of the two an instruction field accepts is checked by the encoder.
/// </summary>
public readonly struct Arm64Register : IEquatable<Arm64Register>
{
    private const byte StackPointerFlag = 0x80;
    private readonly byte _number;
    private readonly byte _kind;

    private Arm64Register(int number, Arm64RegisterKind kind, bool stackPointer)
    {
        _number = (byte)(number | (stackPointer ? StackPointerFlag : 0));
        _kind = (byte)kind;
    }

    /// <summary>The register number as encoded in an instruction field (0–31).</summary>
    public int Number => _number & 31;

    /// <summary>The register's kind (width and bank).</summary>
    public Arm64RegisterKind Kind => (Arm64RegisterKind)_kind;

    /// <summary>True for <c>sp</c> and <c>wsp</c> (number 31 in the fields that mean the stack pointer).</summary>
    public bool IsStackPointer => (_number & StackPointerFlag) != 0;

    /// <summary>True for <c>xzr</c> and <c>wzr</c>.</summary>
    public bool IsZeroRegister => IsGeneral && (_number & 31) == 31 && !IsStackPointer;

    /// <summary>True for <c>w</c> and <c>x</c> registers, including the zero register and the stack pointer.</summary>
    public bool IsGeneral => Kind is Arm64RegisterKind.W or Arm64RegisterKind.X;

    /// <summary>True for the scalar floating-point views <c>s</c> and <c>d</c>.</summary>
    public bool IsFloat => Kind is Arm64RegisterKind.S or Arm64RegisterKind.D;

    /// <summary>True for the vector arrangements (<c>v0.16b</c> … <c>v0.2d</c>).</summary>
    public bool IsVector => Kind >= Arm64RegisterKind.V8B;

    /// <summary>True for the arrangements that fill all 128 bits (<c>16b</c>, <c>8h</c>, <c>4s</c>, <c>2d</c>): the Q bit of vector encodings.</summary>
    public bool IsFullVector => Kind is Arm64RegisterKind.V16B or Arm64RegisterKind.V8H or Arm64RegisterKind.V4S or Arm64RegisterKind.V2D;

    /// <summary>
    /// log2 of the element size in bytes of a vector arrangement (0 for <c>b</c> … 3 for <c>d</c>), or of a scalar
    /// SIMD&amp;FP view's size (0 <c>b</c>, 1 <c>h</c>, 2 <c>s</c>, 3 <c>d</c>, 4 <c>q</c>); -1 for general registers.
    /// </summary>
    public int ElementSizeLog2 => Kind switch
    {
        Arm64RegisterKind.B or Arm64RegisterKind.V8B or Arm64RegisterKind.V16B => 0,
        Arm64RegisterKind.H or Arm64RegisterKind.V4H or Arm64RegisterKind.V8H => 1,
        Arm64RegisterKind.S or Arm64RegisterKind.V2S or Arm64RegisterKind.V4S => 2,
        Arm64RegisterKind.D or Arm64RegisterKind.V2D => 3,
        Arm64RegisterKind.Q => 4,
        _ => -1,
    };

    /// <summary>True for the 64-bit views <c>x</c> and <c>d</c>.</summary>
    public bool Is64Bit => Kind is Arm64RegisterKind.X or Arm64RegisterKind.D;

    /// <summary>True unless this is the default value.</summary>
    public bool IsValid => Kind != Arm64RegisterKind.None;

    /// <summary>The 64-bit general register <c>x<paramref name="number"/></c>; 31 is <c>xzr</c>.</summary>
    public static Arm64Register X(int number) => new(Check(number), Arm64RegisterKind.X, false);

    /// <summary>The 32-bit general register <c>w<paramref name="number"/></c>; 31 is <c>wzr</c>.</summary>
    public static Arm64Register W(int number) => new(Check(number), Arm64RegisterKind.W, false);

    /// <summary>The single-precision register <c>s<paramref name="number"/></c>.</summary>
    public static Arm64Register S(int number) => new(Check(number), Arm64RegisterKind.S, false);

    /// <summary>The double-precision register <c>d<paramref name="number"/></c>.</summary>
    public static Arm64Register D(int number) => new(Check(number), Arm64RegisterKind.D, false);

    /// <summary>The 8-bit scalar view <c>b<paramref name="number"/></c> of a SIMD&amp;FP register.</summary>
    public static Arm64Register B(int number) => new(Check(number), Arm64RegisterKind.B, false);

    /// <summary>The 16-bit scalar view <c>h<paramref name="number"/></c> of a SIMD&amp;FP register.</summary>
    public static Arm64Register H(int number) => new(Check(number), Arm64RegisterKind.H, false);

    /// <summary>The whole SIMD&amp;FP register <c>q<paramref name="number"/></c> (128-bit loads and stores).</summary>
    public static Arm64Register Q(int number) => new(Check(number), Arm64RegisterKind.Q, false);

    /// <summary>The vector register <c>v<paramref name="number"/></c> in <paramref name="arrangement"/> (one of the <c>V…</c> kinds).</summary>
    public static Arm64Register V(int number, Arm64RegisterKind arrangement)
        => arrangement >= Arm64RegisterKind.V8B ? new(Check(number), arrangement, false) : throw new ArgumentOutOfRangeException(nameof(arrangement), arrangement, "Not a vector arrangement.");

    /// <summary><c>v<paramref name="number"/>.16b</c>.</summary>
    public static Arm64Register V16B(int number) => V(number, Arm64RegisterKind.V16B);

    /// <summary><c>v<paramref name="number"/>.8h</c>.</summary>
    public static Arm64Register V8H(int number) => V(number, Arm64RegisterKind.V8H);

    /// <summary><c>v<paramref name="number"/>.4s</c>.</summary>
    public static Arm64Register V4S(int number) => V(number, Arm64RegisterKind.V4S);

    /// <summary><c>v<paramref name="number"/>.2d</c>.</summary>
    public static Arm64Register V2D(int number) => V(number, Arm64RegisterKind.V2D);

    /// <summary>The 128-bit arrangement whose elements are 2^<paramref name="sizeLog2"/> bytes (0–3).</summary>
    public static Arm64Register VFull(int number, int sizeLog2) => V(number, sizeLog2 switch
    {
        0 => Arm64RegisterKind.V16B,
        1 => Arm64RegisterKind.V8H,
        2 => Arm64RegisterKind.V4S,
        3 => Arm64RegisterKind.V2D,
        _ => throw new ArgumentOutOfRangeException(nameof(sizeLog2)),
    });

    /// <summary>The 64-bit arrangement whose elements are 2^<paramref name="sizeLog2"/> bytes (0–2: <c>8b</c>, <c>4h</c>, <c>2s</c>).</summary>
    public static Arm64Register VHalf(int number, int sizeLog2) => V(number, sizeLog2 switch
    {
        0 => Arm64RegisterKind.V8B,
        1 => Arm64RegisterKind.V4H,
        2 => Arm64RegisterKind.V2S,
        _ => throw new ArgumentOutOfRangeException(nameof(sizeLog2)),
    });

    /// <summary>The 64-bit stack pointer <c>sp</c>.</summary>
    public static Arm64Register Sp => new(31, Arm64RegisterKind.X, true);

    /// <summary>The 32-bit view of the stack pointer, <c>wsp</c>.</summary>
    public static Arm64Register Wsp => new(31, Arm64RegisterKind.W, true);

    /// <summary>The 64-bit zero register <c>xzr</c>.</summary>
    public static Arm64Register Xzr => new(31, Arm64RegisterKind.X, false);

    /// <summary>The 32-bit zero register <c>wzr</c>.</summary>
    public static Arm64Register Wzr => new(31, Arm64RegisterKind.W, false);

    /// <summary>The link register <c>x30</c>.</summary>
    public static Arm64Register Lr => X(30);

    /// <summary>The frame pointer <c>x29</c>.</summary>
    public static Arm64Register Fp => X(29);

    /// <summary>The same register number seen as a 32-bit general register (keeps the stack-pointer flag).</summary>
    public Arm64Register AsW() => new(Number, Arm64RegisterKind.W, IsStackPointer);

    /// <summary>The same register number seen as a 64-bit general register (keeps the stack-pointer flag).</summary>
    public Arm64Register AsX() => new(Number, Arm64RegisterKind.X, IsStackPointer);

    private static int Check(int number)
        => (uint)number <= 31 ? number : throw new ArgumentOutOfRangeException(nameof(number), number, "A64 register numbers are 0 to 31.");

    /// <summary>The register's assembler name as objdump writes it (<c>x0</c>, <c>wzr</c>, <c>sp</c>, <c>d3</c>).</summary>
    public override string ToString() => Kind switch
    {
        Arm64RegisterKind.X => Number != 31 ? "x" + Number : IsStackPointer ? "sp" : "xzr",
        Arm64RegisterKind.W => Number != 31 ? "w" + Number : IsStackPointer ? "wsp" : "wzr",
        Arm64RegisterKind.S => "s" + Number,
        Arm64RegisterKind.D => "d" + Number,
        Arm64RegisterKind.B => "b" + Number,
        Arm64RegisterKind.H => "h" + Number,
        Arm64RegisterKind.Q => "q" + Number,
        Arm64RegisterKind.V8B => "v" + Number + ".8b",
        Arm64RegisterKind.V16B => "v" + Number + ".16b",
        Arm64RegisterKind.V4H => "v" + Number + ".4h",
        Arm64RegisterKind.V8H => "v" + Number + ".8h",
        Arm64RegisterKind.V2S => "v" + Number + ".2s",
        Arm64RegisterKind.V4S => "v" + Number + ".4s",
        Arm64RegisterKind.V2D => "v" + Number + ".2d",
        _ => "<none>",
    };

    /// <inheritdoc/>
    public bool Equals(Arm64Register other) => _number == other._number && _kind == other._kind;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Arm64Register r && Equals(r);

    /// <inheritdoc/>
    public override int GetHashCode() => _number | (_kind << 8);

    /// <summary>Equality of number, kind and stack-pointer flag.</summary>
    public static bool operator ==(Arm64Register left, Arm64Register right) => left.Equals(right);

    /// <summary>Inequality of number, kind or stack-pointer flag.</summary>
    public static bool operator !=(Arm64Register left, Arm64Register right) => !left.Equals(right);
}
