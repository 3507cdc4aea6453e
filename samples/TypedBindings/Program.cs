using System;
using System.Text;
using TypedBindings;

// The generated constructor takes one object per import module: here "env", with its "log" function.
using var calc = new CalcModule(new ConsoleLog());
Console.WriteLine($"add(2, 40) = {calc.Add(2, 40)}");
Console.WriteLine($"fib(50) = {calc.Fib(50)}");
Console.WriteLine($"hypot(3, 4) = {calc.Hypot(3, 4)}");
Console.WriteLine($"calls = {calc.Calls}");        // an exported mutable global is a property
calc.Calls = 0;
Console.WriteLine($"calls after reset = {calc.Calls}");

// A binary module: write the input into its exported memory, then call it.
using var checksum = new ChecksumModule();
var text = Encoding.UTF8.GetBytes("Wikipedia");
text.CopyTo(checksum.Memory.GetSpan());
Console.WriteLine($"adler32(\"Wikipedia\") = 0x{checksum.Adler32(0, text.Length):x8}");

/// <summary>Implements the imports of module "env" (the interface is generated from calc.wat).</summary>
internal sealed class ConsoleLog : ICalcModuleEnvImports
{
    public void Log(long value) => Console.WriteLine($"  [wasm called log({value})]");
}
