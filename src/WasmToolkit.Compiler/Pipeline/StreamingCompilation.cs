using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using WasmToolkit.Binary;
using WasmToolkit.Validation;

namespace WasmToolkit.Compiler.Pipeline;

/// <summary>
/// One streaming compilation: reads the stream into a growing buffer, decodes the sections before the code section
/// into a prefix module as soon as the code section starts, then validates and queues each body as its bytes arrive.
/// </summary>
/// <remarks>
/// <para>The early work is only ever a head start: anything unexpected (a malformed prefix, a body that does not pass
/// validation against the prefix, a local type that needs more than one byte) stops queueing bodies, and the rest of
/// the module is compiled from the whole module once it has been read. The whole module is always decoded and validated
/// at the end by <see cref="ModuleReader"/> and <see cref="Validation.ModuleValidator"/>, which alone decide whether it
/// compiles and with which diagnostics.</para>
/// <para>The prefix holds every section the compiler reads (types, imports, functions' type indices, tables, memories,
/// globals, elements, the data count as placeholder segments); the compiler reads nothing after the code section, so
/// a unit compiled against the prefix is the same code as one compiled against the whole module.</para>
/// </remarks>
internal sealed class StreamingCompilation
{
    private const int InitialBufferSize = 1 << 16;

    private readonly Stream _stream;
    private readonly CompilerOptions _options;
    private readonly IProgress<CompileProgress>? _progress;
    private readonly PipelineObserver? _observer;
    private readonly CancellationToken _cancellationToken;
    private readonly long _id = CompilerEventSource.NextCompilationId();
    private readonly List<(byte Id, int Start, int ContentStart, int Size)> _sections = new();
    private byte[] _buffer;
    private int _length;
    private bool _endOfStream;
    private Module? _prefix;
    private int _queued;
    private ModuleCompilation? _started;

    public StreamingCompilation(Stream stream, CompilerOptions options, IProgress<CompileProgress>? progress, PipelineObserver? observer, CancellationToken cancellationToken)
    {
        _stream = stream;
        _options = options;
        _progress = progress;
        _observer = observer;
        _cancellationToken = cancellationToken;
        _buffer = new byte[stream.CanSeek ? (int)Math.Clamp(stream.Length - stream.Position, 8, Array.MaxLength) : InitialBufferSize];
    }

    public async Task<CompiledModule> RunAsync()
    {
        var clock = Stopwatch.StartNew();
        var outcome = "failed";
        ModuleCompilation? compilation = null;
        try
        {
            _progress?.Report(new CompileProgress(CompileStep.Decode, 0, 0));
            CompilerEventSource.Log.DecodeStart(_id, -1);
            Module module;
            var decoded = false;
            var functions = 0;
            try
            {
                compilation = await ReadAsync().ConfigureAwait(false);
                var read = ModuleReader.Read(_buffer.AsMemory(0, _length));
                if (read.Module is null) throw new CompileException(CompileStep.Decode, read.Diagnostics);
                module = read.Module;
                functions = module.Functions.Length;
                decoded = true;
            }
            finally
            {
                CompilerEventSource.Log.DecodeStop(_id, functions, decoded);
            }

            // The workers keep compiling queued bodies while the whole module is validated.
            ModuleCompiler.Validate(_id, module, _options, _progress, _cancellationToken);
            if (compilation is not null && !SameFunctions(_prefix!, module))
            {
                // Cannot happen for bytes that decode (the prefix is those bytes), but the check is cheap; start over eagerly.
                await compilation.StopAsync().ConfigureAwait(false);
                compilation = null;
                _started = null;
            }

            if (compilation is null)
            {
                compilation = new ModuleCompilation(module, _options, _id, _progress, _observer, _cancellationToken);
                _started = compilation;
                compilation.Start();
            }
            else
            {
                for (var i = _queued; i < module.Functions.Length; i++) compilation.SetInput(i, module, module.Functions[i]);
                compilation.Job.MakeAvailable(module.Functions.Length);
            }

            await compilation.CompileAsync().ConfigureAwait(false);
            var linked = compilation.Link(module);
            if (linked.Module is null) throw new CompileException(linked.Errors);
            outcome = "compiled";
            return linked.Module;
        }
        catch (Exception e)
        {
            if (e is OperationCanceledException) outcome = "cancelled";

            // Whatever failed, no worker may outlive the task (the reader may have failed after starting the compilation,
            // before handing it back: _started has it).
            if (_started is { } started) await started.StopAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            ModuleCompiler.Record("streaming", outcome, clock, compilation ?? _started);
        }
    }

