using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using WasmToolkit.Compiler;
using WasmToolkit.Text;
using WasmToolkit.Validation;
using Xunit;

namespace WasmToolkit.Runtime.Tests;

/// <summary>
/// The edge-case tests write their modules in the text format: a row is easier to read as
/// <c>(i64.sub (i64.const 0x100000000) (local.get 0))</c> than as instruction factories.
/// </summary>
/// <remarks>
/// How these files work: each family file holds xunit <c>[Theory]</c> rows whose expected values were worked
/// out by hand (or with C# only where C# has wasm's semantics: wrapping integer arithmetic, masked shift
/// counts, IEEE add/sub/mul/div/sqrt). Float values cross the C# boundary as their bit patterns
/// (<c>i32</c>/<c>i64</c> arguments reinterpreted inside wasm), so the Release JIT cannot quiet a signalling
/// NaN by folding a constant, and results are compared bit for bit. Operator rows usually run in several
/// operand shapes (registers, constant right, constant left, both constant), because the baseline compiler
/// keeps constants lazy and has separate immediate paths.
/// </remarks>
internal static class Wat
{
    /// <summary>Parses, validates (the compiler assumes valid input) and instantiates a whole module.</summary>
    public static Instance Instantiate(string module, CompilerOptions? options = null) => Instance.Create(Parse(module), options);

    /// <summary>Parses, validates and compiles a whole module (for instantiating through a <see cref="Linker"/>).</summary>
    public static CompiledModule Compile(string module, CompilerOptions? options = null) => ModuleCompiler.Compile(Parse(module), options);

    private static Module Parse(string module)
    {
        var parsed = TextModuleParser.Parse(module, "test.wat");
        Assert.True(parsed.Module is not null && parsed.Diagnostics.IsEmpty, $"test module does not parse: {string.Join("; ", parsed.Diagnostics)}\n{module}");
        var validated = ModuleValidator.Validate(parsed.Module!);
        Assert.True(validated.Diagnostics.IsEmpty, $"test module is invalid: {string.Join("; ", parsed.SourceMap.Remap(validated.Diagnostics))}\n{module}");
        return parsed.Module!;
    }

    /// <summary>A module of exported functions, each given as (name, signature, body), plus extra fields.</summary>
    public static Instance Functions(string extraFields, params (string Name, string Signature, string Body)[] functions)
        => Functions(extraFields, null, functions);

    public static Instance Functions(string extraFields, CompilerOptions? options, params (string Name, string Signature, string Body)[] functions)
    {
        var text = new StringBuilder("(module ").Append(extraFields).Append('\n');
        foreach (var (name, signature, body) in functions)
        {
            text.Append("  (func (export \"").Append(name).Append("\") ").Append(signature).Append(' ').Append(body).Append(")\n");
        }

        return Instantiate(text.Append(')').ToString(), options);
    }

    /// <summary>An exact literal for the text format (<c>nan:0x...</c> keeps every payload bit).</summary>
    public static string F32(uint bits)
    {
        var sign = (bits & 0x80000000) != 0 ? "-" : "";
        var exponent = (bits >> 23) & 0xFF;
        var fraction = bits & 0x7FFFFF;
        if (exponent == 0xFF) return sign + (fraction == 0 ? "inf" : $"nan:0x{fraction:x}");
        return BitConverter.UInt32BitsToSingle(bits).ToString("R", CultureInfo.InvariantCulture);
    }

