using System;
using WasmToolkit.Tests.Infrastructure;
using Xunit;

namespace WasmToolkit.Compiler.Tests.Arm64;

/// <summary>
/// End to end on emulated arm64: runs <c>eng/arm64/run-smoke.sh</c>, which publishes <c>eng/arm64/Arm64Smoke</c>
/// self-contained for linux-arm64 and runs it under <c>qemu-aarch64-static</c>; the program maps memory RW, writes code
/// from <see cref="WasmToolkit.Compiler.Arm64.Arm64Assembler"/>, flips it to RX, flushes the instruction cache and
/// calls it. One publish (about 1.5 minutes cold, seconds when incremental) and a few seconds of emulation. Skipped
/// with the reason when qemu-user-static or the arm64 libc is missing (fails under <c>CI=true</c>).
/// </summary>
public class Arm64QemuSmokeTests
{
    [SkippableFact]
    public void PublishedArm64Program_RunsEncoderOutput()
    {
        var (exitCode, stdout, all) = Arm64Script.Run("run-smoke.sh", "wasmtk-arm64-smoke", outputVariable: null, [], TimeSpan.FromMinutes(10));
        Assert.True(exitCode == 0, $"run-smoke.sh exited with {exitCode}:\n{all}");
        Assert.Contains("add(40, 2) = 42", stdout);
        Assert.Contains("div(int.MinValue, -1) = -2147483648", stdout);
        Assert.Contains("sum(100000) = 5000050000", stdout);
        Assert.Contains("entry stub: add(40, 2) = 42", stdout);
        Assert.Contains("entry stub: outer() -> inner() -> unreachable = Unreachable", stdout);
        Assert.Contains("entry stub: recurse() until the stack limit = CallStackExhausted", stdout);
        Assert.Contains("host stub: callHost(6, 7) = 6 * 7 + 0x1000 + 1 = 4139", stdout);
        Assert.Contains("host stub: failing host function = HostException", stdout);
        Assert.Contains("arm64 smoke: OK", stdout);
        Assert.Contains("cbnz x1, 0x14", stdout); // the listing from Arm64Disassembler, printed by the arm64 process
    }
}
