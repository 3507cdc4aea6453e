using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using WasmToolkit.Instructions;
using Xunit;

namespace WasmToolkit.Runtime.Tests.Simd;

/// <summary>
/// Every SIMD instruction without immediates, against Wasmtime (Cranelift) on the same module bytes: one export per
/// opcode, called with a fixed-seed set of vectors mixing random bits with the lanes that break lowerings (NaNs with
/// payloads, ±0, ±∞, denormals, integer and float bounds, the values just past them) and, for shifts, counts beyond the
/// lane width and negative ones. Results compare byte for byte, except that two NaN lanes of a float result are equal
/// whatever their payloads (spec 4.3.3 leaves them nondeterministic, as <see cref="DifferentialTests"/> does for scalars).
/// </summary>
public class SimdDifferentialTests
{
    private const int Rounds = 96;

    private static readonly uint[] s_f32Specials =
    [
        0x00000000, 0x80000000, 0x3F800000, 0xBF800000, 0x7F800000, 0xFF800000, 0x7FC00000, 0xFFC00000, 0x7FA00001,
        0xFF812345, 0x00000001, 0x807FFFFF, 0x7F7FFFFF, 0xFF7FFFFF, 0x4F000000, 0xCF000000, 0x4F800000, 0x4EFFFFFF,
        0x3F000000, 0x3FC00000, 0x40200000, 0xBF000000, 0xBFC00000, 0x4B000001, 0xCB7FFFFF,
    ];

    private static readonly ulong[] s_f64Specials =
    [
        0x0000000000000000, 0x8000000000000000, 0x3FF0000000000000, 0xBFF0000000000000, 0x7FF0000000000000,
        0xFFF0000000000000, 0x7FF8000000000000, 0xFFF8000000000000, 0x7FF4000000000001, 0x0000000000000001,
        0x800FFFFFFFFFFFFF, 0x7FEFFFFFFFFFFFFF, 0x41E0000000000000, 0xC1E0000000200000, 0x41EFFFFFFFE00000,
        0x41F0000000000000, 0x3FE0000000000000, 0x3FF8000000000000, 0xC004000000000000, 0x4330000000000001,
        0x47EFFFFFE0000000, 0x36A0000000000000,
    ];

    private static readonly byte[] s_byteSpecials = [0x00, 0xFF, 0x80, 0x7F, 0x01, 0xFE, 0x81];

    private static IEnumerable<OpcodeInfo> Operations() => OpcodeTable.All.Where(i =>
        i.Prefix == 0xFD && i.HasFixedSignature && i.Immediate == ImmediateKind.None && i.Results.Length == 1
        && i.Operands.Length > 0 && i.Operands[0].Kind == ValTypeKind.V128
        && i.Operands.Skip(1).All(t => t.Kind is ValTypeKind.V128 or ValTypeKind.I32));

    private static string Export(OpcodeInfo op) => "op_" + op.Name;

    private static string ModuleText()
    {
        var text = new StringBuilder("(module\n");
        foreach (var op in Operations())
        {
            var parameters = string.Join(" ", op.Operands.Select(t => t.ToString()));
            var gets = string.Concat(Enumerable.Range(0, op.Operands.Length).Select(i => $" local.get {i}"));
            text.Append($"  (func (export \"{Export(op)}\") (param {parameters}) (result {op.Results[0]}){gets} {op.Name})\n");
        }

        return text.Append(')').ToString();
    }

