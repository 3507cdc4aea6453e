namespace WasmToolkit.Diagnostics;

/// <summary>How serious a diagnostic is.</summary>
public enum DiagnosticSeverity
{
    Hidden,
    Info,
    Warning,
    Error,
}
