using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using WasmToolkit.Instructions;
using Xunit;

namespace WasmToolkit.Tests.Instructions;

/// <summary>
/// The generated table (OpcodeTable.g.cs) must say what opcodes.txt says; regenerate with
/// <c>python3 eng/gen-opcodes.py</c> after editing the text table.
/// </summary>
public class OpcodeTableTests
{
    [Fact]
    public void GeneratedTableMatchesTextTable()
    {
        var path = Path.Combine(TestPaths.RepositoryRoot, "src", "WasmToolkit", "Instructions", "opcodes.txt");
        var rows = File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0 && l[0] != '#').ToList();
        Assert.Equal(rows.Count, OpcodeTable.All.Length);
        for (var i = 0; i < rows.Count; i++)
        {
            var cols = rows[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var info = OpcodeTable.All[i];
            var code = cols[0].Contains(':')
                ? (Convert.ToInt32(cols[0].Split(':')[0], 16) << 16) | int.Parse(cols[0].Split(':')[1])
                : Convert.ToInt32(cols[0], 16);
            Assert.Equal(code, (int)info.Opcode);
            Assert.Equal(cols[1], info.Name);
            var sig = info.HasFixedSignature ? string.Join(",", info.Operands) + ">" + string.Join(",", info.Results) : "*";
            Assert.Equal(cols[3], sig);
        }
    }

    [Fact]
    public void EveryOpcodeIsFoundByCodeAndName()
    {
        var names = new HashSet<string>();
        foreach (var info in OpcodeTable.All)
        {
            Assert.Same(info, OpcodeTable.Get(info.Opcode));
            Assert.True(OpcodeTable.TryGetByName(info.Name, out var byName));
            Assert.Equal(info.Name, byName.Name);
            names.Add(info.Name);
        }

        // 2.0 has 436 distinct mnemonics (select appears twice in the binary table).
        Assert.Equal(OpcodeTable.All.Length - 1, names.Count);
    }

    [Fact]
    public void EncodeThenDecodeGivesTheSameInstructions()
    {
        var instructions = new[]
        {
            new Instruction(Opcode.I32Const) { Value = unchecked((uint)-5) },
            new Instruction(Opcode.I64Const) { Value = unchecked((ulong)long.MinValue) },
            new Instruction(Opcode.I32Load) { MemArg = new MemArg(2, 0xFFFF_FFFF) },
            new Instruction(Opcode.BrTable) { BrTableTargets = [1, 2, 300], Index = 7 },
            new Instruction(Opcode.V128Const) { V128 = new V128(0x0102030405060708, 0x1112131415161718) },
            new Instruction(Opcode.V128Load8Lane) { MemArg = new MemArg(0, 3), Lane = 15 },
            new Instruction(Opcode.TableCopy) { Index = 1, Index2 = 2 },
            new Instruction(Opcode.SelectTyped) { SelectTypes = [ValType.F64] },
            new Instruction(Opcode.RefNull) { HeapType = HeapType.Extern },
            new Instruction(Opcode.Block) { BlockType = BlockType.FromTypeIndex(3) },
            new Instruction(Opcode.End),
        };
        var bytes = Instruction.Encode(instructions);
        var decoded = Instruction.DecodeAll(bytes);
        Assert.Equal(instructions.Length, decoded.Length);
        for (var i = 0; i < instructions.Length; i++) Assert.Equal(instructions[i], decoded[i]);
    }
}
