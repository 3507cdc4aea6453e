using System.Collections.Immutable;
using System.Linq;
using WasmToolkit.Instructions;
using WasmToolkit.Validation;
using Xunit;
using static WasmToolkit.Tests.Validation.V;

namespace WasmToolkit.Tests.Validation;

/// <summary>Module-level rules (spec 3.4): types, imports, tables, memories, globals, exports, start, segments.</summary>
public class ModuleValidationTests
{
    [Fact]
    public void EmptyModuleIsValid()
    {
        var result = Valid(Module.Empty);
        Assert.Empty(result.Functions);
        Assert.Same(Module.Empty, result.Module);
    }

    [Fact]
    public void TypeIndicesMustExist()
    {
        var module = new Module(functions: ImmutableArray.Create(new FunctionDefinition(3, default, Instruction.Encode(Op(Opcode.End)))));
        Invalid(module, "unknown type 3");
        var import = new Module(imports: ImmutableArray.Create(Import.Function("m", "f", 0)));
        Invalid(import, "unknown type 0");
    }

    [Fact]
    public void Memories()
    {
        Valid(new Module(memories: ImmutableArray.Create(new MemoryDefinition(new MemoryType(new Limits(0, 65536))))));
        Invalid(new Module(memories: ImmutableArray.Create(new MemoryDefinition(new MemoryType(new Limits(65537))))), "memory size must be at most 65536 pages (4GiB)");
        Invalid(new Module(memories: ImmutableArray.Create(new MemoryDefinition(new MemoryType(new Limits(0, 65537))))), "memory size must be at most 65536 pages (4GiB)");
        Invalid(new Module(memories: ImmutableArray.Create(new MemoryDefinition(new MemoryType(new Limits(2, 1))))), "size minimum must not be greater than maximum");
        var two = ImmutableArray.Create(new MemoryDefinition(new MemoryType(new Limits(1))), new MemoryDefinition(new MemoryType(new Limits(1))));
        Invalid(new Module(memories: two), "multiple memories");
        var importAndDefine = new Module(
            imports: ImmutableArray.Create(Import.ForMemory("m", "mem", new MemoryType(new Limits(1)))),
            memories: ImmutableArray.Create(new MemoryDefinition(new MemoryType(new Limits(1)))));
        Invalid(importAndDefine, "multiple memories");
        Invalid(new Module(imports: ImmutableArray.Create(Import.ForMemory("m", "mem", new MemoryType(new Limits(3, 2))))), "size minimum must not be greater than maximum");
    }

    [Fact]
    public void Tables()
    {
        Valid(new Module(tables: ImmutableArray.Create(new TableDefinition(new TableType(FuncRef, new Limits(0, uint.MaxValue))))));
        Valid(new Module(tables: ImmutableArray.Create(
            new TableDefinition(new TableType(FuncRef, new Limits(1))), new TableDefinition(new TableType(ExternRef, new Limits(1))))));
        Invalid(new Module(tables: ImmutableArray.Create(new TableDefinition(new TableType(FuncRef, new Limits(2, 1))))), "size minimum must not be greater than maximum");
        Invalid(new Module(tables: ImmutableArray.Create(new TableDefinition(new TableType(I32, new Limits(1))))), "type mismatch");
        Invalid(new Module(tables: ImmutableArray.Create(new TableDefinition(new TableType(ValType.Ref(HeapType.FromTypeIndex(0), false), new Limits(1))))), "invalid value type");
    }

