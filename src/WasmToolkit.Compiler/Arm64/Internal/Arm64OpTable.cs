namespace WasmToolkit.Compiler.Arm64.Internal;

/// <summary>The encoding classes of <see cref="Arm64Code"/>: one operand layout and validation routine each.</summary>
internal enum Arm64Form : byte
{
    Invalid = 0,
    AddSubImm,
    AddSubShifted,
    AddSubExtended,
    LogicalImm,
    LogicalShifted,
    MoveWide,
    Bitfield,
    Extract,
    DataProc2,
    DataProc1,
    DataProc3,
    MulHigh,
    CondSelect,
    CondCompareReg,
    CondCompareImm,
    LoadStore,
    LoadStoreUnscaled,
    LoadLiteral,
    LoadStorePair,
    Branch,
    BranchCond,
    CompareBranch,
    TestBranch,
    BranchReg,
    PcRel,
    FpBinary,
    FpUnary,
    FpMove,
    FpImm,
    FpConvert,
    FpCompare,
    FpCompareZero,
    FpCondSelect,
    FpToInt,
    IntToFp,
    SimdAcross,
    SimdMiscBytes,
    SimdDupElement,
    SimdDupGeneral,
    SimdInsElement,
    SimdInsGeneral,
    SimdLongMultiply,
    SimdMisc,
    SimdMiscFloat,
    SimdMoveToGeneral,
    SimdNarrow,
    SimdPairwiseLong,
    SimdSame,
    SimdSameBytes,
    SimdSameFloat,
    SimdShiftLeft,
    SimdShiftLong,
    SimdShiftRight,
    SimdTable,
    SimdWiden,
    NoOperands,
    Barrier,
    Exception,
    Udf,
    SysRt,
    Mrs,
    Msr,
}

