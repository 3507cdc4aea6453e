namespace WasmToolkit;

/// <summary>Binary section ids (spec 5.5.2).</summary>
public enum SectionId : byte
{
    Custom = 0,
    Type = 1,
    Import = 2,
    Function = 3,
    Table = 4,
    Memory = 5,
    Global = 6,
    Export = 7,
    Start = 8,
    Element = 9,
    Code = 10,
    Data = 11,
    DataCount = 12,
    /// <summary>Exception handling (3.0).</summary>
    Tag = 13,
}
