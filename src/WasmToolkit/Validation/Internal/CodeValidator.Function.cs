using System;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using WasmToolkit.Diagnostics;
using WasmToolkit.Instructions;

namespace WasmToolkit.Validation.Internal;

// Function bodies (spec 3.3 "Instructions", 3.4.1 "Functions"), by the appendix's algorithm.
internal sealed partial class CodeValidator
{
    // Locals as runs of one type: _localEnds[i] is the exclusive end index of run i. Binary search keeps
    // lookups cheap and memory small however many locals a body declares.
    private uint[] _localEnds = new uint[16];
    private StackType[] _localTypes = new StackType[16];
    private int _localRunCount;
    private uint _localCount;
    private StackType[] _results = StackTypes.Empty;

    // The same locals one type per index, for the fast path, when there are at most FlatLocalLimit of them.
    private const uint FlatLocalLimit = 4096;
    private StackType[] _flatLocals = new StackType[64];
    private uint _flatLocalCount;

    /// <summary>Validates defined function <paramref name="definedIndex"/>; reports into the module context.</summary>
    public FunctionInfo ValidateFunction(ModuleContext module, int definedIndex)
        => ValidateFunction(module, definedIndex, module.Module.Functions[definedIndex]);

    /// <summary>Validates <paramref name="function"/> as defined function <paramref name="definedIndex"/> (its body may come from elsewhere than the module, as in streaming).</summary>
    public FunctionInfo ValidateFunction(ModuleContext module, int definedIndex, FunctionDefinition function)
    {
        var functionIndex = (uint)(module.Module.ImportedFunctionCount + definedIndex);
        Reset(module, functionIndex);

        // Until the first instruction, errors concern the local declarations: point at the body entry,
        // where they are (the code starts after them), when the function has a span.
        _instructionOffset = function.Span.IsEmpty ? function.CodeOffset : function.Span.Start;
        _instructionLength = 0;

        var typeIndex = module.FunctionTypes[functionIndex];
        var type = typeIndex >= 0 ? module.Module.Types[typeIndex] : FuncType.Empty;
        var parameters = typeIndex >= 0 ? module.TypeParameters[typeIndex] : StackTypes.Empty;
        _results = typeIndex >= 0 ? module.TypeResults[typeIndex] : StackTypes.Empty;

        // A function whose type index is out of range was reported where it was declared; its body
        // cannot be typed.
        var ok = typeIndex >= 0 && BuildLocals(parameters, function);
        var instructionCount = 0;
        if (ok) ok = ValidateBody(function, ref instructionCount);

        return new FunctionInfo(
            functionIndex, (uint)Math.Max(typeIndex, 0), type, parameters.Length, CopyLocals(), _localCount,
            _maxVals, _maxCtrls, instructionCount, ok);
    }

    private bool BuildLocals(StackType[] parameters, FunctionDefinition function)
    {
        _localRunCount = 0;
        _localCount = 0;
        _flatLocalCount = 0;
        ulong total = 0;
        for (var i = 0; i < parameters.Length; i++)
        {
            total++;
            AddLocalRun(parameters[i], (uint)total);
        }

        foreach (var group in function.Locals)
        {
            if (group.Count == 0) continue;
            var type = StackTypes.From(group.Type, _module.Features);
            if (type == StackType.Invalid) return Fail(DiagnosticCatalog.InvalidValueType, group.Type);
            total += group.Count;
            if (total > uint.MaxValue) return Fail(DiagnosticCatalog.LocalCountTooLarge);
            AddLocalRun(type, (uint)total);
        }

        _localCount = (uint)total;
        if (total <= FlatLocalLimit)
        {
            if (_flatLocals.Length < (int)total) Array.Resize(ref _flatLocals, Math.Max((int)total, _flatLocals.Length * 2));
            var start = 0;
            for (var run = 0; run < _localRunCount; run++)
            {
                var end = (int)_localEnds[run];
                _flatLocals.AsSpan(start, end - start).Fill(_localTypes[run]);
                start = end;
            }

            _flatLocalCount = (uint)total;
        }

        return true;
    }

