using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using WasmToolkit;
using WasmToolkit.Binary;
using WasmToolkit.Text;
using WasmToolkit.Validation;

// 1. Read a module. Text (.wat) and binary (.wasm) give the same immutable Module; here the text is written to binary
//    first, as a .wasm file would be on disk, and read back with the binary reader.
var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "sample.wat"));
var parsed = TextModuleParser.Parse(text, "sample.wat");
byte[] bytes = ModuleWriter.Write(parsed.Module!);
var read = ModuleReader.Read(bytes, "sample.wasm");
var module = read.Module!;
Console.WriteLine($"sample.wasm: {bytes.Length} bytes, {module.Types.Length} types, {module.Functions.Length} functions");

// 2. List imports and exports with their types.
foreach (var import in module.Imports)
{
    var type = import.Kind == ExternalKind.Function ? module.Types[(int)import.FunctionType.Value].ToString() : import.Kind.ToString().ToLowerInvariant();
    Console.WriteLine($"  import \"{import.Module}\" \"{import.Name}\": {type}");
}

// The validator knows every function's type, imported or defined (the export index is in the function index space).
var validated = ModuleValidator.Validate(module);
Console.WriteLine($"  valid: {validated.IsValid}");
foreach (var export in module.Exports)
{
    var type = export.Kind switch
    {
        ExternalKind.Function => validated.GetFunctionType(new FuncIndex(export.Index))!.ToString(),
        ExternalKind.Memory => "memory " + validated.Memories[(int)export.Index],
        ExternalKind.Table => "table " + validated.Tables[(int)export.Index],
        _ => "global " + validated.Globals[(int)export.Index],
    };
    Console.WriteLine($"  export \"{export.Name}\": {type}");
}

// 3. Broken modules give diagnostics (stable id, severity, location, message), never exceptions.
//    A malformed binary: the function section claims one more function than it lists (offsets are into the file).
var damaged = (byte[])bytes.Clone();
var functionSection = read.Sections.First(s => s.Id == SectionId.Function);
damaged[functionSection.ContentSpan.Start] += 1;
Console.WriteLine("damaged binary:");
foreach (var d in ModuleReader.Read(damaged, "damaged.wasm").Diagnostics) Console.WriteLine($"  {d}");

//    An invalid module: well-formed, but a function returns an i64 where its type says i32 (line and column in the text).
const string Invalid = """
    (module
      (func (export "f") (param i32) (result i32)
        (i64.const 1)))
    """;
var invalid = TextModuleParser.Parse(Invalid, "invalid.wat");
Console.WriteLine("invalid text:");
foreach (var d in invalid.SourceMap.Remap(ModuleValidator.Validate(invalid.Module!).Diagnostics)) Console.WriteLine($"  {d}");

// 4. Edit: the model is immutable; With* returns a new module. Rename an export, drop another, write it back.
var edited = module.WithExports(module.Exports
    .Where(e => e.Name != "strlen")
    .Select(e => e.Name == "fib" ? e.WithName("fibonacci") : e)
    .ToImmutableArray());
byte[] editedBytes = ModuleWriter.Write(edited);
var reread = ModuleReader.Read(editedBytes, "edited.wasm").Module!;
Console.WriteLine($"edited: {editedBytes.Length} bytes, exports {string.Join(", ", reread.Exports.Select(e => e.Name))}; original unchanged: {string.Join(", ", module.Exports.Select(e => e.Name))}");
Console.WriteLine($"  still valid: {ModuleValidator.Validate(reread).IsValid}");
