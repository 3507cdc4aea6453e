namespace WasmToolkit.Instructions;

/// <summary>The immediate operands an instruction carries in the binary format (spec 5.4).</summary>
public enum ImmediateKind : byte
{
    None,
    /// <summary>Block type: empty, a value type or a type index (s33).</summary>
    Block,
    /// <summary>A label index.</summary>
    Label,
    /// <summary>A vector of label indices and a default label.</summary>
    BrTable,
    /// <summary>A function index.</summary>
    Func,
    /// <summary>Type index, then table index.</summary>
    CallIndirect,
    Local,
    Global,
    Table,
    /// <summary>Alignment (log2), offset, and with multi-memory a memory index.</summary>
    Memarg,
    /// <summary>A memory index (a reserved zero byte in 2.0).</summary>
    Memory,
    I32,
    I64,
    F32,
    F64,
    /// <summary>A vector of value types (typed <c>select</c>).</summary>
    SelectTypes,
    HeapType,
    /// <summary>Data index, then memory index.</summary>
    MemoryInit,
    Data,
    /// <summary>Destination and source memory indices.</summary>
    MemoryCopy,
    Elem,
    /// <summary>Element index, then table index.</summary>
    TableInit,
    /// <summary>Destination and source table indices.</summary>
    TableCopy,
    /// <summary>Sixteen bytes.</summary>
    V128,
    /// <summary>Sixteen lane indices.</summary>
    Shuffle,
    /// <summary>One lane index byte.</summary>
    Lane,
    /// <summary>A memory immediate, then a lane index byte.</summary>
    MemargLane,
}