    private void AddLocalRun(StackType type, uint end)
    {
        if (_localRunCount > 0 && _localTypes[_localRunCount - 1] == type)
        {
            _localEnds[_localRunCount - 1] = end;
            return;
        }

        if (_localRunCount == _localEnds.Length)
        {
            Array.Resize(ref _localEnds, _localEnds.Length * 2);
            Array.Resize(ref _localTypes, _localTypes.Length * 2);
        }

        _localEnds[_localRunCount] = end;
        _localTypes[_localRunCount] = type;
        _localRunCount++;
    }

    private ImmutableArray<LocalGroup> CopyLocals()
    {
        var builder = ImmutableArray.CreateBuilder<LocalGroup>(_localRunCount);
        var start = 0u;
        for (var i = 0; i < _localRunCount; i++)
        {
            var type = _localTypes[i];
            builder.Add(new LocalGroup(_localEnds[i] - start, type < StackType.Unknown ? StackTypes.ToValType(type) : default));
            start = _localEnds[i];
        }

        return builder.MoveToImmutable();
    }

    private bool TryGetLocal(uint index, out StackType type)
    {
        if (index >= _localCount)
        {
            type = StackType.Invalid;
            return Fail(DiagnosticCatalog.UnknownLocal, index);
        }

        int lo = 0, hi = _localRunCount - 1;
        while (lo < hi)
        {
            var mid = (lo + hi) >> 1;
            if (_localEnds[mid] > index) hi = mid;
            else lo = mid + 1;
        }

        type = _localTypes[lo];
        return true;
    }

    private bool ValidateBody(FunctionDefinition function, ref int instructionCount)
    {
        var reader = new InstructionReader(function.Code.Span, function.CodeOffset, _module.Features);
        var checkFeatures = (_module.Features & WasmFeatures.V2) != WasmFeatures.V2;
        PushCtrl(FrameKind.Function, StackTypes.Empty, _results);
        while (true)
        {
            if (!reader.Read())
            {
                if (reader.ErrorDescriptor is { } error)
                {
                    var location = new BinaryLocation(new ByteSpan(Math.Max(reader.ErrorOffset, 0), 1), _module.Path, _functionIndex, reader.InstructionOffset);
                    _module.Diagnostics.Add(Diagnostic.Create(error, location, reader.ErrorArguments));
                    return false;
                }

                _instructionOffset = reader.Offset;
                _instructionLength = 0;
                return Fail(DiagnosticCatalog.BodyEndExpected, _ctrlCount > 1 ? "the body ends inside a block" : "the body ends without the function's final end");
            }

            instructionCount++;
            if (!checkFeatures && TryFastStep(ref reader)) continue;
            _instructionOffset = reader.InstructionOffset;
            _instructionLength = reader.Offset - reader.InstructionOffset;
            _info = reader.Info;
            if (checkFeatures && !CheckFeature(reader.Opcode)) return false;
            if (!Step(ref reader)) return false;
            if (_ctrlCount == 0)
            {
                if (reader.IsAtEnd) return true;
                _instructionOffset = reader.Offset;
                _instructionLength = 0;
                return Fail(DiagnosticCatalog.OperatorsAfterEnd);
            }
        }
    }

