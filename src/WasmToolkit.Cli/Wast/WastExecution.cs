using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.InteropServices;
using WasmToolkit.Compiler;
using WasmToolkit.Compiler.Serialization;
using WasmToolkit.Instructions;
using WasmToolkit.Runtime;
using WasmToolkit.Text;

namespace WasmToolkit.Cli.Wast;

/// <summary>
/// The execution state of one script: compiles its modules with the x64 baseline compiler (leniently:
/// functions it cannot compile trap when called), links them against the <c>spectest</c> host module
/// and the script's registered instances, and runs <c>invoke</c>, <c>get</c>, <c>assert_return</c>,
/// <c>assert_trap</c>, <c>assert_exhaustion</c>, <c>assert_unlinkable</c> and instantiation traps.
/// </summary>
/// <remarks>
/// Whatever the runtime cannot do yet is skipped with a reason that starts with "needs ": other
/// platforms than Linux x64, modules the compiler rejects as unsupported and the commands on them,
/// and calls into functions it did not compile. Everything else that does not behave as the script
/// says fails. v128 values cross as <see cref="V128"/>; expected vectors match lane by lane in the
/// shape the script wrote them, float lanes by NaN pattern where it gives one.
/// </remarks>
internal sealed class WastExecution : IDisposable
{
    private const string NotSupportedSuffix = " is not supported by the x64 baseline compiler yet";

    /// <summary>Null on a platform the runtime supports, else the skip reason.</summary>
    private static readonly string? s_platformSkip =
        OperatingSystem.IsLinux() && HostFeatures.Architecture is not null ? null : "needs Linux x64 or ARM64 (the runtime runs compiled code there only)";

    private readonly CompilerOptions _options;
    private readonly WastCompileMode _mode;

    /// <param name="strict">Compile modules in full (unsupported functions fail the module) instead of leniently.</param>
    /// <param name="mode">How modules are compiled; every mode must give the same results.</param>
    public WastExecution(bool strict = false, WastCompileMode mode = WastCompileMode.Parallel)
    {
        _mode = mode;
        _options = new CompilerOptions
        {
            TrapOnUnsupportedFunctions = !strict,
            Architecture = HostFeatures.CompilerOptions.Architecture,
            X64Features = HostFeatures.X64,
            MaxDegreeOfParallelism = mode switch
            {
                WastCompileMode.Sequential => 1,
                WastCompileMode.Parallel or WastCompileMode.Lazy or WastCompileMode.Cached => Environment.ProcessorCount,
                _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown compile mode."),
            },
        };
    }

    /// <summary>A module of the script: its instance, or why there is none (a skip reason, "needs …").</summary>
    private sealed class Target
    {
        public Target(Instance? instance, string? skipReason)
        {
            Instance = instance;
            SkipReason = skipReason;
        }

        public Instance? Instance { get; }

        /// <summary>Why commands on this module skip; set too when a command that could have changed its state did not run.</summary>
        public string? SkipReason { get; set; }
    }

    private readonly Linker _linker = SpectestHost.CreateLinker();

    /// <summary>Names registered for modules that did not instantiate, with the reason: modules importing them skip.</summary>
    private readonly Dictionary<string, string> _unavailable = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Target> _named = new(StringComparer.Ordinal);
    private Target? _current;

