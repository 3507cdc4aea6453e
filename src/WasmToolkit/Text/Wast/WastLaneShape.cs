namespace WasmToolkit.Text;

/// <summary>How a <c>v128</c> constant's lanes were written.</summary>
public enum WastLaneShape : byte
{
    I8x16,
    I16x8,
    I32x4,
    I64x2,
    F32x4,
    F64x2,
}
