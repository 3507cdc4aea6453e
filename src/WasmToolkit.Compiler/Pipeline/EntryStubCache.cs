using System.Collections.Concurrent;
using WasmToolkit.Compiler.Arm64;
using WasmToolkit.Compiler.X64;

namespace WasmToolkit.Compiler.Pipeline;

/// <summary>
/// Entry stubs by signature and architecture, built once per process: a stub depends on nothing else, and building one
/// through Iced took about 14 µs, most of the compile of a small module (a module with two signatures spent 29 of its
/// 43 µs on them).
/// </summary>
/// <remarks>The arrays are shared: the image header only copies them. Past <see cref="Capacity"/> signatures a stub is
/// built each time, so a process that meets endless signatures does not grow without bound.</remarks>
internal static class EntryStubCache
{
    private const int Capacity = 4096;

    private static readonly ConcurrentDictionary<(FuncType Type, TargetArchitecture Architecture), byte[]> s_stubs = new();

    /// <summary>The entry stub of <paramref name="type"/> for <paramref name="architecture"/>; callers must not write to it.</summary>
    public static byte[] Get(FuncType type, TargetArchitecture architecture)
    {
        if (s_stubs.TryGetValue((type, architecture), out var bytes)) return bytes;
        bytes = architecture == TargetArchitecture.Arm64 ? Arm64Stubs.EntryStub(type) : X64Stubs.EntryStub(type);
        if (s_stubs.Count < Capacity) s_stubs.TryAdd((type, architecture), bytes);
        return bytes;
    }
}