    private static bool SameFunctions(Module prefix, Module module)
    {
        if (prefix.Functions.Length != module.Functions.Length || prefix.Types.Length != module.Types.Length || prefix.ImportedFunctionCount != module.ImportedFunctionCount) return false;
        for (var i = 0; i < prefix.Functions.Length; i++)
        {
            if (prefix.Functions[i].Type != module.Functions[i].Type) return false;
        }

        return true;
    }

    /// <summary>Reads the whole stream; returns the compilation started at the code section, if one could be.</summary>
    private async Task<ModuleCompilation?> ReadAsync()
    {
        ModuleCompilation? compilation = null;
        if (await EnsureAsync(0, 8).ConfigureAwait(false) && HasHeader())
        {
            var pos = 8;
            while (await EnsureAsync(pos, 1).ConfigureAwait(false))
            {
                var start = pos;
                var id = _buffer[pos];
                var (ok, size, contentStart) = await ReadUInt32Async(pos + 1).ConfigureAwait(false);
                if (!ok || size > int.MaxValue - contentStart) break;
                if (id == (byte)SectionId.Code)
                {
                    compilation = await StreamCodeSectionAsync(contentStart, (int)size).ConfigureAwait(false);
                    break;
                }

                if (!await EnsureAsync(contentStart, (int)size).ConfigureAwait(false)) break;
                if (id != 0) _sections.Add((id, start, contentStart, (int)size));
                pos = contentStart + (int)size;
            }
        }

        while (await ReadMoreAsync().ConfigureAwait(false))
        {
        }

        return compilation;
    }

    private bool HasHeader()
        => _buffer[0] == 0 && _buffer[1] == 0x61 && _buffer[2] == 0x73 && _buffer[3] == 0x6D && _buffer[4] == 1 && _buffer[5] == 0 && _buffer[6] == 0 && _buffer[7] == 0;

    /// <summary>Builds the prefix and starts the compilation, then queues each body as it arrives.</summary>
    private async Task<ModuleCompilation?> StreamCodeSectionAsync(int contentStart, int size)
    {
        var prefix = BuildPrefix();
        if (prefix is null) return null;
        var validator = FunctionBodyValidator.Create(prefix);
        if (!validator.IsPrefixValid) return null;
        _prefix = prefix;
        var compilation = new ModuleCompilation(prefix, _options, _id, _progress, _observer, _cancellationToken, available: 0);
        _started = compilation;
        compilation.Start();

        var end = contentStart + size;
        var (ok, count, pos) = await ReadUInt32Async(contentStart).ConfigureAwait(false);
        if (!ok || count != (uint)prefix.Functions.Length) return compilation;
        for (var i = 0; i < (int)count; i++)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            (ok, var bodySize, var bodyStart) = await ReadUInt32Async(pos).ConfigureAwait(false);
            if (!ok || bodySize > WasmLimits.MaxFunctionSize || bodyStart + (int)bodySize > end) break;
            if (!await EnsureAsync(bodyStart, (int)bodySize).ConfigureAwait(false)) break;
            var function = ReadBody(bodyStart, (int)bodySize, prefix.Functions[i].Type);
            if (function is null || HasErrors(validator.Validate(i, function))) break;
            compilation.SetInput(i, prefix, function);
            _queued = i + 1;
            compilation.Job.MakeAvailable(_queued);
            _observer?.OnBodyArrived(i);
            pos = bodyStart + (int)bodySize;
        }

