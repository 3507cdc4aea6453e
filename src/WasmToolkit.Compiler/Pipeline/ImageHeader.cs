using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using WasmToolkit.Compiler.Arm64;
using WasmToolkit.Compiler.X64;

namespace WasmToolkit.Compiler.Pipeline;

/// <summary>
/// The start of every module image, eager or lazy: the shared trap stub at offset 0, then one entry stub per distinct
/// signature of a defined function, each 16-byte aligned; function code follows at <see cref="Size"/>. The stubs are the
/// target architecture's, and so is the padding (<see cref="PaddingByte"/>).
/// </summary>
internal sealed class ImageHeader
{
    private static readonly byte[] s_x64TrapStub = X64Stubs.TrapStub();
    private static readonly byte[] s_arm64TrapStub = Arm64Stubs.TrapStub();

    private readonly List<byte[]> _stubBytes;
    private readonly byte[] _trapStub;

    private ImageHeader(TargetArchitecture architecture, ImmutableArray<EntryStub> stubs, List<byte[]> stubBytes, int[] functionStub, int size)
    {
        Architecture = architecture;
        _trapStub = architecture == TargetArchitecture.Arm64 ? s_arm64TrapStub : s_x64TrapStub;
        Stubs = stubs;
        _stubBytes = stubBytes;
        FunctionStub = functionStub;
        Size = size;
    }

    /// <summary>The architecture of the stubs.</summary>
    public TargetArchitecture Architecture { get; }

    /// <summary>
    /// What fills the gaps between stubs and functions: x64 <c>int3</c> (0xCC); ARM64 zero bytes, whose words are
    /// <c>udf #0</c> (permanently undefined), so a stray jump into padding faults on either.
    /// </summary>
    public byte PaddingByte => PaddingFor(Architecture);

    /// <summary>The padding byte of <paramref name="architecture"/> (see <see cref="PaddingByte"/>).</summary>
    public static byte PaddingFor(TargetArchitecture architecture) => architecture == TargetArchitecture.Arm64 ? (byte)0 : (byte)0xCC;

    /// <summary>Offset of the trap stub.</summary>
    public const int TrapStubOffset = 0;

    /// <summary>The entry stubs, in order of first use by a defined function.</summary>
    public ImmutableArray<EntryStub> Stubs { get; }

    /// <summary>Per defined function, its index in <see cref="Stubs"/> (0 for a function whose type is unknown).</summary>
    public int[] FunctionStub { get; }

    /// <summary>Bytes the header takes (aligned): where the first function goes.</summary>
    public int Size { get; }

    /// <summary>Lays out the header of <paramref name="module"/>'s image.</summary>
    /// <remarks>A defined function with an unknown type is skipped: it fails as a unit, so its stub never matters.</remarks>
    public static ImageHeader For(Module module, TargetArchitecture architecture)
    {
        var trapStub = architecture == TargetArchitecture.Arm64 ? s_arm64TrapStub : s_x64TrapStub;
        var count = module.Functions.Length;
        var functionStub = new int[count];
        var stubs = ImmutableArray.CreateBuilder<EntryStub>();
        var stubBytes = new List<byte[]>();
        var stubIndex = new Dictionary<FuncType, int>();
        var size = Align(trapStub.Length);
        for (var i = 0; i < count; i++)
        {
            if (module.GetFunctionType((uint)(module.ImportedFunctionCount + i)) is not { } type) continue;
            if (!stubIndex.TryGetValue(type, out var s))
            {
                var bytes = EntryStubCache.Get(type, architecture);
                s = stubs.Count;
                stubIndex.Add(type, s);
                stubs.Add(new EntryStub(type, size, bytes.Length));
                stubBytes.Add(bytes);
                size = Align(size + bytes.Length);
            }

            functionStub[i] = s;
        }

        return new ImageHeader(architecture, stubs.ToImmutable(), stubBytes, functionStub, size);
    }

    /// <summary>Writes the header into the first <see cref="Size"/> bytes of <paramref name="image"/> (padding is <see cref="PaddingByte"/>).</summary>
    public void WriteTo(byte[] image)
    {
        image.AsSpan(0, Size).Fill(PaddingByte);
        _trapStub.CopyTo(image, TrapStubOffset);
        for (var s = 0; s < _stubBytes.Count; s++) _stubBytes[s].CopyTo(image, Stubs[s].Offset);
    }

    /// <summary>Rounds up to the 16-byte alignment of stubs and functions.</summary>
    public static int Align(int offset) => (offset + 15) & ~15;
}
