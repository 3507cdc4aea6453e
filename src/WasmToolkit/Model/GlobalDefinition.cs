namespace WasmToolkit;

/// <summary>A global defined in the module (spec 2.5.6): its type and initialiser.</summary>
public sealed class GlobalDefinition
{
    public GlobalDefinition(GlobalType type, ConstantExpression init, ByteSpan span = default)
    {
        Type = type;
        Init = init ?? throw new System.ArgumentNullException(nameof(init));
        Span = span;
    }

    public GlobalType Type { get; }

    public ConstantExpression Init { get; }

    public ByteSpan Span { get; }

    public GlobalDefinition WithType(GlobalType type) => new(type, Init, Span);

    public GlobalDefinition WithInit(ConstantExpression init) => new(Type, init, Span);
}