/// <summary>
/// The encoder's table: for each <see cref="Arm64Code"/> its encoding class and base word (every fixed bit, operand fields zero;
/// for loads and stores the size/opc bits of the access, the addressing-mode bits are added by the encoder).
/// To add an instruction: add a code and a row here, and, for a new class, its case in <see cref="Arm64Encoder"/> and
/// <see cref="Arm64Disassembler"/>.
/// </summary>
internal static class Arm64OpTable
{
    private static readonly Arm64Form[] Forms =
    {
        Arm64Form.Invalid,
        Arm64Form.AddSubImm, // AddImm
        Arm64Form.AddSubImm, // AddsImm
        Arm64Form.AddSubImm, // SubImm
        Arm64Form.AddSubImm, // SubsImm
        Arm64Form.AddSubShifted, // Add
        Arm64Form.AddSubShifted, // Adds
        Arm64Form.AddSubShifted, // Sub
        Arm64Form.AddSubShifted, // Subs
        Arm64Form.AddSubExtended, // AddExt
        Arm64Form.AddSubExtended, // AddsExt
        Arm64Form.AddSubExtended, // SubExt
        Arm64Form.AddSubExtended, // SubsExt
        Arm64Form.LogicalImm, // AndImm
        Arm64Form.LogicalImm, // OrrImm
        Arm64Form.LogicalImm, // EorImm
        Arm64Form.LogicalImm, // AndsImm
        Arm64Form.LogicalShifted, // And
        Arm64Form.LogicalShifted, // Bic
        Arm64Form.LogicalShifted, // Orr
        Arm64Form.LogicalShifted, // Orn
        Arm64Form.LogicalShifted, // Eor
        Arm64Form.LogicalShifted, // Eon
        Arm64Form.LogicalShifted, // Ands
        Arm64Form.LogicalShifted, // Bics
        Arm64Form.MoveWide, // Movn
        Arm64Form.MoveWide, // Movz
        Arm64Form.MoveWide, // Movk
        Arm64Form.Bitfield, // Sbfm
        Arm64Form.Bitfield, // Bfm
        Arm64Form.Bitfield, // Ubfm
        Arm64Form.Extract, // Extr
        Arm64Form.DataProc2, // Udiv
        Arm64Form.DataProc2, // Sdiv
        Arm64Form.DataProc2, // Lslv
        Arm64Form.DataProc2, // Lsrv
        Arm64Form.DataProc2, // Asrv
        Arm64Form.DataProc2, // Rorv
        Arm64Form.DataProc1, // Rbit
        Arm64Form.DataProc1, // Rev16
        Arm64Form.DataProc1, // Rev
        Arm64Form.DataProc1, // Clz
        Arm64Form.DataProc1, // Cls
        Arm64Form.DataProc3, // Madd
        Arm64Form.DataProc3, // Msub
        Arm64Form.MulHigh, // Smulh
        Arm64Form.MulHigh, // Umulh
        Arm64Form.CondSelect, // Csel
        Arm64Form.CondSelect, // Csinc
        Arm64Form.CondSelect, // Csinv
        Arm64Form.CondSelect, // Csneg
        Arm64Form.CondCompareReg, // Ccmn
        Arm64Form.CondCompareReg, // Ccmp
        Arm64Form.CondCompareImm, // CcmnImm
        Arm64Form.CondCompareImm, // CcmpImm
        Arm64Form.LoadStore, // Strb
        Arm64Form.LoadStore, // Ldrb
        Arm64Form.LoadStore, // Ldrsb
        Arm64Form.LoadStore, // Strh
        Arm64Form.LoadStore, // Ldrh
        Arm64Form.LoadStore, // Ldrsh
        Arm64Form.LoadStore, // Str
        Arm64Form.LoadStore, // Ldr
        Arm64Form.LoadStore, // Ldrsw
        Arm64Form.LoadStoreUnscaled, // Sturb
        Arm64Form.LoadStoreUnscaled, // Ldurb
        Arm64Form.LoadStoreUnscaled, // Ldursb
        Arm64Form.LoadStoreUnscaled, // Sturh
        Arm64Form.LoadStoreUnscaled, // Ldurh
        Arm64Form.LoadStoreUnscaled, // Ldursh
        Arm64Form.LoadStoreUnscaled, // Stur
        Arm64Form.LoadStoreUnscaled, // Ldur
        Arm64Form.LoadStoreUnscaled, // Ldursw
        Arm64Form.LoadLiteral, // LdrLiteral
        Arm64Form.LoadStorePair, // Stp
        Arm64Form.LoadStorePair, // Ldp
        Arm64Form.Branch, // B
        Arm64Form.Branch, // Bl
        Arm64Form.BranchCond, // BCond
        Arm64Form.CompareBranch, // Cbz
        Arm64Form.CompareBranch, // Cbnz
        Arm64Form.TestBranch, // Tbz
        Arm64Form.TestBranch, // Tbnz
        Arm64Form.BranchReg, // Br
        Arm64Form.BranchReg, // Blr
        Arm64Form.BranchReg, // Ret
        Arm64Form.PcRel, // Adr
        Arm64Form.PcRel, // Adrp
        Arm64Form.FpBinary, // Fmul
        Arm64Form.FpBinary, // Fdiv
        Arm64Form.FpBinary, // Fadd
        Arm64Form.FpBinary, // Fsub
        Arm64Form.FpBinary, // Fmax
        Arm64Form.FpBinary, // Fmin
        Arm64Form.FpBinary, // Fmaxnm
        Arm64Form.FpBinary, // Fminnm
        Arm64Form.FpBinary, // Fnmul
        Arm64Form.FpUnary, // Fabs
        Arm64Form.FpUnary, // Fneg
        Arm64Form.FpUnary, // Fsqrt
        Arm64Form.FpUnary, // Frintn
        Arm64Form.FpUnary, // Frintp
        Arm64Form.FpUnary, // Frintm
        Arm64Form.FpUnary, // Frintz
        Arm64Form.FpUnary, // Frinta
        Arm64Form.FpUnary, // Frintx
        Arm64Form.FpUnary, // Frinti
        Arm64Form.FpMove, // Fmov
        Arm64Form.FpImm, // FmovImm
        Arm64Form.FpConvert, // Fcvt
        Arm64Form.FpCompare, // Fcmp
        Arm64Form.FpCompare, // Fcmpe
        Arm64Form.FpCompareZero, // FcmpZero
        Arm64Form.FpCompareZero, // FcmpeZero
        Arm64Form.FpCondSelect, // Fcsel
        Arm64Form.FpToInt, // Fcvtzs
        Arm64Form.FpToInt, // Fcvtzu
        Arm64Form.IntToFp, // Scvtf
        Arm64Form.IntToFp, // Ucvtf
        Arm64Form.SimdMiscBytes, // Cnt
        Arm64Form.SimdAcross, // Addv
        Arm64Form.NoOperands, // Nop
        Arm64Form.NoOperands, // Isb
        Arm64Form.Barrier, // Dmb
        Arm64Form.Barrier, // Dsb
        Arm64Form.Exception, // Brk
        Arm64Form.Udf, // Udf
        Arm64Form.SysRt, // DcCvau
        Arm64Form.SysRt, // IcIvau
        Arm64Form.Mrs, // Mrs
        Arm64Form.Msr, // Msr
        Arm64Form.SimdSame, // VAdd
        Arm64Form.SimdSame, // VSub
        Arm64Form.SimdSame, // VMul
        Arm64Form.SimdSame, // Cmeq
        Arm64Form.SimdSame, // Cmgt
        Arm64Form.SimdSame, // Cmge
        Arm64Form.SimdSame, // Cmhi
        Arm64Form.SimdSame, // Cmhs
        Arm64Form.SimdSame, // Smax
        Arm64Form.SimdSame, // Smin
        Arm64Form.SimdSame, // Umax
        Arm64Form.SimdSame, // Umin
        Arm64Form.SimdSame, // Sqadd
        Arm64Form.SimdSame, // Uqadd
        Arm64Form.SimdSame, // Sqsub
        Arm64Form.SimdSame, // Uqsub
        Arm64Form.SimdSame, // Urhadd
        Arm64Form.SimdSame, // Sshl
        Arm64Form.SimdSame, // Ushl
        Arm64Form.SimdSame, // Sqrdmulh
        Arm64Form.SimdSame, // Addp
        Arm64Form.SimdSameBytes, // VAnd
        Arm64Form.SimdSameBytes, // VBic
        Arm64Form.SimdSameBytes, // VOrr
        Arm64Form.SimdSameBytes, // VOrn
        Arm64Form.SimdSameBytes, // VEor
        Arm64Form.SimdSameBytes, // Bsl
        Arm64Form.SimdSameBytes, // Bit
        Arm64Form.SimdSameBytes, // Bif
        Arm64Form.SimdSameFloat, // VFadd
        Arm64Form.SimdSameFloat, // VFsub
        Arm64Form.SimdSameFloat, // VFmul
        Arm64Form.SimdSameFloat, // VFdiv
        Arm64Form.SimdSameFloat, // VFmax
        Arm64Form.SimdSameFloat, // VFmin
        Arm64Form.SimdSameFloat, // Fcmeq
        Arm64Form.SimdSameFloat, // Fcmge
        Arm64Form.SimdSameFloat, // Fcmgt
        Arm64Form.SimdMisc, // VAbs
        Arm64Form.SimdMisc, // VNeg
        Arm64Form.SimdMiscBytes, // Not
        Arm64Form.SimdMisc, // CmeqZero
        Arm64Form.SimdPairwiseLong, // Saddlp
        Arm64Form.SimdPairwiseLong, // Uaddlp
        Arm64Form.SimdNarrow, // Xtn
        Arm64Form.SimdNarrow, // Sqxtn
        Arm64Form.SimdNarrow, // Sqxtun
        Arm64Form.SimdNarrow, // Uqxtn
        Arm64Form.SimdNarrow, // Fcvtn
        Arm64Form.SimdWiden, // Fcvtl
        Arm64Form.SimdMiscFloat, // VFabs
        Arm64Form.SimdMiscFloat, // VFneg
        Arm64Form.SimdMiscFloat, // VFsqrt
        Arm64Form.SimdMiscFloat, // VFrintn
        Arm64Form.SimdMiscFloat, // VFrintp
        Arm64Form.SimdMiscFloat, // VFrintm
        Arm64Form.SimdMiscFloat, // VFrintz
        Arm64Form.SimdMiscFloat, // VFcvtzs
        Arm64Form.SimdMiscFloat, // VFcvtzu
        Arm64Form.SimdMiscFloat, // VScvtf
        Arm64Form.SimdMiscFloat, // VUcvtf
        Arm64Form.SimdAcross, // Umaxv
        Arm64Form.SimdAcross, // Uminv
        Arm64Form.SimdDupElement, // DupElement
        Arm64Form.SimdDupGeneral, // DupGeneral
        Arm64Form.SimdMoveToGeneral, // Smov
        Arm64Form.SimdMoveToGeneral, // Umov
        Arm64Form.SimdInsGeneral, // InsGeneral
        Arm64Form.SimdInsElement, // InsElement
        Arm64Form.SimdShiftLeft, // VShl
        Arm64Form.SimdShiftRight, // Sshr
        Arm64Form.SimdShiftRight, // Ushr
        Arm64Form.SimdShiftLong, // Sshll
        Arm64Form.SimdShiftLong, // Ushll
        Arm64Form.SimdLongMultiply, // Smull
        Arm64Form.SimdLongMultiply, // Umull
        Arm64Form.SimdTable, // Tbl
        Arm64Form.SimdTable, // Tbl2
    };