    [Fact]
    public void GlobalInitialisers()
    {
        Module Global(ValType type, ConstantExpression init, params Import[] imports)
            => new(imports: imports.ToImmutableArray(), globals: ImmutableArray.Create(new GlobalDefinition(new GlobalType(type, false), init)));

        Valid(Global(I32, ConstantExpression.I32Const(1)));
        Valid(Global(FuncRef, ConstantExpression.RefNull(HeapType.Func)));
        Valid(Global(ValType.V128, ConstantExpression.FromInstructions(V128Const())));
        Invalid(Global(I32, ConstantExpression.I64Const(1)), "type mismatch");
        Invalid(Global(I32, ConstantExpression.FromInstructions()), "type mismatch");
        Invalid(Global(I32, ConstantExpression.FromInstructions(I32Const(0), I32Const(0))), "type mismatch");
        Invalid(Global(I32, ConstantExpression.FromInstructions(I32Const(0), Op(Opcode.Nop))), "constant expression required");
        Invalid(Global(I32, ConstantExpression.FromInstructions(I32Const(0), Op(Opcode.I32Eqz))), "constant expression required");
        Invalid(Global(I32, ConstantExpression.FromInstructions(I32Const(0), I32Const(0), Op(Opcode.I32Add))), "constant expression required");
        Invalid(Global(FuncRef, ConstantExpression.RefFunc(0)), "unknown function 0");

        var immutable = Import.ForGlobal("m", "g", new GlobalType(I32, false));
        var mutable = Import.ForGlobal("m", "g", new GlobalType(I32, true));
        Valid(Global(I32, ConstantExpression.GlobalGet(0), immutable));
        Invalid(Global(I32, ConstantExpression.GlobalGet(0), mutable), "constant expression required");
        Invalid(Global(I32, ConstantExpression.GlobalGet(1), immutable), "unknown global 1");
        Invalid(Global(I64, ConstantExpression.GlobalGet(0), immutable), "type mismatch");

        // Defined globals are not visible to constant expressions in 2.0.
        var two = new Module(globals: ImmutableArray.Create(
            new GlobalDefinition(new GlobalType(I32, false), ConstantExpression.I32Const(0)),
            new GlobalDefinition(new GlobalType(I32, false), ConstantExpression.GlobalGet(0))));
        Invalid(two, "unknown global 0");

        // Extended constant expressions, when enabled, allow add/sub/mul.
        var extended = Global(I32, ConstantExpression.FromInstructions(I32Const(1), I32Const(2), Op(Opcode.I32Add)));
        Valid(extended, WasmFeatures.V2 | WasmFeatures.ExtendedConst);
    }

    [Fact]
    public void Exports()
    {
        var builder = new ModuleBuilder();
        builder.AddFunction(FuncType.Empty, ImmutableArray<LocalGroup>.Empty);
        builder.AddMemory(new MemoryType(new Limits(1)));
        builder.AddExport("a", ExternalKind.Function, 0);
        builder.AddExport("b", ExternalKind.Memory, 0);
        Valid(builder.ToModule());

        builder.AddExport("a", ExternalKind.Memory, 0);
        Invalid(builder.ToModule(), "duplicate export name");

        Invalid(new Module(exports: ImmutableArray.Create(new Export("f", ExternalKind.Function, 0))), "unknown function 0");
        Invalid(new Module(exports: ImmutableArray.Create(new Export("t", ExternalKind.Table, 0))), "unknown table 0");
        Invalid(new Module(exports: ImmutableArray.Create(new Export("m", ExternalKind.Memory, 1))), "unknown memory 1");
        Invalid(new Module(exports: ImmutableArray.Create(new Export("g", ExternalKind.Global, 2))), "unknown global 2");
    }

    [Fact]
    public void StartFunction()
    {
        var builder = new ModuleBuilder();
        builder.AddFunction(FuncType.Empty, ImmutableArray<LocalGroup>.Empty);
        builder.AddFunction(Type(I32), ImmutableArray<LocalGroup>.Empty, I32Const(0));
        builder.Start = 0;
        Valid(builder.ToModule());
        builder.Start = 1;
        Invalid(builder.ToModule(), "start function");
        builder.Start = 2;
        Invalid(builder.ToModule(), "unknown function 2");
    }

