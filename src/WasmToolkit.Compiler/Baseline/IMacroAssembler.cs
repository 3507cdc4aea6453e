using System;
using System.Collections.Immutable;

namespace WasmToolkit.Compiler.Baseline;

/// <summary>
/// A machine register: general registers by their architecture's encoding number (x64: 0 = rax … 15 = r15;
/// ARM64: x0 … x31), float/vector registers from <see cref="FirstFloat"/> on (x64: 32 + n = xmm n; ARM64: v n).
/// </summary>
internal readonly struct Reg : IEquatable<Reg>
{
    /// <summary>Code of the first float register (the two classes share one 64-bit <see cref="RegSet"/>).</summary>
    public const int FirstFloat = 32;

    public Reg(int code) => Code = (byte)code;

    /// <summary>Float register <paramref name="n"/> (x64 xmm n, ARM64 v n).</summary>
    public static Reg Float(int n) => new(FirstFloat + n);

    public byte Code { get; }

    /// <summary>Whether this is a float register (f32/f64 values live there; general registers hold integers and references).</summary>
    public bool IsFloat => Code >= FirstFloat;

    /// <summary>The register's number within its class.</summary>
    public int Number => IsFloat ? Code - FirstFloat : Code;

    public bool Equals(Reg other) => Code == other.Code;

    public override bool Equals(object? obj) => obj is Reg r && Equals(r);

    public override int GetHashCode() => Code;

    public static bool operator ==(Reg a, Reg b) => a.Code == b.Code;

    public static bool operator !=(Reg a, Reg b) => a.Code != b.Code;

    public override string ToString() => (IsFloat ? "v" : "r") + Number;
}

/// <summary>A set of registers as a bit mask (general registers in the low 32 bits, float registers in the high 32).</summary>
internal readonly struct RegSet
{
    public RegSet(ulong bits) => Bits = bits;

    public ulong Bits { get; }

    public static RegSet Empty => default;

    /// <summary>Every general register.</summary>
    public static RegSet General => new(0xFFFF_FFFFUL);

    /// <summary>Every float register.</summary>
    public static RegSet Floats => new(0xFFFF_FFFFUL << Reg.FirstFloat);

    /// <summary>The class of registers that hold values of the given kind.</summary>
    public static RegSet Class(bool isFloat) => isFloat ? Floats : General;

    public bool Contains(Reg r) => (Bits & (1UL << r.Code)) != 0;

    public RegSet Add(Reg r) => new(Bits | (1UL << r.Code));

    public RegSet Remove(Reg r) => new(Bits & ~(1UL << r.Code));

    public RegSet Except(RegSet other) => new(Bits & ~other.Bits);

    public RegSet Intersect(RegSet other) => new(Bits & other.Bits);

    public bool IsEmpty => Bits == 0;

    public int Count => System.Numerics.BitOperations.PopCount(Bits);

    /// <summary>The lowest-numbered register (deterministic choice).</summary>
    public Reg First => new(System.Numerics.BitOperations.TrailingZeroCount(Bits));

    /// <summary>The set of <paramref name="regs"/> (a span, so calls allocate no array).</summary>
    public static RegSet Of(params ReadOnlySpan<Reg> regs)
    {
        ulong b = 0;
        foreach (var r in regs) b |= 1UL << r.Code;
        return new RegSet(b);
    }
}

/// <summary>Width of an operation or a value: 32 or 64 bits (integers, floats, references), 128 bits (v128, in float registers).</summary>
internal enum OperandSize : byte
{
    S32,
    S64,

    /// <summary>A v128 value: in a float/vector register, 16 bytes in memory (two 8-byte slots in frames and call areas).</summary>
    S128,
}

/// <summary>A register or an immediate (Winch's <c>RegImm</c>). Immediates are full 64-bit values; the assembler picks an encoding.</summary>
internal readonly struct RegImm
{
    private RegImm(Reg reg, long imm, bool isImm)
    {
        Reg = reg;
        Imm = imm;
        IsImm = isImm;
    }

    public static RegImm Of(Reg reg) => new(reg, 0, false);

    public static RegImm Of(long imm) => new(default, imm, true);

    public Reg Reg { get; }

    public long Imm { get; }

    public bool IsImm { get; }
}

/// <summary>A position in the code, created by <see cref="IMacroAssembler.CreateLabel"/>.</summary>
internal readonly struct AsmLabel
{
    public AsmLabel(int id) => Id = id;

    public int Id { get; }
}

internal enum BinaryOp : byte { Add, Sub, Mul, And, Or, Xor }

