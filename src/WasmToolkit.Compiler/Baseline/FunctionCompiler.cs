using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using WasmToolkit.Instructions;

namespace WasmToolkit.Compiler.Baseline;

/// <summary>
/// The single-pass baseline compiler for one function (V8 Liftoff, Wasmtime Winch): walks the body
/// once with <see cref="InstructionReader"/>, keeps an abstract value stack whose entries are constants,
/// registers, lazy local reads or spilled slots, and emits code through an <see cref="IMacroAssembler"/>.
/// </summary>
/// <remarks>
/// <para>Value stack slots: the value at depth d, when spilled, always lives in frame slot
/// (declared locals + d), so spilling needs no slot allocation and merges know where values are.</para>
/// <para>Control flow: entering a block, loop or if spills every register and lazy local read below the
/// block's parameters (Winch does the same), so below a label's base every entry is a constant or a
/// spilled slot and stays so on every path. A label's arity values merge in the return register when
/// there is one value, in the canonical slots of their depths when there are more. Branches move
/// values only on the taken path.</para>
/// <para>Locals may be cached in registers besides their slots (written through, so a copy is dropped
/// without a store); calls drop the copies, block and if ends keep those every path agrees on, loop headers keep theirs and
/// every back edge restores them (docs/x64-backend.md, "Locals cached in registers").</para>
/// <para>Everything is deterministic: registers are chosen lowest-number first and the oldest register
/// value is spilled first.</para>
/// </remarks>
// No zeroing of every frame's locals on entry: the per-instruction methods run millions of times per module, and their
// frames were zeroed for struct temporaries each time (C# definite assignment still holds; the runtime still zeroes
// locals holding references, so copies of an InstructionReader stay in the rarely taken helpers).
[SkipLocalsInit]
internal sealed partial class FunctionCompiler
{
    private enum EntryKind : byte
    {
        Const,
        Reg,
        Local,
        Spilled,
    }

    private struct Entry
    {
        public EntryKind Kind;
        public OperandSize Size;

        /// <summary>An f32/f64 value: in a float register when <see cref="EntryKind.Reg"/>.</summary>
        public bool Float;
        public Reg Reg;
        public long Const;
        public int Local;

        /// <summary>
        /// For a <see cref="EntryKind.Reg"/> value left by <c>local.tee</c>: that local plus one (0: none), and the
        /// local's <see cref="_localVersion"/> then; while the version is unchanged the value is the local's.
        /// </summary>
        public int TeeOf;
        public int TeeVersion;
    }

    private enum ControlKind : byte
    {
        Function,
        Block,
        Loop,
        If,
    }

    /// <summary>Locals cached in registers on the paths into a label: register bits and, per register code, its local.</summary>
    private sealed class CacheState
    {
        public bool Set;
        public ulong Bits;
        public readonly int[] Locals = new int[64];
    }

    private sealed class Control
    {
        public ControlKind Kind;
        public int Base;
        public ImmutableArray<ValType> Params;
        public ImmutableArray<ValType> Results;
        public AsmLabel Label;
        public AsmLabel Else;
        public bool ElseSeen;
        public bool LabelUsed;

        /// <summary>For an <c>if</c> with parameters: first hidden slot holding copies of them for the else arm.</summary>
        public int SaveSlot;

        /// <summary>For a loop: the locals cached in registers at its header; every back edge puts them there again.</summary>
        public ReadOnlySpan<(int Local, Reg Reg)> LoopCache => _loopCache.AsSpan(0, LoopCacheCount);

        /// <summary>Entries of <see cref="LoopCache"/>; -1 when this control is not a loop (or its header is not bound yet).</summary>
        public int LoopCacheCount = -1;

        /// <summary>Room for <see cref="LoopCache"/>, kept with the pooled control (a register set has at most 64 registers).</summary>
        private readonly (int Local, Reg Reg)[] _loopCache = new (int, Reg)[64];

        /// <summary>Records the locals cached now (<paramref name="cached"/>, <paramref name="regLocal"/>) as the loop header's.</summary>
        public void SetLoopCache(RegSet cached, int[] regLocal)
        {
            var n = 0;
            for (var bits = cached.Bits; bits != 0; bits &= bits - 1)
            {
                var code = System.Numerics.BitOperations.TrailingZeroCount(bits);
                _loopCache[n++] = (regLocal[code], new Reg(code));
            }

            LoopCacheCount = n;
        }

        /// <summary>For a loop: where its most read locals (the look-ahead's choice) are in the function's chosen-locals list; they are kept over other cached locals when registers run out.</summary>
        public int LoopLocalsStart;

        /// <summary>How many <see cref="LoopLocalsStart"/> names; 0 for other controls.</summary>
        public int LoopLocalsCount;

        /// <summary>For a block or if: the locals cached on every path that reached its end label so far.</summary>
        public readonly CacheState AtLabel = new();

        /// <summary>For an if: the locals cached when it jumped to its else arm (or to its end, without one).</summary>
        public readonly CacheState AtElse = new();

        public ImmutableArray<ValType> BranchTypes => Kind == ControlKind.Loop ? Params : Results;
    }

    // Per function (set by Reset): a compile worker keeps one FunctionCompiler, with its lists and buffers, for all
    // its functions instead of allocating them per function (measured: ~20 MB less garbage on a 5 MB module).
    private readonly IMacroAssembler _m;
    private Module _module = null!;
    private FunctionDefinition _function = null!;
    private FuncType _type = null!;

    /// <summary>The value stack: entries [0, <see cref="_stackCount"/>) (an array and a count: push and pop were a List's bounds checks and RemoveAt).</summary>
    private Entry[] _stack = new Entry[64];
    private int _stackCount;
    private readonly List<Control> _controls = new();
    /// <summary>Marks a trap site in <see cref="_trapSites"/> whose kind comes from a builtin at run time (no <see cref="TrapKind"/> is 0).</summary>
    private const TrapKind BuiltinTrapKind = 0;

    private readonly List<(AsmLabel Label, TrapKind Kind, int Offset)> _trapSites = new();
    private readonly List<uint> _brTargets = new();
    private readonly Dictionary<int, int> _ifSaveSlots = new();

    private OperandSize[] _localSizes = new OperandSize[16];
    private bool[] _localFloat = new bool[16];

    /// <summary>Per local, counts its writes, so a value a <c>local.tee</c> left on the stack knows whether it is still the local's.</summary>
    private int[] _localVersion = new int[16];

    /// <summary>
    /// Per local, the end (offset + width) up to which its current value passed a memory bounds check, valid when its
    /// <see cref="_checkedEpoch"/> is <see cref="_checkEpoch"/>: a later access through the same value ending no further
    /// needs no check (memories never shrink). A write to the local forgets it; so does every label, where other paths join.
    /// </summary>
    private ulong[] _checkedEnd = new ulong[16];
    private int[] _checkedEpoch = new int[16];
    private int _checkEpoch;
    private int _localCount;
    private int _paramCount;
    private int _declaredLocals;
    private int _hiddenSlots;

    /// <summary>Controls popped earlier, reused by <see cref="NewControl"/> (a control is never used after a new one is pushed in its place).</summary>
    private readonly List<Control> _controlPool = new();

    /// <summary>Label buffer for <c>br_table</c>.</summary>
    private AsmLabel[] _brLabels = new AsmLabel[16];

    /// <summary>Hidden slot where calls through a function reference keep the context register, or -1.</summary>
    private int _contextSaveSlot = -1;
    private RegSet _free;

    /// <summary>The registers values may use in this function (the macro-assembler's, less the memory base register in a module with a memory).</summary>
    private RegSet _allocatable;

    /// <summary>Bytes memory 0 always has (its declared minimum), for <see cref="MemoryAccess.KnownInBounds"/>; computed once per module.</summary>
    private ulong _memoryMinimumBytes;
    private Module? _memoryMinimumOf;

    /// <summary>Whether the body loads or stores linear memory (found by the look-ahead scan): its prologue loads the memory base register.</summary>
    private bool _usesMemoryBase;

    /// <summary>
    /// Registers caching a local (V8 Liftoff keeps locals in registers the same way): <see cref="_regLocal"/>
    /// maps each to its local. Locals are written through to their slots, so dropping a cached copy needs no
    /// store. Cached registers are neither free nor on the stack; the allocator drops them before it spills.
    /// </summary>
    private RegSet _cached;

    /// <summary>Cached registers lent to the current instruction as read-only operands; the allocator leaves them alone.</summary>
    private RegSet _pinned;
    private readonly int[] _regLocal = new int[64];

    /// <summary>
    /// Per local, the code plus one of the register that last became its cached copy (<see cref="Cache"/>, <see cref="AdoptCache"/>):
    /// a local is cached in one register at most, so the lookup checks that one instead of walking the cached registers.
    /// Entries are not cleared when a copy is dropped (nor between functions): <see cref="TryCachedLocalOutside"/> checks
    /// the register against <see cref="_cached"/> and <see cref="_regLocal"/>.
    /// </summary>
    private byte[] _localReg = new byte[16];

    /// <summary>Per parameter, its first slot in the caller's area (<see cref="ValueSlots.Position"/>: a v128 takes two).</summary>
    private int[] _paramSlots = new int[16];

    /// <summary>Machine slots per compiler slot: 1, or 2 in a function that may hold a v128 value (16-byte locals and stack slots).</summary>
    private int _slotWidth = 1;

    /// <summary>Whether a type or a global of the current module mentions v128 (then every function gets 16-byte slots).</summary>
    private bool _moduleHasV128;
    private int _maxDepth;
    private bool _reachable = true;
    private int _deadDepth;
    private int _offset;

    /// <summary>A compiler emitting through <paramref name="masm"/>; <see cref="Compile(Module, FunctionDefinition, FuncType, out int, out int, out int)"/> compiles one function after another.</summary>
    public FunctionCompiler(IMacroAssembler masm)
    {
        _m = masm;
    }

    /// <summary>Forgets the previous function: every field that shapes the output starts as in a new instance.</summary>
    private void Reset(Module module, FunctionDefinition function, FuncType type)
    {
        _module = module;
        _function = function;
        _type = type;
        _stackCount = 0;
        _controls.Clear();
        _currentBase = 0;
        _trapSites.Clear();
        _brTargets.Clear();
        _ifSaveSlots.Clear();
        _cached = RegSet.Empty;
        _pinned = RegSet.Empty;
        _hiddenSlots = 0;
        _contextSaveSlot = -1;
        _maxDepth = 0;
        _reachable = true;
        _deadDepth = 0;
        _offset = 0;
        Spills = 0;
        Instructions = 0;
        _usesMemoryBase = false;
        if (!ReferenceEquals(_memoryMinimumOf, module))
        {
            _memoryMinimumOf = module;
            _memoryMinimumBytes = MemoryMinimumBytes(module);
            _functionTypes = FunctionTypes(module);
            _globalTypes = GlobalTypes(module);
            _moduleHasV128 = HasV128Types(module, _globalTypes);
        }

        // In a module with a memory no function allocates the memory base register, so direct calls keep it.
        _allocatable = module.TotalMemoryCount > 0 ? _m.Allocatable.Remove(_m.MemoryBaseRegister) : _m.Allocatable;
        _free = _allocatable;
        _paramCount = type.Parameters.Length;

        ulong declared = function.LocalCount;
        if ((ulong)_paramCount + declared > WasmLimits.MaxFunctionLocals) throw CompileFailure.Invalid("too many locals");
        _declaredLocals = (int)declared;
        _localCount = _paramCount + _declaredLocals;
        if (_localSizes.Length < _localCount)
        {
            _localSizes = new OperandSize[Math.Max(_localCount, _localSizes.Length * 2)];
            _localFloat = new bool[_localSizes.Length];
            _localVersion = new int[_localSizes.Length];
            _checkedEnd = new ulong[_localSizes.Length];
            _checkedEpoch = new int[_localSizes.Length];
            _localReg = new byte[_localSizes.Length];
            _paramSlots = new int[_localSizes.Length];
        }

        Array.Clear(_localVersion, 0, _localCount);
        Array.Clear(_checkedEpoch, 0, _localCount);
        _checkEpoch = 1;

        var i = 0;
        var slot = 0;
        foreach (var p in type.Parameters)
        {
            _paramSlots[i] = slot;
            slot += ValueSlots.Width(p);
            _localFloat[i] = IsFloat(p);
            _localSizes[i++] = SizeOf(p, "parameter");
        }

        // Slots are 16 bytes in a function that may hold a v128 value: one of the module's types or globals has one,
        // a local is one, or the look-ahead finds a SIMD instruction (ScanIfParameters sets it then).
        _slotWidth = _moduleHasV128 ? 2 : 1;
        foreach (var g in function.Locals)
        {
            if (g.Type.Kind == ValTypeKind.V128) _slotWidth = 2;
            var size = SizeOf(g.Type, "local");
            var isFloat = IsFloat(g.Type);
            for (var n = 0u; n < g.Count; n++)
            {
                _localFloat[i] = isFloat;
                _localSizes[i++] = size;
            }
        }

        foreach (var r in type.Results) SizeOf(r, "result");
    }

