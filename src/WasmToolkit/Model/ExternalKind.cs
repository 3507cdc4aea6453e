namespace WasmToolkit;

/// <summary>The kind of an import or export (spec 2.5.10/2.5.11); values are the binary codes.</summary>
public enum ExternalKind : byte
{
    Function = 0,
    Table = 1,
    Memory = 2,
    Global = 3,
    /// <summary>Exception tag (3.0 exception handling); decoded but not yet supported.</summary>
    Tag = 4,
}