    /// <summary>
    /// Compiles and instantiates a module that passed the front end; null when it is instantiated or the
    /// runtime cannot run it (commands on it are then skipped), else why the module command fails.
    /// </summary>
    public string? Define(WastModuleDefinition definition, Module module)
    {
        var (compiled, skip, fail) = Compile(module);
        Instance? instance = null;
        if (compiled is not null)
        {
            try
            {
                instance = _linker.Instantiate(compiled);
            }
            catch (TrapException e) when (e.Kind == TrapKind.UnsupportedFunction)
            {
                skip = UnsupportedFunctionReason(compiled, e);
            }
            catch (TrapException e)
            {
                fail = "instantiation trapped: " + FirstLine(e.Message);
            }
            catch (LinkException e)
            {
                // A registered module whose state is no longer the script's (a call on it was skipped) may
                // be why its exports do not match.
                var tainted = _named.Values.FirstOrDefault(t => t.Instance is not null && t.SkipReason is not null);
                skip = UnavailableImport(module) ?? tainted?.SkipReason;
                if (skip is null) fail = "linking failed: " + FirstLine(e.Message);
            }
        }

        Bind(definition, new Target(instance, skip ?? (fail is null ? null : "needs a module that instantiates (its module command failed)")));
        return fail;
    }

    /// <summary><c>register</c>: the module's exports become importable under <paramref name="name"/>.</summary>
    public (WastStatus, string?) Register(string name, string? moduleId)
    {
        var target = moduleId is null ? _current : _named.GetValueOrDefault(moduleId);
        if (target is null) return Fail("no module to register");
        if (target.Instance is null)
        {
            var reason = target.SkipReason ?? "needs a module that instantiates";
            _unavailable[name] = reason;
            return Skip(reason);
        }

        _unavailable.Remove(name);
        _linker.DefineInstance(name, target.Instance);
        return Pass();
    }

    /// <summary>A module the front end rejected: the commands on it skip.</summary>
    public void DefineFailed(WastModuleDefinition definition) => Bind(definition, new Target(null, "needs a module that loads (its module command failed)"));

    private void Bind(WastModuleDefinition definition, Target target)
    {
        _current = target;
        if (definition.Id is { } id) _named[id] = target;
    }

    /// <summary><c>invoke</c>/<c>get</c>, and with <paramref name="results"/> <c>assert_return</c>.</summary>
    public (WastStatus, string?) Act(WastAction action, ImmutableArray<WastResult>? results) => Taint(action, ActCore(action, results));

    private (WastStatus, string?) ActCore(WastAction action, ImmutableArray<WastResult>? results)
    {
        if (!TryResolve(action, out var instance, out var args, out var outcome)) return outcome;
        var expected = new List<WastResult>(results ?? ImmutableArray<WastResult>.Empty);

        object? returned;
        if (action.Kind == WastActionKind.Get)
        {
            if (instance.GetExport(action.Name) is not Global global) return Fail($"no exported global named \"{action.Name}\"");
            returned = global.Value;
        }
        else
        {
            try
            {
                returned = instance.Invoke(action.Name, args);
            }
            catch (TrapException e) when (e.Kind == TrapKind.UnsupportedFunction)
            {
                return Skip(UnsupportedFunctionReason(instance.Compiled, e));
            }
            catch (TrapException e)
            {
                return Fail($"{Call(action)} trapped \"{FirstLine(e.Message)}\"" + (results is null ? "" : $", expected ({string.Join(", ", expected)})"));
            }
        }

        // A null reference is a result too: how many there are comes from the function's type.
        var resultCount = action.Kind == WastActionKind.Get ? 1 : instance.GetFunction(action.Name).Type.Results.Length;
        var actual = returned is object?[] many ? many.ToList() : resultCount == 0 ? new List<object?>() : new List<object?> { returned };
        if (results is not null && (actual.Count != expected.Count || actual.Where((value, i) => !Matches(value, expected[i])).Any()))
        {
            return Fail($"{Call(action)} = ({string.Join(", ", actual.Select((value, i) => Show(value, i < expected.Count ? expected[i] : null)))}), expected ({string.Join(", ", expected)})");
        }

        return Pass();
    }

    /// <summary><c>assert_trap</c> / <c>assert_exhaustion</c> on an action.</summary>
    public (WastStatus, string?) ExpectTrap(WastAction action, string message) => Taint(action, ExpectTrapCore(action, message));

