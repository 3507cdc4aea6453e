using System;
using System.Linq;
using System.Text.RegularExpressions;
using WasmToolkit.Compiler;
using Xunit;

namespace WasmToolkit.Runtime.Tests;

/// <summary>
/// A loop header loads the loop's most read locals into registers, and when registers are short it forgets locals
/// an outer loop cached that this loop does not keep (cached locals are written through, so nothing is lost). Both
/// halves: the values of the forgotten outer locals survive (results from the same loops in C#), and the inner
/// loop's body reads its locals from registers, not from frame slots (the matmul shape, where they used to be
/// reloaded every iteration because the outer loop held the registers).
/// </summary>
public class LoopHeaderLocalsTests
{
    // Outer loop: six locals of its own (o1..o6) kept busy, so its header caches them; inner loop: four others.
    private const string NestedLoops = """
        (module
          (memory 1)
          (func (export "f") (param $n i32) (result i64)
            (local $i i32) (local $o1 i64) (local $o2 i64) (local $o3 i64) (local $o4 i64) (local $o5 i64) (local $o6 i64)
            (local $p i32) (local $q i32) (local $j i32) (local $acc i64)
            (local.set $o1 (i64.const 1)) (local.set $o2 (i64.const 2)) (local.set $o3 (i64.const 3))
            (local.set $o4 (i64.const 4)) (local.set $o5 (i64.const 5)) (local.set $o6 (i64.const 6))
            (block $outer_done
              (loop $outer
                (br_if $outer_done (i32.ge_u (local.get $i) (local.get $n)))
                (local.set $o1 (i64.add (local.get $o1) (local.get $o2)))
                (local.set $o2 (i64.xor (local.get $o2) (local.get $o3)))
                (local.set $o3 (i64.add (local.get $o3) (local.get $o4)))
                (local.set $o4 (i64.mul (local.get $o4) (local.get $o5)))
                (local.set $o5 (i64.sub (local.get $o5) (local.get $o6)))
                (local.set $o6 (i64.add (local.get $o6) (local.get $o1)))
                (local.set $p (i32.const 0)) (local.set $q (i32.const 512)) (local.set $j (i32.const 0))
                (loop $inner
                  ;; mem[q] += mem[p] * 3 + j, over 8-byte cells
                  (i64.store (local.get $q)
                    (i64.add (i64.load (local.get $q))
                             (i64.add (i64.mul (i64.load (local.get $p)) (i64.const 3)) (i64.extend_i32_u (local.get $j)))))
                  (i64.store (local.get $p) (i64.add (i64.load (local.get $p)) (i64.const 1)))
                  (local.set $p (i32.add (local.get $p) (i32.const 8)))
                  (local.set $q (i32.add (local.get $q) (i32.const 8)))
                  (local.set $j (i32.add (local.get $j) (i32.const 1)))
                  (br_if $inner (i32.lt_u (local.get $j) (i32.const 16))))
                (local.set $acc (i64.add (local.get $acc) (i64.load offset=520 (i32.const 0))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $outer)))
            (i64.add (local.get $acc)
              (i64.add (i64.mul (local.get $o1) (i64.const 3))
                (i64.add (i64.mul (local.get $o2) (i64.const 5))
                  (i64.add (i64.mul (local.get $o3) (i64.const 7))
                    (i64.add (i64.mul (local.get $o4) (i64.const 11))
                      (i64.add (i64.mul (local.get $o5) (i64.const 13)) (local.get $o6)))))))))
        """;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(37)]
    public void OuterLocalsSurviveTheInnerLoopTakingTheirRegisters(int n)
    {
        using var instance = Wat.Instantiate(NestedLoops);
        Assert.Equal(Expected(n), (long)instance.Invoke("f", n)!);
    }

    [Fact]
    public void InnerLoopBodyReadsNoFrameSlot()
    {
        var compiled = Wat.Compile(NestedLoops);
        var listing = Disassembler.DisassembleFunction(compiled, compiled.Functions[0]);
        var lines = listing.ToArray();

        // The inner loop runs from its header (the target of its backward branch) to that branch.
        var offsets = lines.Select(ParseOffset).ToArray();
        var backEdge = Array.FindLastIndex(lines, l => IsBranch(l) && BranchTarget(l) is { } t && t < offsets[Array.IndexOf(lines, l)] && offsets.Contains(t) && IsInner(lines, offsets, t));
        Assert.True(backEdge >= 0, "no inner back edge found in:\n" + string.Join('\n', lines));
        var header = Array.IndexOf(offsets, BranchTarget(lines[backEdge])!.Value);
        var body = lines[header..backEdge];
        var frameLoads = body.Where(l => IsFrameLoad(l)).ToArray();
        Assert.True(frameLoads.Length == 0, "inner loop loads frame slots:\n" + string.Join('\n', frameLoads) + "\n\nlisting:\n" + string.Join('\n', lines));
    }

    private static long Expected(int n)
    {
        var memory = new long[128];
        long o1 = 1, o2 = 2, o3 = 3, o4 = 4, o5 = 5, o6 = 6, acc = 0;
        unchecked
        {
            for (var i = 0; i < n; i++)
            {
                o1 += o2;
                o2 ^= o3;
                o3 += o4;
                o4 *= o5;
                o5 -= o6;
                o6 += o1;
                for (var j = 0; j < 16; j++)
                {
                    memory[64 + j] += (memory[j] * 3) + j;
                    memory[j] += 1;
                }

                acc += memory[65];
            }

            return acc + ((o1 * 3) + ((o2 * 5) + ((o3 * 7) + ((o4 * 11) + ((o5 * 13) + o6)))));
        }
    }

    // Listing lines look like "0000b0  mov     eax,[rbp-8]" and "0001fa  jae     short 0x0000000000000204".
    private static readonly Regex s_line = new(@"^\s*([0-9a-fA-F]+)\s+(\S+)\s*([^;]*)", RegexOptions.CultureInvariant);

    private static int ParseOffset(string line)
    {
        var m = s_line.Match(line);
        return m.Success ? Convert.ToInt32(m.Groups[1].Value, 16) : -1;
    }

    private static string Instruction(string line)
    {
        var m = s_line.Match(line);
        return m.Success ? m.Groups[2].Value + " " + m.Groups[3].Value.Trim() : "";
    }

    private static bool IsBranch(string line) => Instruction(line).StartsWith('j');

    private static int? BranchTarget(string line)
    {
        var m = Regex.Match(Instruction(line), @"0x([0-9A-Fa-f]+)$");
        return IsBranch(line) && m.Success ? Convert.ToInt32(m.Groups[1].Value, 16) : null;
    }

    // The inner loop's header is the later of the two loop headers (both are targets of backward branches).
    private static bool IsInner(string[] lines, int[] offsets, int target)
        => !lines.Any(l => IsBranch(l) && BranchTarget(l) is { } t && t > target && t < offsets[Array.IndexOf(lines, l)]);

    private static bool IsFrameLoad(string line)
    {
        var ins = Instruction(line);
        var comma = ins.IndexOf(',');
        return comma > 0 && ins.IndexOf("[rbp", comma, StringComparison.Ordinal) > 0;
    }
}
