using System.Collections.Concurrent;
using WasmToolkit.Compiler;

namespace WasmToolkit.Runtime.Native;

/// <summary>Entry and host stubs, one of each per function type for the whole process (they are tiny and never freed).</summary>
internal static unsafe class StubCache
{
    private static readonly ConcurrentDictionary<FuncType, Stub> s_entries = new();
    private static readonly ConcurrentDictionary<FuncType, Stub> s_hosts = new();

    /// <summary>The entry stub for <paramref name="type"/>: <c>int (context, code, slots, executionState)</c>.</summary>
    public static nint Entry(FuncType type) => s_entries.GetOrAdd(type, static t => new Stub(StubCompiler.CreateEntryStub(t, HostArchitecture), 0)).Address;

    /// <summary>The code a host function of <paramref name="type"/> is called through.</summary>
    public static nint Host(FuncType type) => s_hosts.GetOrAdd(type, static t =>
    {
        var bytes = StubCompiler.CreateHostStub(t, out var offset, HostArchitecture);
        return new Stub(bytes, offset);
    }).Address;

    // Only reached once ExecutableMemory accepted the platform, so the architecture is known.
    private static TargetArchitecture HostArchitecture => HostFeatures.Architecture ?? TargetArchitecture.X64;

    private sealed class Stub
    {
        private readonly ExecutableMemory _memory;

        public Stub(byte[] code, int offset)
        {
            _memory = ExecutableMemory.Create(code);
            Address = (nint)(_memory.Pointer + offset);
            CodeRegistry.Register(_memory, null);
        }

        public nint Address { get; }
    }
}
