using System.Collections.Generic;

namespace WasmToolkit.Text;

/// <summary>
/// A parsed type use (spec 6.6.3): the type index it resolves to, the signature, and the names of
/// inline parameters (null entries for unnamed ones) which become the function's first locals.
/// </summary>
internal readonly struct FunctionSignature
{
    public FunctionSignature(uint typeIndex, FuncType type, List<(string? Id, Token At)> parameterIds)
    {
        TypeIndex = typeIndex;
        Type = type;
        ParameterIds = parameterIds;
    }

    public uint TypeIndex { get; }

    public FuncType Type { get; }

    public List<(string? Id, Token At)> ParameterIds { get; }
}
