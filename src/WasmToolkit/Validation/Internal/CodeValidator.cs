using System;
using System.Threading;
using WasmToolkit.Diagnostics;
using WasmToolkit.Instructions;

namespace WasmToolkit.Validation.Internal;

/// <summary>
/// The operand and control stacks of the spec's validation algorithm (appendix "Validation
/// Algorithm"), reused across functions, constant expressions and validations.
/// </summary>
/// <remarks>
/// Allocation-free per instruction: stacks are arrays grown geometrically and kept; block types are
/// shared arrays (<see cref="StackTypes.Single"/>, <see cref="ModuleContext.TypeParameters"/>); messages
/// are formatted only when an error is reported. One instance is cached process-wide
/// (<see cref="Rent"/>/<see cref="Return"/>, the one-slot pool of Roslyn's <c>ObjectPool</c>), so
/// validating again reuses the arrays the previous validation grew. Not thread-safe: one validation
/// at a time per instance.
/// </remarks>
internal sealed partial class CodeValidator
{
    private static CodeValidator? s_cached;

    private StackType[] _vals = new StackType[64];
    private int _valCount;
    private ControlFrame[] _ctrls = new ControlFrame[16];
    private int _ctrlCount;

    private int _maxVals;
    private int _maxCtrls;

    private ModuleContext _module = null!;
    private uint? _functionIndex;
    private int _instructionOffset;
    private int _instructionLength;
    private OpcodeInfo? _info;

    /// <summary>Takes the cached instance, or makes one.</summary>
    public static CodeValidator Rent() => Interlocked.Exchange(ref s_cached, null) ?? new CodeValidator();

    /// <summary>Gives an instance back for the next validation.</summary>
    public static void Return(CodeValidator validator)
    {
        validator._module = null!;
        validator._info = null;
        Array.Clear(validator._ctrls, 0, validator._ctrls.Length); // drop references to the module's type arrays
        Volatile.Write(ref s_cached, validator);
    }

    private string InstructionName => _info?.Name ?? "end";

    private void Reset(ModuleContext module, uint? functionIndex)
    {
        _module = module;
        _functionIndex = functionIndex;
        _valCount = 0;
        _ctrlCount = 0;
        _maxVals = 0;
        _maxCtrls = 0;
        _info = null;
    }

    // ---- operand stack (push_val, pop_val, pop_vals, push_vals) ----

    private void Push(StackType type)
    {
        if (_valCount == _vals.Length) Array.Resize(ref _vals, _vals.Length * 2);
        _vals[_valCount++] = type;
        if (_valCount > _maxVals) _maxVals = _valCount;
    }

    private void PushVals(StackType[] types)
    {
        for (var i = 0; i < types.Length; i++) Push(types[i]);
    }

    /// <summary><c>pop_val()</c>: any type; <c>Unknown</c> below the frame of unreachable code.</summary>
    private bool PopAny(out StackType actual)
    {
        ref var frame = ref _ctrls[_ctrlCount - 1];
        if (_valCount == frame.Height)
        {
            actual = StackType.Unknown;
            return frame.Unreachable || FailEmpty(null);
        }

        actual = _vals[--_valCount];
        return true;
    }

    /// <summary><c>pop_val(expect)</c>.</summary>
    private bool Pop(StackType expected)
    {
        ref var frame = ref _ctrls[_ctrlCount - 1];
        if (_valCount == frame.Height) return frame.Unreachable || FailEmpty(expected);
        var actual = _vals[--_valCount];
        if (actual == expected || actual == StackType.Unknown || expected == StackType.Unknown) return true;
        return Fail(DiagnosticCatalog.TypeMismatch, $"{InstructionName} expected {StackTypes.Name(expected)} but found {StackTypes.Name(actual)}");
    }

    /// <summary><c>pop_vals(types)</c>: pops in reverse order.</summary>
    private bool PopVals(StackType[] types)
    {
        for (var i = types.Length - 1; i >= 0; i--)
        {
            if (!Pop(types[i])) return false;
        }

        return true;
    }

    /// <summary>
    /// <c>push_vals(pop_vals(types))</c> without moving anything: checks that the top of the stack
    /// matches <paramref name="types"/>, treating missing values below an unreachable frame as
    /// <c>Unknown</c> exactly as popping and pushing back would.
    /// </summary>
    private bool CheckTop(StackType[] types)
    {
        ref var frame = ref _ctrls[_ctrlCount - 1];
        var n = types.Length;
        for (var i = n - 1; i >= 0; i--)
        {
            var position = _valCount - n + i;
            var expected = types[i];
            if (position < frame.Height)
            {
                if (frame.Unreachable) continue;
                return FailEmpty(expected);
            }

            var actual = _vals[position];
            if (actual != expected && actual != StackType.Unknown && expected != StackType.Unknown)
            {
                return Fail(DiagnosticCatalog.TypeMismatch, $"{InstructionName} expected {StackTypes.Name(expected)} but found {StackTypes.Name(actual)}");
            }
        }

        return true;
    }

    // ---- control stack (push_ctrl, pop_ctrl, unreachable) ----

    private void PushCtrl(FrameKind kind, StackType[] start, StackType[] end)
    {
        if (_ctrlCount == _ctrls.Length) Array.Resize(ref _ctrls, _ctrls.Length * 2);
        ref var frame = ref _ctrls[_ctrlCount++];
        frame.Kind = kind;
        frame.Start = start;
        frame.End = end;
        frame.Height = _valCount;
        frame.Unreachable = false;
        if (_ctrlCount > _maxCtrls) _maxCtrls = _ctrlCount;
        PushVals(start);
    }

    private bool PopCtrl(out ControlFrame popped)
    {
        popped = _ctrls[_ctrlCount - 1];
        if (!PopVals(popped.End)) return false;
        if (_valCount != popped.Height)
        {
            return Fail(
                DiagnosticCatalog.TypeMismatch,
                $"{InstructionName} expected {StackTypes.Names(popped.End)} but the block leaves {_valCount - popped.Height} more value(s) on the stack");
        }

        _ctrlCount--;
        return true;
    }

    private void SetUnreachable()
    {
        ref var frame = ref _ctrls[_ctrlCount - 1];
        _valCount = frame.Height;
        frame.Unreachable = true;
    }

    // ---- errors: the only place that allocates ----

    private bool FailEmpty(StackType? expected)
        => Fail(
            DiagnosticCatalog.TypeMismatch,
            expected is { } e
                ? $"{InstructionName} expected {StackTypes.Name(e)} but nothing is on the stack"
                : $"{InstructionName} expected a value but nothing is on the stack");

    private bool Fail(DiagnosticDescriptor descriptor, params object?[] args)
    {
        var location = new BinaryLocation(
            new ByteSpan(Math.Max(_instructionOffset, 0), Math.Max(_instructionLength, 0)), _module.Path, _functionIndex, _instructionOffset);
        _module.Diagnostics.Add(Diagnostic.Create(descriptor, location, args));
        return false;
    }
}
