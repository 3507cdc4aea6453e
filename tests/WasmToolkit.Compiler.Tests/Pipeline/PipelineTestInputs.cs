using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using WasmToolkit.Binary;
using WasmToolkit.Instructions;
using WasmToolkit.Runtime.Tests;
using WasmToolkit.Tests;
using WasmToolkit.Text;
using Xunit;
using static WasmToolkit.Runtime.Tests.Asm;

namespace WasmToolkit.Compiler.Tests.Pipeline;

/// <summary>Modules and streams the pipeline tests share.</summary>
internal static class PipelineTestInputs
{
    /// <summary>
    /// <paramref name="count"/> functions with locals, memory accesses, traps and calls between them (relocations in both
    /// directions), then a data section after the code section (so the code section is not the end of the stream).
    /// </summary>
    public static byte[] ManyFunctions(int count)
    {
        var m = new TestModule().WithMemory(1).Global(I64T, 3);
        for (var i = 0; i < count; i++)
        {
            m.Func("f" + i, Type(P(I32T, I32T), I32T), TestModule.Locals((2, I64T), (1, I32T)),
                LocalGet(0), LocalGet(1), Op(Opcode.I32DivS), I32(i), Op(Opcode.I32Add),
                LocalGet(0), Mem(Opcode.I32Load, offset: (ulong)i), Op(Opcode.I32Xor),
                I32(1), LocalGet(1), Call((uint)((i * 7) % count)), Op(Opcode.I32Add));
        }

        m.Data(16, 1, 2, 3, 4);
        return ModuleWriter.Write(m.Build());
    }

    /// <summary>A module in the text format, as bytes.</summary>
    public static byte[] FromText(string wat)
    {
        var parsed = TextModuleParser.Parse(wat);
        Assert.True(parsed.Module is not null, string.Join("\n", parsed.Diagnostics));
        return ModuleWriter.Write(parsed.Module!);
    }

    /// <summary>Bulk memory, tables and element segments, a data count section, several signatures, a start function.</summary>
    public static byte[] Mixed() => FromText("""
        (module
          (type $v (func))
          (type $ii (func (param i32) (result i32)))
          (memory 1)
          (table 4 funcref)
          (global $g (mut i32) (i32.const 7))
          (elem (i32.const 0) $a $b)
          (elem $passive func $a)
          (data $d "hello")
          (func $a (type $ii) (i32.add (local.get 0) (global.get $g)))
          (func $b (type $ii) (call_indirect (type $ii) (local.get 0) (i32.const 0)))
          (func $c (param i32 i32 i32) (memory.init $d (local.get 0) (local.get 1) (local.get 2)) (data.drop $d))
          (func $e (table.init $passive (i32.const 2) (i32.const 0) (i32.const 1)) (elem.drop $passive))
          (func $f (result f64) (f64.sqrt (f64.convert_i32_s (memory.size))))
          (func $start (global.set $g (i32.const 9)))
          (start $start)
          (export "a" (func $a)) (export "b" (func $b)))
        """);

    /// <summary>The benchmark's 5.2 MB module (a C program compiled to wasm32-wasi), if the repository has it.</summary>
    public static byte[] Large()
    {
        var path = Path.Combine(TestPaths.RepositoryRoot, "tests", "WasmToolkit.Benchmarks", "Inputs", "large-direct.wasm");
        Assert.True(File.Exists(path), "missing " + path);
        return File.ReadAllBytes(path);
    }
}

/// <summary>
/// A stream that hands out its bytes in chunks and, once it reaches <see cref="GatePosition"/>, waits for
/// <see cref="Release"/> before handing out the rest: a module whose last bytes arrive late, deterministically.
/// </summary>
internal sealed class GatedStream : Stream
{
    private readonly byte[] _data;
    private readonly int _chunk;
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _position;

    public GatedStream(byte[] data, int chunk, int? gatePosition = null)
    {
        _data = data;
        _chunk = chunk;
        GatePosition = gatePosition ?? data.Length;
        if (GatePosition >= data.Length) _gate.TrySetResult();
    }

    public int GatePosition { get; }

    /// <summary>Bytes handed out so far.</summary>
    public int Delivered => Volatile.Read(ref _position);

    public void Release() => _gate.TrySetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position == GatePosition) await _gate.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        var limit = _position < GatePosition ? GatePosition : _data.Length;
        var n = Math.Min(Math.Min(_chunk, buffer.Length), limit - _position);
        _data.AsSpan(_position, n).CopyTo(buffer.Span);
        Volatile.Write(ref _position, _position + n);
        await Task.Yield();
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>Compares two compiled modules byte for byte and table for table.</summary>
internal static class CompiledAssert
{
    public static void Identical(CompiledModule expected, CompiledModule actual, string where)
    {
        Assert.True(expected.Code.AsSpan().SequenceEqual(actual.Code.AsSpan()), where + ": code bytes differ");
        Assert.Equal(expected.Functions.Select(f => (f.FunctionIndex, f.Offset, f.Size, f.EntryStubIndex)), actual.Functions.Select(f => (f.FunctionIndex, f.Offset, f.Size, f.EntryStubIndex)));
        Assert.Equal(Sites(expected.TrapSites), Sites(actual.TrapSites));
        Assert.Equal(Sites(expected.CallSites), Sites(actual.CallSites));
        Assert.Equal(expected.EntryStubs.Select(s => (s.Offset, s.Size)), actual.EntryStubs.Select(s => (s.Offset, s.Size)));
        Assert.Equal(expected.Statistics.ToString(), actual.Statistics.ToString());
        Assert.Equal(expected.UnsupportedFunctions.Select(e => e.ToString()), actual.UnsupportedFunctions.Select(e => e.ToString()));
    }

    private static IEnumerable<(int, int, int, TrapKind)> Sites(System.Collections.Immutable.ImmutableArray<TrapSite> sites)
        => sites.Select(s => (s.ReturnOffset, s.FunctionIndex, s.WasmOffset, s.Kind));
}