    /// <summary>
    /// Types the commonest instructions when they are plainly valid: locals and fixed signatures whose
    /// operands are on the stack with exactly the expected types. Changes nothing and returns false
    /// otherwise, so that <see cref="Step"/> types the instruction and reports any error as it always does.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryFastStep(ref InstructionReader reader)
    {
        var opcode = (uint)reader.Opcode;
        if (opcode >= 256) return false;
        var vals = _vals;
        var count = _valCount;
        switch ((Opcode)opcode)
        {
            case Opcode.LocalGet:
            {
                var index = reader.Index;
                if (index >= _flatLocalCount || count >= vals.Length) return false;
                vals[count++] = _flatLocals[index];
                _valCount = count;
                if (count > _maxVals) _maxVals = count;
                return true;
            }

            case Opcode.LocalSet:
            case Opcode.LocalTee:
            {
                var index = reader.Index;
                if (index >= _flatLocalCount || count <= _ctrls[_ctrlCount - 1].Height) return false;
                if ((uint)(count - 1) >= (uint)vals.Length || vals[count - 1] != _flatLocals[index]) return false;
                if (opcode == (uint)Opcode.LocalSet) _valCount = count - 1;
                return true;
            }
        }

        var sig = OpcodeSignatures.FastOneByte[opcode];
        if (sig == 0) return false;
        var pops = (int)(sig & 3);
        var bottom = count - pops;
        if (bottom < _ctrls[_ctrlCount - 1].Height || count > vals.Length) return false;
        for (var i = 0; i < pops; i++)
        {
            if (vals[bottom + i] != (StackType)(byte)(sig >> (16 + (8 * i)))) return false;
        }

        if ((sig & OpcodeSignatures.FastMemArg) != 0)
        {
            var memArg = reader.MemArg;
            if (memArg.Memory >= (uint)_module.MemoryCount || memArg.AlignExponent > (uint)(byte)(sig >> 40)) return false;
        }

        if ((sig & OpcodeSignatures.FastHasResult) != 0)
        {
            if (bottom >= vals.Length) return false;
            vals[bottom++] = (StackType)(byte)(sig >> 8);
            if (bottom > _maxVals) _maxVals = bottom;
        }

        _valCount = bottom;
        return true;
    }

