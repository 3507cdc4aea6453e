using System.Collections.Generic;
using System.Linq;
using Iced.Intel;
using WasmToolkit.Compiler;
using WasmToolkit.Text;
using Xunit;

namespace WasmToolkit.Runtime.Tests.Lazy;

/// <summary>The machine code of lazy mode: the compile stubs in the image and the call sequence in compiled functions.</summary>
public class LazyCodeTests
{
    private const string Module = """
        (module
          (import "env" "h" (func $h))
          (func $callee (param i32) (result i32) (local.get 0))
          (func $caller (param i32) (result i32) (call $callee (local.get 0))))
        """;

    [Fact]
    public void EachFunctionStartsAtACompileStubThatCallsTheBuiltin()
    {
        var compiled = ModuleCompiler.CompileLazy(TextModuleParser.Parse(Module, "m.wat").Module!);
        Assert.Equal(12, (int)TrapKind.HostException);
        Assert.Equal(0, compiled.TrapStubOffset);
        // Iced's masm syntax puts a 0 before hex numbers that would start with a letter.
        var builtin = (VmContextLayout.Builtins + (8 * (int)BuiltinFunction.CompileLazy)).ToString("X");
        if (char.IsLetter(builtin[0])) builtin = "0" + builtin;
        for (var i = 0; i < compiled.Functions.Length; i++)
        {
            var f = compiled.Functions[i];
            var code = Decode(compiled.Code.AsSpan().Slice(f.Offset, f.Size).ToArray(), (ulong)f.Offset);
            Assert.Equal(
                new[]
                {
                    "push rbp", "mov rbp,rsp", "mov rdi,r15", $"mov esi,{1 + i}", $"call qword ptr [r15+{builtin}h]",
                    "test rax,rax", $"je short {f.Offset + 27:X16}h", "pop rbp", "jmp rax",
                    "mov eax,0Ch", "call 0", // TrapKind.HostException; the trap stub at offset 0
                },
                code);

            // The failure path is a trap site of the function, so a failed compile has a wasm stack trace.
            Assert.True(compiled.TryGetTrapSite(f.Offset + f.Size, out var site));
            Assert.Equal(1 + i, site.FunctionIndex);
        }

        Assert.Equal(0, compiled.Lazy!.CompiledFunctionCount);
    }

    [Fact]
    public void DirectCallsGoThroughTheCalleesRecord()
    {
        var module = TextModuleParser.Parse(Module, "m.wat").Module!;
        var compiled = ModuleCompiler.CompileLazy(module);
        var caller = compiled.Lazy!.GetOrCompile(1);
        var code = Decode(caller.Code.Skip(caller.EntryOffset).ToArray(), (ulong)caller.EntryOffset);
        var funcRef = VmContextLayout.For(module).FuncRef(1);
        var load = code.IndexOf($"mov r11,[r15+{Hex(funcRef)}h]");
        Assert.True(load >= 0, string.Join("\n", code));
        Assert.Equal("call qword ptr [r11]", code[load + 1]);

        // No relative call to another function (there is nothing to patch): only the blob's own trap stub at 0.
        Assert.All(code.Where(line => line.StartsWith("call ", System.StringComparison.Ordinal)), line => Assert.Contains(line, new[] { "call qword ptr [r11]", "call 0" }));
        Assert.Single(caller.CallSites);
        Assert.Equal(2, caller.FunctionIndex);
    }

    /// <summary>Iced's hex: a leading 0 when the number starts with a letter.</summary>
    private static string Hex(int value)
    {
        var text = value.ToString("X");
        return char.IsLetter(text[0]) ? "0" + text : text;
    }

    private static List<string> Decode(byte[] bytes, ulong ip)
    {
        var decoder = Decoder.Create(64, new ByteArrayCodeReader(bytes), ip);
        var lines = new List<string>();
        while (decoder.IP < ip + (ulong)bytes.Length)
        {
            var instruction = decoder.Decode();
            if (instruction.Mnemonic == Mnemonic.Int3) break;
            lines.Add(instruction.ToString());
        }

        return lines;
    }
}
