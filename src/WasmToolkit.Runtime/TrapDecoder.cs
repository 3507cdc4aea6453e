using System;
using System.Collections.Immutable;
using WasmToolkit.Compiler;
using WasmToolkit.Runtime.Native;

namespace WasmToolkit.Runtime;

/// <summary>Turns what the trap stub recorded in the execution state into a <see cref="TrapException"/> with a wasm stack trace.</summary>
internal static class TrapDecoder
{
    public static TrapException Decode(TrapKind kind, ExecutionState state)
    {
        // The trap stub recorded the trap site and the return addresses of the frames above it before
        // unwinding; frames may belong to different instances (calls through imports and tables).
        var frames = ImmutableArray.CreateBuilder<WasmFrame>();
        if (CodeRegistry.TryFindReturnAddress(state.Get(ExecutionStateLayout.TrapPc), out var entry, out var offset)
            && entry.Module is { } module && entry.TryGetTrapSite(offset, out var site))
        {
            frames.Add(Frame(module, site));
        }

        var total = (long)state.Get(ExecutionStateLayout.TrapFrameCount);
        var recorded = (int)Math.Min((ulong)total, ExecutionStateLayout.MaxTrapFrames);
        for (var i = 0; i < recorded; i++)
        {
            var address = state.Get(ExecutionStateLayout.TrapFrames + (8 * i));
            if (!CodeRegistry.TryFindReturnAddress(address, out var e, out var o)) break;
            if (e.Module is null) continue; // a host stub's frame
            if (!e.TryGetCallSite(o, out var call)) break;
            frames.Add(Frame(e.Module, call));
        }

        var omitted = (int)Math.Max(0, Math.Min(int.MaxValue, total - recorded));
        return new TrapException(kind, frames.ToImmutable(), omitted);
    }

    private static WasmFrame Frame(CompiledModule module, TrapSite site)
        => new(site.FunctionIndex, site.WasmOffset, module.Module.Names.GetFunctionName((uint)site.FunctionIndex));
}