    private (WastStatus, string?) ExpectTrapCore(WastAction action, string message)
    {
        if (!TryResolve(action, out var instance, out var args, out var outcome)) return outcome;
        if (action.Kind == WastActionKind.Get) return Fail($"{action} cannot trap, expected trap \"{message}\"");
        try
        {
            var value = instance.Invoke(action.Name, args);
            return Fail($"{Call(action)} returned {Show(value)}, expected trap \"{message}\"");
        }
        catch (TrapException e) when (e.Kind == TrapKind.UnsupportedFunction)
        {
            return Skip(UnsupportedFunctionReason(instance.Compiled, e));
        }
        catch (TrapException e)
        {
            return TrapMatches(e, message)
                ? Pass()
                : Fail($"{Call(action)} trapped \"{FirstLine(e.Message)}\", expected \"{message}\"");
        }
    }

    /// <summary><c>assert_trap</c> / <c>assert_uninstantiable</c> on a module that passed the front end.</summary>
    public (WastStatus, string?) ExpectInstantiationTrap(Module module, string message)
    {
        var (compiled, skip, fail) = Compile(module);
        if (fail is not null) return Fail(fail);
        if (skip is not null) return Skip(skip);

        try
        {
            _linker.Instantiate(compiled!);
            return Fail($"the module instantiated, expected trap \"{message}\"");
        }
        catch (LinkException e)
        {
            return UnavailableImport(module) is { } reason ? Skip(reason) : Fail($"linking failed \"{FirstLine(e.Message)}\", expected trap \"{message}\"");
        }
        catch (TrapException e) when (e.Kind == TrapKind.UnsupportedFunction)
        {
            return Skip(UnsupportedFunctionReason(compiled!, e));
        }
        catch (TrapException e)
        {
            return TrapMatches(e, message)
                ? Pass()
                : Fail($"instantiation trapped \"{FirstLine(e.Message)}\", expected \"{message}\"");
        }
    }

    /// <summary>
    /// Whether a trap is the one a script expects: our message starts with the expected text, or the expected text is
    /// our kind's phrase plus detail the reference interpreter adds (e.g. "uninitialized element 2").
    /// </summary>
    private static bool TrapMatches(TrapException trap, string expected)
        => trap.Message.StartsWith(expected, StringComparison.Ordinal)
            || expected.StartsWith(trap.Kind.GetMessage() + " ", StringComparison.Ordinal);

    /// <summary>Why an import of <paramref name="module"/> cannot be satisfied by this runtime yet (its exporter did not instantiate), or null.</summary>
    private string? UnavailableImport(Module module)
    {
        foreach (var import in module.Imports)
        {
            if (_unavailable.TryGetValue(import.Module, out var reason)) return reason;
        }

        return null;
    }

    /// <summary><c>assert_unlinkable</c>: linking must fail with <paramref name="message"/> for one of the imports.</summary>
    public (WastStatus, string?) ExpectLinkError(Module module, string message)
    {
        var (compiled, skip, fail) = Compile(module);
        if (fail is not null) return Fail(fail);
        if (skip is not null) return Skip(skip);
        try
        {
            _linker.Instantiate(compiled!);
            return Fail($"the module linked, expected \"{message}\"");
        }
        catch (LinkException e)
        {
            return e.Diagnostics.Any(d => d.Message.StartsWith(message, StringComparison.Ordinal))
                ? Pass()
                : Fail($"linking failed \"{FirstLine(e.Message)}\", expected \"{message}\"");
        }
        catch (TrapException e)
        {
            return Fail($"instantiation trapped \"{FirstLine(e.Message)}\", expected link error \"{message}\"");
        }
    }

