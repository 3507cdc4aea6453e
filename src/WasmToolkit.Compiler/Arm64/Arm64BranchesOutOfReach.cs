using System;

namespace WasmToolkit.Compiler.Arm64;

/// <summary>
/// A conditional branch of a function (<c>b.cond</c>, <c>cbz</c>, <c>cbnz</c>: ±1 MiB) could not reach its label, as in
/// functions of more than 1 MiB of code whose trap sites sit at the end. The compile worker compiles the function again
/// with <see cref="Arm64MacroAssembler.LongBranches"/>; it never escapes the worker.
/// </summary>
internal sealed class Arm64BranchesOutOfReach : Exception
{
    public Arm64BranchesOutOfReach()
        : base("A conditional branch is out of reach (±1 MiB); the function is compiled again with long branches.")
    {
    }
}
