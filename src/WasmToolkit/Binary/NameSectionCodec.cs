using System;

namespace WasmToolkit.Binary;

/// <summary>Decodes and encodes the <c>name</c> custom section (spec 7.4).</summary>
internal static class NameSectionCodec
{
    // Placeholder until the binary layer lands: see BinaryModuleReader work.
    public static NameSection Decode(ReadOnlySpan<byte> data) => NameSection.Empty;

    public static byte[] Encode(NameSection names) => Array.Empty<byte>();
}
