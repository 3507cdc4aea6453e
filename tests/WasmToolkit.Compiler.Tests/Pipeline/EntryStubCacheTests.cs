using System.Collections.Immutable;
using WasmToolkit.Compiler.Arm64;
using WasmToolkit.Compiler.Pipeline;
using WasmToolkit.Compiler.X64;
using Xunit;

namespace WasmToolkit.Compiler.Tests.Pipeline;

/// <summary>Entry stubs are built once per signature and architecture (<c>EntryStubCache</c>): what it gives must be what building one gives.</summary>
public class EntryStubCacheTests
{
    public static TheoryData<string> Signatures() => new() { "", "i32", "i32 i64 f32 f64 -> f64", "v128 i32 -> v128", "i64 i64 i64 i64 i64 i64 i64 i64 i64 -> i32 i64", "-> f32 v128" };

    [Theory]
    [MemberData(nameof(Signatures))]
    public void TheCachedStubIsTheOneBuiltForTheSignature(string signature)
    {
        var type = Parse(signature);

        // Another instance with the same parameters and results finds the same stub.
        var again = new FuncType(type.Parameters, type.Results);
        Assert.Equal(X64Stubs.EntryStub(type), EntryStubCache.Get(type, TargetArchitecture.X64));
        Assert.Equal(X64Stubs.EntryStub(type), EntryStubCache.Get(again, TargetArchitecture.X64));
        Assert.Equal(Arm64Stubs.EntryStub(type), EntryStubCache.Get(again, TargetArchitecture.Arm64));
        Assert.Equal(Arm64Stubs.EntryStub(type), EntryStubCache.Get(type, TargetArchitecture.Arm64));
    }

    private static FuncType Parse(string signature)
    {
        var parts = signature.Split("->");
        return new FuncType(Types(parts[0]), parts.Length > 1 ? Types(parts[1]) : ImmutableArray<ValType>.Empty);
    }

    private static ImmutableArray<ValType> Types(string list)
    {
        var builder = ImmutableArray.CreateBuilder<ValType>();
        foreach (var name in list.Split(' ', System.StringSplitOptions.RemoveEmptyEntries))
        {
            builder.Add(name switch
            {
                "i32" => ValType.I32,
                "i64" => ValType.I64,
                "f32" => ValType.F32,
                "f64" => ValType.F64,
                _ => ValType.V128,
            });
        }

        return builder.ToImmutable();
    }
}
