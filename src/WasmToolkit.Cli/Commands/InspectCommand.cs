using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using WasmToolkit.Binary;
using WasmToolkit.Instructions;

namespace WasmToolkit.Cli.Commands;

/// <summary>
/// <c>wasmtk inspect FILE</c>: sections, types, imports, exports, functions and segments, after <c>wasm-objdump -x</c>;
/// for a compiled-module cache, its header first.
/// </summary>
internal static class InspectCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<string>("file") { Description = "A .wasm or .wat file." };
        var command = new Command("inspect", "Show a module's sections, types, imports, exports, functions and segments.");
        command.Arguments.Add(file);
        command.SetAction(parse => Run(parse.GetValue(file)!, stdout, stderr));
        return command;
    }

    public static int Run(string path, TextWriter stdout, TextWriter stderr)
    {
        if (!File.Exists(path))
        {
            stderr.WriteLine($"{path}: error: file not found");
            return 1;
        }

        if (CacheFiles.IsCache(path)) return CacheFiles.Inspect(path, stdout, stderr);
        var loaded = ModuleLoader.Load(path);
        return Print(path, loaded, stdout, stderr);
    }

    public static int Print(string path, LoadedModule loaded, TextWriter stdout, TextWriter stderr)
    {
        foreach (var d in loaded.Diagnostics) stderr.WriteLine(d);
        if (loaded.Module is not { } module) return 1;

        var sections = loaded.Sections;
        var note = "";
        if (loaded.IsText)
        {
            // Text has no sections: show those of the module's binary encoding.
            sections = ModuleReader.Read(ModuleWriter.Write(module)).Sections;
            note = " (text; sections of its binary encoding)";
        }

        var names = module.Names;
        stdout.WriteLine($"{Path.GetFileName(path)}: module{(names.ModuleName is { } n ? " $" + n : "")}{note}");
        stdout.WriteLine();
        stdout.WriteLine("Sections:");
        foreach (var s in sections)
        {
            var label = s.Id == SectionId.Custom ? $"Custom \"{s.CustomName}\"" : s.Id.ToString();
            var count = CountOf(module, s.Id);
            stdout.WriteLine(string.Format(CultureInfo.InvariantCulture, "  {0,-18} start=0x{1:x8} end=0x{2:x8} (size=0x{3:x8}){4}",
                label, s.Span.Start, s.Span.End, s.ContentSpan.Length, count is { } c ? " count: " + c : ""));
        }

        Section(stdout, "Types", module.Types.Length);
        for (var i = 0; i < module.Types.Length; i++) stdout.WriteLine($"  type[{i}] {module.Types[i]}");

        Section(stdout, "Imports", module.Imports.Length);
        uint fi = 0, ti = 0, mi = 0, gi = 0;
        foreach (var import in module.Imports)
        {
            var what = import.Kind switch
            {
                ExternalKind.Function => $"func[{fi}] sig={import.FunctionType}{Name(names.GetFunctionName(fi++))}",
                ExternalKind.Table => $"table[{ti++}] {import.Table}",
                ExternalKind.Memory => $"memory[{mi++}] pages: {import.Memory}",
                ExternalKind.Global => $"global[{gi++}] {import.Global}",
                _ => import.Kind.ToString(),
            };
            stdout.WriteLine($"  {what} <- {import.Module}.{import.Name}");
        }

        Section(stdout, "Functions", module.Functions.Length);
        for (var i = 0; i < module.Functions.Length; i++)
        {
            var f = module.Functions[i];
            var index = (uint)(module.ImportedFunctionCount + i);
            var type = f.Type.Value < (uint)module.Types.Length ? module.Types[(int)f.Type.Value].ToString() : "?";
            stdout.WriteLine($"  func[{index}] sig={f.Type}{Name(names.GetFunctionName(index))} {type} locals={f.LocalCount} code={f.Code.Length} bytes");
        }

        Section(stdout, "Tables", module.Tables.Length);
        for (var i = 0; i < module.Tables.Length; i++) stdout.WriteLine($"  table[{module.ImportedTableCount + i}] {module.Tables[i].Type}");

        Section(stdout, "Memories", module.Memories.Length);
        for (var i = 0; i < module.Memories.Length; i++) stdout.WriteLine($"  memory[{module.ImportedMemoryCount + i}] pages: {module.Memories[i].Type}");

        Section(stdout, "Globals", module.Globals.Length);
        for (var i = 0; i < module.Globals.Length; i++)
        {
            var g = module.Globals[i];
            stdout.WriteLine($"  global[{module.ImportedGlobalCount + i}] {g.Type} = {Expression(g.Init)}");
        }

        Section(stdout, "Exports", module.Exports.Length);
        foreach (var e in module.Exports)
        {
            var kind = e.Kind switch { ExternalKind.Function => "func", ExternalKind.Table => "table", ExternalKind.Memory => "memory", ExternalKind.Global => "global", _ => "tag" };
            var name = e.Kind == ExternalKind.Function ? Name(names.GetFunctionName(e.Index)) : "";
            stdout.WriteLine($"  {kind}[{e.Index}]{name} -> \"{e.Name}\"");
        }

        if (module.Start is { } start)
        {
            stdout.WriteLine();
            stdout.WriteLine($"Start: func[{start}]{Name(names.GetFunctionName(start.Value))}");
        }

        Section(stdout, "Elements", module.Elements.Length);
        for (var i = 0; i < module.Elements.Length; i++)
        {
            var e = module.Elements[i];
            var where = e.Mode == SegmentMode.Active ? $" table={e.Table} offset={Expression(e.Offset!)}" : "";
            var items = e.UsesExpressions
                ? string.Join(", ", e.Expressions.Take(8).Select(Expression))
                : string.Join(", ", e.FunctionIndices.Take(8).Select(f => "func[" + f + "]" + Name(names.GetFunctionName(f.Value))));
            stdout.WriteLine($"  segment[{i}] {e.Mode.ToString().ToLowerInvariant()} {e.ElementType}{where} count={e.Count}: {items}{(e.Count > 8 ? ", ..." : "")}");
        }

        if (module.DataCount is { } dataCount)
        {
            stdout.WriteLine();
            stdout.WriteLine($"DataCount: {dataCount}");
        }

        Section(stdout, "Data", module.Data.Length);
        for (var i = 0; i < module.Data.Length; i++)
        {
            var d = module.Data[i];
            var where = d.Mode == SegmentMode.Active ? $" memory={d.Memory} offset={Expression(d.Offset!)}" : "";
            stdout.WriteLine($"  segment[{i}] {d.Mode.ToString().ToLowerInvariant()}{where} size={d.Data.Length}: {Preview(d.Data.Span)}");
        }

        Section(stdout, "Custom sections", module.CustomSections.Length);
        foreach (var c in module.CustomSections) stdout.WriteLine($"  \"{c.Name}\" size={c.Data.Length} after {c.After}");
        return 0;
    }

    private static int? CountOf(Module module, SectionId id) => id switch
    {
        SectionId.Type => module.Types.Length,
        SectionId.Import => module.Imports.Length,
        SectionId.Function => module.Functions.Length,
        SectionId.Table => module.Tables.Length,
        SectionId.Memory => module.Memories.Length,
        SectionId.Global => module.Globals.Length,
        SectionId.Export => module.Exports.Length,
        SectionId.Element => module.Elements.Length,
        SectionId.Code => module.Functions.Length,
        SectionId.Data => module.Data.Length,
        _ => null,
    };

    private static void Section(TextWriter w, string title, int count)
    {
        if (count == 0) return;
        w.WriteLine();
        w.WriteLine($"{title}[{count}]:");
    }

    private static string Name(string? name) => name is null ? "" : " <" + name + ">";

    /// <summary>A constant expression as text, e.g. <c>i32.const 16</c>.</summary>
    internal static string Expression(ConstantExpression expression)
    {
        var parts = expression.Instructions.Where(i => i.Opcode != Opcode.End).Select(i => i.Opcode switch
        {
            Opcode.I32Const => "i32.const " + i.I32Value.ToString(CultureInfo.InvariantCulture),
            Opcode.I64Const => "i64.const " + i.I64Value.ToString(CultureInfo.InvariantCulture),
            Opcode.F32Const => "f32.const " + BitConverter.Int32BitsToSingle((int)(uint)i.Value).ToString("R", CultureInfo.InvariantCulture),
            Opcode.F64Const => "f64.const " + BitConverter.Int64BitsToDouble((long)i.Value).ToString("R", CultureInfo.InvariantCulture),
            Opcode.GlobalGet => "global.get " + i.Index,
            Opcode.RefFunc => "ref.func " + i.Index,
            Opcode.RefNull => "ref.null " + i.HeapType,
            Opcode.V128Const => "v128.const " + i.V128,
            _ => OpcodeTable.GetName(i.Opcode),
        });
        return string.Join("; ", parts);
    }

    private static string Preview(ReadOnlySpan<byte> data)
    {
        var sb = new StringBuilder("\"");
        var n = Math.Min(data.Length, 32);
        for (var i = 0; i < n; i++)
        {
            var b = data[i];
            if (b >= 0x20 && b < 0x7F && b != '"' && b != '\\') sb.Append((char)b);
            else sb.Append('\\').Append(b.ToString("x2", CultureInfo.InvariantCulture));
        }

        sb.Append('"');
        if (data.Length > n) sb.Append("...");
        return sb.ToString();
    }
}
