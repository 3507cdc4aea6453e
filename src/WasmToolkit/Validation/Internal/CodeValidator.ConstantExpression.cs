using WasmToolkit.Diagnostics;
using WasmToolkit.Instructions;

namespace WasmToolkit.Validation.Internal;

// Constant expressions (spec 3.3.10 "Constant Expressions", 3.4.10 "Modules": initialisers and offsets
// see only the imported globals in 2.0).
internal sealed partial class CodeValidator
{
    /// <summary>
    /// Validates <paramref name="expression"/> as a constant expression of type <paramref name="expected"/>
    /// and marks the functions it names with <c>ref.func</c> as declared (they join <c>C.refs</c>).
    /// </summary>
    public bool ValidateConstantExpression(ModuleContext module, ConstantExpression expression, StackType expected)
    {
        Reset(module, null);
        var reader = new InstructionReader(expression.Code.Span, expression.CodeOffset, module.Features);
        _instructionOffset = expression.CodeOffset;
        _instructionLength = 0;
        PushCtrl(FrameKind.Function, StackTypes.Empty, StackTypes.Single(expected));
        while (true)
        {
            if (!reader.Read())
            {
                if (reader.ErrorDescriptor is { } error)
                {
                    var location = new BinaryLocation(new ByteSpan(System.Math.Max(reader.ErrorOffset, 0), 1), module.Path, null, reader.InstructionOffset);
                    module.Diagnostics.Add(Diagnostic.Create(error, location, reader.ErrorArguments));
                    return false;
                }

                _instructionOffset = reader.Offset;
                _instructionLength = 0;
                return Fail(DiagnosticCatalog.BodyEndExpected, "the constant expression has no end");
            }

            _instructionOffset = reader.InstructionOffset;
            _instructionLength = reader.Offset - reader.InstructionOffset;
            _info = reader.Info;
            switch (reader.Opcode)
            {
                case Opcode.I32Const:
                    Push(StackType.I32);
                    break;
                case Opcode.I64Const:
                    Push(StackType.I64);
                    break;
                case Opcode.F32Const:
                    Push(StackType.F32);
                    break;
                case Opcode.F64Const:
                    Push(StackType.F64);
                    break;
                case Opcode.V128Const:
                    Push(StackType.V128);
                    break;
                case Opcode.RefNull:
                    if (!module.Has(WasmFeatures.ReferenceTypes)) return Fail(DiagnosticCatalog.ProposalNotEnabled, "ref.null", "reference types");
                    Push(reader.HeapType == HeapType.Extern ? StackType.ExternRef : StackType.FuncRef);
                    break;
                case Opcode.RefFunc:
                    if (!module.Has(WasmFeatures.ReferenceTypes)) return Fail(DiagnosticCatalog.ProposalNotEnabled, "ref.func", "reference types");
                    if (reader.Index >= (uint)module.FunctionTypes.Length) return Fail(DiagnosticCatalog.UnknownFunction, reader.Index);
                    module.DeclaredFunctions[reader.Index] = true;
                    Push(StackType.FuncRef);
                    break;
                case Opcode.GlobalGet:
                    if (reader.Index >= (uint)module.ConstantGlobalCount) return Fail(DiagnosticCatalog.UnknownGlobal, reader.Index);
                    if (module.GlobalMutable[reader.Index]) return Fail(DiagnosticCatalog.ConstantExpressionRequired, $"global {reader.Index} is mutable");
                    Push(module.GlobalTypes[reader.Index]);
                    break;
                case Opcode.I32Add or Opcode.I32Sub or Opcode.I32Mul when module.Has(WasmFeatures.ExtendedConst):
                    if (!Pop(StackType.I32) || !Pop(StackType.I32)) return false;
                    Push(StackType.I32);
                    break;
                case Opcode.I64Add or Opcode.I64Sub or Opcode.I64Mul when module.Has(WasmFeatures.ExtendedConst):
                    if (!Pop(StackType.I64) || !Pop(StackType.I64)) return false;
                    Push(StackType.I64);
                    break;
                case Opcode.End:
                    if (!PopCtrl(out _)) return false;
                    if (reader.IsAtEnd) return true;
                    _instructionOffset = reader.Offset;
                    _instructionLength = 0;
                    return Fail(DiagnosticCatalog.OperatorsAfterEnd);
                default:
                    return Fail(DiagnosticCatalog.ConstantExpressionRequired, $"{reader.Info!.Name} is not constant");
            }
        }
    }
}
