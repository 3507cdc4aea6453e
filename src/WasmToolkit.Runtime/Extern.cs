namespace WasmToolkit.Runtime;

/// <summary>What an instance imports and exports: a <see cref="Function"/>, <see cref="Table"/>, <see cref="Memory"/> or <see cref="Global"/>.</summary>
public abstract class Extern
{
    private protected Extern()
    {
    }

    /// <summary>The kind of this external value.</summary>
    public abstract ExternalKind Kind { get; }
}
