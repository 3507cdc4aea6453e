using System;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace WasmToolkit.Compiler.Arm64;

/// <summary>
/// Assembles A64 code into a growable buffer of 32-bit words, with labels: branches and other pc-relative
/// instructions may name a label bound before (encoded at once) or after (recorded as a fix-up and patched by
/// <see cref="Bind"/>). Ranges are checked when the distance is known: ±128 MiB for <c>b</c>/<c>bl</c>, ±1 MiB for
/// <c>b.cond</c>, <c>cbz</c>/<c>cbnz</c>, <c>adr</c> and literal loads, ±32 KiB for <c>tbz</c>/<c>tbnz</c>.
/// </summary>
/// <remarks>
/// Invalid operands and out-of-range distances throw <see cref="Arm64EncodingException"/> (misuse by the code
/// generator); <see cref="TryEmit"/> and <see cref="TryBind"/> report them instead. Emitting allocates nothing
/// except when the buffers grow (amortised doubling). Alias helpers (<see cref="Mov(Arm64Register, Arm64Register)"/>,
/// <see cref="Cmp(Arm64Register, Arm64Register)"/>, <see cref="Lsl(Arm64Register, Arm64Register, int)"/>, …) emit
/// the instruction the alias stands for. Not thread-safe; <see cref="Reset"/> reuses the buffers.
/// </remarks>
public sealed class Arm64Assembler
{
    private uint[] _words = new uint[256];
    private int _count;
    private int[] _labelPositions = new int[16]; // word index, or -1 while unbound; index 0 unused
    private int[] _labelFirstFixup = new int[16]; // head of the label's pending fix-up list, or -1
    private int _labelCount;
    private Fixup[] _fixups = new Fixup[16];
    private int _fixupCount;
    private int _unresolved;

    private struct Fixup
    {
        public int Position; // word index of the instruction
        public int Next; // next pending fix-up of the same label, or -1
        public Arm64Code Code;
    }

    /// <summary>The current size of the code in bytes (the offset the next instruction gets).</summary>
    public int Position => _count * 4;

    /// <summary>The words emitted so far.</summary>
    public ReadOnlySpan<uint> Words => _words.AsSpan(0, _count);

    /// <summary>The number of label references that wait for their label to be bound.</summary>
    public int UnresolvedReferences => _unresolved;

    /// <summary>Forgets all code, labels and fix-ups, keeping the buffers.</summary>
    public void Reset()
    {
        _count = 0;
        _labelCount = 0;
        _fixupCount = 0;
        _unresolved = 0;
    }

    /// <summary>Creates an unbound label.</summary>
    public Arm64Label CreateLabel()
    {
        _labelCount++;
        if (_labelCount >= _labelPositions.Length)
        {
            Array.Resize(ref _labelPositions, _labelPositions.Length * 2);
            Array.Resize(ref _labelFirstFixup, _labelFirstFixup.Length * 2);
        }

        _labelPositions[_labelCount] = -1;
        _labelFirstFixup[_labelCount] = -1;
        return new Arm64Label(_labelCount);
    }

    /// <summary>True when <paramref name="label"/> has been bound; its byte offset is then in <paramref name="offset"/>.</summary>
    public bool TryGetLabelOffset(Arm64Label label, out int offset)
    {
        CheckLabel(label);
        var position = _labelPositions[label.Id];
        offset = position * 4;
        return position >= 0;
    }

    /// <summary>Binds <paramref name="label"/> to the current position and patches the references waiting for it; throws when one is out of range.</summary>
    public void Bind(Arm64Label label)
    {
        if (!TryBind(label, out var error)) throw new Arm64EncodingException(error!);
    }

