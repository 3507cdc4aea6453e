namespace WasmToolkit.Text;

/// <summary>The commands of a WAST script (the spec interpreter's script format).</summary>
public enum WastCommandKind : byte
{
    Module,
    Register,
    Action,
    AssertReturn,
    AssertTrap,
    AssertExhaustion,
    AssertInvalid,
    AssertMalformed,
    AssertUnlinkable,
    AssertUninstantiable,
}