    /// <summary>Drops the references to the last module compiled, so a compiler kept for later compilations does not keep it alive.</summary>
    public void Forget()
    {
        _module = null!;
        _function = null!;
        _type = null!;
        _memoryMinimumOf = null;
        _functionTypes = [];
        _globalTypes = [];
    }

    /// <summary>Whether the look-ahead tries <see cref="TryScanFast"/> before the reader (tests compare the two).</summary>
    internal bool FastLookAhead { get; init; } = true;

    public int Spills { get; private set; }

    public int Instructions { get; private set; }

    /// <summary>Compiles one function; throws <see cref="CompileFailure"/> with the offset in <paramref name="failureOffset"/>.</summary>
    public static FunctionCode Compile(IMacroAssembler masm, Module module, FunctionDefinition function, FuncType type, out int spills, out int instructions, out int failureOffset)
        => new FunctionCompiler(masm).Compile(module, function, type, out spills, out instructions, out failureOffset);

    /// <summary>Compiles one function with this instance's buffers (the macro-assembler must have been reset); throws <see cref="CompileFailure"/> with the offset in <paramref name="failureOffset"/>.</summary>
    public FunctionCode Compile(Module module, FunctionDefinition function, FuncType type, out int spills, out int instructions, out int failureOffset)
    {
        failureOffset = function.CodeOffset;
        var compiler = this;
        Reset(module, function, type);
        try
        {
            var code = compiler.Run();
            spills = compiler.Spills;
            instructions = compiler.Instructions;
            return code;
        }
        catch (CompileFailure)
        {
            failureOffset = compiler._offset;
            throw;
        }
    }

    /// <summary>Code for a function that was not compiled: it traps with <see cref="TrapKind.UnsupportedFunction"/> at once.</summary>
    public static FunctionCode CompileUnsupportedStub(IMacroAssembler masm, int wasmOffset)
    {
        masm.EmitTrap(TrapKind.UnsupportedFunction, wasmOffset);
        return masm.Finish();
    }

    private OperandSize SizeOf(ValType t, string what) => t.Kind switch
    {
        ValTypeKind.I32 => OperandSize.S32,
        ValTypeKind.I64 => OperandSize.S64,

        // Floats live in float registers (IsFloat), f32 in 4 bytes of a slot, f64 in 8.
        ValTypeKind.F32 => OperandSize.S32,
        ValTypeKind.F64 => OperandSize.S64,

        // References are opaque 64-bit values: a FuncRefLayout record pointer or a runtime handle, null = 0.
        ValTypeKind.Ref => OperandSize.S64,

        // v128 values live in float/vector registers, 16 bytes in frames (see _slotWidth).
        ValTypeKind.V128 when _m.SupportsSimd => OperandSize.S128,
        _ => throw CompileFailure.Unsupported($"{what} type {t}"),
    };

    /// <summary>
    /// Per function (imported or defined), its type, or null for a bad type index: <see cref="Module.GetFunctionType"/> walks
    /// the imports for each call of an import and goes through a nullable type index for the others, per call. Computed
    /// once per module, like <see cref="_memoryMinimumBytes"/>.
    /// </summary>
    private FuncType?[] _functionTypes = [];

    /// <summary>Per global (imported or defined), its type; null where <see cref="Module.GetGlobalType"/> is (it walks the imports per access of an import).</summary>
    private GlobalType?[] _globalTypes = [];

    private static FuncType?[] FunctionTypes(Module module)
    {
        // One walk over the imports, with GetFunctionType's mapping of a type index.
        var types = new FuncType?[module.TotalFunctionCount];
        var imported = module.ImportedFunctionCount;
        var n = 0;
        foreach (var import in module.Imports)
        {
            if (import.Kind != ExternalKind.Function || n == imported) continue;
            types[n++] = TypeAt(module, import.FunctionType);
        }

        for (var i = 0; i < module.Functions.Length; i++) types[imported + i] = TypeAt(module, module.Functions[i].Type);
        return types;
    }

    private static FuncType? TypeAt(Module module, TypeIndex t) => t.Value < (uint)module.Types.Length ? module.Types[(int)t.Value] : null;

    private static bool HasV128Types(Module module, GlobalType?[] globalTypes)
    {
        foreach (var t in module.Types)
        {
            if (ValueSlots.HasV128(t)) return true;
        }

        foreach (var g in globalTypes)
        {
            if (g is { ValueType.Kind: ValTypeKind.V128 }) return true;
        }

        return false;
    }

    private static GlobalType?[] GlobalTypes(Module module)
    {
        var types = new GlobalType?[module.TotalGlobalCount];
        var imported = module.ImportedGlobalCount;
        var n = 0;
        foreach (var import in module.Imports)
        {
            if (import.Kind != ExternalKind.Global || n == imported) continue;
            types[n++] = import.Global;
        }

        for (var i = 0; i < module.Globals.Length; i++) types[imported + i] = module.Globals[i].Type;
        return types;
    }

    /// <summary>Memory 0's declared minimum in bytes (0 without a memory), capped at 4 GiB.</summary>
    private static ulong MemoryMinimumBytes(Module module)
    {
        ulong pages = 0;
        if (module.ImportedMemoryCount > 0)
        {
            foreach (var import in module.Imports)
            {
                if (import.Kind != ExternalKind.Memory) continue;
                pages = import.Memory.Limits.Minimum;
                break;
            }
        }
        else if (module.Memories.Length > 0)
        {
            pages = module.Memories[0].Type.Limits.Minimum;
        }

        return Math.Min(pages, 65536UL) * MemoryType.PageSize;
    }

    /// <summary>Whether a constant address's access lies below memory 0's declared minimum, so it needs no bounds check.</summary>
    private bool KnownInBounds(RegImm address, ulong offset, int width)
        => address.IsImm && (ulong)(uint)address.Imm + offset + (ulong)width <= _memoryMinimumBytes;

    /// <summary>The local whose current value the stack entry <paramref name="fromTop"/> holds (a lazy read, or a value a <c>local.tee</c> left), or -1.</summary>
    private int ValueLocal(int fromTop)
    {
        var e = Peek(fromTop);
        if (e.Kind == EntryKind.Local) return e.Local;
        if (e.Kind == EntryKind.Reg && e.TeeOf > 0 && _localVersion[e.TeeOf - 1] == e.TeeVersion) return e.TeeOf - 1;
        return -1;
    }

    /// <summary>Whether <paramref name="local"/>'s current value already passed a bounds check reaching <paramref name="end"/>.</summary>
    private bool CheckedBefore(int local, ulong end)
        => local >= 0 && _checkedEpoch[local] == _checkEpoch && _checkedEnd[local] >= end && _m.HonoursCheckedBefore;

    /// <summary>Records that <paramref name="local"/>'s current value passed a bounds check reaching <paramref name="end"/> (no-op for -1).</summary>
    private void NoteChecked(int local, ulong end)
    {
        if (local < 0) return;
        if (_checkedEpoch[local] == _checkEpoch && _checkedEnd[local] >= end) return;
        _checkedEpoch[local] = _checkEpoch;
        _checkedEnd[local] = end;
    }

    /// <summary>A local is written: values a <c>local.tee</c> left no longer stand for it, and its bounds checks are forgotten.</summary>
    private void NoteLocalWritten(int local)
    {
        _localVersion[local]++;
        _checkedEpoch[local] = 0;
    }

    /// <summary>Binds a label of the wasm control flow: other paths join there, so bounds checks seen on this one are forgotten.</summary>
    private void BindJoin(AsmLabel label)
    {
        _checkEpoch++;
        _m.Bind(label);
    }

    /// <summary>Whether values of type <paramref name="t"/> live in float registers.</summary>
    /// <summary>Whether values of type <paramref name="t"/> live in float registers: f32, f64 and v128.</summary>
    private static bool IsFloat(ValType t) => t.Kind is ValTypeKind.F32 or ValTypeKind.F64 or ValTypeKind.V128;

    private FunctionCode Run()
    {
        _offset = _function.CodeOffset;
        ScanIfParameters();
        _m.EnterFrame();
        _m.CheckStack(NewTrap(TrapKind.CallStackExhausted));
        if (_usesMemoryBase) _m.LoadMemoryBase();
        _m.ZeroSlots(0, _declaredLocals * _slotWidth);
        var function = NewControl();
        function.Kind = ControlKind.Function;
        function.Base = 0;
        function.Params = ImmutableArray<ValType>.Empty;
        function.Results = _type.Results;
        function.Label = _m.CreateLabel();
        PushControl(function);

        var reader = _function.GetInstructionReader();
        while (_controls.Count > 0 && reader.Read())
        {
            _offset = reader.InstructionOffset;
            Instructions++;
            if (_reachable) Emit(ref reader);
            else SkipDead(reader.Opcode);
        }

        if (reader.ErrorDescriptor is not null) throw CompileFailure.Invalid("malformed instruction");
        if (_controls.Count > 0) throw CompileFailure.Invalid("function body does not end with end");
        if (!reader.IsAtEnd) throw CompileFailure.Invalid("bytes after the function's final end");

        foreach (var (label, kind, offset) in _trapSites)
        {
            _m.Bind(label);
            if (kind == BuiltinTrapKind) _m.EmitBuiltinTrap(offset);
            else _m.EmitTrap(kind, offset);
        }

        _m.SetFrameSlots((_declaredLocals + _hiddenSlots + _maxDepth) * _slotWidth);
        return _m.Finish();
    }

    /// <summary>The control for depth <c>_controls.Count</c>, reused from an earlier function or block, with every field cleared.</summary>
    private Control NewControl()
    {
        var depth = _controls.Count;
        if (depth == _controlPool.Count) _controlPool.Add(new Control());
        var control = _controlPool[depth];
        control.Kind = default;
        control.Base = 0;
        control.Params = default;
        control.Results = default;
        control.Label = default;
        control.Else = default;
        control.ElseSeen = false;
        control.LabelUsed = false;
        control.SaveSlot = 0;
        control.LoopCacheCount = -1;
        control.LoopLocalsCount = 0;
        control.AtLabel.Set = false;
        control.AtElse.Set = false;
        return control;
    }

    private AsmLabel NewTrap(TrapKind kind)
    {
        var label = _m.CreateLabel();
        _trapSites.Add((label, kind, _offset));
        return label;
    }

    /// <summary>A trap site whose kind is a trapping builtin's result, known only at run time.</summary>
    private AsmLabel NewBuiltinTrap() => NewTrap(BuiltinTrapKind);

    // ---- value stack -------------------------------------------------------------------------

    private int LocalOffset(int index)
        => index < _paramCount ? _m.ParameterOffset(_paramSlots[index]) : FrameSlotOffset(index - _paramCount);

    private int StackSlotOffset(int depth) => FrameSlotOffset(_declaredLocals + _hiddenSlots + depth);

    private int HiddenSlotOffset(int index) => FrameSlotOffset(_declaredLocals + index);

    /// <summary>
    /// Frame offset of the compiler's slot <paramref name="slot"/> (locals, hidden slots, value stack): the macro-assembler's
    /// 8-byte slot of that number, or in a function that may hold v128 values the lower half of a pair of them.
    /// </summary>
    private int FrameSlotOffset(int slot) => _m.SlotOffset((slot * _slotWidth) + _slotWidth - 1);

    private OperandSize LocalSize(uint index)
    {
        if (index >= (uint)_localCount) throw CompileFailure.Invalid("unknown local " + index);
        return _localSizes[index];
    }