    /// <summary>
    /// A skipped call did not run, so when it could have changed its instance's state (it may store to memory,
    /// grow it, set a global, change a table, drop a segment, or call indirectly), the state is no longer the
    /// script's: later commands on that module skip for the same reason.
    /// </summary>
    private (WastStatus, string?) Taint(WastAction action, (WastStatus Status, string? Reason) outcome)
    {
        if (outcome.Status != WastStatus.Skipped || action.Kind != WastActionKind.Invoke) return outcome;
        var target = action.ModuleId is null ? _current : _named.GetValueOrDefault(action.ModuleId);
        if (target?.Instance is not { } instance || target.SkipReason is not null) return outcome;
        var module = instance.Compiled.Module;
        var export = module.Exports.FirstOrDefault(e => e.Kind == ExternalKind.Function && e.Name == action.Name);
        if (export is null || MayChangeState(module, export.Index, new HashSet<uint>()))
        {
            target.SkipReason = outcome.Reason + " (an earlier call on this module, which may change its state, did not run)";
        }

        return outcome;
    }

    /// <summary>Whether function <paramref name="index"/> or a function it calls may change the instance's state.</summary>
    private static bool MayChangeState(Module module, uint index, HashSet<uint> seen)
    {
        if (!seen.Add(index)) return false;
        var local = (long)index - module.ImportedFunctionCount;
        if (local < 0 || local >= module.Functions.Length) return true;
        var reader = new InstructionReader(module.Functions[(int)local].Code.Span);
        while (reader.Read())
        {
            switch (reader.Opcode)
            {
                case Opcode.Call:
                    if (MayChangeState(module, reader.Index, seen)) return true;
                    break;
                case Opcode.CallIndirect or Opcode.GlobalSet or Opcode.TableSet or Opcode.TableInit or Opcode.ElemDrop or Opcode.TableCopy
                    or Opcode.TableGrow or Opcode.TableFill or Opcode.MemoryGrow or Opcode.MemoryInit or Opcode.DataDrop or Opcode.MemoryCopy
                    or Opcode.MemoryFill:
                    return true;
                default:
                    if (reader.Info?.Name.Contains("store", StringComparison.Ordinal) == true) return true;
                    break;
            }
        }

        return !reader.IsAtEnd;
    }

    public void Dispose() => _linker.Dispose();

    /// <summary>Compiles a module; the compiled module, or why it is skipped ("needs …") or failed.</summary>
    private (CompiledModule? Compiled, string? Skip, string? Fail) Compile(Module module)
    {
        if (s_platformSkip is not null) return (null, s_platformSkip, null);
        var result = _mode == WastCompileMode.Lazy ? ModuleCompiler.TryCompileLazy(module, _options) : ModuleCompiler.TryCompile(module, _options);
        if (result.IsUnsupported && _options.TrapOnUnsupportedFunctions) return (null, "needs " + What(result.Errors[0].Message), null);
        if (!result.Succeeded) return (null, null, "compile failed: " + string.Join("; ", result.Errors));
        return _mode == WastCompileMode.Cached ? ThroughCache(result.Module!) : (result.Module, null, null);
    }

    /// <summary>
    /// The <see cref="WastCompileMode.Cached"/> path: serialise, load back with the host's checks, and run what was
    /// loaded (never the original), so every command of the suite also tests the cache round trip.
    /// </summary>
    private static (CompiledModule? Compiled, string? Skip, string? Fail) ThroughCache(CompiledModule compiled)
    {
        var bytes = CompiledModuleSerializer.Serialize(compiled);
        var loaded = CompiledModuleSerializer.Deserialize(bytes, HostFeatures.CompiledModuleReadOptions);
        return loaded.Module is { } module ? (module, null, null) : (null, null, "compiled-module cache refused: " + loaded.FirstError);
    }

