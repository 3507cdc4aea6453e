using WasmToolkit.Instructions;

namespace WasmToolkit.Text;

/// <summary>Function bodies and constant expressions: instructions and their immediates (spec 6.5).</summary>
internal sealed partial class ModuleTextWriter
{
    /// <summary>
    /// Writes a body flat, one instruction per line indented by block depth; the final <c>end</c> is
    /// the function's closing parenthesis. Anything that does not decode ends the body with a
    /// <c>;; malformed: …</c> comment.
    /// </summary>
    private void WriteBody(FunctionDefinition function, uint functionIndex)
    {
        const int bodyIndent = 2;
        var reader = new InstructionReader(function.Code.Span, function.CodeOffset, _options.Features);
        var depth = 0;
        var ended = false;
        while (reader.Read())
        {
            var opcode = reader.Opcode;
            if (opcode == Opcode.End)
            {
                if (depth == 0)
                {
                    ended = true;
                    break;
                }

                depth--;
            }

            BeginLine(bodyIndent + (opcode == Opcode.Else && depth > 0 ? depth - 1 : depth));
            WriteInstruction(ref reader);
            WriteOffsetComment(reader.InstructionOffset);
            if (opcode is Opcode.Block or Opcode.Loop or Opcode.If) depth++;
        }

        if (ended && reader.IsAtEnd) return;

        BeginLine(bodyIndent);
        _out.Write(";; malformed: ");
        if (ended)
        {
            _out.Write("bytes after the final end at offset ");
            _out.WriteHex((ulong)reader.Offset);
        }
        else if (reader.GetError(functionIndex) is { } error)
        {
            WriteCommentText(error.Message);
            _out.Write(" at offset ");
            _out.WriteHex((ulong)reader.ErrorOffset);
        }
        else
        {
            _out.Write("unexpected end of code: ");
            _out.WriteDecimal((ulong)depth + 1);
            _out.Write(depth == 0 ? " end missing" : " ends missing");
        }

        _lineHasComment = true;
    }

    /// <summary>
    /// Writes a constant expression after a space. One instruction prints folded, <c>(i32.const 0)</c>,
    /// which every context accepts; longer ones print flat inside <c>(wrapper …)</c>, or bare when
    /// <paramref name="wrapper"/> is null (global and table initialisers).
    /// </summary>
    private void WriteConstantExpression(ConstantExpression expression, string? wrapper)
    {
        var count = 0;
        var clean = false;
        var reader = new InstructionReader(expression.Code.Span, expression.CodeOffset, _options.Features);
        while (reader.Read())
        {
            if (reader.Opcode == Opcode.End && reader.IsAtEnd)
            {
                clean = true;
                break;
            }

            count++;
        }

        var folded = clean && count == 1;
        if (folded || wrapper is not null)
        {
            _out.Write(" (");
            if (!folded) _out.Write(wrapper!);
        }

        reader = new InstructionReader(expression.Code.Span, expression.CodeOffset, _options.Features);
        var first = true;
        while (reader.Read())
        {
            if (reader.Opcode == Opcode.End && reader.IsAtEnd) break;
            if (!(folded && first)) _out.Write(' ');
            WriteInstruction(ref reader);
            first = false;
        }

        if (reader.GetError() is { } error)
        {
            // A block comment, so the rest of the line stays readable.
            _out.Write(" (;malformed: ");
            WriteCommentText(error.Message);
            _out.Write(";)");
        }
        else if (!clean)
        {
            _out.Write(" (;malformed: missing end;)");
        }

        if (folded || wrapper is not null) _out.Write(')');
    }