    private void Push(Entry e)
    {
        if (_stackCount == _stack.Length) Array.Resize(ref _stack, _stack.Length * 2);
        _stack[_stackCount++] = e;
        if (_stackCount > _maxDepth) _maxDepth = _stackCount;
    }

    private void PushReg(Reg r, OperandSize size) => Push(new Entry { Kind = EntryKind.Reg, Reg = r, Size = size, Float = r.IsFloat });

    private void PushConst(long value, OperandSize size, bool isFloat = false) => Push(new Entry { Kind = EntryKind.Const, Const = value, Size = size, Float = isFloat });

    private Control Current => _controls[_controls.Count - 1];

    /// <summary><see cref="Current"/>'s <see cref="Control.Base"/> (0 with no control): every pop and peek checks it.</summary>
    private int _currentBase;

    private void PushControl(Control control)
    {
        _controls.Add(control);
        _currentBase = control.Base;
    }

    private void PopControl()
    {
        _controls.RemoveAt(_controls.Count - 1);
        _currentBase = _controls.Count > 0 ? Current.Base : 0;
    }

    // Pops and peeks are inlined into the per-instruction methods; their failure is a call out of line.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Entry PopEntry()
    {
        if (_stackCount <= _currentBase) ThrowStackUnderflow();
        return _stack[--_stackCount];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref readonly Entry Peek(int fromTop = 0)
    {
        if (_stackCount - fromTop <= _currentBase) ThrowStackUnderflow();
        return ref _stack[_stackCount - 1 - fromTop];
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowStackUnderflow() => throw CompileFailure.Invalid("value stack underflow");

    /// <summary>A free general register (or float register, <paramref name="isFloat"/>), dropping a cached local or spilling when none is.</summary>
    private Reg Alloc(bool isFloat = false) => AllocExcept(RegSet.Empty, isFloat);

    private Reg AllocExcept(RegSet avoid, bool isFloat = false)
    {
        // Registers of the other class are never candidates.
        avoid = new RegSet(avoid.Bits | _pinned.Bits | ~RegSet.Class(isFloat).Bits);
        var candidates = _free.Except(avoid);
        while (candidates.IsEmpty)
        {
            var droppable = _cached.Except(avoid);
            if (!droppable.IsEmpty) Uncache(LeastWantedCached(droppable));
            else SpillOldestRegister(avoid);
            candidates = _free.Except(avoid);
        }

        var r = candidates.First;
        _free = _free.Remove(r);
        return r;
    }

    /// <summary>Of <paramref name="droppable"/> (cached locals' registers), one whose local the innermost loop does not keep at its header, else the first.</summary>
    private Reg LeastWantedCached(RegSet droppable)
    {
        for (var i = _controls.Count - 1; i >= 0; i--)
        {
            if (_controls[i].Kind != ControlKind.Loop) continue;
            var loop = _controls[i];
            if (loop.LoopLocalsCount == 0) break;
            var wanted = _chosenLocals.AsSpan(loop.LoopLocalsStart, loop.LoopLocalsCount);
            for (var rest = droppable; !rest.IsEmpty; rest = rest.Remove(rest.First))
            {
                if (wanted.IndexOf(_regLocal[rest.First.Code]) < 0) return rest.First;
            }

            break;
        }

        return droppable.First;
    }

    private void Take(Reg r)
    {
        if (!_free.Contains(r)) throw new CompileFailure(CompileErrorKind.Internal, $"register {r} is not free");
        _free = _free.Remove(r);
    }

    private void Free(Reg r) => _free = _free.Add(r);

    // ---- locals cached in registers ------------------------------------------------------------

    private bool TryCachedLocal(int local, out Reg reg) => TryCachedLocalOutside(local, RegSet.Empty, out reg);

    /// <summary>Makes <paramref name="reg"/> (owned by the caller, holding the local's current value) the local's cached copy.</summary>
    private void Cache(int local, Reg reg)
    {
        UncacheLocal(local);
        _regLocal[reg.Code] = local;
        _localReg[local] = (byte)(reg.Code + 1);
        _cached = _cached.Add(reg);
    }

    private void Uncache(Reg reg)
    {
        _cached = _cached.Remove(reg);
        Free(reg);
    }

    private void UncacheLocal(int local)
    {
        if (TryCachedLocal(local, out var reg)) Uncache(reg);
    }

    /// <summary>Forgets every cached local (at labels other paths reach, and before calls).</summary>
    private void DropCache()
    {
        _free = new RegSet(_free.Bits | _cached.Bits);
        _cached = RegSet.Empty;
    }

    /// <summary>Intersects <paramref name="state"/> with the locals cached now (less <paramref name="clobbered"/>): a path into a label.</summary>
    private void NoteCache(CacheState state, RegSet clobbered)
    {
        var bits = _cached.Bits & ~clobbered.Bits;
        if (!state.Set)
        {
            state.Set = true;
            state.Bits = bits;
            for (var b = bits; b != 0; b &= b - 1) state.Locals[System.Numerics.BitOperations.TrailingZeroCount(b)] = _regLocal[System.Numerics.BitOperations.TrailingZeroCount(b)];
            return;
        }

        var keep = state.Bits & bits;
        for (var b = keep; b != 0; b &= b - 1)
        {
            var code = System.Numerics.BitOperations.TrailingZeroCount(b);
            if (state.Locals[code] != _regLocal[code]) keep &= ~(1UL << code);
        }

        state.Bits = keep;
    }

    /// <summary>Intersects <paramref name="into"/> with another set of paths into the same label.</summary>
    private static void JoinCache(CacheState into, CacheState from)
    {
        if (!from.Set) return;
        if (!into.Set)
        {
            into.Set = true;
            into.Bits = from.Bits;
            Array.Copy(from.Locals, into.Locals, from.Locals.Length);
            return;
        }

        var keep = into.Bits & from.Bits;
        for (var b = keep; b != 0; b &= b - 1)
        {
            var code = System.Numerics.BitOperations.TrailingZeroCount(b);
            if (into.Locals[code] != from.Locals[code]) keep &= ~(1UL << code);
        }

        into.Bits = keep;
    }

    /// <summary>
    /// A branch to <paramref name="target"/>'s label (after its merge moves): a block's or if's end keeps the locals
    /// cached in the same register on every path into it (Liftoff merges its cache state the same way). Loops
    /// restore their own header cache instead; the function's end returns.
    /// </summary>
    private void NoteBranch(Control target)
    {
        if (target.Kind is ControlKind.Loop or ControlKind.Function) return;
        var clobbered = target.BranchTypes.Length == 1 ? RegSet.Of(MergeRegister(target, target.BranchTypes[0])) : RegSet.Empty;
        NoteCache(target.AtLabel, clobbered);
    }

    /// <summary>At a label, after the stack was reset to the label's base: the locals cached on every path into it.</summary>
    private void AdoptCache(CacheState state)
    {
        var bits = state.Set ? state.Bits : 0;
        for (var b = bits; b != 0; b &= b - 1)
        {
            var code = System.Numerics.BitOperations.TrailingZeroCount(b);
            var local = state.Locals[code];
            _regLocal[code] = local;
            if ((uint)local < (uint)_localReg.Length) _localReg[local] = (byte)(code + 1);
        }

        _cached = new RegSet(bits);
        ResetStack(_stackCount, keepCache: true);
    }

    private Reg? InnermostLoopRegister(int local)
    {
        for (var i = _controls.Count - 1; i >= 0; i--)
        {
            if (_controls[i].Kind != ControlKind.Loop) continue;
            foreach (var (l, reg) in _controls[i].LoopCache)
            {
                if (l == local) return reg;
            }

            return null;
        }

        return null;
    }

    /// <summary>Whether a branch to <paramref name="target"/> must load registers to match its loop header.</summary>
    private bool NeedsLoopCacheRestore(Control target)
    {
        if (target.LoopCacheCount <= 0) return false;
        foreach (var (local, reg) in target.LoopCache)
        {
            if (!_cached.Contains(reg) || _regLocal[reg.Code] != local) return true;
        }

        return false;
    }

    /// <summary>
    /// On a back edge, after the merge moves: puts each of the loop header's cached locals into its header register,
    /// by a register move when the local is cached in another register (a parallel move: each move waits until no other
    /// still reads its destination; a cycle is broken by loading one local from its slot instead, which is always
    /// current), else by a load from its slot. Loads come last, since they read no register.
    /// </summary>
    /// <remarks>
    /// Why moves matter: a loop-carried value reloaded from the slot it was just stored to puts a store-to-load forward
    /// (about five cycles on x64) on the loop's critical path every iteration.
    /// </remarks>
    private void RestoreLoopCache(Control target)
    {
        if (target.LoopCacheCount < 0) return;

        // A single merged value was just written to the merge register, whatever it cached: never a source.
        var stale = target.BranchTypes.Length == 1 ? RegSet.Of(MergeRegister(target, target.BranchTypes[0])) : RegSet.Empty;
        _restoreMoves.Clear();
        _restoreLoads.Clear();
        foreach (var (local, reg) in target.LoopCache)
        {
            if (_cached.Contains(reg) && _regLocal[reg.Code] == local) continue;
            if (TryCachedLocalOutside(local, stale, out var source)) _restoreMoves.Add((reg, source, local));
            else _restoreLoads.Add((reg, local));
        }

        while (_restoreMoves.Count > 0)
        {
            var progressed = false;
            for (var i = 0; i < _restoreMoves.Count; i++)
            {
                var (dst, src, local) = _restoreMoves[i];
                if (IsRestoreSource(dst, except: i)) continue;
                _m.Move(dst, src, _localSizes[local]);
                _restoreMoves.RemoveAt(i);
                progressed = true;
                break;
            }

            if (progressed) continue;

            // Every remaining destination is still read by another move: a cycle. Load one of them from its slot at the end.
            var (cycleDst, _, cycleLocal) = _restoreMoves[0];
            _restoreMoves.RemoveAt(0);
            _restoreLoads.Add((cycleDst, cycleLocal));
        }

        foreach (var (dst, local) in _restoreLoads) _m.LoadFrame(dst, LocalOffset(local), _localSizes[local]);
    }

    private readonly List<(Reg Dst, Reg Src, int Local)> _restoreMoves = new();
    private readonly List<(Reg Dst, int Local)> _restoreLoads = new();

    private bool IsRestoreSource(Reg reg, int except)
    {
        for (var j = 0; j < _restoreMoves.Count; j++)
        {
            if (j != except && _restoreMoves[j].Src == reg) return true;
        }

        return false;
    }

    /// <summary>A register caching <paramref name="local"/>, other than those in <paramref name="exclude"/>.</summary>
    private bool TryCachedLocalOutside(int local, RegSet exclude, out Reg reg)
    {
        if ((uint)local < (uint)_localReg.Length)
        {
            // The one register that can cache the local (see _localReg); still its copy if cached and mapped to it.
            var code = _localReg[local] - 1;
            if (code >= 0 && (_cached.Except(exclude).Bits & (1UL << code)) != 0 && _regLocal[code] == local)
            {
                reg = new Reg(code);
                return true;
            }

            reg = default;
            return false;
        }

        for (var bits = _cached.Except(exclude).Bits; bits != 0; bits &= bits - 1)
        {
            var code = System.Numerics.BitOperations.TrailingZeroCount(bits);
            if (_regLocal[code] == local)
            {
                reg = new Reg(code);
                return true;
            }
        }

        reg = default;
        return false;
    }

    private void SpillOldestRegister(RegSet avoid)
    {
        for (var i = 0; i < _stackCount; i++)
        {
            if (_stack[i].Kind == EntryKind.Reg && !avoid.Contains(_stack[i].Reg))
            {
                Spill(i);
                return;
            }
        }

        throw new CompileFailure(CompileErrorKind.Internal, "no register to spill");
    }

    /// <summary>Writes entry <paramref name="i"/> to its canonical slot (registers and lazy local reads).</summary>
    private void Spill(int i)
    {
        var e = _stack[i];
        switch (e.Kind)
        {
            case EntryKind.Reg:
                _m.StoreFrame(StackSlotOffset(i), e.Reg, e.Size);
                Free(e.Reg);
                break;
            case EntryKind.Local:
                if (TryCachedLocal(e.Local, out var cached)) _m.StoreFrame(StackSlotOffset(i), cached, e.Size);
                else _m.CopyFrame(StackSlotOffset(i), LocalOffset(e.Local), e.Size);
                break;
            default:
                return;
        }

        Spills++;
        _stack[i] = new Entry { Kind = EntryKind.Spilled, Size = e.Size, Float = e.Float };
    }

    /// <summary>Spills registers and lazy local reads of entries [0, limit).</summary>
    private void SpillBelow(int limit)
    {
        for (var i = 0; i < limit; i++) Spill(i);
    }

    /// <summary>Spills the registers of entries [0, limit) (calls clobber every register; locals stay lazy).</summary>
    private void SpillRegistersBelow(int limit)
    {
        for (var i = 0; i < limit; i++)
        {
            if (_stack[i].Kind == EntryKind.Reg) Spill(i);
        }
    }

    /// <summary>Moves every stack value out of <paramref name="regs"/> (the popped operands are not on the stack).</summary>
    private void Evict(RegSet regs)
    {
        var cachedThere = new RegSet(_cached.Bits & regs.Bits);
        while (!cachedThere.IsEmpty)
        {
            Uncache(cachedThere.First);
            cachedThere = cachedThere.Remove(cachedThere.First);
        }

        for (var i = 0; i < _stackCount; i++)
        {
            var e = _stack[i];
            if (e.Kind != EntryKind.Reg || !regs.Contains(e.Reg)) continue;
            var candidates = _free.Intersect(RegSet.Class(e.Reg.IsFloat)).Except(regs);
            if (candidates.IsEmpty)
            {
                Spill(i);
                continue;
            }

            var r = candidates.First;
            _free = _free.Remove(r);
            _m.Move(r, e.Reg, OperandSize.S64);
            Free(e.Reg);
            e.Reg = r;
            _stack[i] = e;
        }
    }

    /// <summary>Pops the top value into a register the caller then owns.</summary>
    private Reg PopReg()
    {
        var depth = _stackCount - 1;
        var e = PopEntry();
        return Materialize(e, depth);
    }

    private Reg Materialize(Entry e, int depth)
    {
        switch (e.Kind)
        {
            case EntryKind.Reg:
                return e.Reg;
            case EntryKind.Const:
            {
                var r = Alloc(e.Float);
                _m.MoveImm(r, e.Const, e.Size);
                return r;
            }

            case EntryKind.Local:
            {
                if (TryCachedLocal(e.Local, out var cached))
                {
                    var copy = AllocExcept(RegSet.Of(cached), e.Float);
                    _m.Move(copy, cached, e.Size);
                    return copy;
                }

                var r = Alloc(e.Float);
                _m.LoadFrame(r, LocalOffset(e.Local), e.Size);
                return r;
            }

            default:
            {
                var r = Alloc(e.Float);
                _m.LoadFrame(r, StackSlotOffset(depth), e.Size);
                return r;
            }
        }
    }

    /// <summary>Pops the top value as an immediate when it is a constant, else into a register.</summary>
    private RegImm PopRegImm()
    {
        if (Peek().Kind == EntryKind.Const) return RegImm.Of(PopEntry().Const);
        return RegImm.Of(PopReg());
    }

    /// <summary>
    /// Like <see cref="PopRegImm"/> for an operand the instruction only reads: a local cached in a register
    /// is used in place (pinned until <see cref="FreeOperand"/>) instead of being copied.
    /// </summary>
    private RegImm PopOperand()
    {
        var e = Peek();
        if (e.Kind != EntryKind.Local) return PopRegImm();
        PopEntry();
        if (!TryCachedLocal(e.Local, out var cached))
        {
            // Loaded once, the local stays cached for later reads.
            cached = Alloc(e.Float);
            _m.LoadFrame(cached, LocalOffset(e.Local), e.Size);
            Cache(e.Local, cached);
        }

        _pinned = _pinned.Add(cached);
        return RegImm.Of(cached);
    }

    private bool IsPinned(RegImm v) => !v.IsImm && _pinned.Contains(v.Reg);

    private void FreeOperand(RegImm v)
    {
        if (v.IsImm) return;

        // A cached local lent to an instruction (possibly as both operands: x * x) is only unpinned.
        if (_cached.Contains(v.Reg)) _pinned = _pinned.Remove(v.Reg);
        else Free(v.Reg);
    }

    /// <summary>Truncates the stack to <paramref name="height"/> and recomputes the free registers.</summary>
    private void ResetStack(int height, bool keepCache = false)
    {
        if (_stackCount > height) _stackCount = height;
        if (!keepCache) _cached = RegSet.Empty;
        _free = _allocatable.Except(_cached);
        for (var i = 0; i < _stackCount; i++)
        {
            if (_stack[i].Kind == EntryKind.Reg) _free = _free.Remove(_stack[i].Reg);
        }
    }

    private void SetUnreachable()
    {
        _reachable = false;
        ResetStack(Current.Base);
    }

    // ---- instructions ------------------------------------------------------------------------

    private void SkipDead(Opcode opcode)
    {
        switch (opcode)
        {
            case Opcode.Block:
            case Opcode.Loop:
            case Opcode.If:
                _deadDepth++;
                break;
            case Opcode.Else:
                if (_deadDepth == 0) DoElse();
                break;
            case Opcode.End:
                if (_deadDepth > 0) _deadDepth--;
                else DoEnd();
                break;
        }
    }

    private void Emit(ref InstructionReader r)
    {
        const OperandSize S32 = OperandSize.S32, S64 = OperandSize.S64;
        switch (r.Opcode)
        {
            case Opcode.Nop: break;
            case Opcode.Unreachable:
                _m.Jump(NewTrap(TrapKind.Unreachable));
                SetUnreachable();
                break;
            case Opcode.Block: DoBlock(r.BlockType, ControlKind.Block); break;
            case Opcode.Loop: DoBlock(r.BlockType, ControlKind.Loop); break;
            case Opcode.If: DoIf(r.BlockType, PopCondition()); break;
            case Opcode.Else: DoElse(); break;
            case Opcode.End: DoEnd(); break;
            case Opcode.Br: DoBr(r.Index); break;
            case Opcode.BrIf: DoBrIf(r.Index, PopCondition()); break;
            case Opcode.BrTable: DoBrTable(ref r); break;
            case Opcode.Return: DoBr((uint)(_controls.Count - 1)); break;
            case Opcode.Call: DoCall(r.Index); break;

            case Opcode.Drop:
            {
                var e = PopEntry();
                if (e.Kind == EntryKind.Reg) Free(e.Reg);
                break;
            }

            case Opcode.Select: DoSelect(); break;
            case Opcode.SelectTyped:
                SizeOf(r.SelectType, "select");
                DoSelect();
                break;

            case Opcode.LocalGet:
                Push(new Entry { Kind = EntryKind.Local, Local = (int)r.Index, Size = LocalSize(r.Index), Float = _localFloat[r.Index] });
                break;
            case Opcode.LocalSet: DoLocalSet(r.Index, tee: false); break;
            case Opcode.LocalTee: DoLocalSet(r.Index, tee: true); break;
            case Opcode.GlobalGet:
            {
                var (index, size, isFloat) = Global(r.Index);
                var reg = Alloc(isFloat);
                _m.LoadGlobal(reg, index, size);
                PushReg(reg, size);
                break;
            }

            case Opcode.GlobalSet:
            {
                var (index, size, _) = Global(r.Index);
                var v = PopRegImm();
                _m.StoreGlobal(index, v, size);
                FreeOperand(v);
                break;
            }

            case Opcode.I32Load: Load(r.MemArg, 4, false, S32); break;
            case Opcode.I64Load: Load(r.MemArg, 8, false, S64); break;
            case Opcode.I32Load8S: Load(r.MemArg, 1, true, S32); break;
            case Opcode.I32Load8U: Load(r.MemArg, 1, false, S32); break;
            case Opcode.I32Load16S: Load(r.MemArg, 2, true, S32); break;
            case Opcode.I32Load16U: Load(r.MemArg, 2, false, S32); break;
            case Opcode.I64Load8S: Load(r.MemArg, 1, true, S64); break;
            case Opcode.I64Load8U: Load(r.MemArg, 1, false, S64); break;
            case Opcode.I64Load16S: Load(r.MemArg, 2, true, S64); break;
            case Opcode.I64Load16U: Load(r.MemArg, 2, false, S64); break;
            case Opcode.I64Load32S: Load(r.MemArg, 4, true, S64); break;
            case Opcode.I64Load32U: Load(r.MemArg, 4, false, S64); break;
            case Opcode.I32Store: Store(r.MemArg, 4, S32); break;
            case Opcode.I64Store: Store(r.MemArg, 8, S64); break;
            case Opcode.I32Store8: Store(r.MemArg, 1, S32); break;
            case Opcode.I32Store16: Store(r.MemArg, 2, S32); break;
            case Opcode.I64Store8: Store(r.MemArg, 1, S64); break;
            case Opcode.I64Store16: Store(r.MemArg, 2, S64); break;
            case Opcode.I64Store32: Store(r.MemArg, 4, S64); break;
            case Opcode.MemorySize:
            {
                RequireMemory(r.Index);
                var reg = Alloc();
                _m.MemorySize(reg);
                PushReg(reg, S32);
                break;
            }

            case Opcode.MemoryGrow: DoMemoryGrow(r.Index); break;
            case Opcode.MemoryFill: DoMemoryFill(r.Index); break;
            case Opcode.MemoryCopy: DoMemoryCopy(r.Index, r.Index2); break;
            case Opcode.MemoryInit: DoMemoryInit(r.Index, r.Index2); break;
            case Opcode.DataDrop: DoDataDrop(r.Index); break;

            case Opcode.RefNull: PushConst(0, S64); break;
            case Opcode.RefIsNull: Eqz(ref r, S64); break;
            case Opcode.RefFunc: DoRefFunc(r.Index); break;

            case Opcode.CallIndirect: DoCallIndirect(r.Index, r.Index2); break;
            case Opcode.TableGet: DoTableGet(r.Index); break;
            case Opcode.TableSet: DoTableSet(r.Index); break;
            case Opcode.TableSize: DoTableSize(r.Index); break;
            case Opcode.TableGrow: DoTableGrow(r.Index); break;
            case Opcode.TableFill: DoTableFill(r.Index); break;
            case Opcode.TableCopy: DoTableCopy(r.Index, r.Index2); break;
            case Opcode.TableInit: DoTableInit(r.Index2, r.Index); break;
            case Opcode.ElemDrop: DoElemDrop(r.Index); break;

            case Opcode.I32Const: PushConst((int)(uint)r.Value, S32); break;
            case Opcode.I64Const: PushConst((long)r.Value, S64); break;

            case Opcode.I32Eqz: Eqz(ref r, S32); break;
            case Opcode.I32Eq: Compare(ref r, Condition.Eq, S32); break;
            case Opcode.I32Ne: Compare(ref r, Condition.Ne, S32); break;
            case Opcode.I32LtS: Compare(ref r, Condition.LtS, S32); break;
            case Opcode.I32LtU: Compare(ref r, Condition.LtU, S32); break;
            case Opcode.I32GtS: Compare(ref r, Condition.GtS, S32); break;
            case Opcode.I32GtU: Compare(ref r, Condition.GtU, S32); break;
            case Opcode.I32LeS: Compare(ref r, Condition.LeS, S32); break;
            case Opcode.I32LeU: Compare(ref r, Condition.LeU, S32); break;
            case Opcode.I32GeS: Compare(ref r, Condition.GeS, S32); break;
            case Opcode.I32GeU: Compare(ref r, Condition.GeU, S32); break;
            case Opcode.I64Eqz: Eqz(ref r, S64); break;
            case Opcode.I64Eq: Compare(ref r, Condition.Eq, S64); break;
            case Opcode.I64Ne: Compare(ref r, Condition.Ne, S64); break;
            case Opcode.I64LtS: Compare(ref r, Condition.LtS, S64); break;
            case Opcode.I64LtU: Compare(ref r, Condition.LtU, S64); break;
            case Opcode.I64GtS: Compare(ref r, Condition.GtS, S64); break;
            case Opcode.I64GtU: Compare(ref r, Condition.GtU, S64); break;
            case Opcode.I64LeS: Compare(ref r, Condition.LeS, S64); break;
            case Opcode.I64LeU: Compare(ref r, Condition.LeU, S64); break;
            case Opcode.I64GeS: Compare(ref r, Condition.GeS, S64); break;
            case Opcode.I64GeU: Compare(ref r, Condition.GeU, S64); break;

            case Opcode.I32Clz: Unary(UnaryOp.Clz, S32); break;
            case Opcode.I32Ctz: Unary(UnaryOp.Ctz, S32); break;
            case Opcode.I32Popcnt: Unary(UnaryOp.Popcnt, S32); break;
            case Opcode.I32Add: Binary(ref r, BinaryOp.Add, S32, true); break;
            case Opcode.I32Sub: Binary(ref r, BinaryOp.Sub, S32, false); break;
            case Opcode.I32Mul: Binary(ref r, BinaryOp.Mul, S32, true); break;
            case Opcode.I32DivS: Divide(DivOp.DivS, S32); break;
            case Opcode.I32DivU: Divide(DivOp.DivU, S32); break;
            case Opcode.I32RemS: Divide(DivOp.RemS, S32); break;
            case Opcode.I32RemU: Divide(DivOp.RemU, S32); break;
            case Opcode.I32And: Binary(ref r, BinaryOp.And, S32, true); break;
            case Opcode.I32Or: Binary(ref r, BinaryOp.Or, S32, true); break;
            case Opcode.I32Xor: Binary(ref r, BinaryOp.Xor, S32, true); break;
            case Opcode.I32Shl: Shift(ShiftOp.Shl, S32); break;
            case Opcode.I32ShrS: Shift(ShiftOp.ShrS, S32); break;
            case Opcode.I32ShrU: Shift(ShiftOp.ShrU, S32); break;
            case Opcode.I32Rotl: Shift(ShiftOp.Rotl, S32); break;
            case Opcode.I32Rotr: Shift(ShiftOp.Rotr, S32); break;
            case Opcode.I64Clz: Unary(UnaryOp.Clz, S64); break;
            case Opcode.I64Ctz: Unary(UnaryOp.Ctz, S64); break;
            case Opcode.I64Popcnt: Unary(UnaryOp.Popcnt, S64); break;
            case Opcode.I64Add: Binary(ref r, BinaryOp.Add, S64, true); break;
            case Opcode.I64Sub: Binary(ref r, BinaryOp.Sub, S64, false); break;
            case Opcode.I64Mul: Binary(ref r, BinaryOp.Mul, S64, true); break;
            case Opcode.I64DivS: Divide(DivOp.DivS, S64); break;
            case Opcode.I64DivU: Divide(DivOp.DivU, S64); break;
            case Opcode.I64RemS: Divide(DivOp.RemS, S64); break;
            case Opcode.I64RemU: Divide(DivOp.RemU, S64); break;
            case Opcode.I64And: Binary(ref r, BinaryOp.And, S64, true); break;
            case Opcode.I64Or: Binary(ref r, BinaryOp.Or, S64, true); break;
            case Opcode.I64Xor: Binary(ref r, BinaryOp.Xor, S64, true); break;
            case Opcode.I64Shl: Shift(ShiftOp.Shl, S64); break;
            case Opcode.I64ShrS: Shift(ShiftOp.ShrS, S64); break;
            case Opcode.I64ShrU: Shift(ShiftOp.ShrU, S64); break;
            case Opcode.I64Rotl: Shift(ShiftOp.Rotl, S64); break;
            case Opcode.I64Rotr: Shift(ShiftOp.Rotr, S64); break;

            case Opcode.I32WrapI64: Convert(ExtendOp.I32WrapI64, S32); break;
            case Opcode.I64ExtendI32S: Convert(ExtendOp.I64Extend32S, S64); break;
            case Opcode.I64ExtendI32U: Convert(ExtendOp.I64ExtendI32U, S64); break;
            case Opcode.I32Extend8S: Convert(ExtendOp.I32Extend8S, S32); break;
            case Opcode.I32Extend16S: Convert(ExtendOp.I32Extend16S, S32); break;
            case Opcode.I64Extend8S: Convert(ExtendOp.I64Extend8S, S64); break;
            case Opcode.I64Extend16S: Convert(ExtendOp.I64Extend16S, S64); break;
            case Opcode.I64Extend32S: Convert(ExtendOp.I64Extend32S, S64); break;

            case Opcode.F32Load: Load(r.MemArg, 4, false, S32, isFloat: true); break;
            case Opcode.F64Load: Load(r.MemArg, 8, false, S64, isFloat: true); break;
            case Opcode.F32Store: Store(r.MemArg, 4, S32); break;
            case Opcode.F64Store: Store(r.MemArg, 8, S64); break;
            case Opcode.F32Const: PushConst((int)(uint)r.Value, S32, isFloat: true); break;
            case Opcode.F64Const: PushConst((long)r.Value, S64, isFloat: true); break;

            case Opcode.F32Eq: FloatCompare(ref r, FloatCondition.Eq, S32); break;
            case Opcode.F32Ne: FloatCompare(ref r, FloatCondition.Ne, S32); break;
            case Opcode.F32Lt: FloatCompare(ref r, FloatCondition.Lt, S32); break;
            case Opcode.F32Gt: FloatCompare(ref r, FloatCondition.Gt, S32); break;
            case Opcode.F32Le: FloatCompare(ref r, FloatCondition.Le, S32); break;
            case Opcode.F32Ge: FloatCompare(ref r, FloatCondition.Ge, S32); break;
            case Opcode.F64Eq: FloatCompare(ref r, FloatCondition.Eq, S64); break;
            case Opcode.F64Ne: FloatCompare(ref r, FloatCondition.Ne, S64); break;
            case Opcode.F64Lt: FloatCompare(ref r, FloatCondition.Lt, S64); break;
            case Opcode.F64Gt: FloatCompare(ref r, FloatCondition.Gt, S64); break;
            case Opcode.F64Le: FloatCompare(ref r, FloatCondition.Le, S64); break;
            case Opcode.F64Ge: FloatCompare(ref r, FloatCondition.Ge, S64); break;

            case Opcode.F32Abs: FloatUnary(FloatUnaryOp.Abs, S32); break;
            case Opcode.F32Neg: FloatUnary(FloatUnaryOp.Neg, S32); break;
            case Opcode.F32Ceil: FloatUnary(FloatUnaryOp.Ceil, S32); break;
            case Opcode.F32Floor: FloatUnary(FloatUnaryOp.Floor, S32); break;
            case Opcode.F32Trunc: FloatUnary(FloatUnaryOp.Trunc, S32); break;
            case Opcode.F32Nearest: FloatUnary(FloatUnaryOp.Nearest, S32); break;
            case Opcode.F32Sqrt: FloatUnary(FloatUnaryOp.Sqrt, S32); break;
            case Opcode.F32Add: FloatBinary(FloatBinaryOp.Add, S32); break;
            case Opcode.F32Sub: FloatBinary(FloatBinaryOp.Sub, S32); break;
            case Opcode.F32Mul: FloatBinary(FloatBinaryOp.Mul, S32); break;
            case Opcode.F32Div: FloatBinary(FloatBinaryOp.Div, S32); break;
            case Opcode.F32Min: FloatBinary(FloatBinaryOp.Min, S32); break;
            case Opcode.F32Max: FloatBinary(FloatBinaryOp.Max, S32); break;
            case Opcode.F32Copysign: FloatBinary(FloatBinaryOp.Copysign, S32); break;
            case Opcode.F64Abs: FloatUnary(FloatUnaryOp.Abs, S64); break;
            case Opcode.F64Neg: FloatUnary(FloatUnaryOp.Neg, S64); break;
            case Opcode.F64Ceil: FloatUnary(FloatUnaryOp.Ceil, S64); break;
            case Opcode.F64Floor: FloatUnary(FloatUnaryOp.Floor, S64); break;
            case Opcode.F64Trunc: FloatUnary(FloatUnaryOp.Trunc, S64); break;
            case Opcode.F64Nearest: FloatUnary(FloatUnaryOp.Nearest, S64); break;
            case Opcode.F64Sqrt: FloatUnary(FloatUnaryOp.Sqrt, S64); break;
            case Opcode.F64Add: FloatBinary(FloatBinaryOp.Add, S64); break;
            case Opcode.F64Sub: FloatBinary(FloatBinaryOp.Sub, S64); break;
            case Opcode.F64Mul: FloatBinary(FloatBinaryOp.Mul, S64); break;
            case Opcode.F64Div: FloatBinary(FloatBinaryOp.Div, S64); break;
            case Opcode.F64Min: FloatBinary(FloatBinaryOp.Min, S64); break;
            case Opcode.F64Max: FloatBinary(FloatBinaryOp.Max, S64); break;
            case Opcode.F64Copysign: FloatBinary(FloatBinaryOp.Copysign, S64); break;

            case Opcode.F32ConvertI32S: FloatConvert(FloatConvertOp.F32ConvertI32S, S32); break;
            case Opcode.F32ConvertI32U: FloatConvert(FloatConvertOp.F32ConvertI32U, S32); break;
            case Opcode.F32ConvertI64S: FloatConvert(FloatConvertOp.F32ConvertI64S, S32); break;
            case Opcode.F32ConvertI64U: FloatConvert(FloatConvertOp.F32ConvertI64U, S32); break;
            case Opcode.F64ConvertI32S: FloatConvert(FloatConvertOp.F64ConvertI32S, S64); break;
            case Opcode.F64ConvertI32U: FloatConvert(FloatConvertOp.F64ConvertI32U, S64); break;
            case Opcode.F64ConvertI64S: FloatConvert(FloatConvertOp.F64ConvertI64S, S64); break;
            case Opcode.F64ConvertI64U: FloatConvert(FloatConvertOp.F64ConvertI64U, S64); break;
            case Opcode.F32DemoteF64: FloatConvert(FloatConvertOp.F32DemoteF64, S32); break;
            case Opcode.F64PromoteF32: FloatConvert(FloatConvertOp.F64PromoteF32, S64); break;

            case Opcode.I32ReinterpretF32: Reinterpret(S32, toFloat: false); break;
            case Opcode.F32ReinterpretI32: Reinterpret(S32, toFloat: true); break;
            case Opcode.I64ReinterpretF64: Reinterpret(S64, toFloat: false); break;
            case Opcode.F64ReinterpretI64: Reinterpret(S64, toFloat: true); break;

            case Opcode.I32TruncF32S: Truncate(S32, S32, true, false); break;
            case Opcode.I32TruncF32U: Truncate(S32, S32, false, false); break;
            case Opcode.I32TruncF64S: Truncate(S64, S32, true, false); break;
            case Opcode.I32TruncF64U: Truncate(S64, S32, false, false); break;
            case Opcode.I64TruncF32S: Truncate(S32, S64, true, false); break;
            case Opcode.I64TruncF32U: Truncate(S32, S64, false, false); break;
            case Opcode.I64TruncF64S: Truncate(S64, S64, true, false); break;
            case Opcode.I64TruncF64U: Truncate(S64, S64, false, false); break;
            case Opcode.I32TruncSatF32S: Truncate(S32, S32, true, true); break;
            case Opcode.I32TruncSatF32U: Truncate(S32, S32, false, true); break;
            case Opcode.I32TruncSatF64S: Truncate(S64, S32, true, true); break;
            case Opcode.I32TruncSatF64U: Truncate(S64, S32, false, true); break;
            case Opcode.I64TruncSatF32S: Truncate(S32, S64, true, true); break;
            case Opcode.I64TruncSatF32U: Truncate(S32, S64, false, true); break;
            case Opcode.I64TruncSatF64S: Truncate(S64, S64, true, true); break;
            case Opcode.I64TruncSatF64U: Truncate(S64, S64, false, true); break;

            case >= Opcode.V128Load:
                EmitSimd(ref r);
                break;

            default:
                throw CompileFailure.Unsupported("instruction " + OpcodeTable.GetName(r.Opcode));
        }
    }

    /// <summary>Global <paramref name="index"/> (imports first, as the context lays them out), its size and register class.</summary>
    private (int Index, OperandSize Size, bool IsFloat) Global(uint index)
        => index < (uint)_globalTypes.Length && _globalTypes[index] is { } type ? ((int)index, SizeOf(type.ValueType, "global"), IsFloat(type.ValueType)) : throw CompileFailure.Invalid("unknown global " + index);

    private void RequireMemory(uint index)
    {
        if (index != 0 || _module.TotalMemoryCount == 0) throw CompileFailure.Invalid("unknown memory " + index);
    }

    private void Binary(ref InstructionReader r, BinaryOp op, OperandSize size, bool commutative)
    {
        RegImm rhs;
        Reg lhs;
        if (commutative && Peek().Kind != EntryKind.Const && Peek(1).Kind == EntryKind.Const)
        {
            // c op x == x op c: keep the constant as the immediate.
            var x = PopReg();
            rhs = RegImm.Of(PopEntry().Const);
            lhs = x;
        }
        else
        {
            rhs = PopOperand();
            lhs = PopOperandReg(size);
        }

        // A cached local stays where it is as the left operand and the result goes to a new register, so the
        // macro-assembler may compute it in one three-operand instruction (x64: lea for adds) instead of copying first.
        // But x = x op y (the next instruction sets the local whose register is lhs) computes in that register:
        // the loop counters and pointers of compiled code then stay where their loop header keeps them.
        var dst = UpdatesItsLocalInPlace(ref r, lhs, rhs) ? lhs : ResultRegister(lhs);
        if (!IsIdentity(op, rhs, size)) _m.Binary(op, dst, lhs, rhs, size);
        else if (dst != lhs) _m.Move(dst, lhs, size);
        FreeOperand(rhs);
        FreeOperandUnless(lhs, dst);
        PushReg(dst, size);
    }

    /// <summary>
    /// Whether <paramref name="lhs"/> is a cached local lent in place that the next instruction (a <c>local.set</c>)
    /// overwrites with this operation's result; if so, forgets the local's cache and takes its register for the
    /// result. Until that <c>local.set</c> the local's only home is its frame slot, which still holds the old value
    /// (written through), so lazy reads of the local on the stack keep seeing it.
    /// </summary>
    private bool UpdatesItsLocalInPlace(ref InstructionReader r, Reg lhs, RegImm rhs)
    {
        if (!_pinned.Contains(lhs) || !_cached.Contains(lhs) || (!rhs.IsImm && rhs.Reg == lhs)) return false;

        // The opcode byte first: decoding the next instruction costs more than the usual answer, no.
        if (r.PeekByte() != (int)Opcode.LocalSet || !NextSetsLocal(r, _regLocal[lhs.Code])) return false;
        _pinned = _pinned.Remove(lhs);
        Uncache(lhs);
        Take(lhs);
        return true;
    }

    /// <summary>Whether the next instruction is a <c>local.set</c> of <paramref name="local"/> (decoded in a copy of the reader, in a frame of its own).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool NextSetsLocal(in InstructionReader r, int local)
    {
        var next = r;
        return next.Read() && next.Opcode == Opcode.LocalSet && next.Index == (uint)local;
    }

    /// <summary>x + 0, x - 0, x * 1, x | 0, x ^ 0 and x &amp; -1 are x (an i32 in a register is already zero-extended).</summary>
    private static bool IsIdentity(BinaryOp op, RegImm rhs, OperandSize size)
    {
        if (!rhs.IsImm) return false;
        var imm = size == OperandSize.S32 ? (int)rhs.Imm : rhs.Imm;
        return op switch
        {
            BinaryOp.Add or BinaryOp.Sub or BinaryOp.Or or BinaryOp.Xor => imm == 0,
            BinaryOp.Mul => imm == 1,
            BinaryOp.And => imm == -1,
            _ => false,
        };
    }

    private void Compare(ref InstructionReader r, Condition cond, OperandSize size)
    {
        var rhs = PopOperand();
        if (BranchBytesAhead(r) && TryCompareAndBranch(ref r, cond, rhs, size)) return;

        // A cached local compared is read in place; the result takes a new register then.
        var lhs = PopOperandReg(size);
        var dst = ResultRegister(lhs);
        _m.Compare(cond, dst, lhs, rhs, size);
        FreeOperand(rhs);
        FreeOperandUnless(lhs, dst);
        PushReg(dst, OperandSize.S32);
    }

    /// <summary>The compare (right operand <paramref name="rhs"/> popped) fused with the branch after it, if one follows.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool TryCompareAndBranch(ref InstructionReader r, Condition cond, RegImm rhs, OperandSize size)
    {
        var branch = r;
        if (!TryReadBranchAhead(ref branch, out var negated)) return false;

        // Fused, the compare only reads its left operand too.
        var left = PopOperand();
        if (left.IsImm)
        {
            var reg = Alloc();
            _m.MoveImm(reg, left.Imm, size);
            left = RegImm.Of(reg);
        }

        CompileFusedBranch(ref r, branch, negated, new BranchCondition { Cond = cond, Lhs = left.Reg, Rhs = rhs, Size = size });
        return true;
    }

    private void Eqz(ref InstructionReader r, OperandSize size)
    {
        var src = PopOperandReg(size);
        if (FuseWithBranch(ref r, new BranchCondition { Cond = Condition.Eq, Lhs = src, Rhs = RegImm.Of(0), Size = size })) return;
        var dst = ResultRegister(src);
        _m.Eqz(dst, src, size);
        FreeOperandUnless(src, dst);
        PushReg(dst, OperandSize.S32);
    }

    /// <summary>
    /// A branch condition: an i32 on the stack (<c>value != 0</c>) or a compare whose result only feeds
    /// the next instruction's <c>br_if</c> or <c>if</c> (V8 Liftoff fuses them the same way), so the flags
    /// are branched on directly instead of being materialised with setcc and tested again.
    /// </summary>
    private struct BranchCondition
    {
        public bool IsFloat;
        public Condition Cond;
        public FloatCondition FloatCond;

        /// <summary>Float conditions only: branch when the condition is false (NaN makes it more than a swapped condition).</summary>
        public bool Negated;
        public Reg Lhs;
        public RegImm Rhs;
        public OperandSize Size;
    }

    /// <summary>Pops an i32 condition.</summary>
    private BranchCondition PopCondition()
        => new() { Cond = Condition.Ne, Lhs = PopReg(), Rhs = RegImm.Of(0), Size = OperandSize.S32 };

    /// <summary>
    /// When the instruction after a compare is <c>br_if</c> or <c>if</c>, consumes it and compiles it with
    /// <paramref name="condition"/> (whose operands are already popped) as its condition.
    /// </summary>
    private bool FuseWithBranch(ref InstructionReader r, BranchCondition condition) => BranchBytesAhead(r) && TryFuseWithBranch(ref r, condition);

    /// <summary><see cref="FuseWithBranch"/> once the bytes look like a branch (the reader copy's frame only then).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool TryFuseWithBranch(ref InstructionReader r, BranchCondition condition)
    {
        var branch = r;
        if (!TryReadBranchAhead(ref branch, out var negated)) return false;
        CompileFusedBranch(ref r, branch, negated, condition);
        return true;
    }

    /// <summary>Whether the opcode bytes after the current instruction are a <c>br_if</c> or <c>if</c>, possibly after an <c>i32.eqz</c> (their immediates not yet checked).</summary>
    private static bool BranchBytesAhead(in InstructionReader r)
    {
        var b = r.PeekByte();
        if (b == (int)Opcode.I32Eqz) b = r.PeekByte(1);
        return b is (int)Opcode.BrIf or (int)Opcode.If;
    }

    /// <summary>Compiles the <c>br_if</c> or <c>if</c> <see cref="TryReadBranchAhead"/> read into <paramref name="branch"/>, and moves <paramref name="r"/> past it.</summary>
    private void CompileFusedBranch(ref InstructionReader r, in InstructionReader branch, bool negated, BranchCondition condition)
    {
        if (negated)
        {
            // compare; i32.eqz; br_if: the eqz only negates the condition.
            Instructions++;
            condition = Negate(condition);
        }

        r = branch;
        _offset = r.InstructionOffset;
        Instructions++;
        if (r.Opcode == Opcode.BrIf) DoBrIf(r.Index, condition);
        else DoIf(r.BlockType, condition);
    }

    /// <summary>
    /// Whether a compare's result only feeds a <c>br_if</c> or <c>if</c>: the next instruction, or the one after an
    /// <c>i32.eqz</c> (<paramref name="negated"/>). <paramref name="branch"/>, a copy of the reader, then is moved past that
    /// branch: decoded once for both the question and the branch's compile. The opcode bytes are looked at first: many
    /// compares are followed by no branch.
    /// </summary>
    private static bool TryReadBranchAhead(ref InstructionReader branch, out bool negated)
    {
        var b = branch.PeekByte();
        negated = b == (int)Opcode.I32Eqz;
        if (negated) b = branch.PeekByte(1);
        if (b is not ((int)Opcode.BrIf or (int)Opcode.If)) return false;
        if (negated && !branch.Read()) return false;
        return branch.Read();
    }

    private static BranchCondition Negate(BranchCondition c)
    {
        if (c.IsFloat)
        {
            c.Negated = !c.Negated;
            return c;
        }

        c.Cond = c.Cond switch
        {
            Condition.Eq => Condition.Ne,
            Condition.Ne => Condition.Eq,
            Condition.LtS => Condition.GeS,
            Condition.LtU => Condition.GeU,
            Condition.GtS => Condition.LeS,
            Condition.GtU => Condition.LeU,
            Condition.LeS => Condition.GtS,
            Condition.LeU => Condition.GtU,
            Condition.GeS => Condition.LtS,
            _ => Condition.LtU,
        };
        return c;
    }

    private void BranchIf(BranchCondition c, AsmLabel label)
    {
        if (c.IsFloat) _m.FloatBranchIf(c.FloatCond, c.Negated, c.Lhs, c.Rhs.Reg, c.Size, label);
        else _m.BranchIf(c.Cond, c.Lhs, c.Rhs, c.Size, label);
    }

    private void FreeCondition(BranchCondition c)
    {
        FreeOperand(RegImm.Of(c.Lhs));
        FreeOperand(c.Rhs);
    }

    private void Unary(UnaryOp op, OperandSize size)
    {
        var src = PopReg();
        _m.Unary(op, src, src, size);
        PushReg(src, size);
    }

    private void Convert(ExtendOp op, OperandSize resultSize)
    {
        var src = PopReg();
        _m.Extend(op, src, src);
        PushReg(src, resultSize);
    }

    /// <summary><see cref="PopOperand"/> for float operations, which take no immediates (a constant is loaded into a register of its class).</summary>
    private Reg PopOperandReg(OperandSize size)
    {
        var isFloat = Peek().Float;
        var v = PopOperand();
        if (!v.IsImm) return v.Reg;
        var reg = Alloc(isFloat);
        _m.MoveImm(reg, v.Imm, size);
        return reg;
    }

    /// <summary>The register for an operation's result: its first operand's, unless that one is a pinned cached local.</summary>
    private Reg ResultRegister(Reg operand) => _pinned.Contains(operand) ? Alloc(operand.IsFloat) : operand;

    /// <summary>Releases a read-only operand that is not the result register.</summary>
    private void FreeOperandUnless(Reg operand, Reg dst)
    {
        if (operand != dst) FreeOperand(RegImm.Of(operand));
    }

    // Float operations only read their operands, so cached locals serve as operands in place.
    private void FloatBinary(FloatBinaryOp op, OperandSize size)
    {
        var rhs = PopOperandReg(size);
        var lhs = PopOperandReg(size);

        // With the left operand a cached local lent in place and the right one a temporary, an add or mul puts its
        // result in the temporary, so a two-operand machine computes there without copying the local first (the
        // spec leaves open which operand's NaN payload propagates).
        var intoRight = op is FloatBinaryOp.Add or FloatBinaryOp.Mul && _pinned.Contains(lhs) && !_pinned.Contains(rhs);
        var dst = intoRight ? rhs : ResultRegister(lhs);
        _m.FloatBinary(op, dst, lhs, rhs, size);
        if (!intoRight) FreeOperand(RegImm.Of(rhs));
        FreeOperandUnless(lhs, dst);
        PushReg(dst, size);
    }

    private void FloatUnary(FloatUnaryOp op, OperandSize size)
    {
        var src = PopOperandReg(size);
        var dst = ResultRegister(src);
        _m.FloatUnary(op, dst, src, size);
        FreeOperandUnless(src, dst);
        PushReg(dst, size);
    }

    private void FloatCompare(ref InstructionReader r, FloatCondition cond, OperandSize size)
    {
        var rhs = PopOperandReg(size);
        var lhs = PopOperandReg(size);
        if (FuseWithBranch(ref r, new BranchCondition { IsFloat = true, FloatCond = cond, Lhs = lhs, Rhs = RegImm.Of(rhs), Size = size })) return;
        var dst = Alloc();
        _m.FloatCompare(cond, dst, lhs, rhs, size);
        FreeOperand(RegImm.Of(rhs));
        FreeOperand(RegImm.Of(lhs));
        PushReg(dst, OperandSize.S32);
    }

    private void FloatConvert(FloatConvertOp op, OperandSize resultSize)
    {
        // Promote and demote compute in the operand's float register; integer operands give a new one.
        var src = PopOperandReg(Peek().Size);
        var dst = src.IsFloat ? ResultRegister(src) : Alloc(isFloat: true);
        _m.FloatConvert(op, dst, src);
        FreeOperandUnless(src, dst);
        PushReg(dst, resultSize);
    }

    private void Truncate(OperandSize source, OperandSize result, bool signed, bool saturating)
    {
        var src = PopOperandReg(source);
        var dst = Alloc();
        AsmLabel invalid = default, overflow = default;
        if (!saturating)
        {
            invalid = NewTrap(TrapKind.InvalidConversionToInteger);
            overflow = NewTrap(TrapKind.IntegerOverflow);
        }

        _m.FloatTruncate(dst, src, source, result, signed, saturating, invalid, overflow);
        FreeOperand(RegImm.Of(src));
        PushReg(dst, result);
    }

    /// <summary>Same bits in the other register class: a constant only changes class, a register value moves (<c>movd</c>/<c>movq</c> on x64).</summary>
    private void Reinterpret(OperandSize size, bool toFloat)
    {
        if (Peek().Kind == EntryKind.Const)
        {
            PushConst(PopEntry().Const, size, toFloat);
            return;
        }

        var src = PopOperandReg(size);
        var dst = Alloc(toFloat);
        _m.Move(dst, src, size);
        FreeOperand(RegImm.Of(src));
        PushReg(dst, size);
    }

    private void Shift(ShiftOp op, OperandSize size)
    {
        var rhs = PopRegImm();
        var lhs = PopReg();
        if (!rhs.IsImm) Evict(_m.ShiftClobbers);
        _m.Shift(op, lhs, lhs, rhs, size);
        FreeOperand(rhs);
        PushReg(lhs, size);
    }

    private void Divide(DivOp op, OperandSize size)
    {
        var rhs = PopReg();
        var lhs = PopReg();
        Evict(_m.DivisionClobbers);
        var byZero = NewTrap(TrapKind.IntegerDivideByZero);
        var overflow = op == DivOp.DivS ? NewTrap(TrapKind.IntegerOverflow) : byZero;
        _m.Divide(op, lhs, lhs, rhs, size, byZero, overflow);
        Free(rhs);
        PushReg(lhs, size);
    }

    private void DoSelect()
    {
        var cond = PopReg();
        var other = PopReg();
        var size = Peek().Size;
        var dst = PopReg();
        _m.Select(dst, other, cond, size);
        Free(other);
        Free(cond);
        PushReg(dst, size);
    }

    private void DoLocalSet(uint index, bool tee)
    {
        var size = LocalSize(index);
        var local = (int)index;
        var e = PopEntry();
        var depth = _stackCount;
        NoteLocalWritten(local);

        // Lazy reads of this local must see the old value.
        for (var i = 0; i < _stackCount; i++)
        {
            if (_stack[i].Kind == EntryKind.Local && _stack[i].Local == local) Spill(i);
        }

        // Written through: the slot always holds the value, a register may cache it as well.
        var at = LocalOffset(local);
        switch (e.Kind)
        {
            case EntryKind.Reg:
                _m.StoreFrame(at, e.Reg, size);
                if (!tee)
                {
                    Cache(local, e.Reg);
                    return;
                }

                e.TeeOf = local + 1;
                e.TeeVersion = _localVersion[local];
                Push(e);
                UncacheLocal(local);
                var free = _free.Intersect(RegSet.Class(e.Reg.IsFloat));
                if (!free.IsEmpty)
                {
                    // A copy for later reads, while a free register costs nothing: where the innermost loop's
                    // header keeps the local if that one is free, so the back edge needs no move.
                    var copy = free.First;
                    if (InnermostLoopRegister(local) is { } preferred && _free.Contains(preferred)) copy = preferred;
                    Take(copy);
                    _m.Move(copy, e.Reg, size);
                    Cache(local, copy);
                }

                return;
            case EntryKind.Const:
                _m.StoreFrameImm(at, e.Const, size);
                UncacheLocal(local);
                if (tee) Push(e);
                return;
            case EntryKind.Local:
                if (e.Local != local)
                {
                    if (TryCachedLocal(e.Local, out var source)) _m.StoreFrame(at, source, size);
                    else _m.CopyFrame(at, LocalOffset(e.Local), size);
                    UncacheLocal(local);
                }

                break;
            default:
                _m.CopyFrame(at, StackSlotOffset(depth), size);
                UncacheLocal(local);
                break;
        }

        if (tee) Push(new Entry { Kind = EntryKind.Local, Local = local, Size = size, Float = _localFloat[local] });
    }

    private void Load(MemArg memArg, int width, bool signed, OperandSize size, bool isFloat = false)
    {
        RequireMemory(memArg.Memory);
        var local = ValueLocal(0);
        var address = PopOperand();
        var dst = isFloat || address.IsImm || IsPinned(address) ? Alloc(isFloat) : address.Reg;
        var access = Access(address, local, memArg.Offset, width, signed, size, out var outOfBounds);
        _m.LoadMemory(dst, address, memArg.Offset, access, outOfBounds);
        NoteChecked(local, memArg.Offset + (ulong)width);
        if (dst != address.Reg || address.IsImm) FreeOperand(address);
        PushReg(dst, size);
    }

    /// <summary>
    /// The bounds facts of an access of <paramref name="width"/> bytes at <paramref name="address"/> + <paramref name="offset"/>
    /// (<paramref name="local"/>: the local the address is, or -1) and the trap label its check jumps to, none when it needs
    /// no check. The caller notes the check (<see cref="NoteChecked"/>) once the access is emitted.
    /// </summary>
    private MemoryAccess Access(RegImm address, int local, ulong offset, int width, bool signed, OperandSize size, out AsmLabel outOfBounds)
    {
        var inBounds = KnownInBounds(address, offset, width);
        var checkedBefore = !inBounds && CheckedBefore(local, offset + (ulong)width);
        outOfBounds = inBounds || checkedBefore ? default : NewTrap(TrapKind.MemoryOutOfBounds);
        return new MemoryAccess(width, signed, size, inBounds, checkedBefore);
    }

    private void Store(MemArg memArg, int width, OperandSize size)
    {
        RequireMemory(memArg.Memory);
        var local = ValueLocal(1);
        var value = PopOperand();
        var address = PopOperand();
        var access = Access(address, local, memArg.Offset, width, false, size, out var outOfBounds);
        _m.StoreMemory(address, memArg.Offset, value, access, outOfBounds);
        NoteChecked(local, memArg.Offset + (ulong)width);
        FreeOperand(value);
        FreeOperand(address);
    }

    private void DoCall(uint functionIndex)
    {
        var callee = (functionIndex < (uint)_functionTypes.Length ? _functionTypes[functionIndex] : null)
            ?? throw CompileFailure.Invalid("unknown function " + functionIndex);
        var area = PassArguments(callee);
        if (functionIndex < (uint)_module.ImportedFunctionCount)
        {
            if (_contextSaveSlot < 0) throw new CompileFailure(CompileErrorKind.Internal, "context save slot not scanned");
            _m.CallImport((int)functionIndex, HiddenSlotOffset(_contextSaveSlot), _offset);
        }
        else
        {
            _m.CallFunction((int)(functionIndex - (uint)_module.ImportedFunctionCount), _offset);
        }

        TakeResults(callee, area);
    }

    /// <summary>
    /// Spills the registers below the arguments, reserves the outgoing area and stores the arguments
    /// there, then pops them; every allocatable register is free afterwards. Returns the area's slot count.
    /// </summary>
    private int PassArguments(FuncType callee)
    {
        var count = callee.Parameters.Length;

        // Results come back in the outgoing area too (a host function writes even a single result there), so it
        // holds max(params, results) values, each in its ValueSlots position (a v128 in two slots).
        var area = ValueSlots.Count(callee);
        var first = _stackCount - count;
        if (first < Current.Base) throw CompileFailure.Invalid("value stack underflow");

        SpillRegistersBelow(first);
        _m.ReserveOutgoing(area);
        for (int i = 0, at = 0; i < count; i++, at++)
        {
            var e = _stack[first + i];
            if (e.Size == OperandSize.S128)
            {
                // Two 8-byte slots copied from the frame (a v128 in a register is spilled to its slot first).
                if (e.Kind == EntryKind.Reg) Spill(first + i);
                var from = e.Kind == EntryKind.Local ? LocalOffset(e.Local) : StackSlotOffset(first + i);
                _m.StoreOutgoingFromFrame(at, from);
                _m.StoreOutgoingFromFrame(++at, from + 8);
                continue;
            }

            switch (e.Kind)
            {
                case EntryKind.Reg: _m.StoreOutgoing(at, RegImm.Of(e.Reg)); break;
                case EntryKind.Const: _m.StoreOutgoing(at, RegImm.Of(e.Const)); break;
                case EntryKind.Local: _m.StoreOutgoingFromFrame(at, LocalOffset(e.Local)); break;
                default: _m.StoreOutgoingFromFrame(at, StackSlotOffset(first + i)); break;
            }
        }

        ResetStack(first);
        return area;
    }

    /// <summary>Pushes the callee's results (one in the return register, several from the outgoing area) and releases the area.</summary>
    private void TakeResults(FuncType callee, int area)
    {
        var results = callee.Results.Length;
        if (ValueSlots.ResultInRegister(callee))
        {
            _m.ReleaseOutgoing(area);
            var size = SizeOf(callee.Results[0], "result");
            Take(_m.ReturnRegister);
            if (IsFloat(callee.Results[0]))
            {
                // A float result comes back as its bit pattern in the return register (the calling convention is unchanged).
                var dst = Alloc(isFloat: true);
                _m.Move(dst, _m.ReturnRegister, size);
                Free(_m.ReturnRegister);
                PushReg(dst, size);
                return;
            }

            PushReg(_m.ReturnRegister, size);
            return;
        }

        var first = _stackCount;
        for (int j = 0, at = 0; j < results; j++, at++)
        {
            var size = SizeOf(callee.Results[j], "result");
            _m.LoadOutgoingToFrame(at, StackSlotOffset(first + j));
            if (size == OperandSize.S128) _m.LoadOutgoingToFrame(++at, StackSlotOffset(first + j) + 8);
            Push(new Entry { Kind = EntryKind.Spilled, Size = size, Float = IsFloat(callee.Results[j]) });
        }

        _m.ReleaseOutgoing(area);
    }

    // ---- control -----------------------------------------------------------------------------

    private (ImmutableArray<ValType> Params, ImmutableArray<ValType> Results) Signature(BlockType type)
    {
        switch (type.Kind)
        {
            case BlockTypeKind.Empty:
                return (ImmutableArray<ValType>.Empty, ImmutableArray<ValType>.Empty);
            case BlockTypeKind.Value:
                SizeOf(type.ValueType, "block result");
                return (ImmutableArray<ValType>.Empty, ImmutableArray.Create(type.ValueType));
            default:
                if (type.TypeIndex >= (uint)_module.Types.Length) throw CompileFailure.Invalid("unknown type " + type.TypeIndex);
                var f = _module.Types[(int)type.TypeIndex];
                foreach (var t in f.Parameters) SizeOf(t, "block parameter");
                foreach (var t in f.Results) SizeOf(t, "block result");
                return (f.Parameters, f.Results);
        }
    }

    private void DoIf(BlockType type, BranchCondition condition) => DoBlock(type, ControlKind.If, condition);

    private void DoBlock(BlockType type, ControlKind kind, BranchCondition condition = default)
    {
        var (parameters, results) = Signature(type);

        var height = _stackCount - parameters.Length;
        if (height < Current.Base) throw CompileFailure.Invalid("value stack underflow");
        SpillBelow(height);
        var control = NewControl();
        control.Kind = kind;
        control.Base = height;
        control.Params = parameters;
        control.Results = results;
        control.Label = _m.CreateLabel();

        if (kind == ControlKind.If)
        {
            if (parameters.Length > 0)
            {
                // Keep copies of the parameters for the else arm.
                control.SaveSlot = _ifSaveSlots.TryGetValue(_offset, out var save) ? save : throw new CompileFailure(CompileErrorKind.Internal, "if parameters not scanned");
                for (var j = 0; j < parameters.Length; j++)
                {
                    var e = _stack[height + j];
                    var at = HiddenSlotOffset(save + j);
                    switch (e.Kind)
                    {
                        case EntryKind.Reg: _m.StoreFrame(at, e.Reg, e.Float ? e.Size : OperandSize.S64); break;
                        case EntryKind.Const: _m.StoreFrameImm(at, e.Const, OperandSize.S64); break;
                        case EntryKind.Local: _m.CopyFrame(at, LocalOffset(e.Local), e.Size); break;
                        default: _m.CopyFrame(at, StackSlotOffset(height + j), e.Size); break;
                    }
                }
            }

            control.Else = _m.CreateLabel();
            BranchIf(Negate(condition), control.Else);
            FreeCondition(condition);
            NoteCache(control.AtElse, RegSet.Empty);
        }

        PushControl(control);
        if (kind == ControlKind.Loop)
        {
            PreloadLoopLocals(control);

            // Parameters move to the loop label's merge places before the label, as back edges put them.
            if (parameters.Length == 1 && _cached.Contains(MergeRegister(control, parameters[0]))) Uncache(MergeRegister(control, parameters[0]));
            MergeTo(control);
            ResetStack(height, keepCache: true);
            PushMergedValues(control, parameters);

            // The locals cached now stay cached at the header: every back edge loads them again.
            control.SetLoopCache(_cached, _regLocal);
            BindJoin(control.Label);
        }
    }

    private void DoElse()
    {
        var control = Current;
        if (control.Kind != ControlKind.If || control.ElseSeen) throw CompileFailure.Invalid("else without if");
        if (_reachable)
        {
            MergeTo(control);
            NoteBranch(control);
            _m.Jump(control.Label);
            control.LabelUsed = true;
        }

        BindJoin(control.Else);
        control.ElseSeen = true;
        ResetStack(control.Base);
        AdoptCache(control.AtElse);
        for (var j = 0; j < control.Params.Length; j++)
        {
            var size = SizeOf(control.Params[j], "block parameter");
            _m.CopyFrame(StackSlotOffset(control.Base + j), HiddenSlotOffset(control.SaveSlot + j), size == OperandSize.S128 ? size : OperandSize.S64);
            Push(new Entry { Kind = EntryKind.Spilled, Size = size, Float = IsFloat(control.Params[j]) });
        }

        // Every control on the stack was entered while reachable (dead code pushes none).
        _reachable = true;
    }

    private void DoEnd()
    {
        var control = Current;
        switch (control.Kind)
        {
            case ControlKind.Function:
                if (_reachable) MergeTo(control);
                BindJoin(control.Label);
                if (control.Results.Length > 1)
                {
                    // Several results: MergeTo left them in value-stack slots 0..k-1; they go to the
                    // caller's outgoing area, where the (now dead) parameters were (a v128 in two slots).
                    for (int j = 0, at = 0; j < control.Results.Length; at += ValueSlots.Width(control.Results[j]), j++)
                    {
                        var size = SizeOf(control.Results[j], "result");
                        _m.CopyFrame(_m.ParameterOffset(at), StackSlotOffset(j), size == OperandSize.S128 ? size : OperandSize.S64);
                    }
                }
                else if (control.Results.Length == 1 && control.Results[0].Kind == ValTypeKind.V128)
                {
                    // A single v128 result merged in the float merge register; it is returned in the area too.
                    _m.StoreFrame(_m.ParameterOffset(0), _m.FloatMergeRegister, OperandSize.S128);
                }

                _m.LeaveFrameAndReturn();
                PopControl();
                ResetStack(0);
                return;
            case ControlKind.Loop:
                PopControl();
                if (!_reachable) ResetStack(control.Base);
                return;
        }

        if (control.Kind == ControlKind.If && !control.ElseSeen && control.Params.Length > 0)
        {
            // [t*] -> [t*] without else: the false arm passes its parameters through, like an empty else.
            DoElse();
        }

        if (_reachable)
        {
            MergeTo(control);
            NoteBranch(control);
        }

        var elseFallsThrough = control.Kind == ControlKind.If && !control.ElseSeen;
        if (elseFallsThrough)
        {
            BindJoin(control.Else);
            JoinCache(control.AtLabel, control.AtElse);
        }

        BindJoin(control.Label);
        PopControl();
        _reachable = _reachable || control.LabelUsed || elseFallsThrough;
        ResetStack(control.Base);
        if (_reachable)
        {
            AdoptCache(control.AtLabel);
            PushMergedValues(control, control.Results);
        }
    }

    private Control Target(uint depth)
    {
        if (depth >= (uint)_controls.Count) throw CompileFailure.Invalid("unknown label " + depth);
        return _controls[_controls.Count - 1 - (int)depth];
    }

    private void DoBr(uint depth)
    {
        var target = Target(depth);
        MergeTo(target);
        NoteBranch(target);
        RestoreLoopCache(target);
        _m.Jump(target.Label);
        target.LabelUsed = true;
        SetUnreachable();
    }

    private void DoBrIf(uint depth, BranchCondition condition)
    {
        var target = Target(depth);
        var arity = target.BranchTypes.Length;
        if ((arity == 0 || (arity == 1 && Peek().Kind == EntryKind.Reg && Peek().Reg == MergeRegister(target, target.BranchTypes[0]))) && !NeedsLoopCacheRestore(target))
        {
            NoteBranch(target);
            BranchIf(condition, target.Label);
        }
        else
        {
            var skip = _m.CreateLabel();
            BranchIf(Negate(condition), skip);
            MergeTo(target);
            NoteBranch(target);
            RestoreLoopCache(target);
            _m.Jump(target.Label);
            BindJoin(skip);
        }

        FreeCondition(condition);
        target.LabelUsed = true;
    }

    private void DoBrTable(ref InstructionReader r)
    {
        _brTargets.Clear();
        foreach (var t in r.GetBrTableTargets()) _brTargets.Add(t);
        DoBrTable(r.BrTableDefault);
    }

    private void DoBrTable(uint defaultDepth)
    {
        var defaultTarget = Target(defaultDepth);
        var arity = defaultTarget.BranchTypes.Length;
        var index = PopReg();
        if (_brLabels.Length < _brTargets.Count) _brLabels = new AsmLabel[Math.Max(_brTargets.Count, _brLabels.Length * 2)];
        var labels = _brLabels.AsSpan(0, _brTargets.Count);
        var restores = NeedsLoopCacheRestore(defaultTarget);
        foreach (var depth in _brTargets) restores |= NeedsLoopCacheRestore(Target(depth));

        // A float value merges in the float merge register at blocks but in the return register at the function's end.
        var mergeAt = arity == 1 ? MergeRegister(defaultTarget, defaultTarget.BranchTypes[0]) : default;
        var oneMergePlace = arity == 0;
        if (arity == 1)
        {
            oneMergePlace = true;
            foreach (var depth in _brTargets) oneMergePlace &= MergeRegister(Target(depth), defaultTarget.BranchTypes[0]) == mergeAt;
        }

        if (oneMergePlace && !restores)
        {
            // One merge place for every target (a merge register): move once, then dispatch.
            if (arity == 1 && index == mergeAt)
            {
                var moved = AllocExcept(RegSet.Of(_m.ReturnRegister));
                _m.Move(moved, index, OperandSize.S32);
                Free(index);
                index = moved;
            }

            MergeTo(defaultTarget);
            for (var i = 0; i < labels.Length; i++)
            {
                var t = Target(_brTargets[i]);
                t.LabelUsed = true;
                labels[i] = t.Label;
                NoteBranch(t);
            }

            defaultTarget.LabelUsed = true;
            NoteBranch(defaultTarget);
            _m.JumpTable(index, labels, defaultTarget.Label);
        }
        else
        {
            // Each target has its own merge slots: dispatch to per-target moves.
            var stubs = new Dictionary<uint, AsmLabel>();
            AsmLabel StubFor(uint depth)
            {
                if (!stubs.TryGetValue(depth, out var l))
                {
                    l = _m.CreateLabel();
                    stubs.Add(depth, l);
                }

                return l;
            }

            for (var i = 0; i < labels.Length; i++) labels[i] = StubFor(_brTargets[i]);
            var defaultStub = StubFor(defaultDepth);
            _m.JumpTable(index, labels, defaultStub);
            var depths = new List<uint>(stubs.Keys);
            depths.Sort();
            foreach (var depth in depths)
            {
                var t = Target(depth);
                BindJoin(stubs[depth]);
                MergeTo(t);
                NoteBranch(t);
                RestoreLoopCache(t);
                _m.Jump(t.Label);
                t.LabelUsed = true;
            }
        }

        Free(index);
        SetUnreachable();
    }

    /// <summary>Moves the target's arity values from the top of the stack to its merge places (the model is not changed).</summary>
    private void MergeTo(Control target)
    {
        var types = target.BranchTypes;
        var k = types.Length;
        if (k == 0) return;
        var first = _stackCount - k;
        if (first < Current.Base) throw CompileFailure.Invalid("value stack underflow at branch");
        if (k == 1)
        {
            var e = _stack[first];
            var ret = MergeRegister(target, types[0]);
            switch (e.Kind)
            {
                case EntryKind.Reg: _m.Move(ret, e.Reg, e.Size); break;
                case EntryKind.Const: _m.MoveImm(ret, e.Const, e.Size); break;
                case EntryKind.Local when TryCachedLocal(e.Local, out var cached): _m.Move(ret, cached, e.Size); break;
                case EntryKind.Local: _m.LoadFrame(ret, LocalOffset(e.Local), e.Size); break;
                default: _m.LoadFrame(ret, StackSlotOffset(first), e.Size); break;
            }

            return;
        }

        // Slot target.Base + j lies at or below the source depth first + j, and below every later
        // source, so moving in increasing order never overwrites a value still to be moved.
        for (var j = 0; j < k; j++)
        {
            var e = _stack[first + j];
            var at = StackSlotOffset(target.Base + j);
            switch (e.Kind)
            {
                case EntryKind.Reg: _m.StoreFrame(at, e.Reg, e.Size); break;
                case EntryKind.Const: _m.StoreFrameImm(at, e.Const, OperandSize.S64); break;
                case EntryKind.Local: _m.CopyFrame(at, LocalOffset(e.Local), e.Size); break;
                default: _m.CopyFrame(at, StackSlotOffset(first + j), e.Size); break;
            }
        }
    }

    /// <summary>
    /// Where a single value of type <paramref name="type"/> merges at <paramref name="target"/>'s label: the float merge
    /// register for floats inside the function, else (and for the function's result, returned as a bit pattern) the return register.
    /// </summary>
    private Reg MergeRegister(Control target, ValType type)
        => IsFloat(type) && (target.Kind != ControlKind.Function || type.Kind == ValTypeKind.V128) ? _m.FloatMergeRegister : _m.ReturnRegister;

    /// <summary>Pushes the entries describing values that arrived at a label through <see cref="MergeTo"/>.</summary>
    private void PushMergedValues(Control target, ImmutableArray<ValType> types)
    {
        if (types.Length == 1)
        {
            var reg = MergeRegister(target, types[0]);
            Take(reg);
            PushReg(reg, SizeOf(types[0], "value"));
            return;
        }

        foreach (var t in types) Push(new Entry { Kind = EntryKind.Spilled, Size = SizeOf(t, "value"), Float = IsFloat(t) });
        if (_stackCount != target.Base + types.Length) throw new CompileFailure(CompileErrorKind.Internal, "merge height mismatch");
    }
}
