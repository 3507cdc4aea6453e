using System;
using System.Collections.Generic;

namespace WasmToolkit.Compiler.Pipeline;

/// <summary>
/// Compile workers kept from one compilation to the next, per target (architecture and x64 features): building one
/// (an assembler with its encoding cache, a function compiler with its buffers) took about 70 µs and 0.9 MB, most of
/// it on the large-object heap, which was most of the time and all of the garbage of compiling a small module, and set
/// off a gen-2 collection every ten or so compilations.
/// </summary>
/// <remarks>
/// A worker's output depends only on the function it compiles (everything else is reset for every unit, and its
/// encoding cache only remembers how instructions encode), so which worker compiles what never shows in the bytes. A
/// returned worker lets go of its last module and keeps one chunk of code memory; at most as many workers per target
/// as the machine has cores are kept.
/// </remarks>
internal static class WorkerPool
{
    private static readonly Dictionary<(TargetArchitecture, X64Features), Stack<ModuleCompiler.Worker>> s_idle = new();
    private static readonly int s_capacity = Math.Max(2, Environment.ProcessorCount);

    /// <summary>A worker for <paramref name="options"/>' target, compiling against <paramref name="layout"/>.</summary>
    public static ModuleCompiler.Worker Rent(CompilerOptions options, VmContextLayout layout)
    {
        ModuleCompiler.Worker? worker = null;
        lock (s_idle)
        {
            if (s_idle.TryGetValue(Key(options), out var idle) && idle.Count > 0) worker = idle.Pop();
        }

        if (worker is null) return new ModuleCompiler.Worker(options, layout);
        worker.Bind(layout);
        return worker;
    }

    /// <summary>Takes back a worker no thread uses any more (the compilation that rented it is over).</summary>
    public static void Return(CompilerOptions options, ModuleCompiler.Worker worker)
    {
        worker.Forget();
        lock (s_idle)
        {
            var key = Key(options);
            if (!s_idle.TryGetValue(key, out var idle)) s_idle.Add(key, idle = new Stack<ModuleCompiler.Worker>());
            if (idle.Count < s_capacity) idle.Push(worker);
        }
    }

    /// <summary>Drops every kept worker, so the next rent builds a new one (tests compare kept workers with new ones).</summary>
    internal static void Clear()
    {
        lock (s_idle) s_idle.Clear();
    }

    private static (TargetArchitecture, X64Features) Key(CompilerOptions options)
        => (options.Architecture, options.Architecture == TargetArchitecture.X64 ? options.X64Features : default);
}
