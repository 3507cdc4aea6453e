namespace WasmToolkit;

/// <summary>A run of locals of one type, as the binary format declares them (spec 5.5.13).</summary>
public readonly struct LocalGroup : System.IEquatable<LocalGroup>
{
    public LocalGroup(uint count, ValType type)
    {
        Count = count;
        Type = type;
    }

    public uint Count { get; }

    public ValType Type { get; }

    public bool Equals(LocalGroup other) => Count == other.Count && Type == other.Type;

    public override bool Equals(object? obj) => obj is LocalGroup other && Equals(other);

    public override int GetHashCode() => (int)Count ^ Type.GetHashCode();

    public override string ToString() => $"{Count} x {Type}";
}