    /// <summary>Types one instruction (spec 3.3); false after reporting its error.</summary>
    private bool Step(ref InstructionReader reader)
    {
        StackType type;
        StackType[] start, end;
        switch (reader.Opcode)
        {
            case Opcode.Unreachable:
                SetUnreachable();
                return true;

            case Opcode.Block:
            case Opcode.Loop:
                if (!ResolveBlockType(reader.BlockType, out start, out end) || !PopVals(start)) return false;
                PushCtrl(reader.Opcode == Opcode.Block ? FrameKind.Block : FrameKind.Loop, start, end);
                return true;

            case Opcode.If:
                if (!ResolveBlockType(reader.BlockType, out start, out end) || !Pop(StackType.I32) || !PopVals(start)) return false;
                PushCtrl(FrameKind.If, start, end);
                return true;

            case Opcode.Else:
            {
                if (_ctrls[_ctrlCount - 1].Kind != FrameKind.If) return Fail(DiagnosticCatalog.ElseWithoutIf);
                if (!PopCtrl(out var frame)) return false;
                PushCtrl(FrameKind.Else, frame.Start, frame.End);
                return true;
            }

            case Opcode.End:
            {
                if (!PopCtrl(out var frame)) return false;
                if (frame.Kind == FrameKind.If)
                {
                    // An if without else has an implicit empty else branch: [t1*] must pass to [t2*] unchanged.
                    PushCtrl(FrameKind.Else, frame.Start, frame.End);
                    if (!PopCtrl(out _)) return false;
                }

                PushVals(frame.End);
                return true;
            }

            case Opcode.Br:
                if (!TryGetLabel(reader.Index, out end) || !PopVals(end)) return false;
                SetUnreachable();
                return true;

            case Opcode.BrIf:
                if (!Pop(StackType.I32) || !TryGetLabel(reader.Index, out end) || !PopVals(end)) return false;
                PushVals(end);
                return true;

            case Opcode.BrTable:
                return BrTable(ref reader);

            case Opcode.Return:
                if (!PopVals(_results)) return false;
                SetUnreachable();
                return true;

            case Opcode.Call:
            {
                if (reader.Index >= (uint)_module.FunctionTypes.Length) return Fail(DiagnosticCatalog.UnknownFunction, reader.Index);
                var t = _module.FunctionTypes[reader.Index];
                if (t < 0) return Fail(DiagnosticCatalog.UnknownType, _module.Module.GetFunctionTypeIndex(reader.Index)?.Value);
                if (!PopVals(_module.TypeParameters[t])) return false;
                PushVals(_module.TypeResults[t]);
                return true;
            }

            case Opcode.CallIndirect:
            {
                if (!TryGetTable(reader.Index2, out type)) return false;
                if (type != StackType.FuncRef) return Fail(DiagnosticCatalog.TypeMismatch, $"call_indirect needs a funcref table, table {reader.Index2} holds {StackTypes.Name(type)}");
                if (reader.Index >= (uint)_module.TypeParameters.Length) return Fail(DiagnosticCatalog.UnknownType, reader.Index);
                if (!Pop(StackType.I32) || !PopVals(_module.TypeParameters[reader.Index])) return false;
                PushVals(_module.TypeResults[reader.Index]);
                return true;
            }

            case Opcode.RefNull:
                Push(reader.HeapType == HeapType.Extern ? StackType.ExternRef : StackType.FuncRef);
                return true;

            case Opcode.RefIsNull:
                if (!PopAny(out type)) return false;
                if (!StackTypes.IsReference(type)) return Fail(DiagnosticCatalog.TypeMismatch, $"ref.is_null expected a reference but found {StackTypes.Name(type)}");
                Push(StackType.I32);
                return true;

            case Opcode.RefFunc:
                if (reader.Index >= (uint)_module.FunctionTypes.Length) return Fail(DiagnosticCatalog.UnknownFunction, reader.Index);
                if (!_module.DeclaredFunctions[reader.Index]) return Fail(DiagnosticCatalog.UndeclaredFunctionReference, reader.Index);
                Push(StackType.FuncRef);
                return true;

            case Opcode.Drop:
                return PopAny(out _);

            case Opcode.Select:
            {
                if (!Pop(StackType.I32) || !PopAny(out var t1) || !PopAny(out var t2)) return false;
                if (!((StackTypes.IsNumber(t1) && StackTypes.IsNumber(t2)) || (StackTypes.IsVector(t1) && StackTypes.IsVector(t2))))
                {
                    return Fail(DiagnosticCatalog.TypeMismatch, $"select without a type needs numeric or vector operands, found {StackTypes.Name(t2)} and {StackTypes.Name(t1)}");
                }

                if (t1 != t2 && t1 != StackType.Unknown && t2 != StackType.Unknown)
                {
                    return Fail(DiagnosticCatalog.TypeMismatch, $"select operands differ: {StackTypes.Name(t2)} and {StackTypes.Name(t1)}");
                }

                Push(t1 == StackType.Unknown ? t2 : t1);
                return true;
            }

            case Opcode.SelectTyped:
                if (reader.SelectTypeCount != 1) return Fail(DiagnosticCatalog.InvalidResultArity, $"select needs exactly one type, has {reader.SelectTypeCount}");
                type = StackTypes.From(reader.SelectType, _module.Features);
                if (type == StackType.Invalid) return Fail(DiagnosticCatalog.InvalidValueType, reader.SelectType);
                if (!Pop(StackType.I32) || !Pop(type) || !Pop(type)) return false;
                Push(type);
                return true;

            case Opcode.LocalGet:
                if (!TryGetLocal(reader.Index, out type)) return false;
                Push(type);
                return true;

            case Opcode.LocalSet:
                return TryGetLocal(reader.Index, out type) && Pop(type);

            case Opcode.LocalTee:
                if (!TryGetLocal(reader.Index, out type) || !Pop(type)) return false;
                Push(type);
                return true;

            case Opcode.GlobalGet:
                if (reader.Index >= (uint)_module.GlobalTypes.Length) return Fail(DiagnosticCatalog.UnknownGlobal, reader.Index);
                Push(_module.GlobalTypes[reader.Index]);
                return true;

            case Opcode.GlobalSet:
                if (reader.Index >= (uint)_module.GlobalTypes.Length) return Fail(DiagnosticCatalog.UnknownGlobal, reader.Index);
                if (!_module.GlobalMutable[reader.Index]) return Fail(DiagnosticCatalog.GlobalIsImmutable, reader.Index);
                return Pop(_module.GlobalTypes[reader.Index]);

            case Opcode.TableGet:
                if (!TryGetTable(reader.Index, out type) || !Pop(StackType.I32)) return false;
                Push(type);
                return true;

            case Opcode.TableSet:
                return TryGetTable(reader.Index, out type) && Pop(type) && Pop(StackType.I32);

            case Opcode.TableSize:
                if (!TryGetTable(reader.Index, out _)) return false;
                Push(StackType.I32);
                return true;

            case Opcode.TableGrow:
                if (!TryGetTable(reader.Index, out type) || !Pop(StackType.I32) || !Pop(type)) return false;
                Push(StackType.I32);
                return true;

            case Opcode.TableFill:
                return TryGetTable(reader.Index, out type) && Pop(StackType.I32) && Pop(type) && Pop(StackType.I32);

            case Opcode.TableCopy:
            {
                if (!TryGetTable(reader.Index, out var destination) || !TryGetTable(reader.Index2, out var source)) return false;
                if (destination != source) return Fail(DiagnosticCatalog.TypeMismatch, $"table.copy from {StackTypes.Name(source)} to {StackTypes.Name(destination)}");
                return Pop(StackType.I32) && Pop(StackType.I32) && Pop(StackType.I32);
            }

            case Opcode.TableInit:
            {
                // Immediates: element segment (Index), then table (Index2).
                if (!TryGetTable(reader.Index2, out var tableType)) return false;
                if (reader.Index >= (uint)_module.ElementCount) return Fail(DiagnosticCatalog.UnknownElemSegment, reader.Index);
                var elementType = StackTypes.From(_module.Module.Elements[(int)reader.Index].ElementType, _module.Features);
                if (elementType != tableType) return Fail(DiagnosticCatalog.TypeMismatch, $"table.init of {StackTypes.Name(elementType)} elements into a {StackTypes.Name(tableType)} table");
                return Pop(StackType.I32) && Pop(StackType.I32) && Pop(StackType.I32);
            }

            default:
                return FixedSignature(ref reader);
        }
    }