    [Fact]
    public void ElementSegments()
    {
        var builder = new ModuleBuilder();
        builder.AddFunction(FuncType.Empty, ImmutableArray<LocalGroup>.Empty);
        builder.AddTable(new TableType(FuncRef, new Limits(1)));
        builder.AddTable(new TableType(ExternRef, new Limits(1)));
        var module = builder.ToModule();
        Module With(ElementSegment segment) => module.WithElements(ImmutableArray.Create(segment));

        Valid(With(ElementSegment.ActiveFunctions(0, ConstantExpression.I32Const(0), 0)));
        Invalid(With(ElementSegment.ActiveFunctions(0, ConstantExpression.I64Const(0), 0)), "type mismatch");
        Invalid(With(ElementSegment.ActiveFunctions(0, ConstantExpression.FromInstructions(Op(Opcode.Nop), I32Const(0)), 0)), "constant expression required");
        Invalid(With(ElementSegment.ActiveFunctions(0, ConstantExpression.I32Const(0), 1)), "unknown function 1");
        Invalid(With(ElementSegment.ActiveFunctions(2, ConstantExpression.I32Const(0), 0)), "unknown table 2");
        Invalid(With(ElementSegment.ActiveFunctions(1, ConstantExpression.I32Const(0), 0)), "type mismatch");
        Valid(With(new ElementSegment(SegmentMode.Active, ExternRef, default, ImmutableArray.Create(ConstantExpression.RefNull(HeapType.Extern)), 1, ConstantExpression.I32Const(0))));
        Invalid(With(new ElementSegment(SegmentMode.Passive, ExternRef, default, ImmutableArray.Create(ConstantExpression.RefNull(HeapType.Func)))), "type mismatch");
        Invalid(With(new ElementSegment(SegmentMode.Passive, FuncRef, default, ImmutableArray.Create(ConstantExpression.I32Const(0)))), "type mismatch");
        Valid(With(new ElementSegment(SegmentMode.Passive, FuncRef, default, ImmutableArray.Create(ConstantExpression.RefFunc(0)))));
        Invalid(With(new ElementSegment(SegmentMode.Passive, FuncRef, default, ImmutableArray.Create(ConstantExpression.RefFunc(3)))), "unknown function 3");
    }

    [Fact]
    public void DataSegments()
    {
        var memory = ImmutableArray.Create(new MemoryDefinition(new MemoryType(new Limits(1))));
        Valid(new Module(memories: memory, data: ImmutableArray.Create(DataSegment.Active(0, ConstantExpression.I32Const(0), new byte[] { 1 }))));
        Invalid(new Module(data: ImmutableArray.Create(DataSegment.Active(0, ConstantExpression.I32Const(0), new byte[] { 1 }))), "unknown memory 0");
        Invalid(new Module(memories: memory, data: ImmutableArray.Create(DataSegment.Active(0, ConstantExpression.I64Const(0), new byte[] { 1 }))), "type mismatch");
        Valid(new Module(data: ImmutableArray.Create(DataSegment.Passive(new byte[] { 1 })), dataCount: 1));
        Invalid(new Module(data: ImmutableArray.Create(DataSegment.Passive(new byte[] { 1 })), dataCount: 2), "data count and data section have inconsistent lengths");
    }

    [Fact]
    public void AllIndependentProblemsAreReported()
    {
        var builder = new ModuleBuilder();
        builder.AddFunction(FuncType.Empty, ImmutableArray<LocalGroup>.Empty, I32Const(0));
        builder.AddFunction(FuncType.Empty, ImmutableArray<LocalGroup>.Empty, Op(Opcode.LocalGet, 0));
        builder.AddMemory(new MemoryType(new Limits(2, 1)));
        builder.AddExport("x", ExternalKind.Function, 0);
        builder.AddExport("x", ExternalKind.Function, 1);
        var result = ModuleValidator.Validate(builder.ToModule());
        var messages = result.Diagnostics.Select(d => d.Message).ToList();
        Assert.Contains(messages, m => m.StartsWith("size minimum must not be greater than maximum"));
        Assert.Contains(messages, m => m.StartsWith("duplicate export name"));
        Assert.Contains(messages, m => m.StartsWith("type mismatch"));
        Assert.Contains(messages, m => m.StartsWith("unknown local 0"));
        Assert.All(result.Diagnostics, d => Assert.Equal("Validation", d.Descriptor.Category));
    }
}