internal enum ShiftOp : byte { Shl, ShrS, ShrU, Rotl, Rotr }

internal enum DivOp : byte { DivS, DivU, RemS, RemU }

internal enum UnaryOp : byte { Clz, Ctz, Popcnt }

internal enum Condition : byte { Eq, Ne, LtS, LtU, GtS, GtU, LeS, LeU, GeS, GeU }

internal enum ExtendOp : byte
{
    I32Extend8S,
    I32Extend16S,
    I64Extend8S,
    I64Extend16S,
    I64Extend32S,
    I64ExtendI32U,
    I32WrapI64,
}

/// <summary>Float operators on two operands (operand size S32 = f32, S64 = f64; operands and result in float registers).</summary>
internal enum FloatBinaryOp : byte { Add, Sub, Mul, Div, Min, Max, Copysign }

internal enum FloatUnaryOp : byte { Abs, Neg, Sqrt, Ceil, Floor, Trunc, Nearest }

internal enum FloatCondition : byte { Eq, Ne, Lt, Gt, Le, Ge }

internal enum FloatConvertOp : byte
{
    F32ConvertI32S,
    F32ConvertI32U,
    F32ConvertI64S,
    F32ConvertI64U,
    F64ConvertI32S,
    F64ConvertI32U,
    F64ConvertI64S,
    F64ConvertI64U,
    F32DemoteF64,
    F64PromoteF32,
}

/// <summary>A linear-memory access: bytes moved and, for narrow loads, whether they sign-extend.</summary>
internal readonly struct MemoryAccess
{
    public MemoryAccess(int width, bool signed, OperandSize size, bool knownInBounds = false, bool checkedBefore = false)
    {
        Width = width;
        Signed = signed;
        Size = size;
        KnownInBounds = knownInBounds;
        CheckedBefore = checkedBefore;
    }

    /// <summary>
    /// A constant address whose bytes lie below the memory's declared minimum size, which it always has (memories
    /// never shrink; an import's current size is at least its declared minimum): no bounds check is needed.
    /// </summary>
    public bool KnownInBounds { get; }

    /// <summary>
    /// A register address whose value already passed a bounds check, on every path here, for an end (offset + width)
    /// at least this access's: memories never shrink, so that check still holds and this access needs none. Set only
    /// for a macro-assembler whose <see cref="IMacroAssembler.HonoursCheckedBefore"/> is true; as with
    /// <see cref="KnownInBounds"/> no trap label is passed then: the implementation emits no check, but still
    /// zero-extends the address (the sandbox does not rest on i32 registers being kept zero-extended).
    /// </summary>
    public bool CheckedBefore { get; }

    /// <summary>1, 2, 4 or 8 bytes.</summary>
    public int Width { get; }

    public bool Signed { get; }

    /// <summary>The width of the wasm value loaded or stored.</summary>
    public OperandSize Size { get; }
}

/// <summary>
/// An operand of a builtin call: an immediate or a frame slot. The compiler spills register operands
/// before such a call, so loading the argument registers needs no parallel move.
/// </summary>
internal readonly struct BuiltinArg
{
    private BuiltinArg(bool isImm, long value, OperandSize size)
    {
        IsImm = isImm;
        Value = value;
        Size = size;
    }

    public static BuiltinArg Imm(long value, OperandSize size) => new(true, value, size);

    public static BuiltinArg Frame(int offset, OperandSize size) => new(false, offset, size);

    public bool IsImm { get; }

    /// <summary>The immediate, or the frame offset of the slot.</summary>
    public long Value { get; }

    /// <summary>S32 operands are passed zero-extended (the builtins take uint32), S64 as they are.</summary>
    public OperandSize Size { get; }
}

/// <summary>A patch the module linker applies once every function's place is known.</summary>
internal readonly struct Relocation
{
    public Relocation(int offset, RelocationKind kind, int target)
    {
        Offset = offset;
        Kind = kind;
        Target = target;
    }

    /// <summary>
    /// Where the patch goes inside the function's code. x64: the offset of the <c>call</c>'s rel32 field (target - (offset + 4)).
    /// ARM64: the offset of the <c>bl</c> instruction word, whose imm26 becomes (target - offset) / 4.
    /// </summary>
    public int Offset { get; }

    public RelocationKind Kind { get; }

    /// <summary>Defined-function index for <see cref="RelocationKind.Function"/>.</summary>
    public int Target { get; }
}

internal enum RelocationKind : byte
{
    /// <summary>rel32 to the start of a defined function.</summary>
    Function,

    /// <summary>rel32 to the module's trap stub.</summary>
    TrapStub,
}