    [Fact]
    public void EveryOperationAgreesWithWasmtime()
    {
        var text = ModuleText();
        var parsed = WasmToolkit.Text.TextModuleParser.Parse(text, "simd-ops.wat");
        Assert.True(parsed.Module is not null && parsed.Diagnostics.IsEmpty, string.Join("; ", parsed.Diagnostics));
        var bytes = WasmToolkit.Binary.ModuleWriter.Write(parsed.Module!);
        using var instance = Instance.Create(parsed.Module!);
        using var engine = new global::Wasmtime.Engine();
        using var store = new global::Wasmtime.Store(engine);
        using var module = global::Wasmtime.Module.FromBytes(engine, "simd-ops", bytes);
        var oracle = new global::Wasmtime.Instance(store, module);

        var random = new Random(20261205);
        var operations = Operations().ToList();
        Assert.True(operations.Count > 180, $"only {operations.Count} SIMD operations found");
        var failures = new List<string>();
        var compared = 0;
        foreach (var op in operations)
        {
            var shape = op.Name[..op.Name.IndexOf('.')];
            var ours = instance.GetFunction(Export(op)).AsSlotFunction();
            var theirs = oracle.GetFunction(Export(op)) ?? throw new InvalidOperationException("no export " + Export(op));
            var floatResult = op.Results[0].Kind == ValTypeKind.V128 && shape is "f32x4" or "f64x2" && !IsCompare(op.Name);
            for (var round = 0; round < Rounds && failures.Count < 20; round++)
            {
                var args = new object[op.Operands.Length];
                var slots = new ulong[Math.Max(ours.SlotCount, 6)];
                var at = 0;
                for (var i = 0; i < args.Length; i++)
                {
                    if (op.Operands[i].Kind == ValTypeKind.I32)
                    {
                        var count = round % 3 == 0 ? random.Next(-70, 140) : random.Next(0, 64);
                        args[i] = count;
                        slots[at++] = (uint)count;
                        continue;
                    }

                    var vector = RandomVector(random, OperandShape(op, i));
                    args[i] = vector;
                    slots[at++] = BitConverter.ToUInt64(vector, 0);
                    slots[at++] = BitConverter.ToUInt64(vector, 8);
                }

                ours.Invoke(slots);
                var expected = Call(theirs, args);
                var actual = op.Results[0].Kind == ValTypeKind.V128
                    ? BitConverter.GetBytes(slots[0]).Concat(BitConverter.GetBytes(slots[1])).ToArray()
                    : BitConverter.GetBytes((uint)slots[0]);
                compared++;
                if (!Same(expected, actual, floatResult ? shape : null))
                {
                    failures.Add($"{op.Name}({string.Join(", ", args.Select(Show))}): Wasmtime {Show(expected)}, WasmToolkit {Show(actual)}");
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {compared} calls differ:\n" + string.Join("\n", failures));
        Console.WriteLine($"{nameof(SimdDifferentialTests)}: {operations.Count} operations, {compared} calls compared with Wasmtime");
    }

    private static bool IsCompare(string name) => name.EndsWith(".eq", StringComparison.Ordinal) || name.EndsWith(".ne", StringComparison.Ordinal)
        || name.EndsWith(".lt", StringComparison.Ordinal) || name.EndsWith(".gt", StringComparison.Ordinal)
        || name.EndsWith(".le", StringComparison.Ordinal) || name.EndsWith(".ge", StringComparison.Ordinal);

    /// <summary>The lane shape an operand is read in: the source shape in a conversion's name (<c>_f64x2</c>), else the result's.</summary>
    private static string OperandShape(OpcodeInfo op, int index)
    {
        foreach (var shape in new[] { "f32x4", "f64x2", "i8x16", "i16x8", "i32x4", "i64x2" })
        {
            if (op.Name.Contains("_" + shape, StringComparison.Ordinal)) return shape;
        }

        return op.Name[..op.Name.IndexOf('.')];
    }

    private static byte[] RandomVector(Random random, string shape)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        switch (shape)
        {
            case "f32x4":
                for (var lane = 0; lane < 4; lane++)
                {
                    if (random.Next(3) != 0) BitConverter.GetBytes(s_f32Specials[random.Next(s_f32Specials.Length)]).CopyTo(bytes, lane * 4);
                }

                break;
            case "f64x2":
                for (var lane = 0; lane < 2; lane++)
                {
                    if (random.Next(3) != 0) BitConverter.GetBytes(s_f64Specials[random.Next(s_f64Specials.Length)]).CopyTo(bytes, lane * 8);
                }

                break;
            default:
                // Integer lanes: some bytes from the edges, so lanes hit 0, -1, MIN and MAX of every width.
                for (var i = 0; i < 16; i++)
                {
                    if (random.Next(3) == 0) bytes[i] = s_byteSpecials[random.Next(s_byteSpecials.Length)];
                }

                break;
        }

        return bytes;
    }

    private static byte[] Call(global::Wasmtime.Function function, object[] args)
    {
        var boxes = args.Select(a => a is int i ? (global::Wasmtime.ValueBox)i : (global::Wasmtime.ValueBox)new global::Wasmtime.V128((byte[])a)).ToArray();
        var result = function.Invoke(boxes);
        if (result is int n) return BitConverter.GetBytes(n);
        var vector = (global::Wasmtime.V128)result!;
        return vector.AsSpan().ToArray();
    }

    /// <summary>Equal bytes, or for a float result lane by lane with any two NaNs equal.</summary>
    private static bool Same(byte[] expected, byte[] actual, string? floatShape)
    {
        if (expected.AsSpan().SequenceEqual(actual)) return true;
        if (floatShape is null) return false;
        var width = floatShape == "f32x4" ? 4 : 8;
        for (var at = 0; at < 16; at += width)
        {
            var e = expected.AsSpan(at, width);
            var a = actual.AsSpan(at, width);
            if (e.SequenceEqual(a)) continue;
            if (!(IsNaN(e) && IsNaN(a))) return false;
        }

        return true;
    }

    private static bool IsNaN(ReadOnlySpan<byte> lane)
        => lane.Length == 4 ? float.IsNaN(BitConverter.ToSingle(lane)) : double.IsNaN(BitConverter.ToDouble(lane));

    private static string Show(object value) => value is byte[] b ? (b.Length == 16 ? Convert.ToHexString(b) : BitConverter.ToInt32(b).ToString()) : value.ToString()!;
}
