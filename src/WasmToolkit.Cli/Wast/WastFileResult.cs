using System.Collections.Generic;
using System.Linq;
using WasmToolkit.Text;

namespace WasmToolkit.Cli.Wast;

/// <summary>The outcomes of one script file.</summary>
public sealed class WastFileResult
{
    public WastFileResult(string path, IReadOnlyList<WastOutcome> outcomes)
    {
        Path = path;
        Outcomes = outcomes;
    }

    public string Path { get; }

    public IReadOnlyList<WastOutcome> Outcomes { get; }

    public int Passed => Outcomes.Count(o => o.Status == WastStatus.Passed);

    public int Failed => Outcomes.Count(o => o.Status == WastStatus.Failed);

    public int Skipped => Outcomes.Count(o => o.Status == WastStatus.Skipped);

    /// <summary>Passed commands of one kind (e.g. how many <c>assert_invalid</c> passed).</summary>
    public int PassedOf(WastCommandKind kind) => Outcomes.Count(o => o.Kind == kind && o.Status == WastStatus.Passed);
}
