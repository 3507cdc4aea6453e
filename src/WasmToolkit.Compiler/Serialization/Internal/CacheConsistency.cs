using System;
using System.Collections.Immutable;

namespace WasmToolkit.Compiler.Serialization.Internal;

/// <summary>
/// The structural checks that keep a well-hashed but wrong cache (a bug, or bytes edited and re-hashed) from
/// making the runtime jump outside the code: every stub and function lies inside the code and in order, every
/// site lies inside its function and the site tables are sorted, and each function's entry stub has its signature.
/// </summary>
/// <remarks>
/// These checks do not make a hostile cache safe: machine code inside the bounds can still do anything.
/// The integrity hash (or HMAC) decides whether the bytes are trusted; this decides whether they are coherent.
/// </remarks>
internal static class CacheConsistency
{
    public static string? Check(
        Module module, int codeLength, int trapStubOffset, int[] stubTypes, int[] stubOffsets, int[] stubSizes,
        int[] functionOffsets, int[] functionSizes, int[] functionStubs, TrapSite[] trapSites, TrapSite[] callSites,
        CompilationStatistics statistics, ImmutableArray<CompileError>.Builder unsupported)
    {
        static bool Inside(long offset, long size, int codeLength) => offset >= 0 && size >= 0 && offset + size <= codeLength;

        if (codeLength == 0) return "there is no code";
        if (!Inside(trapStubOffset, 1, codeLength)) return $"the trap stub offset {trapStubOffset} is outside the code ({codeLength} bytes)";

        for (var s = 0; s < stubTypes.Length; s++)
        {
            if (stubTypes[s] >= module.Types.Length) return $"entry stub {s} has type index {stubTypes[s]}, the module has {module.Types.Length} types";
            if (stubSizes[s] <= 0 || !Inside(stubOffsets[s], stubSizes[s], codeLength)) return $"entry stub {s} ({stubOffsets[s]}, {stubSizes[s]} bytes) is outside the code ({codeLength} bytes)";
        }

        if (functionOffsets.Length != module.Functions.Length) return $"{functionOffsets.Length} compiled functions for the module's {module.Functions.Length} defined functions";
        var imported = module.ImportedFunctionCount;
        long previousEnd = 0;
        for (var i = 0; i < functionOffsets.Length; i++)
        {
            var index = imported + i;
            if (functionSizes[i] <= 0 || !Inside(functionOffsets[i], functionSizes[i], codeLength)) return $"function {index} ({functionOffsets[i]}, {functionSizes[i]} bytes) is outside the code ({codeLength} bytes)";
            if (functionOffsets[i] < previousEnd) return $"function {index} at {functionOffsets[i]} overlaps the code before it (ending at {previousEnd})";
            previousEnd = (long)functionOffsets[i] + functionSizes[i];
            var stub = functionStubs[i];
            if (stub < 0 || stub >= stubTypes.Length) return $"function {index} has entry stub {stub}, there are {stubTypes.Length}";
            var type = module.GetFunctionType((uint)index);
            if (type is null) return $"function {index} has no type in the module";
            if (!type.Equals(module.Types[stubTypes[stub]])) return $"function {index} {type} has the entry stub of {module.Types[stubTypes[stub]]}";
        }

        if (CheckSites(trapSites, "trap", true, imported, functionOffsets, functionSizes) is { } trapProblem) return trapProblem;
        if (CheckSites(callSites, "call", false, imported, functionOffsets, functionSizes) is { } callProblem) return callProblem;

        if (statistics.FunctionCount != functionOffsets.Length || statistics.CodeBytes != codeLength || statistics.TrapSites != trapSites.Length
            || statistics.WasmInstructions < 0 || statistics.Spills < 0)
        {
            return $"the statistics ({statistics}) do not match the tables ({functionOffsets.Length} functions, {codeLength} bytes, {trapSites.Length} trap sites)";
        }

        foreach (var e in unsupported)
        {
            if (e.FunctionIndex is { } f && (f < 0 || f >= module.TotalFunctionCount)) return $"an unsupported-function entry names function {f}, the module has {module.TotalFunctionCount}";
        }

        return null;
    }

    /// <summary>Sorted by return offset, each return address inside the function it names, kinds known.</summary>
    private static string? CheckSites(TrapSite[] sites, string what, bool checkKind, int imported, int[] functionOffsets, int[] functionSizes)
    {
        var previous = 0;
        for (var i = 0; i < sites.Length; i++)
        {
            var site = sites[i];
            var defined = site.FunctionIndex - imported;
            if (defined < 0 || defined >= functionOffsets.Length) return $"{what} site {i} names function {site.FunctionIndex}, which has no code";

            // The return address follows the call, so it may equal the function's end but not its start.
            var start = functionOffsets[defined];
            if (site.ReturnOffset <= start || site.ReturnOffset > (long)start + functionSizes[defined]) return $"{what} site {i} returns to {site.ReturnOffset}, outside function {site.FunctionIndex}";
            if (site.ReturnOffset < previous) return $"{what} sites are not sorted at {i}";
            previous = site.ReturnOffset;
            if (site.WasmOffset < 0) return $"{what} site {i} has wasm offset {site.WasmOffset}";
            if (checkKind && site.Kind != 0 && !Enum.IsDefined(site.Kind)) return $"{what} site {i} has unknown trap kind {(int)site.Kind}";
            if (!checkKind && site.Kind != 0) return $"{what} site {i} has a trap kind";
        }

        return null;
    }
}
