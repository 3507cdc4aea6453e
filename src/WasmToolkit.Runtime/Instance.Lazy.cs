using System;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using WasmToolkit.Compiler;
using WasmToolkit.Runtime.Native;

namespace WasmToolkit.Runtime;

/// <summary>Lazy mode (<see cref="ModuleCompiler.CompileLazy"/>): the runtime half of compiling a function on its first call.</summary>
public sealed unsafe partial class Instance
{
    /// <summary>
    /// Below this much stack the compiler runs on a thread-pool thread while the caller waits: the compile stub
    /// can be reached at any wasm call depth, and the compiler (and the JIT compiling it, the first time) needs
    /// more than the head-room wasm code leaves for builtins.
    /// </summary>
    private const int CompileStackNeeded = 512 * 1024;

    private static int s_compilesMovedOffThread;

    private readonly object _lazyLock = new();

    /// <summary>Per defined function: where this instance mapped its lazily compiled code (0 = not yet).</summary>
    private nint[]? _lazyCode;

    /// <summary><see cref="BuiltinFunction.CompileLazy"/>: called by a function's compile stub with the function's own context.</summary>
    [UnmanagedCallersOnly]
    internal static nint CompileLazyEntry(byte* context, uint functionIndex)
    {
        try
        {
            var instance = FromContext(context) ?? throw new InvalidOperationException("The instance of running code was collected.");
            return instance.MapLazyFunction((int)functionIndex);
        }
        catch (Exception e)
        {
            // An exception may not cross native frames: the stub traps with HostException and the entry's caller rethrows this.
            ExecutionState.Current.PendingException = ExceptionDispatchInfo.Capture(e);
            return 0;
        }
    }

    /// <summary>
    /// Maps function <paramref name="functionIndex"/>'s code into this instance (compiling it first when no
    /// instance has, <see cref="LazyCompilation.GetOrCompile"/>), switches the function's record to it and
    /// returns its address.
    /// </summary>
    /// <remarks>
    /// The compiled code is shared by every instance of the module; each instance maps its own copy, owned by its
    /// store like the module image, so lazily compiled code lives and dies with the instances that use it.
    /// </remarks>
    private nint MapLazyFunction(int functionIndex)
    {
        var lazy = Compiled.Lazy ?? throw new InvalidOperationException("A compile stub ran in a module that was not compiled lazily.");
        var defined = functionIndex - Compiled.Module.ImportedFunctionCount;
        if ((uint)defined >= (uint)Compiled.Functions.Length) throw new InvalidOperationException($"Function {functionIndex} is not a defined function.");

        // Instances of one store run on one thread, but a function exported to another store's instance can be
        // called from that store's thread at the same time: the lock keeps one mapping per instance.
        lock (_lazyLock)
        {
            _lazyCode ??= new nint[Compiled.Functions.Length];
            if (_lazyCode[defined] != 0) return _lazyCode[defined];

            var code = HasStackToCompile() ? lazy.GetOrCompile(defined) : CompileOnAnotherThread(lazy, defined);
            var memory = ExecutableMemory.Create(code.Code.AsSpan());
            _store.Own(memory);
            CodeRegistry.Register(memory, Compiled, code);
            _store.Own(new Unregister((nint)memory.Pointer));

            var entry = (nint)(memory.Pointer + code.EntryOffset);
            var record = _records + (defined * FuncRefLayout.RecordSize);
            Volatile.Write(ref Unsafe.AsRef<nint>(record + FuncRefLayout.Code), entry);
            _lazyCode[defined] = entry;
            return entry;
        }
    }

    /// <summary>How many lazy compiles ran on a thread-pool thread for lack of stack (for tests).</summary>
    internal static int CompilesMovedOffThread => Volatile.Read(ref s_compilesMovedOffThread);

    private static LazyFunctionCode CompileOnAnotherThread(LazyCompilation lazy, int defined)
    {
        Interlocked.Increment(ref s_compilesMovedOffThread);
        return Task.Run(() => lazy.GetOrCompile(defined)).GetAwaiter().GetResult();
    }

    private static bool HasStackToCompile()
    {
        byte marker = 0;
        var bottom = StackBounds.CurrentLimit - StackBounds.HeadRoom;
        return (nuint)(&marker) - bottom >= CompileStackNeeded;
    }
}
