using System;
using System.Runtime.InteropServices;
using WasmToolkit.Compiler.Arm64;
using WasmToolkit.Tests.Infrastructure;

namespace WasmToolkit.Compiler.Tests.Arm64;

/// <summary>
/// Runs A64 code in-process on Unicorn 2 (Debian <c>libunicorn2</c>, P/Invoke into <c>libunicorn.so.2</c>), for
/// instruction-semantics tests: code at <see cref="CodeAddress"/>, 64 KiB of data at <see cref="DataAddress"/>,
/// registers set before and read after. Each instance is one fresh engine and runs its code once: Unicorn 2.0.1 does
/// not invalidate translated blocks when code memory is rewritten, so reusing an engine for new code could run stale
/// translations.
/// </summary>
/// <remarks>
/// Constants are from unicorn 2.0.1's <c>unicorn.h</c> and <c>arm64.h</c> (checked by compiling against
/// libunicorn-dev's headers): UC_ARCH_ARM64 = 2, UC_MODE_ARM = 0, UC_PROT_ALL = 7, X29 = 1, X30 = 2, SP = 4,
/// D0 = 40, W0 = 168, X0 = 199 (to X28), PC = 260, CPACR_EL1 = 261, FPCR = 291, FPSR = 292.
/// </remarks>
internal sealed unsafe class Arm64Emulator : IDisposable
{
    public const ulong CodeAddress = 0x10000;
    public const ulong DataAddress = 0x100000;
    public const int DataSize = 0x10000;
    private const string Library = "libunicorn.so.2";
    private const int UcArchArm64 = 2;
    private const int UcModeArm = 0;
    private const uint UcProtAll = 7;
    private const int RegX29 = 1, RegX30 = 2, RegSp = 4, RegD0 = 40, RegQ0 = 104, RegX0 = 199, RegPc = 260, RegCpacrEl1 = 261, RegFpcr = 291;

    private IntPtr _uc;

    public Arm64Emulator()
    {
        Check(uc_open(UcArchArm64, UcModeArm, out _uc), "uc_open");
        Check(uc_mem_map(_uc, CodeAddress, 0x10000, UcProtAll), "uc_mem_map code");
        Check(uc_mem_map(_uc, DataAddress, DataSize, UcProtAll), "uc_mem_map data");

        // Let EL0 use the FP/SIMD unit (CPACR_EL1.FPEN = 0b11) and start with FPCR = 0 (round to nearest, no flush, NaNs propagate).
        WriteRegister(RegCpacrEl1, 3UL << 20);
        WriteRegister(RegFpcr, 0);
        SetX(31, DataAddress + DataSize); // sp: top of the data region
    }

    /// <summary>Throws the skip (or, on CI, failure) exception when libunicorn.so.2 cannot be loaded.</summary>
    public static void Require()
    {
        if (!NativeLibrary.TryLoad(Library, out var handle))
            throw Prerequisite.Missing("libunicorn.so.2 is not installed (Debian package libunicorn2); A64 semantics were not executed.");
        NativeLibrary.Free(handle);
    }

    /// <summary>Sets x<paramref name="n"/> (31 means sp).</summary>
    public void SetX(int n, ulong value) => WriteRegister(XId(n), value);

    /// <summary>Reads x<paramref name="n"/> (31 means sp).</summary>
    public ulong GetX(int n) => ReadRegister(XId(n));

    /// <summary>Sets the low 64 bits of v<paramref name="n"/> (d<paramref name="n"/>).</summary>
    public void SetD(int n, ulong bits)
    {
        var buffer = stackalloc ulong[2];
        buffer[0] = bits;
        buffer[1] = 0;
        Check(uc_reg_write(_uc, RegD0 + n, buffer), "uc_reg_write d");
    }

    /// <summary>Reads the low 64 bits of v<paramref name="n"/>.</summary>
    public ulong GetD(int n)
    {
        var buffer = stackalloc ulong[2];
        Check(uc_reg_read(_uc, RegD0 + n, buffer), "uc_reg_read d");
        return buffer[0];
    }

    /// <summary>Sets all 128 bits of v<paramref name="n"/>.</summary>
    public void SetQ(int n, ulong low, ulong high)
    {
        var buffer = stackalloc ulong[2];
        buffer[0] = low;
        buffer[1] = high;
        Check(uc_reg_write(_uc, RegQ0 + n, buffer), "uc_reg_write q");
    }

    /// <summary>Reads all 128 bits of v<paramref name="n"/>.</summary>
    public (ulong Low, ulong High) GetQ(int n)
    {
        var buffer = stackalloc ulong[2];
        Check(uc_reg_read(_uc, RegQ0 + n, buffer), "uc_reg_read q");
        return (buffer[0], buffer[1]);
    }

