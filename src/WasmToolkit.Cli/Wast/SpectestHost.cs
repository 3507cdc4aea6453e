using System.Collections.Immutable;
using WasmToolkit.Runtime;

namespace WasmToolkit.Cli.Wast;

/// <summary>
/// The <c>spectest</c> host module the spec scripts import from (see the suite's harness): print
/// functions that print nothing, four globals of value 666, a table of 10..20 funcref and a memory
/// of 1..2 pages.
/// </summary>
internal static class SpectestHost
{
    public static Linker CreateLinker()
    {
        var linker = new Linker();
        Function Print(params ValType[] parameters) => Function.FromCallback(new FuncType(ImmutableArray.Create(parameters), ImmutableArray<ValType>.Empty), static (_, _) => { });
        linker.Define("spectest", "print", Print());
        linker.Define("spectest", "print_i32", Print(ValType.I32));
        linker.Define("spectest", "print_i64", Print(ValType.I64));
        linker.Define("spectest", "print_f32", Print(ValType.F32));
        linker.Define("spectest", "print_f64", Print(ValType.F64));
        linker.Define("spectest", "print_i32_f32", Print(ValType.I32, ValType.F32));
        linker.Define("spectest", "print_f64_f64", Print(ValType.F64, ValType.F64));
        linker.Define("spectest", "global_i32", new Global(new GlobalType(ValType.I32, false), 666));
        linker.Define("spectest", "global_i64", new Global(new GlobalType(ValType.I64, false), 666L));
        linker.Define("spectest", "global_f32", new Global(new GlobalType(ValType.F32, false), 666.6f));
        linker.Define("spectest", "global_f64", new Global(new GlobalType(ValType.F64, false), 666.6));
        linker.Define("spectest", "table", new Table(new TableType(ValType.FuncRef, new Limits(10, 20))));
        linker.Define("spectest", "memory", new Memory(1, 2));
        return linker;
    }
}