/// <summary>A trap site inside one function's code.</summary>
internal readonly struct FunctionTrapSite
{
    public FunctionTrapSite(int returnOffset, int wasmOffset, TrapKind kind)
    {
        ReturnOffset = returnOffset;
        WasmOffset = wasmOffset;
        Kind = kind;
    }

    public int ReturnOffset { get; }

    public int WasmOffset { get; }

    public TrapKind Kind { get; }
}

/// <summary>One function's machine code before linking.</summary>
internal sealed class FunctionCode
{
    public FunctionCode(ReadOnlyMemory<byte> bytes, ImmutableArray<Relocation> relocations, ImmutableArray<FunctionTrapSite> trapSites, ImmutableArray<FunctionTrapSite> callSites, CodeChunk? chunk = null)
    {
        Bytes = bytes;
        Relocations = relocations;
        TrapSites = trapSites;
        CallSites = callSites;
        _chunk = chunk;
    }

    /// <summary>The pooled chunk <see cref="Bytes"/> is a slice of, or null.</summary>
    private CodeChunk? _chunk;

    /// <summary>
    /// Says the bytes were copied where they belong (the pipeline's publisher): a pooled chunk may then be reused for
    /// later functions, so the contents of <see cref="Bytes"/> must not be read afterwards (its length stays, for the
    /// pipeline's accounting). Without a call the chunk is never reused.
    /// </summary>
    public void ReleaseBytes()
    {
        var chunk = _chunk;
        _chunk = null;
        chunk?.Release();
    }

    /// <summary>Return offsets of calls to other functions with the wasm offset of the <c>call</c> (kind unused).</summary>
    public ImmutableArray<FunctionTrapSite> CallSites { get; }

    /// <summary>The code; may be a slice of a compile worker's buffer shared with other functions (read only, until <see cref="ReleaseBytes"/>).</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    public ImmutableArray<Relocation> Relocations { get; }

    public ImmutableArray<FunctionTrapSite> TrapSites { get; }
}

/// <summary>
/// The per-architecture layer under the baseline compiler, with wasm-shaped three-operand methods
/// (Winch <c>masm.rs</c>, V8 <c>liftoff-assembler.h</c>). Implementations own their scratch registers;
/// the compiler only hands out registers from <see cref="Allocatable"/>.
/// </summary>
/// <remarks>
/// Frame model: a frame pointer; parameters above it, then below it the declared locals and the value
/// stack's spill slots, one 8-byte slot each, numbered from 0 downwards (<see cref="SlotOffset"/>).
/// A value of type i32 in a register always has its upper 32 bits clear. f32/f64 values live in float
/// registers (<see cref="Reg.IsFloat"/>), everything else in general registers; the moves, frame loads and
/// stores, memory and global accesses and <see cref="Select"/> take registers of either class (an f32 is
/// stored as its 4 bytes, an f64 as 8), and <see cref="Move"/> between classes copies the bit pattern.
/// Fixed-register needs are announced through the <c>*Clobbers</c> sets: before such an operation the
/// compiler moves every live value out of them, except the operation's own operands.
/// </remarks>
internal partial interface IMacroAssembler
{
    /// <summary>Registers the compiler may allocate to values.</summary>
    RegSet Allocatable { get; }

    /// <summary>Where a function's single result is returned (floats as their bit pattern) and where single integer values merge at labels.</summary>
    Reg ReturnRegister { get; }

    /// <summary>Where single float values merge at labels inside a function.</summary>
    Reg FloatMergeRegister { get; }

    /// <summary>
    /// A general register that holds memory 0's base in functions that called <see cref="LoadMemoryBase"/> (V8 Liftoff
    /// caches the memory start the same way). In a module with a memory the compiler allocates it to no value in
    /// any function, so calls between the module's functions keep it; calls that may enter another instance restore it.
    /// </summary>
    Reg MemoryBaseRegister { get; }

    /// <summary>At function entry: loads memory 0's base into <see cref="MemoryBaseRegister"/>, which the function's memory accesses then use.</summary>
    void LoadMemoryBase();

    /// <summary>
    /// Whether <see cref="LoadMemory"/> and <see cref="StoreMemory"/> honour <see cref="MemoryAccess.CheckedBefore"/>
    /// (no check and no trap label for such an access). The compiler sets that flag only when this is true, so an
    /// implementation that does not know it keeps checking every access.
    /// </summary>
    bool HonoursCheckedBefore => false;

    RegSet DivisionClobbers { get; }

    RegSet ShiftClobbers { get; }

    AsmLabel CreateLabel();

    void Bind(AsmLabel label);

