//! The typed instruction set: [`Instruction`], one variant per RFC 9669
//! instruction form, with its size in slots, the ISA version that introduced
//! it, and the register it writes. Decoding and encoding live in `decode.rs`
//! and `encode.rs`.

use super::operands::{AluOp, AtomicOp, JumpCond, MemSize, Operand, Reg, SwapKind, Width};
use super::version::IsaVersion;

/// One decoded eBPF instruction (RFC 9669). `lddw` is the only two-slot form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Instruction {
    /// `dst = dst op src` (ALU or ALU64 class).
    Alu {
        /// Operand width.
        width: Width,
        /// The operation.
        op: AluOp,
        /// Destination register.
        dst: Reg,
        /// Source operand.
        src: Operand,
    },
    /// `dst = -dst`.
    Neg {
        /// Operand width.
        width: Width,
        /// Destination register.
        dst: Reg,
    },
    /// Byte-order conversion of the low `bits` (16, 32 or 64) of `dst`.
    Endian {
        /// Load or store.
        kind: SwapKind,
        /// Width in bits: 16, 32 or 64.
        bits: u8,
        /// Destination register.
        dst: Reg,
    },
    /// `dst = imm64` (`lddw`, two slots, `src = 0`).
    LoadImm64 {
        /// Destination register.
        dst: Reg,
        /// The 64-bit value.
        imm: u64,
    },
    /// Legacy packet access: `r0 = ntoh(*(size *)(packet + [src] + imm))`.
    /// `src` is `None` for the absolute form.
    LoadPacket {
        /// Access size.
        size: MemSize,
        /// Offset register of the indirect form; `None` for the absolute form.
        src: Option<Reg>,
        /// Offset from the start of the packet (input region).
        imm: i32,
    },
    /// `dst = *(size *)(src + off)`, zero-extended.
    Load {
        /// Access size.
        size: MemSize,
        /// Destination register.
        dst: Reg,
        /// Source operand.
        src: Reg,
        /// Signed offset added to the address register.
        off: i16,
    },
    /// `dst = *(size *)(src + off)`, sign-extended (v4; byte, half, word).
    LoadSx {
        /// Access size.
        size: MemSize,
        /// Destination register.
        dst: Reg,
        /// Source operand.
        src: Reg,
        /// Signed offset added to the address register.
        off: i16,
    },
    /// `*(size *)(dst + off) = imm`.
    Store {
        /// Access size.
        size: MemSize,
        /// Destination register.
        dst: Reg,
        /// Signed offset added to the address register.
        off: i16,
        /// The value stored (truncated to the access size).
        imm: i32,
    },
    /// `*(size *)(dst + off) = src`.
    StoreReg {
        /// Access size.
        size: MemSize,
        /// Destination register.
        dst: Reg,
        /// Source operand.
        src: Reg,
        /// Signed offset added to the address register.
        off: i16,
    },
    /// Atomic operation on `*(width *)(dst + off)` with `src`.
    Atomic {
        /// Operand width: 32 or 64 bits.
        width: Width,
        /// The operation.
        op: AtomicOp,
        /// Whether the old value is loaded into `src`.
        fetch: bool,
        /// Destination register.
        dst: Reg,
        /// The operand register (receives the old value when fetching).
        src: Reg,
        /// Signed offset added to the address register.
        off: i16,
    },
    /// Unconditional jump by a 16-bit offset.
    Ja {
        /// Target offset in slots, relative to the next instruction.
        off: i16,
    },
    /// Unconditional jump by a 32-bit offset (`gotol`, v4).
    Ja32 {
        /// Target offset in slots, relative to the next instruction.
        imm: i32,
    },
    /// Conditional jump by `off` when `cond(dst, src)` holds.
    Jump {
        /// Operand width.
        width: Width,
        /// The condition.
        cond: JumpCond,
        /// Destination register.
        dst: Reg,
        /// Source operand.
        src: Operand,
        /// Target offset in slots, relative to the next instruction.
        off: i16,
    },
    /// Call of a builtin (helper) function by id.
    Call {
        /// The builtin id.
        id: u32,
    },
    /// Program-local call, target `pc + 1 + imm`.
    CallLocal {
        /// Target offset in slots, relative to the next instruction.
        imm: i32,
    },
    /// Indirect call through a register (`callx`; register in the `dst` field).
    CallReg {
        /// The register holding the target.
        reg: Reg,
    },
    /// Return from the current function (or the program).
    Exit,
}

impl Instruction {
    /// Number of 8-byte slots the instruction occupies (2 for `lddw`).
    #[inline]
    pub const fn slots(&self) -> usize {
        match self {
            Instruction::LoadImm64 { .. } => 2,
            _ => 1,
        }
    }

    /// The oldest instruction-set version that contains this instruction.
    pub fn min_version(&self) -> IsaVersion {
        use Instruction::*;
        match *self {
            Alu {
                op: AluOp::SDiv | AluOp::SMod | AluOp::MovSx8 | AluOp::MovSx16 | AluOp::MovSx32,
                ..
            } => IsaVersion::V4,
            Endian {
                kind: SwapKind::Bswap,
                ..
            } => IsaVersion::V4,
            LoadSx { .. } | Ja32 { .. } => IsaVersion::V4,
            Atomic {
                op: AtomicOp::Add,
                fetch: false,
                ..
            } => IsaVersion::V1,
            Atomic { .. } => IsaVersion::V3,
            Jump {
                width: Width::W32, ..
            } => IsaVersion::V3,
            Jump {
                cond: JumpCond::Lt | JumpCond::Le | JumpCond::Slt | JumpCond::Sle,
                ..
            } => IsaVersion::V2,
            _ => IsaVersion::V1,
        }
    }

    /// The register this instruction writes, if any (used to reject writes to `r10`).
    pub fn written_register(&self) -> Option<Reg> {
        use Instruction::*;
        match *self {
            Alu { dst, .. } | Neg { dst, .. } | Endian { dst, .. } | LoadImm64 { dst, .. } => {
                Some(dst)
            }
            Load { dst, .. } | LoadSx { dst, .. } => Some(dst),
            LoadPacket { .. } => Some(Reg::R0),
            Atomic {
                op: AtomicOp::CmpXchg,
                ..
            } => Some(Reg::R0),
            Atomic {
                fetch: true, src, ..
            } => Some(src),
            _ => None,
        }
    }
}