    /// <summary>Instructions whose typing is opcodes.txt's signature, after checking their immediates.</summary>
    private bool FixedSignature(ref InstructionReader reader)
    {
        var info = reader.Info!;
        if (!OpcodeSignatures.TryGet(reader.Opcode, out var operands, out var results))
        {
            return Fail(DiagnosticCatalog.IllegalOpcode, info.Name); // a table row the validator does not know: a bug, reported rather than thrown
        }

        switch (info.Immediate)
        {
            case ImmediateKind.Memarg:
                if (!CheckMemArg(reader.MemArg, info)) return false;
                break;
            case ImmediateKind.MemargLane:
                if (!CheckMemArg(reader.MemArg, info) || !CheckLane(reader.Lane, info)) return false;
                break;
            case ImmediateKind.Lane:
                if (!CheckLane(reader.Lane, info)) return false;
                break;
            case ImmediateKind.Shuffle:
            {
                var lanes = reader.V128;
                for (var i = 0; i < 16; i++)
                {
                    if (lanes[i] >= 32) return Fail(DiagnosticCatalog.InvalidLaneIndex, lanes[i], info.Name);
                }

                break;
            }

            case ImmediateKind.Memory:
                if (!CheckMemory(reader.Index)) return false;
                break;
            case ImmediateKind.MemoryCopy:
                if (!CheckMemory(reader.Index) || !CheckMemory(reader.Index2)) return false;
                break;
            case ImmediateKind.MemoryInit:
                // Immediates: data segment (Index), then memory (Index2).
                if (!CheckMemory(reader.Index2) || !CheckData(reader.Index)) return false;
                break;
            case ImmediateKind.Data:
                if (!CheckData(reader.Index)) return false;
                break;
            case ImmediateKind.Elem:
                if (reader.Index >= (uint)_module.ElementCount) return Fail(DiagnosticCatalog.UnknownElemSegment, reader.Index);
                break;
        }

        if (!PopVals(operands)) return false;
        PushVals(results);
        return true;
    }

    private bool BrTable(ref InstructionReader reader)
    {
        if (!Pop(StackType.I32) || !TryGetLabel(reader.BrTableDefault, out var defaultTypes)) return false;
        var arity = defaultTypes.Length;
        foreach (var target in reader.GetBrTableTargets())
        {
            if (!TryGetLabel(target, out var types)) return false;
            if (types.Length != arity)
            {
                return Fail(DiagnosticCatalog.TypeMismatch, $"br_table target {target} carries {types.Length} value(s), the default {arity}");
            }

            if (!CheckTop(types)) return false;
        }

        if (!PopVals(defaultTypes)) return false;
        SetUnreachable();
        return true;
    }

