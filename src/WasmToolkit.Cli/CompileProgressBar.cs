using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using WasmToolkit.Compiler;

namespace WasmToolkit.Cli;

/// <summary>
/// A one-line progress bar on stderr for long compiles (<c>\r</c>-redrawn, erased when done). Only when stderr is the
/// process's own, a terminal, and the compile has taken more than half a second: short compiles, redirected output
/// and the tests' writers see nothing, so the command's output stays byte-identical.
/// </summary>
internal sealed class CompileProgressBar : IProgress<CompileProgress>, IDisposable
{
    private static readonly TimeSpan s_delay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan s_interval = TimeSpan.FromMilliseconds(100);
    private const int Width = 30;

    private readonly TextWriter _stderr;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly object _gate = new();
    private TimeSpan _lastDrawn;
    private int _lineLength;
    private bool _disposed;

    private CompileProgressBar(TextWriter stderr) => _stderr = stderr;

    /// <summary>A bar when <paramref name="stderr"/> is the console's error stream on a terminal, otherwise null.</summary>
    public static CompileProgressBar? Create(TextWriter stderr)
        => ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected ? new CompileProgressBar(stderr) : null;

    public void Report(CompileProgress value)
    {
        var now = _clock.Elapsed;
        if (now < s_delay || value.FunctionCount == 0) return;
        lock (_gate)
        {
            if (_disposed || (now - _lastDrawn < s_interval && value.FunctionsCompiled != value.FunctionCount)) return;
            _lastDrawn = now;
            var filled = (int)((long)Width * value.FunctionsCompiled / value.FunctionCount);
            var line = string.Create(CultureInfo.InvariantCulture, $"compiling [{new string('#', filled)}{new string('.', Width - filled)}] {value.FunctionsCompiled}/{value.FunctionCount} functions");
            _stderr.Write("\r" + line.PadRight(_lineLength));
            _lineLength = line.Length;
            _stderr.Flush();
        }
    }

    /// <summary>Erases the bar, if one was drawn.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            if (_lineLength == 0) return;
            _stderr.Write("\r" + new string(' ', _lineLength) + "\r");
            _stderr.Flush();
        }
    }
}