    /// <summary>The instance and boxed arguments of an action, or the outcome when it cannot run.</summary>
    private bool TryResolve(WastAction action, out Instance instance, out object?[] args, out (WastStatus, string?) outcome)
    {
        instance = null!;
        args = Array.Empty<object?>();
        outcome = default;
        Target? target;
        if (action.ModuleId is null)
        {
            target = _current;
        }
        else if (!_named.TryGetValue(action.ModuleId, out target))
        {
            outcome = Fail("no module named " + action.ModuleId);
            return false;
        }

        if (target is null)
        {
            outcome = Fail("no module defined before the action");
            return false;
        }

        if (target.Instance is null || target.SkipReason is not null)
        {
            // The module's own command already passed its front-end checks or failed; the commands on it skip for the reason it did not run.
            outcome = Skip(target.SkipReason ?? "needs a module that instantiates");
            return false;
        }

        var list = new object?[action.Arguments.Length];
        for (var i = 0; i < list.Length; i++)
        {
            if (!TryBox(action.Arguments[i], out list[i]))
            {
                outcome = Skip(NeedsValues(action.Arguments[i].Kind));
                return false;
            }
        }

        instance = target.Instance;
        args = list;
        return true;
    }

    /// <summary>A script value as the runtime takes it (a v128 as <see cref="V128"/>); false for <c>ref.func</c>, which scripts cannot pass.</summary>
    private static bool TryBox(WastValue value, out object? boxed)
    {
        boxed = value.Kind switch
        {
            WastValueKind.I32 => value.I32,
            WastValueKind.I64 => value.I64,
            WastValueKind.F32 => BitConverter.Int32BitsToSingle((int)(uint)value.Bits),
            WastValueKind.F64 => BitConverter.Int64BitsToDouble((long)value.Bits),
            WastValueKind.RefExtern => new HostReference((uint)value.Bits),
            WastValueKind.V128 => value.Vector,
            _ => null,
        };
        return boxed is not null || value.Kind == WastValueKind.RefNull;
    }

    /// <summary>The host object behind <c>ref.extern N</c>: equal when the numbers are.</summary>
    private sealed record HostReference(uint Number)
    {
        public override string ToString() => $"ref.extern {Number}";
    }

    /// <summary>
    /// Whether a returned value satisfies an expected result: integers by value, floats bit for bit (so
    /// -0 differs from +0 and NaN payloads count), NaN patterns by the spec's definitions, vectors lane by lane.
    /// </summary>
    private static bool Matches(object? actual, WastResult expected)
    {
        switch (actual)
        {
            case float f when expected.Kind == WastValueKind.F32:
                return F32Matches((uint)BitConverter.SingleToInt32Bits(f), expected.Nan, (uint)expected.Value.Bits);
            case double d when expected.Kind == WastValueKind.F64:
                return F64Matches((ulong)BitConverter.DoubleToInt64Bits(d), expected.Nan, expected.Value.Bits);
            case V128 v when expected.Kind == WastValueKind.V128:
                return VectorMatches(v, expected);

            case var _ when expected.IsAnyReference:
                return expected.Kind == WastValueKind.RefFunc ? actual is Function : actual is not null and not Function;
            case null:
                return expected.Kind == WastValueKind.RefNull;
            case HostReference r when expected.Kind == WastValueKind.RefExtern:
                return r.Number == (uint)expected.Value.Bits;
            case int i when expected.Kind == WastValueKind.I32:
                return i == expected.Value.I32;
            case long l when expected.Kind == WastValueKind.I64:
                return l == expected.Value.I64;
            default:
                return false;
        }
    }

    private static bool F32Matches(uint bits, WastNanPattern nan, uint expected) => nan switch
    {
        WastNanPattern.Canonical => (bits & 0x7FFF_FFFF) == 0x7FC0_0000,
        WastNanPattern.Arithmetic => (bits & 0x7FC0_0000) == 0x7FC0_0000,
        _ => bits == expected,
    };

    private static bool F64Matches(ulong bits, WastNanPattern nan, ulong expected) => nan switch
    {
        WastNanPattern.Canonical => (bits & 0x7FFF_FFFF_FFFF_FFFF) == 0x7FF8_0000_0000_0000,
        WastNanPattern.Arithmetic => (bits & 0x7FF8_0000_0000_0000) == 0x7FF8_0000_0000_0000,
        _ => bits == expected,
    };

