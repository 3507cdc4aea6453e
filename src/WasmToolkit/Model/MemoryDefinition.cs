namespace WasmToolkit;

/// <summary>A memory defined in the module (spec 2.5.5).</summary>
public sealed class MemoryDefinition
{
    public MemoryDefinition(MemoryType type, ByteSpan span = default)
    {
        Type = type;
        Span = span;
    }

    public MemoryType Type { get; }

    public ByteSpan Span { get; }

    public MemoryDefinition WithType(MemoryType type) => new(type, Span);
}