        return compilation;
    }

    private static bool HasErrors(ImmutableArray<Diagnostics.Diagnostic> diagnostics)
    {
        foreach (var d in diagnostics)
        {
            if (d.IsError) return true;
        }

        return false;
    }

    /// <summary>
    /// The module as far as the code section: the arrived sections are read by <see cref="ModuleReader"/> without the
    /// function and data count sections (alone they would be inconsistent with the missing code and data sections), which
    /// are read here: a placeholder function per declared type index, a placeholder passive segment per counted data segment.
    /// </summary>
    private Module? BuildPrefix()
    {
        var bytes = new MemoryStream();
        bytes.Write(_buffer, 0, 8);
        var typeIndices = new List<TypeIndex>();
        uint? dataCount = null;
        foreach (var (id, start, contentStart, size) in _sections)
        {
            if (id == (byte)SectionId.Function)
            {
                var pos = contentStart;
                if (!TryReadUInt32(ref pos, out var count) || count > WasmLimits.MaxFunctions) return null;
                for (var i = 0u; i < count; i++)
                {
                    if (!TryReadUInt32(ref pos, out var type)) return null;
                    typeIndices.Add(type);
                }
            }
            else if (id == (byte)SectionId.DataCount)
            {
                var pos = contentStart;
                if (!TryReadUInt32(ref pos, out var count) || count > WasmLimits.MaxDataSegments) return null;
                dataCount = count;
            }
            else
            {
                bytes.Write(_buffer, start, contentStart + size - start);
            }
        }

        var read = ModuleReader.Read(bytes.GetBuffer().AsMemory(0, (int)bytes.Length));
        if (read.Module is not { } m) return null;
        var functions = ImmutableArray.CreateBuilder<FunctionDefinition>(typeIndices.Count);
        foreach (var type in typeIndices) functions.Add(new FunctionDefinition(type, ImmutableArray<LocalGroup>.Empty, ReadOnlyMemory<byte>.Empty));
        var data = ImmutableArray.CreateBuilder<DataSegment>((int)(dataCount ?? 0));
        for (var i = 0u; i < (dataCount ?? 0); i++) data.Add(DataSegment.Passive(ReadOnlyMemory<byte>.Empty));
        return new Module(
            m.Types, m.Imports, functions.MoveToImmutable(), m.Tables, m.Memories, m.Globals, m.Exports, m.Start, m.Elements, dataCount, data.MoveToImmutable(),
            default, m.StartSpan);
    }

    /// <summary>A body entry (spec 5.5.13: local declarations, then the instructions); null for anything but one-byte local types.</summary>
    private FunctionDefinition? ReadBody(int bodyStart, int size, TypeIndex type)
    {
        var pos = bodyStart;
        var end = bodyStart + size;
        if (!TryReadUInt32(ref pos, out var groups) || groups > WasmLimits.MaxFunctionLocals) return null;
        var locals = ImmutableArray.CreateBuilder<LocalGroup>((int)groups);
        ulong total = 0;
        for (var g = 0u; g < groups; g++)
        {
            if (!TryReadUInt32(ref pos, out var n) || pos >= end) return null;
            total += n;
            if (total > WasmLimits.MaxFunctionLocals || !ValType.TryFromBinaryCode(_buffer[pos++], out var valType)) return null;
            locals.Add(new LocalGroup(n, valType));
        }

        if (pos > end) return null;
        return new FunctionDefinition(type, locals.MoveToImmutable(), _buffer.AsMemory(pos, end - pos), ByteSpan.FromBounds(bodyStart, end), pos);
    }

    /// <summary>An unsigned LEB128 from bytes that have arrived; false when malformed or cut short.</summary>
    private bool TryReadUInt32(ref int pos, out uint value)
    {
        value = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            if (pos >= _length) return false;
            var b = _buffer[pos++];
            if (shift == 28 && (b & 0xF0) != 0) return false;
            value |= (uint)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return true;
        }

        return false;
    }

    /// <summary>An unsigned LEB128 at <paramref name="pos"/>, waiting for its bytes; not ok when malformed or the stream ends.</summary>
    private async ValueTask<(bool Ok, uint Value, int Next)> ReadUInt32Async(int pos)
    {
        await EnsureAsync(pos, 5).ConfigureAwait(false);
        var next = pos;
        return TryReadUInt32(ref next, out var value) ? (true, value, next) : (false, 0, pos);
    }

    /// <summary>Waits until <paramref name="count"/> bytes from <paramref name="pos"/> have arrived; false when the stream ends first.</summary>
    private async ValueTask<bool> EnsureAsync(int pos, int count)
    {
        while ((long)_length < (long)pos + count)
        {
            if (!await ReadMoreAsync().ConfigureAwait(false)) return false;
        }

        return true;
    }

    /// <summary>Reads what the stream has; the buffer grows geometrically with the bytes that really arrive (never by a size the bytes claim).</summary>
    private async ValueTask<bool> ReadMoreAsync()
    {
        if (_endOfStream) return false;
        if (_length == _buffer.Length)
        {
            if (_buffer.Length == Array.MaxLength) throw new InvalidDataException("The module is larger than an array can hold.");
            Array.Resize(ref _buffer, (int)Math.Min((long)_buffer.Length * 2, Array.MaxLength));
        }

        var n = await _stream.ReadAsync(_buffer.AsMemory(_length), _cancellationToken).ConfigureAwait(false);
        if (n == 0)
        {
            _endOfStream = true;
            return false;
        }

        _length += n;
        return true;
    }
}
