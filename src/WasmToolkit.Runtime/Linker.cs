using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using WasmToolkit.Compiler;

namespace WasmToolkit.Runtime;

/// <summary>
/// Definitions by (module, name) — host functions, memories, tables, globals, whole instances — that
/// modules are instantiated against (Wasmtime's <c>Linker</c>). Instances it creates share one store:
/// one thread at a time runs their code, and their native memory lives until the linker is disposed.
/// </summary>
public sealed class Linker : IDisposable
{
    private readonly Dictionary<(string Module, string Name), Extern> _definitions = new();
    private readonly Store _store = new();

    /// <summary>Defines <paramref name="value"/> as <paramref name="module"/>.<paramref name="name"/>; a later definition replaces an earlier one.</summary>
    public Linker Define(string module, string name, Extern value)
    {
        if (module is null) throw new ArgumentNullException(nameof(module));
        if (name is null) throw new ArgumentNullException(nameof(name));
        _definitions[(module, name)] = value ?? throw new ArgumentNullException(nameof(value));
        return this;
    }

    /// <summary>Defines every export of <paramref name="instance"/> under the module name <paramref name="module"/>.</summary>
    public Linker DefineInstance(string module, Instance instance)
    {
        if (instance is null) throw new ArgumentNullException(nameof(instance));
        foreach (var (name, value) in instance.GetExports()) Define(module, name, value);
        return this;
    }

    /// <summary>The definition of <paramref name="module"/>.<paramref name="name"/>, or null.</summary>
    public Extern? Get(string module, string name) => _definitions.TryGetValue((module, name), out var value) ? value : null;

    /// <summary>Resolves the imports of <paramref name="compiled"/>, instantiates it, applies its segments and runs its start function.</summary>
    /// <exception cref="LinkException">Imports are missing or do not match; its diagnostics list each one.</exception>
    /// <exception cref="TrapException">A segment does not fit, or the start function trapped.</exception>
    public Instance Instantiate(CompiledModule compiled)
    {
        if (compiled is null) throw new ArgumentNullException(nameof(compiled));
        var imports = Resolve(compiled.Module, out var diagnostics);
        if (!diagnostics.IsEmpty) throw new LinkException(diagnostics);
        var instance = new Instance(compiled, imports!, _store, ownsStore: false);
        _store.KeepAlive(instance);
        return instance;
    }

    /// <summary>Compiles and instantiates <paramref name="module"/>; without <paramref name="options"/>, for this process (<see cref="HostFeatures.CompilerOptions"/>).</summary>
    public Instance Instantiate(Module module, CompilerOptions? options = null) => Instantiate(ModuleCompiler.Compile(module, options ?? HostFeatures.CompilerOptions));

    /// <summary>The externs for the module's imports in order, or the link errors.</summary>
    public IReadOnlyList<Extern>? Resolve(Module module, out ImmutableArray<Diagnostics.Diagnostic> diagnostics)
    {
        if (module is null) throw new ArgumentNullException(nameof(module));
        var imports = new Extern?[module.Imports.Length];
        for (var i = 0; i < imports.Length; i++) imports[i] = Get(module.Imports[i].Module, module.Imports[i].Name);
        var problems = ImportMatcher.Check(module, imports);
        diagnostics = problems.ToImmutableArray();
        return problems.Count == 0 ? Array.ConvertAll(imports, e => e!) : null;
    }

    /// <summary>Frees the native memory of every instance this linker created; they cannot be called afterwards.</summary>
    public void Dispose() => _store.Dispose();
}