    /// <summary>Writes the mnemonic and immediates of the reader's current instruction.</summary>
    private void WriteInstruction(ref InstructionReader reader)
    {
        var info = reader.Info!;
        _out.Write(info.Name);
        switch (info.Immediate)
        {
            case ImmediateKind.None:
                break;
            case ImmediateKind.Block:
                WriteBlockType(reader.BlockType);
                break;
            case ImmediateKind.Label:
                _out.Write(' ');
                _out.WriteDecimal((ulong)reader.Index);
                break;
            case ImmediateKind.BrTable:
                foreach (var target in reader.GetBrTableTargets())
                {
                    _out.Write(' ');
                    _out.WriteDecimal((ulong)target);
                }

                _out.Write(' ');
                _out.WriteDecimal((ulong)reader.BrTableDefault);
                break;
            case ImmediateKind.Func:
                _out.Write(' ');
                WriteReference(_names.Functions, reader.Index);
                break;
            case ImmediateKind.CallIndirect:
                if (reader.Index2 != 0)
                {
                    _out.Write(' ');
                    WriteReference(_names.Tables, reader.Index2);
                }

                _out.Write(" (type ");
                WriteReference(_names.Types, reader.Index);
                _out.Write(')');
                break;
            case ImmediateKind.Local:
                _out.Write(' ');
                WriteReference(_locals, reader.Index);
                break;
            case ImmediateKind.Global:
                _out.Write(' ');
                WriteReference(_names.Globals, reader.Index);
                break;
            case ImmediateKind.Table:
                // Always explicit: older parsers (wabt 1.0.32) require the index of table.size and friends.
                _out.Write(' ');
                WriteReference(_names.Tables, reader.Index);
                break;
            case ImmediateKind.Memory:
                WriteMemoryIndex(reader.Index);
                break;
            case ImmediateKind.Memarg:
                WriteMemArg(reader.MemArg, info.NaturalAlignment);
                break;
            case ImmediateKind.MemargLane:
                WriteMemArg(reader.MemArg, info.NaturalAlignment);
                _out.Write(' ');
                _out.WriteDecimal((ulong)reader.Lane);
                break;
            case ImmediateKind.Lane:
                _out.Write(' ');
                _out.WriteDecimal((ulong)reader.Lane);
                break;
            case ImmediateKind.I32:
                _out.Write(' ');
                _out.WriteDecimal((long)unchecked((int)(uint)reader.Value));
                break;
            case ImmediateKind.I64:
                _out.Write(' ');
                _out.WriteDecimal(unchecked((long)reader.Value));
                break;
            case ImmediateKind.F32:
                _out.Write(' ');
                FloatTextFormatter.WriteF32(_out, (uint)reader.Value);
                break;
            case ImmediateKind.F64:
                _out.Write(' ');
                FloatTextFormatter.WriteF64(_out, reader.Value);
                break;
            case ImmediateKind.SelectTypes:
                _out.Write(" (result");
                if (reader.SelectTypeCount > 0)
                {
                    _out.Write(' ');
                    WriteValType(reader.SelectType);
                }

                _out.Write(')');
                break;
            case ImmediateKind.HeapType:
                _out.Write(' ');
                WriteHeapType(reader.HeapType);
                break;
            case ImmediateKind.MemoryInit:
                WriteMemoryIndex(reader.Index2);
                _out.Write(' ');
                WriteReference(_names.Data, reader.Index);
                break;
            case ImmediateKind.Data:
                _out.Write(' ');
                WriteReference(_names.Data, reader.Index);
                break;
            case ImmediateKind.MemoryCopy:
                if (reader.Index != 0 || reader.Index2 != 0)
                {
                    _out.Write(' ');
                    WriteReference(_names.Memories, reader.Index);
                    _out.Write(' ');
                    WriteReference(_names.Memories, reader.Index2);
                }

                break;
            case ImmediateKind.Elem:
                _out.Write(' ');
                WriteReference(_names.Elements, reader.Index);
                break;
            case ImmediateKind.TableInit:
                // Binary order is element then table; text order is table then element (spec 6.5.5).
                _out.Write(' ');
                WriteReference(_names.Tables, reader.Index2);
                _out.Write(' ');
                WriteReference(_names.Elements, reader.Index);
                break;
            case ImmediateKind.TableCopy:
                _out.Write(' ');
                WriteReference(_names.Tables, reader.Index);
                _out.Write(' ');
                WriteReference(_names.Tables, reader.Index2);
                break;
            case ImmediateKind.V128:
            {
                var value = reader.V128;
                _out.Write(" i32x4");
                for (var shift = 0; shift < 128; shift += 32)
                {
                    var lane = shift < 64 ? (uint)(value.Low >> shift) : (uint)(value.High >> (shift - 64));
                    _out.Write(' ');
                    _out.WriteHex(lane, 8);
                }

                break;
            }

            case ImmediateKind.Shuffle:
            {
                var lanes = reader.V128;
                for (var i = 0; i < 16; i++)
                {
                    _out.Write(' ');
                    _out.WriteDecimal((ulong)lanes[i]);
                }

                break;
            }
        }
    }

    private void WriteBlockType(BlockType type)
    {
        switch (type.Kind)
        {
            case BlockTypeKind.Value:
                _out.Write(" (result ");
                WriteValType(type.ValueType);
                _out.Write(')');
                break;
            case BlockTypeKind.TypeIndex:
                // (type x) keeps the exact index; the signature after it is for the reader (spec 6.5.2
                // allows both when they agree, and they do by construction).
                _out.Write(" (type ");
                WriteReference(_names.Types, type.TypeIndex);
                _out.Write(')');
                if (GetType(type.TypeIndex) is { } signature) WriteSignature(signature, s_noNames);
                break;
        }
    }

    private void WriteMemoryIndex(uint memory)
    {
        if (memory == 0) return;
        _out.Write(' ');
        WriteReference(_names.Memories, memory);
    }

    /// <summary><c>offset=N align=M</c>, each only when not the default (0, natural alignment).</summary>
    private void WriteMemArg(MemArg memArg, int naturalAlignment)
    {
        WriteMemoryIndex(memArg.Memory);
        if (memArg.Offset != 0)
        {
            _out.Write(" offset=");
            _out.WriteDecimal(memArg.Offset);
        }

        if (memArg.AlignExponent != (uint)naturalAlignment)
        {
            _out.Write(" align=");
            if (memArg.AlignExponent < 64)
            {
                _out.WriteDecimal(1UL << (int)memArg.AlignExponent);
            }
            else
            {
                // Not representable as a number of bytes; invalid anyway (alignment must not exceed natural).
                _out.Write("(;2^");
                _out.WriteDecimal((ulong)memArg.AlignExponent);
                _out.Write(";)");
            }
        }
    }

    /// <summary>Writes text inside a comment, with line breaks and block-comment delimiters defused.</summary>
    private void WriteCommentText(string text)
    {
        var previous = '\0';
        foreach (var c in text)
        {
            // "(;" would open a nested block comment and ";)" close ours; a space keeps them apart.
            if ((previous == '(' && c == ';') || (previous == ';' && c == ')')) _out.Write(' ');
            _out.Write(c is '\n' or '\r' ? ' ' : c);
            previous = c;
        }

        if (previous == ';') _out.Write(' ');
    }
}