    public static string F64(ulong bits)
    {
        var sign = (bits & 0x8000000000000000) != 0 ? "-" : "";
        var exponent = (bits >> 52) & 0x7FF;
        var fraction = bits & 0xFFFFFFFFFFFFF;
        if (exponent == 0x7FF) return sign + (fraction == 0 ? "inf" : $"nan:0x{fraction:x}");
        return BitConverter.UInt64BitsToDouble(bits).ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>The C# argument for a wasm integer parameter: i32 rows keep their value in the low 32 bits.</summary>
    public static object Arg(string type, ulong value) => type == "i32" ? (object)unchecked((int)(uint)value) : (object)unchecked((long)value);

    /// <summary>A boxed float argument made from <paramref name="bits"/> at run time.</summary>
    public static object FloatArg(string type, ulong bits)
        => type == "f32" ? (object)BitConverter.UInt32BitsToSingle((uint)bits) : (object)BitConverter.UInt64BitsToDouble(bits);

    /// <summary>A boxed i32/i64 result as its bit pattern, zero-extended.</summary>
    public static ulong Bits(object? result) => result switch
    {
        int i => (uint)i,
        long l => (ulong)l,
        _ => throw new InvalidOperationException($"not an integer result: {result ?? "null"}"),
    };

    public static string Hex(ulong value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    /// <summary>Runs <paramref name="run"/> and requires a trap of <paramref name="kind"/>.</summary>
    public static void Traps(TrapKind kind, Func<object?> run, string what)
    {
        object? result;
        try
        {
            result = run();
        }
        catch (TrapException e)
        {
            Assert.True(e.Kind == kind, $"{what}: expected trap {kind}, got {e.Kind}");
            return;
        }

        Assert.Fail($"{what}: expected trap {kind}, returned {result}");
    }

    /// <summary>
    /// A binary operator of integer operands in four shapes: <c>rr</c> both parameters, <c>rc</c> constant right,
    /// <c>cr</c> constant left, <c>cc</c> both constant. Returns each shape's invoker.
    /// </summary>
    public static (Instance Instance, List<(string Shape, Func<object?> Run)> Shapes) BinaryShapes(string operandType, string resultType, string op, ulong a, ulong b, string extraFields = "")
    {
        string Const(ulong v) => $"({operandType}.const {Hex(operandType == "i32" ? v & 0xFFFFFFFF : v)})";
        var instance = Functions(extraFields,
            ("rr", $"(param {operandType} {operandType}) (result {resultType})", $"({op} (local.get 0) (local.get 1))"),
            ("rc", $"(param {operandType}) (result {resultType})", $"({op} (local.get 0) {Const(b)})"),
            ("cr", $"(param {operandType}) (result {resultType})", $"({op} {Const(a)} (local.get 0))"),
            ("cc", $"(result {resultType})", $"({op} {Const(a)} {Const(b)})"));
        object A = Arg(operandType, a), B = Arg(operandType, b);
        return (instance, new()
        {
            ("rr", () => instance.Invoke("rr", A, B)),
            ("rc", () => instance.Invoke("rc", A)),
            ("cr", () => instance.Invoke("cr", B)),
            ("cc", () => instance.Invoke("cc")),
        });
    }

    public static string TypeOf(string op) => op.Substring(0, 3);

    /// <summary>i32 for comparisons and <c>eqz</c>, else the operand type.</summary>
    public static string ResultTypeOf(string op)
    {
        var name = op.Substring(4);
        return name is "eq" or "ne" or "lt_s" or "lt_u" or "gt_s" or "gt_u" or "le_s" or "le_u" or "ge_s" or "ge_u" or "eqz"
            or "lt" or "gt" or "le" or "ge" ? "i32" : TypeOf(op);
    }

    public static ulong Mask(string type, ulong value) => type == "i32" ? value & 0xFFFFFFFF : value;

    /// <summary>Requires every shape of a binary integer operator to give <paramref name="expected"/>.</summary>
    public static void CheckBinary(string op, ulong a, ulong b, ulong expected)
    {
        var type = TypeOf(op);
        var result = ResultTypeOf(op);
        var (instance, shapes) = BinaryShapes(type, result, op, a, b);
        using var _ = instance;
        foreach (var (shape, run) in shapes)
        {
            object? actual;
            try
            {
                actual = run();
            }
            catch (TrapException e)
            {
                throw new Xunit.Sdk.XunitException($"{op} {Hex(a)} {Hex(b)} ({shape}): unexpected trap {e.Kind}");
            }

            Assert.True(Mask(result, expected) == Bits(actual), $"{op} {Hex(a)} {Hex(b)} ({shape}): expected {Hex(Mask(result, expected))}, got {Hex(Bits(actual))}");
        }
    }

    public static void CheckBinaryTraps(string op, ulong a, ulong b, TrapKind kind)
    {
        var (instance, shapes) = BinaryShapes(TypeOf(op), ResultTypeOf(op), op, a, b);
        using var _ = instance;
        foreach (var (shape, run) in shapes)
        {
            Traps(kind, run, $"{op} {Hex(a)} {Hex(b)} ({shape})");
        }
    }

    /// <summary>A unary integer operator, parameter and constant operand.</summary>
    public static void CheckUnary(string op, string operandType, string resultType, ulong a, ulong expected, CompilerOptions? options = null)
    {
        using var instance = Functions("", options,
            ("r", $"(param {operandType}) (result {resultType})", $"({op} (local.get 0))"),
            ("c", $"(result {resultType})", $"({op} ({operandType}.const {Hex(Mask(operandType, a))}))"));
        Assert.True(Mask(resultType, expected) == Bits(instance.Invoke("r", Arg(operandType, a))), $"{op} {Hex(a)} (register): expected {Hex(Mask(resultType, expected))}, got {Hex(Bits(instance.Invoke("r", Arg(operandType, a))))}");
        Assert.True(Mask(resultType, expected) == Bits(instance.Invoke("c")), $"{op} {Hex(a)} (constant): expected {Hex(Mask(resultType, expected))}, got {Hex(Bits(instance.Invoke("c")))}");
    }

    public static bool IsCanonicalNaN32(uint bits) => (bits & 0x7FFFFFFF) == 0x7FC00000;

    public static bool IsArithmeticNaN32(uint bits) => (bits & 0x7FC00000) == 0x7FC00000;

    public static bool IsCanonicalNaN64(ulong bits) => (bits & 0x7FFFFFFFFFFFFFFF) == 0x7FF8000000000000;

    public static bool IsArithmeticNaN64(ulong bits) => (bits & 0x7FF8000000000000) == 0x7FF8000000000000;

    /// <summary>
    /// Expected float results in rows: an exact bit pattern, or the spec's NaN classes
    /// (<c>CanonicalNaN</c>: <c>nan:canonical</c> of either sign; <c>ArithmeticNaN</c>: any NaN with the quiet bit set).
    /// </summary>
    public const ulong CanonicalNaN = 0xC000_0000_0000_0001;

    public const ulong ArithmeticNaN = 0xC000_0000_0000_0002;

    public static void SameFloat(string type, ulong expected, ulong actual, string what)
    {
        var is32 = type == "f32";
        switch (expected)
        {
            case CanonicalNaN:
                Assert.True(is32 ? IsCanonicalNaN32((uint)actual) : IsCanonicalNaN64(actual), $"{what}: expected a canonical NaN, got {Hex(actual)}");
                break;
            case ArithmeticNaN:
                Assert.True(is32 ? IsArithmeticNaN32((uint)actual) : IsArithmeticNaN64(actual), $"{what}: expected an arithmetic (quiet) NaN, got {Hex(actual)}");
                break;
            default:
                Assert.True(expected == actual, $"{what}: expected {Hex(expected)}, got {Hex(actual)}");
                break;
        }
    }

    /// <summary>The integer type that carries a float type's bits.</summary>
    public static string BitsType(string floatType) => floatType == "f32" ? "i32" : "i64";

    /// <summary>
    /// A float operator (unary or binary) whose operands arrive as bit patterns, in the shapes
    /// registers (reinterpreted from integer parameters) / float parameters / constant right / constant left /
    /// all constant; the result leaves as bits.
    /// </summary>
    public static void CheckFloat(string op, string operandType, string resultType, ulong[] operands, ulong expected, CompilerOptions? options = null)
    {
        var ib = BitsType(operandType);
        string Param(int i) => $"({operandType}.reinterpret_{ib} (local.get {i}))";
        string Const(ulong v) => $"({operandType}.const {(operandType == "f32" ? F32((uint)v) : F64(v))})";
        var resultIsFloat = resultType is "f32" or "f64";
        string Wrap(string e) => resultIsFloat ? $"({BitsType(resultType)}.reinterpret_{resultType} {e})" : e;
        var resultBits = resultIsFloat ? BitsType(resultType) : resultType;
        var parameters = string.Join(" ", operands.Select(_ => ib));
        var shapes = new List<(string Name, string Signature, string Body, object[] Args)>
        {
            ("r", $"(param {parameters}) (result {resultBits})", Wrap($"({op} {string.Join(" ", operands.Select((_, i) => Param(i)))})"), operands.Select(o => Arg(ib, o)).ToArray()),
            ("c", $"(result {resultBits})", Wrap($"({op} {string.Join(" ", operands.Select(Const))})"), Array.Empty<object>()),
        };
        // "p": float-typed parameters, the argument built from its bits at run time (not a C# constant the JIT could quiet).
        shapes.Add(("p", $"(param {string.Join(" ", operands.Select(_ => operandType))}) (result {resultBits})",
            Wrap($"({op} {string.Join(" ", operands.Select((_, i) => $"(local.get {i})"))})"), operands.Select(o => FloatArg(operandType, o)).ToArray()));
        if (operands.Length == 2)
        {
            shapes.Add(("rc", $"(param {ib}) (result {resultBits})", Wrap($"({op} {Param(0)} {Const(operands[1])})"), new[] { Arg(ib, operands[0]) }));
            shapes.Add(("cr", $"(param {ib}) (result {resultBits})", Wrap($"({op} {Const(operands[0])} {Param(0)})"), new[] { Arg(ib, operands[1]) }));
        }

        using var instance = Functions("", options, shapes.Select(s => (s.Name, s.Signature, s.Body)).ToArray());
        foreach (var s in shapes)
        {
            var what = $"{op} {string.Join(" ", operands.Select(Hex))} ({s.Name})";
            object? actual;
            try
            {
                actual = instance.Invoke(s.Name, s.Args);
            }
            catch (TrapException e)
            {
                throw new Xunit.Sdk.XunitException($"{what}: unexpected trap {e.Kind}");
            }

            if (resultIsFloat) SameFloat(resultType, expected, Bits(actual), what);
            else Assert.True(Mask(resultBits, expected) == Bits(actual), $"{what}: expected {Hex(Mask(resultBits, expected))}, got {Hex(Bits(actual))}");
        }
    }

    /// <summary>
    /// An expression over one operand, written with <c>$x</c> for it: run with <c>$x</c> a parameter and a constant
    /// (<c>(T.const ...)</c>, floats as exact literals). Float results are returned as bits by the template
    /// itself when <paramref name="resultType"/> names an integer type; the bit comparison honours the NaN classes.
    /// </summary>
    public static void CheckExpr(string operandType, string resultType, string template, ulong a, ulong expected, string floatResult = "", CompilerOptions? options = null)
    {
        var isFloat = operandType is "f32" or "f64";
        var param = isFloat ? BitsType(operandType) : operandType;
        var operand = isFloat ? $"({operandType}.reinterpret_{param} (local.get 0))" : "(local.get 0)";
        var constant = operandType switch
        {
            "f32" => $"(f32.const {F32((uint)a)})",
            "f64" => $"(f64.const {F64(a)})",
            _ => $"({operandType}.const {Hex(Mask(operandType, a))})",
        };
        using var instance = Functions("", options,
            ("r", $"(param {param}) (result {resultType})", template.Replace("$x", operand)),
            ("c", $"(result {resultType})", template.Replace("$x", constant)));
        foreach (var (shape, args) in new[] { ("r", new[] { Arg(param, a) }), ("c", Array.Empty<object>()) })
        {
            var what = $"{template} with $x = {Hex(a)} ({shape})";
            object? actual;
            try
            {
                actual = instance.Invoke(shape, args);
            }
            catch (TrapException e)
            {
                throw new Xunit.Sdk.XunitException($"{what}: unexpected trap {e.Kind}");
            }

            if (floatResult != "") SameFloat(floatResult, expected, Bits(actual), what);
            else Assert.True(Mask(resultType, expected) == Bits(actual), $"{what}: expected {Hex(Mask(resultType, expected))}, got {Hex(Bits(actual))}");
        }
    }

    /// <summary>Like <see cref="CheckExpr"/>, but both shapes must trap with <paramref name="kind"/>.</summary>
    public static void CheckExprTraps(string operandType, string resultType, string template, ulong a, TrapKind kind)
    {
        var isFloat = operandType is "f32" or "f64";
        var param = isFloat ? BitsType(operandType) : operandType;
        var operand = isFloat ? $"({operandType}.reinterpret_{param} (local.get 0))" : "(local.get 0)";
        var constant = operandType switch
        {
            "f32" => $"(f32.const {F32((uint)a)})",
            "f64" => $"(f64.const {F64(a)})",
            _ => $"({operandType}.const {Hex(Mask(operandType, a))})",
        };
        using var instance = Functions("",
            ("r", $"(param {param}) (result {resultType})", template.Replace("$x", operand)),
            ("c", $"(result {resultType})", template.Replace("$x", constant)));
        Traps(kind, () => instance.Invoke("r", Arg(param, a)), $"{template} with $x = {Hex(a)} (register)");
        Traps(kind, () => instance.Invoke("c"), $"{template} with $x = {Hex(a)} (constant)");
    }
}