    /// <summary>Frame offset of parameter <paramref name="index"/>.</summary>
    int ParameterOffset(int index);

    /// <summary>Frame offset of slot <paramref name="index"/> below the frame pointer (locals first, then the value stack).</summary>
    int SlotOffset(int index);

    /// <summary>Sets up the frame; its size is given later by <see cref="SetFrameSlots"/>.</summary>
    void EnterFrame();

    void SetFrameSlots(int slots);

    /// <summary>Jumps to <paramref name="trap"/> when the stack pointer is below the context's limit.</summary>
    void CheckStack(AsmLabel trap);

    /// <summary>Zeroes slots [first, first + count).</summary>
    void ZeroSlots(int first, int count);

    void LeaveFrameAndReturn();

    /// <summary>Copies a value; between a general and a float register the bit pattern moves (reinterpret).</summary>
    void Move(Reg dst, Reg src, OperandSize size);

    /// <summary>Loads an immediate; into a float register it is the value's bit pattern.</summary>
    void MoveImm(Reg dst, long imm, OperandSize size);

    void LoadFrame(Reg dst, int offset, OperandSize size);

    /// <summary>Writes a frame slot; an implementation may write all 8 bytes whatever <paramref name="size"/> (readers of a 32-bit value read the low half).</summary>
    void StoreFrame(int offset, Reg src, OperandSize size);

    void StoreFrameImm(int offset, long imm, OperandSize size);

    void CopyFrame(int dstOffset, int srcOffset, OperandSize size);

    void Binary(BinaryOp op, Reg dst, Reg lhs, RegImm rhs, OperandSize size);

    void Shift(ShiftOp op, Reg dst, Reg lhs, RegImm rhs, OperandSize size);

    void Divide(DivOp op, Reg dst, Reg lhs, Reg rhs, OperandSize size, AsmLabel divideByZero, AsmLabel overflow);

    void Unary(UnaryOp op, Reg dst, Reg src, OperandSize size);

    void Compare(Condition cond, Reg dst, Reg lhs, RegImm rhs, OperandSize size);

    void Eqz(Reg dst, Reg src, OperandSize size);

    void Extend(ExtendOp op, Reg dst, Reg src);

    /// <summary><c>dst = cond != 0 ? dst : other</c> (dst and other of one class, cond a general register).</summary>
    void Select(Reg dst, Reg other, Reg cond, OperandSize size);

    /// <summary>f32/f64 arithmetic with wasm semantics (min/max propagate NaN and order -0 below +0; copysign and abs/neg are bit operations).</summary>
    void FloatBinary(FloatBinaryOp op, Reg dst, Reg lhs, Reg rhs, OperandSize size);

    void FloatUnary(FloatUnaryOp op, Reg dst, Reg src, OperandSize size);

    /// <summary><c>dst = lhs cond rhs</c> as an i32 in a general register (false for NaN operands, except <see cref="FloatCondition.Ne"/>).</summary>
    void FloatCompare(FloatCondition cond, Reg dst, Reg lhs, Reg rhs, OperandSize size);

    /// <summary>Integer → float (src a general register) or demote/promote (src a float register); dst is a float register.</summary>
    void FloatConvert(FloatConvertOp op, Reg dst, Reg src);

    /// <summary>
    /// Float → integer truncation toward zero (src a float register, dst a general one). <paramref name="source"/> is the float's size, <paramref name="result"/> the integer's.
    /// Trapping form jumps to <paramref name="invalid"/> on NaN and to <paramref name="overflow"/> out of range; saturating form
    /// (labels unused) gives 0 for NaN and the integer bounds out of range.
    /// </summary>
    void FloatTruncate(Reg dst, Reg src, OperandSize source, OperandSize result, bool signed, bool saturating, AsmLabel invalid, AsmLabel overflow);

    void Jump(AsmLabel label);

    /// <summary>Jumps to <paramref name="label"/> when <c>lhs cond rhs</c> (a compare fused with its branch; a plain i32 condition is <c>cond != 0</c>).</summary>
    void BranchIf(Condition cond, Reg lhs, RegImm rhs, OperandSize size, AsmLabel label);

    /// <summary>
    /// Jumps to <paramref name="label"/> when <c>lhs cond rhs</c> holds for floats, or, with <paramref name="negate"/>,
    /// when it does not (NaN operands: every condition but <see cref="FloatCondition.Ne"/> is false).
    /// </summary>
    void FloatBranchIf(FloatCondition cond, bool negate, Reg lhs, Reg rhs, OperandSize size, AsmLabel label);

