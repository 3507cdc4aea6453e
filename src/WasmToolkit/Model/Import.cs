using System;

namespace WasmToolkit;

/// <summary>An import (spec 2.5.11): a module and field name and what is expected under them.</summary>
public sealed class Import
{
    private Import(string module, string name, ExternalKind kind, TypeIndex functionType, TableType table, MemoryType memory, GlobalType global, ByteSpan span)
    {
        Module = module ?? throw new ArgumentNullException(nameof(module));
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Kind = kind;
        FunctionType = functionType;
        Table = table;
        Memory = memory;
        Global = global;
        Span = span;
    }

    public static Import Function(string module, string name, TypeIndex type, ByteSpan span = default)
        => new(module, name, ExternalKind.Function, type, default, default, default, span);

    public static Import ForTable(string module, string name, TableType type, ByteSpan span = default)
        => new(module, name, ExternalKind.Table, default, type, default, default, span);

    public static Import ForMemory(string module, string name, MemoryType type, ByteSpan span = default)
        => new(module, name, ExternalKind.Memory, default, default, type, default, span);

    public static Import ForGlobal(string module, string name, GlobalType type, ByteSpan span = default)
        => new(module, name, ExternalKind.Global, default, default, default, type, span);

    /// <summary>The module name.</summary>
    public string Module { get; }

    /// <summary>The field name.</summary>
    public string Name { get; }

    public ExternalKind Kind { get; }

    /// <summary>For function imports: the function's type index.</summary>
    public TypeIndex FunctionType { get; }

    /// <summary>For table imports: the table type.</summary>
    public TableType Table { get; }

    /// <summary>For memory imports: the memory type.</summary>
    public MemoryType Memory { get; }

    /// <summary>For global imports: the global type.</summary>
    public GlobalType Global { get; }

    public ByteSpan Span { get; }

    public Import WithModule(string module) => module == Module ? this : new(module, Name, Kind, FunctionType, Table, Memory, Global, Span);

    public Import WithName(string name) => name == Name ? this : new(Module, name, Kind, FunctionType, Table, Memory, Global, Span);

    public override string ToString() => $"import \"{Module}\" \"{Name}\" {Kind}";
}