    public void WriteData(int offset, ReadOnlySpan<byte> bytes)
    {
        fixed (byte* p = bytes) Check(uc_mem_write(_uc, DataAddress + (ulong)offset, p, (nuint)bytes.Length), "uc_mem_write");
    }

    public byte[] ReadData(int offset, int length)
    {
        var bytes = new byte[length];
        fixed (byte* p = bytes) Check(uc_mem_read(_uc, DataAddress + (ulong)offset, p, (nuint)length), "uc_mem_read");
        return bytes;
    }

    /// <summary>Writes the assembler's code at <see cref="CodeAddress"/> and runs it until execution reaches its end.</summary>
    public void Run(Arm64Assembler assembler) => Run(assembler.ToArray());

    /// <summary>Writes <paramref name="code"/> at <see cref="CodeAddress"/> and runs it until execution reaches its end.</summary>
    public void Run(byte[] code)
    {
        fixed (byte* p = code) Check(uc_mem_write(_uc, CodeAddress, p, (nuint)code.Length), "uc_mem_write code");
        var end = CodeAddress + (ulong)code.Length;
        Check(uc_emu_start(_uc, CodeAddress, end, 10_000_000, 0), "uc_emu_start"); // 10 s: a wrong branch must not hang the test run
        var pc = ReadRegister(RegPc);
        if (pc != end) throw new InvalidOperationException($"Emulation stopped at 0x{pc:x}, not at the end 0x{end:x} (timeout or a stray branch).");
    }

    /// <summary>Maps <paramref name="size"/> more bytes (a multiple of 4 KiB) at <paramref name="address"/>, zero-filled, readable and writable.</summary>
    public void Map(ulong address, ulong size) => Check(uc_mem_map(_uc, address, (nuint)size, UcProtAll), "uc_mem_map");

    /// <summary>Writes bytes anywhere in the mapped code or data regions.</summary>
    public void WriteMemory(ulong address, ReadOnlySpan<byte> bytes)
    {
        fixed (byte* p = bytes) Check(uc_mem_write(_uc, address, p, (nuint)bytes.Length), "uc_mem_write");
    }

    public void WriteUInt64(ulong address, ulong value) => WriteMemory(address, BitConverter.GetBytes(value));

    public ulong ReadUInt64(ulong address)
    {
        ulong value;
        Check(uc_mem_read(_uc, address, &value, 8), "uc_mem_read");
        return value;
    }

    /// <summary>
    /// Calls the code at <paramref name="address"/> as a host would (<c>bl</c>): lr = <paramref name="returnAddress"/>, and
    /// emulation stops when execution comes back there (it must, within 10 s).
    /// </summary>
    public void Call(ulong address, ulong returnAddress)
    {
        SetX(30, returnAddress);
        Check(uc_emu_start(_uc, address, returnAddress, 10_000_000, 0), "uc_emu_start");
        var pc = ReadRegister(RegPc);
        if (pc != returnAddress) throw new InvalidOperationException($"Emulation stopped at 0x{pc:x}, not at the return address 0x{returnAddress:x} (timeout or a stray branch).");
    }

    public void Dispose()
    {
        if (_uc != IntPtr.Zero) uc_close(_uc);
        _uc = IntPtr.Zero;
    }

    private static int XId(int n) => n switch
    {
        < 29 => RegX0 + n,
        29 => RegX29,
        30 => RegX30,
        _ => RegSp,
    };

    private void WriteRegister(int id, ulong value) => Check(uc_reg_write(_uc, id, &value), "uc_reg_write");

    private ulong ReadRegister(int id)
    {
        ulong value;
        Check(uc_reg_read(_uc, id, &value), "uc_reg_read");
        return value;
    }

    private static void Check(int error, string what)
    {
        if (error != 0) throw new InvalidOperationException($"{what} failed: {Marshal.PtrToStringAnsi(uc_strerror(error))} ({error})");
    }

    [DllImport(Library)] private static extern int uc_open(int arch, int mode, out IntPtr uc);
    [DllImport(Library)] private static extern int uc_close(IntPtr uc);
    [DllImport(Library)] private static extern int uc_mem_map(IntPtr uc, ulong address, nuint size, uint perms);
    [DllImport(Library)] private static extern int uc_mem_write(IntPtr uc, ulong address, void* bytes, nuint size);
    [DllImport(Library)] private static extern int uc_mem_read(IntPtr uc, ulong address, void* bytes, nuint size);
    [DllImport(Library)] private static extern int uc_reg_write(IntPtr uc, int regid, void* value);
    [DllImport(Library)] private static extern int uc_reg_read(IntPtr uc, int regid, void* value);
    [DllImport(Library)] private static extern int uc_emu_start(IntPtr uc, ulong begin, ulong until, ulong timeout, nuint count);
    [DllImport(Library)] private static extern IntPtr uc_strerror(int error);
}
