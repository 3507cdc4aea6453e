namespace WasmToolkit.Text;

/// <summary>How a script gives a module.</summary>
public enum WastModuleKind : byte
{
    /// <summary><c>(module field*)</c>: text.</summary>
    Text,

    /// <summary><c>(module binary "…"*)</c>: the bytes of a binary module.</summary>
    Binary,

    /// <summary><c>(module quote "…"*)</c>: text given as strings, parsed when needed.</summary>
    Quote,
}
