using System;
using System.Globalization;

namespace WasmToolkit.Diagnostics;

/// <summary>A problem found in input: descriptor, formatted message, severity and location.</summary>
public sealed class Diagnostic
{
    private Diagnostic(DiagnosticDescriptor descriptor, Location location, DiagnosticSeverity severity, string message)
    {
        Descriptor = descriptor;
        Location = location;
        Severity = severity;
        Message = message;
    }

    public static Diagnostic Create(DiagnosticDescriptor descriptor, Location? location, params object?[] args)
    {
        if (descriptor is null) throw new ArgumentNullException(nameof(descriptor));
        // Missing arguments format as empty text rather than failing: a diagnostic must never throw.
        var padded = args;
        if (padded.Length < 8)
        {
            padded = new object?[8];
            Array.Copy(args, padded, args.Length);
            for (var i = args.Length; i < padded.Length; i++) padded[i] = "";
        }

        string message;
        try
        {
            message = string.Format(CultureInfo.InvariantCulture, descriptor.MessageFormat, padded);
        }
        catch (FormatException)
        {
            message = descriptor.MessageFormat;
        }
        return new Diagnostic(descriptor, location ?? Location.None, descriptor.DefaultSeverity, message);
    }

    public DiagnosticDescriptor Descriptor { get; }

    public string Id => Descriptor.Id;

    public DiagnosticSeverity Severity { get; }

    public string Message { get; }

    public Location Location { get; }

    public bool IsError => Severity == DiagnosticSeverity.Error;

    /// <summary>The same diagnostic at another location (e.g. with the file path filled in).</summary>
    public Diagnostic WithLocation(Location location) => new(Descriptor, location, Severity, Message);

    /// <summary>Compiler-style: <c>file(0x1a): error WASM0012: message</c>.</summary>
    public override string ToString()
    {
        var severity = Severity switch
        {
            DiagnosticSeverity.Error => "error",
            DiagnosticSeverity.Warning => "warning",
            DiagnosticSeverity.Info => "info",
            _ => "hidden",
        };
        var where = Location.ToString();
        return (where.Length > 0 ? where + ": " : "") + severity + " " + Id + ": " + Message;
    }
}