    /// <summary>Binds <paramref name="label"/> to the current position; false with a message when a waiting reference is out of range (the others are patched).</summary>
    public bool TryBind(Arm64Label label, out string? error)
    {
        CheckLabel(label);
        if (_labelPositions[label.Id] >= 0) throw new InvalidOperationException($"Label {label} is already bound.");
        _labelPositions[label.Id] = _count;
        error = null;
        for (var f = _labelFirstFixup[label.Id]; f >= 0; f = _fixups[f].Next)
        {
            ref var fixup = ref _fixups[f];
            _unresolved--;
            if (!TryPatch(ref _words[fixup.Position], fixup.Code, (long)(_count - fixup.Position) * 4, out var message))
                error ??= $"{message} (instruction at offset 0x{fixup.Position * 4:x}, label {label})";
        }

        _labelFirstFixup[label.Id] = -1;
        return error is null;
    }

    /// <summary>Encodes and appends <paramref name="instruction"/>; throws <see cref="Arm64EncodingException"/> for invalid operands.</summary>
    public void Emit(in Arm64Instruction instruction) => EmitWord(Arm64Encoder.Encode(instruction));

    /// <summary>Encodes and appends <paramref name="instruction"/>, or returns false with a message and appends nothing.</summary>
    public bool TryEmit(in Arm64Instruction instruction, out string? error)
    {
        if (!Arm64Encoder.TryEncode(instruction, out var word, out error)) return false;
        EmitWord(word);
        return true;
    }

    /// <summary>Appends a raw instruction word.</summary>
    public void EmitWord(uint word)
    {
        if (_count == _words.Length) Array.Resize(ref _words, _words.Length * 2);
        _words[_count++] = word;
    }

    /// <summary>
    /// Appends a pc-relative instruction (<c>b</c>, <c>bl</c>, <c>b.cond</c>, <c>cbz</c>, <c>cbnz</c>, <c>tbz</c>, <c>tbnz</c>,
    /// <c>adr</c>, literal <c>ldr</c>) whose target is <paramref name="label"/>; <paramref name="instruction"/>'s
    /// <see cref="Arm64Instruction.BranchOffset"/> is ignored.
    /// </summary>
    public void Emit(Arm64Instruction instruction, Arm64Label label)
    {
        CheckLabel(label);
        if (instruction.Code is not (Arm64Code.B or Arm64Code.Bl or Arm64Code.BCond or Arm64Code.Cbz or Arm64Code.Cbnz or Arm64Code.Tbz
            or Arm64Code.Tbnz or Arm64Code.Adr or Arm64Code.LdrLiteral))
        {
            throw new Arm64EncodingException($"{instruction.Code.ToString().ToLowerInvariant()}: does not take a label");
        }

        var target = _labelPositions[label.Id];
        instruction.BranchOffset = target >= 0 ? (long)(target - _count) * 4 : 0;
        var word = Arm64Encoder.Encode(instruction);
        if (target < 0)
        {
            if (_fixupCount == _fixups.Length) Array.Resize(ref _fixups, _fixups.Length * 2);
            _fixups[_fixupCount] = new Fixup { Position = _count, Next = _labelFirstFixup[label.Id], Code = instruction.Code };
            _labelFirstFixup[label.Id] = _fixupCount++;
            _unresolved++;
        }

        EmitWord(word);
    }

