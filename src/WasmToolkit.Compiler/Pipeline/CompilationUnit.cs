using System;
using System.Runtime.ExceptionServices;
using WasmToolkit.Compiler.Baseline;

namespace WasmToolkit.Compiler.Pipeline;

/// <summary>What compiling one function gave; exactly one of code, error or exception is the outcome.</summary>
internal readonly record struct UnitResult(
    FuncType? Type, FunctionCode? Code, int Spills, int Instructions, CompileError? Error, CompileError? Unsupported, ExceptionDispatchInfo? Exception)
{
    /// <summary>Bytes of machine code this result holds until it is published (what the pending-code budget counts).</summary>
    public int CodeBytes => Code?.Bytes.Length ?? 0;
}

/// <summary>One compilation unit: a defined function (V8's <c>WasmCompilationUnit</c>).</summary>
internal static class CompilationUnit
{
    /// <summary>
    /// Compiles <paramref name="function"/> as defined function <paramref name="i"/> of <paramref name="module"/>.
    /// Thread-safe: reads only the immutable module, function and options, writes only <paramref name="worker"/> (the
    /// calling thread's, reset for every unit, so what it compiled before cannot show) and its own result.
    /// </summary>
    /// <remarks><paramref name="module"/> is the module, or for streaming its prefix (every section before the code
    /// section; the compiler reads no later section's contents, so the code is the same).</remarks>
    public static UnitResult Compile(Module module, FunctionDefinition function, CompilerOptions options, ModuleCompiler.Worker worker, int i)
    {
        var index = module.ImportedFunctionCount + i;
        try
        {
            var type = module.GetFunctionType((uint)index);
            if (type is null) return new UnitResult(null, null, 0, 0, new CompileError(CompileErrorKind.InvalidInput, "function has an unknown type index", index), null, null);
            var offset = function.CodeOffset;
            try
            {
                var code = worker.Compile(module, function, type, out var s, out var n, out offset);
                return new UnitResult(type, code, s, n, null, null, null);
            }
            catch (CompileFailure failure) when (failure.Kind == CompileErrorKind.Unsupported && options.TrapOnUnsupportedFunctions)
            {
                worker.Assembler.Reset();
                var stub = FunctionCompiler.CompileUnsupportedStub(worker.Assembler, function.CodeOffset);
                return new UnitResult(type, stub, 0, 0, null, new CompileError(failure.Kind, failure.Message, index, offset), null);
            }
            catch (CompileFailure failure)
            {
                return new UnitResult(type, null, 0, 0, new CompileError(failure.Kind, failure.Message, index, offset), null, null);
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or IndexOutOfRangeException)
            {
                return new UnitResult(type, null, 0, 0, new CompileError(CompileErrorKind.Internal, e.Message, index, offset), null, null);
            }
        }
        catch (Exception e)
        {
            return new UnitResult(null, null, 0, 0, null, null, ExceptionDispatchInfo.Capture(e));
        }
    }
}