    private static readonly uint[] Bases =
    {
        0,
        0x11000000, // AddImm
        0x31000000, // AddsImm
        0x51000000, // SubImm
        0x71000000, // SubsImm
        0x0B000000, // Add
        0x2B000000, // Adds
        0x4B000000, // Sub
        0x6B000000, // Subs
        0x0B200000, // AddExt
        0x2B200000, // AddsExt
        0x4B200000, // SubExt
        0x6B200000, // SubsExt
        0x12000000, // AndImm
        0x32000000, // OrrImm
        0x52000000, // EorImm
        0x72000000, // AndsImm
        0x0A000000, // And
        0x0A200000, // Bic
        0x2A000000, // Orr
        0x2A200000, // Orn
        0x4A000000, // Eor
        0x4A200000, // Eon
        0x6A000000, // Ands
        0x6A200000, // Bics
        0x12800000, // Movn
        0x52800000, // Movz
        0x72800000, // Movk
        0x13000000, // Sbfm
        0x33000000, // Bfm
        0x53000000, // Ubfm
        0x13800000, // Extr
        0x1AC00800, // Udiv
        0x1AC00C00, // Sdiv
        0x1AC02000, // Lslv
        0x1AC02400, // Lsrv
        0x1AC02800, // Asrv
        0x1AC02C00, // Rorv
        0x5AC00000, // Rbit
        0x5AC00400, // Rev16
        0x5AC00800, // Rev
        0x5AC01000, // Clz
        0x5AC01400, // Cls
        0x1B000000, // Madd
        0x1B008000, // Msub
        0x9B407C00, // Smulh
        0x9BC07C00, // Umulh
        0x1A800000, // Csel
        0x1A800400, // Csinc
        0x5A800000, // Csinv
        0x5A800400, // Csneg
        0x3A400000, // Ccmn
        0x7A400000, // Ccmp
        0x3A400800, // CcmnImm
        0x7A400800, // CcmpImm
        0x00000000, // Strb
        0x00400000, // Ldrb
        0x00800000, // Ldrsb
        0x40000000, // Strh
        0x40400000, // Ldrh
        0x40800000, // Ldrsh
        0x00000000, // Str
        0x00400000, // Ldr
        0x80800000, // Ldrsw
        0x00000000, // Sturb
        0x00400000, // Ldurb
        0x00800000, // Ldursb
        0x40000000, // Sturh
        0x40400000, // Ldurh
        0x40800000, // Ldursh
        0x00000000, // Stur
        0x00400000, // Ldur
        0x80800000, // Ldursw
        0x18000000, // LdrLiteral
        0x28000000, // Stp
        0x28400000, // Ldp
        0x14000000, // B
        0x94000000, // Bl
        0x54000000, // BCond
        0x34000000, // Cbz
        0x35000000, // Cbnz
        0x36000000, // Tbz
        0x37000000, // Tbnz
        0xD61F0000, // Br
        0xD63F0000, // Blr
        0xD65F0000, // Ret
        0x10000000, // Adr
        0x90000000, // Adrp
        0x1E200800, // Fmul
        0x1E201800, // Fdiv
        0x1E202800, // Fadd
        0x1E203800, // Fsub
        0x1E204800, // Fmax
        0x1E205800, // Fmin
        0x1E206800, // Fmaxnm
        0x1E207800, // Fminnm
        0x1E208800, // Fnmul
        0x1E20C000, // Fabs
        0x1E214000, // Fneg
        0x1E21C000, // Fsqrt
        0x1E244000, // Frintn
        0x1E24C000, // Frintp
        0x1E254000, // Frintm
        0x1E25C000, // Frintz
        0x1E264000, // Frinta
        0x1E274000, // Frintx
        0x1E27C000, // Frinti
        0x1E204000, // Fmov
        0x1E201000, // FmovImm
        0x1E224000, // Fcvt
        0x1E202000, // Fcmp
        0x1E202010, // Fcmpe
        0x1E202008, // FcmpZero
        0x1E202018, // FcmpeZero
        0x1E200C00, // Fcsel
        0x1E380000, // Fcvtzs
        0x1E390000, // Fcvtzu
        0x1E220000, // Scvtf
        0x1E230000, // Ucvtf
        0x0E205800, // Cnt
        0x0E31B800, // Addv
        0xD503201F, // Nop
        0xD5033FDF, // Isb
        0xD50330BF, // Dmb
        0xD503309F, // Dsb
        0xD4200000, // Brk
        0x00000000, // Udf
        0xD50B7B20, // DcCvau
        0xD50B7520, // IcIvau
        0xD5300000, // Mrs
        0xD5100000, // Msr
        0x0E208400, // VAdd
        0x2E208400, // VSub
        0x0E209C00, // VMul
        0x2E208C00, // Cmeq
        0x0E203400, // Cmgt
        0x0E203C00, // Cmge
        0x2E203400, // Cmhi
        0x2E203C00, // Cmhs
        0x0E206400, // Smax
        0x0E206C00, // Smin
        0x2E206400, // Umax
        0x2E206C00, // Umin
        0x0E200C00, // Sqadd
        0x2E200C00, // Uqadd
        0x0E202C00, // Sqsub
        0x2E202C00, // Uqsub
        0x2E201400, // Urhadd
        0x0E204400, // Sshl
        0x2E204400, // Ushl
        0x2E20B400, // Sqrdmulh
        0x0E20BC00, // Addp
        0x0E201C00, // VAnd
        0x0E601C00, // VBic
        0x0EA01C00, // VOrr
        0x0EE01C00, // VOrn
        0x2E201C00, // VEor
        0x2E601C00, // Bsl
        0x2EA01C00, // Bit
        0x2EE01C00, // Bif
        0x0E20D400, // VFadd
        0x0EA0D400, // VFsub
        0x2E20DC00, // VFmul
        0x2E20FC00, // VFdiv
        0x0E20F400, // VFmax
        0x0EA0F400, // VFmin
        0x0E20E400, // Fcmeq
        0x2E20E400, // Fcmge
        0x2EA0E400, // Fcmgt
        0x0E20B800, // VAbs
        0x2E20B800, // VNeg
        0x2E205800, // Not
        0x0E209800, // CmeqZero
        0x0E202800, // Saddlp
        0x2E202800, // Uaddlp
        0x0E212800, // Xtn
        0x0E214800, // Sqxtn
        0x2E212800, // Sqxtun
        0x2E214800, // Uqxtn
        0x0E216800, // Fcvtn
        0x0E217800, // Fcvtl
        0x0EA0F800, // VFabs
        0x2EA0F800, // VFneg
        0x2EA1F800, // VFsqrt
        0x0E218800, // VFrintn
        0x0EA18800, // VFrintp
        0x0E219800, // VFrintm
        0x0EA19800, // VFrintz
        0x0EA1B800, // VFcvtzs
        0x2EA1B800, // VFcvtzu
        0x0E21D800, // VScvtf
        0x2E21D800, // VUcvtf
        0x2E30A800, // Umaxv
        0x2E31A800, // Uminv
        0x0E000400, // DupElement
        0x0E000C00, // DupGeneral
        0x0E002C00, // Smov
        0x0E003C00, // Umov
        0x4E001C00, // InsGeneral
        0x6E000400, // InsElement
        0x0F005400, // VShl
        0x0F000400, // Sshr
        0x2F000400, // Ushr
        0x0F00A400, // Sshll
        0x2F00A400, // Ushll
        0x0E20C000, // Smull
        0x2E20C000, // Umull
        0x4E000000, // Tbl
        0x4E002000, // Tbl2
    };

    /// <summary>The number of codes including <see cref="Arm64Code.Invalid"/>.</summary>
    public static int Count => Forms.Length;

    public static Arm64Form Form(Arm64Code code) => (uint)code < (uint)Forms.Length ? Forms[(int)code] : Arm64Form.Invalid;

    public static uint Base(Arm64Code code) => Bases[(int)code];
}
