using System;
using System.Collections.Immutable;
using WasmToolkit.Diagnostics;
using WasmToolkit.Validation.Internal;

namespace WasmToolkit.Validation;

/// <summary>
/// Validates function bodies one at a time against the sections that come before the code section
/// (types, imports, functions, tables, memories, globals, exports, start, elements, data count): what a
/// streaming compiler needs to check a body as soon as its bytes have arrived (V8's streaming decoder
/// does the same before compiling a unit).
/// </summary>
/// <remarks>
/// Built once per module from a module holding those sections (the bodies of <see cref="Module.Functions"/>
/// are not read, only their type indices; data segments are not read, <see cref="Module.DataCount"/> is).
/// Thread-safe: <see cref="Validate"/> may run on several threads at once. A body that passes here also
/// passes <see cref="ModuleValidator"/> in the whole module (the same rules, the same context), which
/// remains the authority: its diagnostics are the ones to report.
/// </remarks>
public sealed class FunctionBodyValidator
{
    private readonly ModuleContext _context;

    private FunctionBodyValidator(ModuleContext context, ImmutableArray<Diagnostic> moduleDiagnostics)
    {
        _context = context;
        ModuleDiagnostics = moduleDiagnostics;
    }

    /// <summary>Validates the module-level rules of <paramref name="prefix"/> and prepares the context bodies are checked in.</summary>
    /// <param name="prefix">The module as far as the code section: function type indices, no bodies needed.</param>
    /// <param name="features">The proposals allowed.</param>
    /// <param name="path">A file path to put in diagnostic locations.</param>
    public static FunctionBodyValidator Create(Module prefix, WasmFeatures features = WasmFeatures.V2, string? path = null)
    {
        if (prefix is null) throw new ArgumentNullException(nameof(prefix));
        var code = CodeValidator.Rent();
        try
        {
            var context = ModuleValidator.ValidatePrefix(prefix, features, path, code);
            return new FunctionBodyValidator(context, context.Diagnostics.ToImmutable());
        }
        finally
        {
            CodeValidator.Return(code);
        }
    }

    /// <summary>Problems of the module-level sections; bodies validated against a prefix with errors prove nothing.</summary>
    public ImmutableArray<Diagnostic> ModuleDiagnostics { get; }

    /// <summary>True when <see cref="ModuleDiagnostics"/> has no error.</summary>
    public bool IsPrefixValid
    {
        get
        {
            foreach (var d in ModuleDiagnostics)
            {
                if (d.IsError) return false;
            }

            return true;
        }
    }

    /// <summary>Validates <paramref name="function"/> as defined function <paramref name="definedIndex"/>.</summary>
    /// <returns>The diagnostics of the body (empty when valid).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="definedIndex"/> is not a defined function of the prefix.</exception>
    public ImmutableArray<Diagnostic> Validate(int definedIndex, FunctionDefinition function)
    {
        if (function is null) throw new ArgumentNullException(nameof(function));
        if ((uint)definedIndex >= (uint)_context.Module.Functions.Length) throw new ArgumentOutOfRangeException(nameof(definedIndex));
        var context = _context.WithOwnDiagnostics();
        var code = CodeValidator.Rent();
        try
        {
            code.ValidateFunction(context, definedIndex, function);
            return context.Diagnostics.ToImmutable();
        }
        finally
        {
            CodeValidator.Return(code);
        }
    }
}