    /// <summary>Jumps to <c>targets[index]</c>, or to <paramref name="defaultTarget"/> when index ≥ targets.Length (unsigned).</summary>
    void JumpTable(Reg index, ReadOnlySpan<AsmLabel> targets, AsmLabel defaultTarget);

    /// <summary>Loads from linear memory 0 at address + offset (an immediate address is an i32 constant, taken unsigned).</summary>
    void LoadMemory(Reg dst, RegImm address, ulong offset, MemoryAccess access, AsmLabel outOfBounds);

    void StoreMemory(RegImm address, ulong offset, RegImm value, MemoryAccess access, AsmLabel outOfBounds);

    void MemorySize(Reg dst);

    /// <summary>
    /// Calls runtime function <paramref name="function"/> (System V: the context, then <paramref name="args"/>);
    /// every allocatable register must be free and no outgoing area reserved. The raw 64-bit result is in
    /// <see cref="ReturnRegister"/>.
    /// </summary>
    void CallBuiltin(BuiltinFunction function, ReadOnlySpan<BuiltinArg> args);

    /// <summary>Jumps to <paramref name="trap"/> when the 32-bit result of a trapping builtin (a <see cref="TrapKind"/> code or 0) is not 0.</summary>
    void BranchIfBuiltinTrapped(AsmLabel trap);

    /// <summary>Global <paramref name="index"/> (imports first): loads or stores its value, through the pointer in the slot for an imported one.</summary>
    void LoadGlobal(Reg dst, int index, OperandSize size);

    void StoreGlobal(int index, RegImm value, OperandSize size);

    /// <summary>Makes room for <paramref name="count"/> outgoing argument slots.</summary>
    void ReserveOutgoing(int count);

    void StoreOutgoing(int index, RegImm value);

    void StoreOutgoingFromFrame(int index, int frameOffset);

    /// <summary>Copies outgoing slot <paramref name="index"/> (a result the callee left there) to a frame slot.</summary>
    void LoadOutgoingToFrame(int index, int frameOffset);

    void ReleaseOutgoing(int count);

    /// <summary>Calls defined function <paramref name="definedIndex"/>; every allocatable register must be free.</summary>
    void CallFunction(int definedIndex, int wasmOffset);

    /// <summary>
    /// Calls function <paramref name="functionIndex"/> (an import) through its function reference in the
    /// context, keeping the context register at frame offset <paramref name="contextSaveOffset"/> meanwhile;
    /// every allocatable register must be free.
    /// </summary>
    void CallImport(int functionIndex, int contextSaveOffset, int wasmOffset);

    /// <summary>dst = function <paramref name="functionIndex"/>'s reference (its <see cref="FuncRefLayout"/> record pointer).</summary>
    void LoadFuncRef(Reg dst, int functionIndex);

    /// <summary>dst = current length of table <paramref name="table"/> (an i32).</summary>
    void TableSize(Reg dst, int table);

    /// <summary>dst = element <paramref name="index"/> of table <paramref name="table"/>; jumps to <paramref name="outOfBounds"/> when index ≥ length.</summary>
    void TableGet(Reg dst, Reg index, int table, AsmLabel outOfBounds);

    /// <summary>Stores <paramref name="value"/> as element <paramref name="index"/> of table <paramref name="table"/>; jumps to <paramref name="outOfBounds"/> when index ≥ length.</summary>
    void TableSet(Reg index, RegImm value, int table, AsmLabel outOfBounds);

    /// <summary>
    /// <c>call_indirect</c>: checks <paramref name="index"/> against the length of table <paramref name="table"/>,
    /// the element against null and its type id against the context's id of <paramref name="typeIndex"/> (jumping
    /// to the matching label), then calls it like <see cref="CallImport"/>. The arguments are in the outgoing
    /// area; every allocatable register but <paramref name="index"/> must be free (it is dead after the call).
    /// </summary>
    void CallIndirect(Reg index, int typeIndex, int table, int contextSaveOffset, int wasmOffset, AsmLabel undefinedElement, AsmLabel uninitializedElement, AsmLabel typeMismatch);

    /// <summary>Emits a call to the module trap stub with <paramref name="kind"/> and records the site.</summary>
    void EmitTrap(TrapKind kind, int wasmOffset);

    /// <summary>Like <see cref="EmitTrap"/> for a kind known only at run time: the trapping builtin's code is still in the return register.</summary>
    void EmitBuiltinTrap(int wasmOffset);

    /// <summary>Assembles the function.</summary>
    FunctionCode Finish();

    /// <summary>Forgets the function assembled so far, keeping the buffers, so a compile worker can assemble its next function with the same instance.</summary>
    void Reset();
}