    /// <summary>The code as little-endian bytes; throws when a label reference is still unresolved.</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[_count * 4];
        CopyTo(bytes);
        return bytes;
    }

    /// <summary>Writes the code as little-endian bytes into <paramref name="destination"/> (at least <see cref="Position"/> bytes).</summary>
    public void CopyTo(Span<byte> destination)
    {
        if (_unresolved != 0) throw new InvalidOperationException($"{_unresolved} label reference(s) are unresolved: bind every label that is branched to.");
        if (BitConverter.IsLittleEndian) MemoryMarshal.AsBytes(Words).CopyTo(destination);
        else
        {
            for (var i = 0; i < _count; i++) BinaryPrimitives.WriteUInt32LittleEndian(destination.Slice(i * 4), _words[i]);
        }
    }

    // Branches to labels.

    /// <summary><c>b label</c>.</summary>
    public void B(Arm64Label label) => Emit(new Arm64Instruction { Code = Arm64Code.B }, label);

    /// <summary><c>bl label</c>.</summary>
    public void Bl(Arm64Label label) => Emit(new Arm64Instruction { Code = Arm64Code.Bl }, label);

    /// <summary><c>b.cond label</c>.</summary>
    public void B(Arm64Condition condition, Arm64Label label) => Emit(new Arm64Instruction { Code = Arm64Code.BCond, Condition = condition }, label);

    /// <summary><c>cbz rt, label</c>.</summary>
    public void Cbz(Arm64Register rt, Arm64Label label) => Emit(new Arm64Instruction { Code = Arm64Code.Cbz, Rd = rt }, label);

    /// <summary><c>cbnz rt, label</c>.</summary>
    public void Cbnz(Arm64Register rt, Arm64Label label) => Emit(new Arm64Instruction { Code = Arm64Code.Cbnz, Rd = rt }, label);

    /// <summary><c>tbz rt, #bit, label</c>.</summary>
    public void Tbz(Arm64Register rt, int bit, Arm64Label label) => Emit(new Arm64Instruction { Code = Arm64Code.Tbz, Rd = rt, Immediate = bit }, label);

    /// <summary><c>tbnz rt, #bit, label</c>.</summary>
    public void Tbnz(Arm64Register rt, int bit, Arm64Label label) => Emit(new Arm64Instruction { Code = Arm64Code.Tbnz, Rd = rt, Immediate = bit }, label);

    /// <summary><c>adr rd, label</c>.</summary>
    public void Adr(Arm64Register rd, Arm64Label label) => Emit(new Arm64Instruction { Code = Arm64Code.Adr, Rd = rd }, label);

    /// <summary><c>ldr rt, label</c> (literal load).</summary>
    public void LdrLiteral(Arm64Register rt, Arm64Label label) => Emit(new Arm64Instruction { Code = Arm64Code.LdrLiteral, Rd = rt }, label);

    // Common instructions and aliases.

    /// <summary><c>add rd, rn, rm{, shift #amount}</c>.</summary>
    public void Add(Arm64Register rd, Arm64Register rn, Arm64Register rm, Arm64Shift shift = Arm64Shift.Lsl, int amount = 0)
        => Emit(new Arm64Instruction { Code = Arm64Code.Add, Rd = rd, Rn = rn, Rm = rm, Shift = shift, ShiftAmount = amount });

    /// <summary><c>add rd, rn, #imm</c> (0–4095, or a multiple of 4096 up to 4095 × 4096).</summary>
    public void Add(Arm64Register rd, Arm64Register rn, int imm) => AddSubImmediate(Arm64Code.AddImm, rd, rn, imm);

    /// <summary><c>sub rd, rn, rm{, shift #amount}</c>.</summary>
    public void Sub(Arm64Register rd, Arm64Register rn, Arm64Register rm, Arm64Shift shift = Arm64Shift.Lsl, int amount = 0)
        => Emit(new Arm64Instruction { Code = Arm64Code.Sub, Rd = rd, Rn = rn, Rm = rm, Shift = shift, ShiftAmount = amount });

    /// <summary><c>sub rd, rn, #imm</c> (0–4095, or a multiple of 4096 up to 4095 × 4096).</summary>
    public void Sub(Arm64Register rd, Arm64Register rn, int imm) => AddSubImmediate(Arm64Code.SubImm, rd, rn, imm);

    /// <summary><c>cmp rn, rm</c> (<c>subs zr, rn, rm</c>).</summary>
    public void Cmp(Arm64Register rn, Arm64Register rm)
        => Emit(new Arm64Instruction { Code = Arm64Code.Subs, Rd = Zero(rn), Rn = rn, Rm = rm });

    /// <summary><c>cmp rn, #imm</c> (<c>subs zr, rn, #imm</c>).</summary>
    public void Cmp(Arm64Register rn, int imm) => AddSubImmediate(Arm64Code.SubsImm, Zero(rn), rn, imm);

    /// <summary><c>mov rd, rm</c>: <c>orr rd, zr, rm</c>, or <c>add rd, rn, #0</c> when either is the stack pointer.</summary>
    public void Mov(Arm64Register rd, Arm64Register rm)
    {
        if (rd.IsStackPointer || rm.IsStackPointer) Emit(new Arm64Instruction { Code = Arm64Code.AddImm, Rd = rd, Rn = rm });
        else Emit(new Arm64Instruction { Code = Arm64Code.Orr, Rd = rd, Rn = Zero(rd), Rm = rm });
    }

    /// <summary>
    /// Materialises a constant in the fewest instructions: one <c>movz</c>, <c>movn</c> or <c>orr</c> (bitmask) when
    /// possible, otherwise <c>movz</c>/<c>movn</c> followed by <c>movk</c> for each remaining halfword.
    /// For a <c>w</c> register only the low 32 bits of <paramref name="value"/> count.
    /// </summary>
    public void MovImmediate(Arm64Register rd, ulong value)
    {
        var halves = rd.Is64Bit ? 4 : 2;
        if (!rd.Is64Bit) value &= 0xFFFF_FFFF;
        int zeros = 0, ones = 0;
        for (var h = 0; h < halves; h++)
        {
            var part = (value >> (h * 16)) & 0xFFFF;
            if (part == 0) zeros++;
            else if (part == 0xFFFF) ones++;
        }

        if (zeros < halves - 1 && ones < halves - 1 && Arm64Immediates.TryEncodeLogical(value, rd.Is64Bit, out _))
        {
            Emit(new Arm64Instruction { Code = Arm64Code.OrrImm, Rd = rd, Rn = Zero(rd), Immediate = (long)value });
            return;
        }

        // movn starts from all ones: better when more halfwords are 0xffff than 0.
        var inverted = ones > zeros;
        var skip = inverted ? 0xFFFFUL : 0;
        var first = true;
        for (var h = 0; h < halves; h++)
        {
            var part = (value >> (h * 16)) & 0xFFFF;
            if (part == skip) continue;
            if (first)
            {
                var imm = inverted ? ~part & 0xFFFF : part;
                Emit(new Arm64Instruction { Code = inverted ? Arm64Code.Movn : Arm64Code.Movz, Rd = rd, Immediate = (long)imm, ShiftAmount = h * 16 });
                first = false;
            }
            else
            {
                Emit(new Arm64Instruction { Code = Arm64Code.Movk, Rd = rd, Immediate = (long)part, ShiftAmount = h * 16 });
            }
        }

        // Every halfword was the skipped one: 0 (movz #0) or all ones (movn #0).
        if (first) Emit(new Arm64Instruction { Code = inverted ? Arm64Code.Movn : Arm64Code.Movz, Rd = rd });

    }

    /// <summary><c>lsl rd, rn, #shift</c> (<c>ubfm</c>).</summary>
    public void Lsl(Arm64Register rd, Arm64Register rn, int shift)
    {
        var width = rd.Is64Bit ? 64 : 32;
        CheckShift(Arm64Code.Ubfm, shift, width);
        Emit(new Arm64Instruction { Code = Arm64Code.Ubfm, Rd = rd, Rn = rn, Immediate = (width - shift) & (width - 1), Immediate2 = width - 1 - shift });
    }

    /// <summary><c>lsr rd, rn, #shift</c> (<c>ubfm</c>).</summary>
    public void Lsr(Arm64Register rd, Arm64Register rn, int shift)
    {
        var width = rd.Is64Bit ? 64 : 32;
        CheckShift(Arm64Code.Ubfm, shift, width);
        Emit(new Arm64Instruction { Code = Arm64Code.Ubfm, Rd = rd, Rn = rn, Immediate = shift, Immediate2 = width - 1 });
    }

    /// <summary><c>asr rd, rn, #shift</c> (<c>sbfm</c>).</summary>
    public void Asr(Arm64Register rd, Arm64Register rn, int shift)
    {
        var width = rd.Is64Bit ? 64 : 32;
        CheckShift(Arm64Code.Sbfm, shift, width);
        Emit(new Arm64Instruction { Code = Arm64Code.Sbfm, Rd = rd, Rn = rn, Immediate = shift, Immediate2 = width - 1 });
    }

    /// <summary><c>ror rd, rn, #shift</c> (<c>extr rd, rn, rn, #shift</c>).</summary>
    public void Ror(Arm64Register rd, Arm64Register rn, int shift)
        => Emit(new Arm64Instruction { Code = Arm64Code.Extr, Rd = rd, Rn = rn, Rm = rn, Immediate = shift });

    /// <summary><c>ubfx rd, rn, #lsb, #width</c>: extract <paramref name="width"/> bits at <paramref name="lsb"/>, zero-extended.</summary>
    public void Ubfx(Arm64Register rd, Arm64Register rn, int lsb, int width)
        => Emit(new Arm64Instruction { Code = Arm64Code.Ubfm, Rd = rd, Rn = rn, Immediate = lsb, Immediate2 = lsb + width - 1 });

    /// <summary><c>sxtb</c>/<c>sxth</c>/<c>sxtw rd, wn</c> for <paramref name="bits"/> 8, 16, 32 (<c>sbfm rd, rn, #0, #bits-1</c>; <paramref name="rn"/> may be given as x or w).</summary>
    public void SignExtend(Arm64Register rd, Arm64Register rn, int bits)
        => Emit(new Arm64Instruction { Code = Arm64Code.Sbfm, Rd = rd, Rn = rd.Is64Bit ? rn.AsX() : rn.AsW(), Immediate = 0, Immediate2 = bits - 1 });

    /// <summary><c>uxtb</c>/<c>uxth wd, wn</c> for <paramref name="bits"/> 8, 16 (<c>ubfm wd, wn, #0, #bits-1</c>); for 32, <c>mov wd, wn</c>, which zeroes the upper half.</summary>
    public void ZeroExtend(Arm64Register rd, Arm64Register rn, int bits)
    {
        if (bits == 32) Mov(rd.AsW(), rn.AsW());
        else Emit(new Arm64Instruction { Code = Arm64Code.Ubfm, Rd = rd.AsW(), Rn = rn.AsW(), Immediate = 0, Immediate2 = bits - 1 });
    }

    /// <summary><c>neg rd, rm</c> (<c>sub rd, zr, rm</c>).</summary>
    public void Neg(Arm64Register rd, Arm64Register rm)
        => Emit(new Arm64Instruction { Code = Arm64Code.Sub, Rd = rd, Rn = Zero(rd), Rm = rm });

    /// <summary><c>mvn rd, rm</c> (<c>orn rd, zr, rm</c>).</summary>
    public void Mvn(Arm64Register rd, Arm64Register rm)
        => Emit(new Arm64Instruction { Code = Arm64Code.Orn, Rd = rd, Rn = Zero(rd), Rm = rm });

    /// <summary><c>mul rd, rn, rm</c> (<c>madd rd, rn, rm, zr</c>).</summary>
    public void Mul(Arm64Register rd, Arm64Register rn, Arm64Register rm)
        => Emit(new Arm64Instruction { Code = Arm64Code.Madd, Rd = rd, Rn = rn, Rm = rm, Ra = Zero(rd) });

    /// <summary><c>tst rn, rm</c> (<c>ands zr, rn, rm</c>).</summary>
    public void Tst(Arm64Register rn, Arm64Register rm)
        => Emit(new Arm64Instruction { Code = Arm64Code.Ands, Rd = Zero(rn), Rn = rn, Rm = rm });

    /// <summary><c>tst rn, #imm</c> (<c>ands zr, rn, #imm</c>); <paramref name="imm"/> must be a bitmask immediate.</summary>
    public void Tst(Arm64Register rn, ulong imm)
        => Emit(new Arm64Instruction { Code = Arm64Code.AndsImm, Rd = Zero(rn), Rn = rn, Immediate = (long)imm });

    /// <summary><c>cmn rn, #imm</c> (<c>adds zr, rn, #imm</c>).</summary>
    public void Cmn(Arm64Register rn, int imm) => AddSubImmediate(Arm64Code.AddsImm, Zero(rn), rn, imm);

    /// <summary><c>cset rd, cond</c> (<c>csinc rd, zr, zr, !cond</c>).</summary>
    public void Cset(Arm64Register rd, Arm64Condition condition)
        => Emit(new Arm64Instruction { Code = Arm64Code.Csinc, Rd = rd, Rn = Zero(rd), Rm = Zero(rd), Condition = condition.Invert() });

    /// <summary><c>ret</c> (through <c>x30</c>).</summary>
    public void Ret() => EmitWord(0xD65F_03C0);

    /// <summary><c>nop</c>.</summary>
    public void Nop() => EmitWord(0xD503_201F);

    /// <summary><c>brk #imm</c>.</summary>
    public void Brk(int imm) => Emit(new Arm64Instruction { Code = Arm64Code.Brk, Immediate = imm });

    private void AddSubImmediate(Arm64Code code, Arm64Register rd, Arm64Register rn, int imm)
    {
        // Values that do not fit are passed through unshifted so the encoder reports them.
        if (!Arm64Immediates.TryEncodeAddSub(imm, out var imm12, out var shift)) (imm12, shift) = (imm, 0);
        Emit(new Arm64Instruction { Code = code, Rd = rd, Rn = rn, Immediate = imm12, ShiftAmount = shift });
    }

    private static Arm64Register Zero(Arm64Register like) => like.Is64Bit ? Arm64Register.Xzr : Arm64Register.Wzr;

    private static void CheckShift(Arm64Code code, int shift, int width)
    {
        if ((uint)shift >= (uint)width) throw new Arm64EncodingException($"{code.ToString().ToLowerInvariant()}: shift {shift} is outside 0..{width - 1}");
    }

    private void CheckLabel(Arm64Label label)
    {
        if (label.Id <= 0 || label.Id > _labelCount) throw new ArgumentException($"Label {label} does not belong to this assembler.", nameof(label));
    }

    private static bool TryPatch(ref uint word, Arm64Code code, long offset, out string? error)
    {
        switch (code)
        {
            case Arm64Code.B:
            case Arm64Code.Bl:
            {
                if (!Arm64Encoder.PcRelative(code, offset, 26, out var field, out error)) return false;
                word = (word & 0xFC00_0000) | field;
                return true;
            }

            case Arm64Code.Tbz:
            case Arm64Code.Tbnz:
            {
                if (!Arm64Encoder.PcRelative(code, offset, 14, out var field, out error)) return false;
                word = (word & ~(0x3FFFu << 5)) | (field << 5);
                return true;
            }

            case Arm64Code.Adr:
            {
                if (offset < -(1L << 20) || offset >= 1L << 20)
                {
                    error = $"adr: offset {offset} is out of range (±1 MiB)";
                    return false;
                }

                var imm21 = (uint)offset & 0x1F_FFFF;
                word = (word & 0x9F00_001F) | ((imm21 & 3) << 29) | ((imm21 >> 2) << 5);
                error = null;
                return true;
            }

            default:
            {
                if (!Arm64Encoder.PcRelative(code, offset, 19, out var field, out error)) return false;
                word = (word & ~(0x7FFFFu << 5)) | (field << 5);
                return true;
            }
        }
    }
}
