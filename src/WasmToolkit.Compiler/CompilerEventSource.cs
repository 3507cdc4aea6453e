using System.Diagnostics.Tracing;
using System.Threading;

namespace WasmToolkit.Compiler;

/// <summary>
/// The compile steps as trace events (<c>dotnet-trace collect --providers WasmToolkit-Compiler</c>, or an
/// <see cref="EventListener"/>): each step is a Start/Stop pair carrying the compilation's id, so tools nest them
/// as activities, with function counts.
/// </summary>
[EventSource(Name = "WasmToolkit-Compiler")]
public sealed class CompilerEventSource : EventSource
{
    /// <summary>The one instance.</summary>
    public static readonly CompilerEventSource Log = new();

    private static long s_lastCompilationId;

    private CompilerEventSource()
    {
    }

    /// <summary>Event ids, stable for consumers.</summary>
    public static class EventIds
    {
        public const int DecodeStart = 1;
        public const int DecodeStop = 2;
        public const int ValidateStart = 3;
        public const int ValidateStop = 4;
        public const int CompileStart = 5;
        public const int CompileStop = 6;
        public const int LinkStart = 7;
        public const int LinkStop = 8;
    }

    internal static long NextCompilationId() => Interlocked.Increment(ref s_lastCompilationId);

    /// <summary>Reading the module's bytes begins (<paramref name="bytes"/> is −1 for a stream of unknown length).</summary>
    [Event(EventIds.DecodeStart, Level = EventLevel.Informational, Task = Tasks.Decode, Opcode = EventOpcode.Start)]
    public void DecodeStart(long compilationId, long bytes) => WriteEvent(EventIds.DecodeStart, compilationId, bytes);

    /// <summary>Reading ended; <paramref name="functions"/> defined functions were found.</summary>
    [Event(EventIds.DecodeStop, Level = EventLevel.Informational, Task = Tasks.Decode, Opcode = EventOpcode.Stop)]
    public void DecodeStop(long compilationId, int functions, bool succeeded) => WriteEvent(EventIds.DecodeStop, compilationId, functions, succeeded);

    /// <summary>Validation begins.</summary>
    [Event(EventIds.ValidateStart, Level = EventLevel.Informational, Task = Tasks.Validate, Opcode = EventOpcode.Start)]
    public void ValidateStart(long compilationId, int functions) => WriteEvent(EventIds.ValidateStart, compilationId, functions);

    /// <summary>Validation ended.</summary>
    [Event(EventIds.ValidateStop, Level = EventLevel.Informational, Task = Tasks.Validate, Opcode = EventOpcode.Stop)]
    public void ValidateStop(long compilationId, int functions, bool succeeded) => WriteEvent(EventIds.ValidateStop, compilationId, functions, succeeded);

    /// <summary>Compiling the defined functions begins on up to <paramref name="workers"/> workers.</summary>
    [Event(EventIds.CompileStart, Level = EventLevel.Informational, Task = Tasks.Compile, Opcode = EventOpcode.Start)]
    public void CompileStart(long compilationId, int functions, int workers) => WriteEvent(EventIds.CompileStart, compilationId, functions, workers);

    /// <summary>Compiling ended; <paramref name="functionsCompiled"/> were compiled and published.</summary>
    [Event(EventIds.CompileStop, Level = EventLevel.Informational, Task = Tasks.Compile, Opcode = EventOpcode.Stop)]
    public void CompileStop(long compilationId, int functionsCompiled, bool succeeded) => WriteEvent(EventIds.CompileStop, compilationId, functionsCompiled, succeeded);

    /// <summary>Linking begins.</summary>
    [Event(EventIds.LinkStart, Level = EventLevel.Informational, Task = Tasks.Link, Opcode = EventOpcode.Start)]
    public void LinkStart(long compilationId, int functions) => WriteEvent(EventIds.LinkStart, compilationId, functions);

    /// <summary>Linking ended with <paramref name="codeBytes"/> bytes of machine code (0 when it failed).</summary>
    [Event(EventIds.LinkStop, Level = EventLevel.Informational, Task = Tasks.Link, Opcode = EventOpcode.Stop)]
    public void LinkStop(long compilationId, int functions, long codeBytes) => WriteEvent(EventIds.LinkStop, compilationId, functions, codeBytes);

    /// <summary>Event tasks (one per step).</summary>
    public static class Tasks
    {
        public const EventTask Decode = (EventTask)1;
        public const EventTask Validate = (EventTask)2;
        public const EventTask Compile = (EventTask)3;
        public const EventTask Link = (EventTask)4;
    }
}
