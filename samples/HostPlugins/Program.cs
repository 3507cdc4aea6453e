using System;
using System.IO;
using System.Linq;
using System.Text;
using WasmToolkit;
using WasmToolkit.Runtime;
using WasmToolkit.Text;

// A tiny plugin system: every plugins/*.wat is a module exporting run(i32) -> i32. The host offers it, under the
// import module "host": a memory, a print(ptr, len) function that reads a string from that memory, a
// report(step, total) function, and an immutable global "limit". A plugin imports only what it needs.
var directory = Path.Combine(AppContext.BaseDirectory, "plugins");
foreach (var path in Directory.GetFiles(directory, "*.wat").Order(StringComparer.Ordinal))
{
    var name = Path.GetFileNameWithoutExtension(path);
    Console.WriteLine($"plugin {name}:");
    var parsed = TextModuleParser.Parse(File.ReadAllText(path), path);
    if (parsed.Module is null || parsed.HasErrors)
    {
        foreach (var d in parsed.Diagnostics) Console.WriteLine($"  {d}");
        continue;
    }

    // One linker per plugin: each gets its own memory, so one plugin cannot see another's data.
    using var linker = new Linker();
    var memory = new Memory(1);
    linker.Define("host", "memory", memory);
    linker.Define("host", "print", Function.Create<int, int>((ptr, len) =>
        Console.WriteLine($"  print: {Encoding.UTF8.GetString(memory.GetSpan().Slice(ptr, len))}")));
    linker.Define("host", "report", Function.Create<int, long>((step, total) =>
        Console.WriteLine($"  report: step {step}, total {total}")));
    linker.Define("host", "limit", new Global(new GlobalType(ValType.I32, false), 4));

    Instance instance;
    try
    {
        instance = linker.Instantiate(parsed.Module);
    }
    catch (LinkException e)
    {
        // Every unsatisfied or mismatched import, with a stable id.
        foreach (var d in e.Diagnostics) Console.WriteLine($"  link error {d.Id}: {d.Message}");
        continue;
    }

    var run = instance.GetFunction<int, int>("run");   // typed: no boxing, no allocation per call
    foreach (var input in new[] { 10, 0, 4 })
    {
        try
        {
            Console.WriteLine($"  run({input}) = {run.Invoke(input)}");
        }
        catch (TrapException e)
        {
            // A trap never crashes the host, and the instance stays usable (the next call runs).
            Console.WriteLine($"  run({input}) trapped: {e.Kind} in {e.WasmStackTrace.FirstOrDefault()}");
        }
    }
}