    private bool TryGetLabel(uint depth, out StackType[] types)
    {
        if (depth >= (uint)_ctrlCount)
        {
            types = StackTypes.Empty;
            return Fail(DiagnosticCatalog.UnknownLabel, depth);
        }

        types = _ctrls[_ctrlCount - 1 - (int)depth].LabelTypes;
        return true;
    }

    private bool TryGetTable(uint index, out StackType elementType)
    {
        if (index >= (uint)_module.TableElementTypes.Length)
        {
            elementType = StackType.Invalid;
            return Fail(DiagnosticCatalog.UnknownTable, index);
        }

        elementType = _module.TableElementTypes[index];
        return true;
    }

    private bool CheckMemory(uint index) => index < (uint)_module.MemoryCount || Fail(DiagnosticCatalog.UnknownMemory, index);

    private bool CheckMemArg(MemArg memArg, OpcodeInfo info)
    {
        if (!CheckMemory(memArg.Memory)) return false;
        return memArg.AlignExponent <= (uint)info.NaturalAlignment
            || Fail(DiagnosticCatalog.AlignmentTooLarge, memArg.AlignExponent, info.AccessSize, info.Name);
    }

    private bool CheckLane(byte lane, OpcodeInfo info)
        => lane < info.LaneCount || Fail(DiagnosticCatalog.InvalidLaneIndex, lane, info.Name);

    private bool CheckData(uint index)
    {
        // The index is checked first, against the data section when the count section is absent: the
        // reference interpreter reports "unknown data segment" for data.drop 0 in a module without data.
        var count = _module.DataCount ?? (uint)_module.Module.Data.Length;
        if (index >= count) return Fail(DiagnosticCatalog.UnknownDataSegment, index);
        return _module.DataCount is not null || Fail(DiagnosticCatalog.DataCountSectionRequired, InstructionName);
    }

    private bool ResolveBlockType(BlockType blockType, out StackType[] start, out StackType[] end)
    {
        start = StackTypes.Empty;
        end = StackTypes.Empty;
        switch (blockType.Kind)
        {
            case BlockTypeKind.Empty:
                return true;
            case BlockTypeKind.Value:
            {
                var type = StackTypes.From(blockType.ValueType, _module.Features);
                if (type == StackType.Invalid) return Fail(DiagnosticCatalog.InvalidValueType, blockType.ValueType);
                end = StackTypes.Single(type);
                return true;
            }

            default:
                if ((_module.Features & WasmFeatures.MultiValue) == 0) return Fail(DiagnosticCatalog.ProposalNotEnabled, "a block type index", "multi-value");
                if (blockType.TypeIndex >= (uint)_module.TypeParameters.Length) return Fail(DiagnosticCatalog.UnknownType, blockType.TypeIndex);
                start = _module.TypeParameters[blockType.TypeIndex];
                end = _module.TypeResults[blockType.TypeIndex];
                return true;
        }
    }

    /// <summary>Rejects instructions of proposals that are not enabled (only called below 2.0).</summary>
    private bool CheckFeature(Opcode opcode)
    {
        var code = (int)opcode;
        WasmFeatures required;
        string name;
        if (code is >= 0xC0 and <= 0xC4)
        {
            required = WasmFeatures.SignExtension;
            name = "sign-extension";
        }
        else if (code >> 16 == 0xFC)
        {
            var sub = code & 0xFFFF;
            (required, name) = sub < 8 ? (WasmFeatures.SaturatingFloatToInt, "saturating float-to-int")
                : sub >= 15 ? (WasmFeatures.ReferenceTypes, "reference types")
                : (WasmFeatures.BulkMemory, "bulk memory");
        }
        else if (opcode is Opcode.RefNull or Opcode.RefIsNull or Opcode.RefFunc or Opcode.SelectTyped or Opcode.TableGet or Opcode.TableSet)
        {
            required = WasmFeatures.ReferenceTypes;
            name = "reference types";
        }
        else
        {
            return true;
        }

        return (_module.Features & required) == required || Fail(DiagnosticCatalog.ProposalNotEnabled, InstructionName, name);
    }
}
