namespace WasmToolkit;

/// <summary>A table defined in the module (spec 2.5.4).</summary>
/// <remarks><see cref="Init"/> is the 3.0 table initialiser; null in 2.0 modules.</remarks>
public sealed class TableDefinition
{
    public TableDefinition(TableType type, ConstantExpression? init = null, ByteSpan span = default)
    {
        Type = type;
        Init = init;
        Span = span;
    }

    public TableType Type { get; }

    public ConstantExpression? Init { get; }

    public ByteSpan Span { get; }

    public TableDefinition WithType(TableType type) => new(type, Init, Span);
}