    /// <summary>
    /// A vector against an expected one in the shape the script wrote: a lane without a NaN pattern compares bit for bit
    /// with the expected vector's lane (its bytes, so a negative integer lane needs no masking); a float lane with a
    /// pattern is checked as a lone f32/f64 would be (spec 7.1 "nan:canonical"/"nan:arithmetic" per lane).
    /// </summary>
    private static bool VectorMatches(V128 actual, WastResult expected)
    {
        var width = LaneBits(expected.Shape);
        for (var i = 0; i < 128 / width; i++)
        {
            var lane = Lane(actual, width, i);
            var nan = i < expected.Lanes.Length ? expected.Lanes[i].Nan : WastNanPattern.None;
            var ok = nan == WastNanPattern.None ? lane == Lane(expected.Value.Vector, width, i)
                : width == 32 ? F32Matches((uint)lane, nan, 0)
                : F64Matches(lane, nan, 0);
            if (!ok) return false;
        }

        return true;
    }

    private static int LaneBits(WastLaneShape shape) => shape switch
    {
        WastLaneShape.I8x16 => 8,
        WastLaneShape.I16x8 => 16,
        WastLaneShape.I32x4 or WastLaneShape.F32x4 => 32,
        _ => 64,
    };

    /// <summary>Lane <paramref name="index"/> of <paramref name="width"/> bits, zero-extended (lanes are little-endian, lane 0 lowest).</summary>
    private static ulong Lane(V128 vector, int width, int index)
    {
        var offset = width * index;
        var half = offset < 64 ? vector.Low : vector.High;
        var shifted = half >> (offset % 64);
        return width == 64 ? shifted : shifted & ((1UL << width) - 1);
    }

    /// <summary>A returned value for a failure message: a vector in the shape its expected result was written in, lanes in hex.</summary>
    private static string Show(object? value, WastResult? expected)
    {
        if (value is not V128 v || expected is not { Kind: WastValueKind.V128 }) return value?.ToString() ?? "null";
        var width = LaneBits(expected.Shape);
        var lanes = Enumerable.Range(0, 128 / width).Select(i => "0x" + Lane(v, width, i).ToString("x" + (width / 4)));
        return "(v128.const " + expected.Shape.ToString().ToLowerInvariant() + " " + string.Join(" ", lanes) + ")";
    }

    private static string NeedsValues(WastValueKind kind) => "needs " + kind switch
    {
        WastValueKind.F32 => "f32",
        WastValueKind.F64 => "f64",
        _ => "reference",
    } + " values";

    /// <summary>"needs …" with what the compiler could not do in the function that trapped.</summary>
    private static string UnsupportedFunctionReason(CompiledModule compiled, TrapException trap)
    {
        var unsupported = compiled.Lazy is { } lazy ? compiled.UnsupportedFunctions.AddRange(lazy.UnsupportedFunctions) : compiled.UnsupportedFunctions;
        var error = unsupported.FirstOrDefault(e => e.FunctionIndex == trap.FunctionIndex);
        return "needs " + (error is null ? "a function the compiler did not compile" : What(error.Message));
    }

    private static string What(string message)
        => message.EndsWith(NotSupportedSuffix, StringComparison.Ordinal) ? message.Substring(0, message.Length - NotSupportedSuffix.Length) : message;

    private static string Call(WastAction action) => $"{action.Name}({string.Join(", ", action.Arguments.Select(a => TryBox(a, out var v) ? v : a))})";

    private static string Show(object? value) => value is object?[] many ? "(" + string.Join(", ", many) + ")" : value?.ToString() ?? "null";

    private static string FirstLine(string text) => text.Split('\n')[0];

    private static (WastStatus, string?) Pass() => (WastStatus.Passed, null);

    private static (WastStatus, string?) Skip(string reason) => (WastStatus.Skipped, reason);

    private static (WastStatus, string?) Fail(string reason) => (WastStatus.Failed, reason);
}
