namespace WasmToolkit.Text;

/// <summary>What an action does.</summary>
public enum WastActionKind : byte
{
    /// <summary><c>(invoke $module? "name" const*)</c>: call an exported function.</summary>
    Invoke,

    /// <summary><c>(get $module? "name")</c>: read an exported global.</summary>
    Get,
}
