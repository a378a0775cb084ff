//! The typed instruction set: [`Instruction`] and its exact decoding from and
//! encoding to raw slots.
//!
//! Decoding is strict: every field that RFC 9669 says must be zero for a given
//! opcode is checked, register numbers must be in `r0..=r10`, and only the
//! variants the RFC defines are accepted. Every accepted slot re-encodes to the
//! identical bytes, which the tests check exhaustively over all opcodes.

use super::opcode::{self as op, alu, atomic, jmp};
use super::raw::RawInsn;
use super::version::IsaVersion;
use crate::error::DecodeError;

/// A register `r0..=r10`. `r10` is the read-only frame pointer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Reg(u8);

impl Reg {
    /// Return value / scratch.
    pub const R0: Reg = Reg(0);
    /// First argument; the input address at program entry.
    pub const R1: Reg = Reg(1);
    /// Second argument; the input length at program entry.
    pub const R2: Reg = Reg(2);
    /// Third argument.
    pub const R3: Reg = Reg(3);
    /// Fourth argument.
    pub const R4: Reg = Reg(4);
    /// Fifth argument.
    pub const R5: Reg = Reg(5);
    /// Callee-saved.
    pub const R6: Reg = Reg(6);
    /// Callee-saved.
    pub const R7: Reg = Reg(7);
    /// Callee-saved.
    pub const R8: Reg = Reg(8);
    /// Callee-saved.
    pub const R9: Reg = Reg(9);
    /// Frame pointer (read-only).
    pub const R10: Reg = Reg(10);
    /// Number of architectural registers.
    pub const COUNT: usize = 11;

    /// Returns the register with number `n`, if `n <= 10`.
    #[inline]
    pub const fn new(n: u8) -> Option<Reg> {
        if n <= 10 {
            Some(Reg(n))
        } else {
            None
        }
    }

    /// The register number, `0..=10`.
    #[inline]
    pub const fn num(self) -> u8 {
        self.0
    }

    /// The register number as an index into a register file.
    #[inline]
    pub const fn index(self) -> usize {
        self.0 as usize
    }
}

/// Operand width of arithmetic, jumps and atomics.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Width {
    /// 32-bit: operands are truncated, results zero-extended.
    W32,
    /// 64-bit.
    W64,
}

/// The second operand of arithmetic and conditional jumps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Operand {
    /// A register (`X` source).
    Reg(Reg),
    /// The 32-bit immediate, sign-extended to 64 bits for 64-bit operations (`K` source).
    Imm(i32),
}

/// Binary arithmetic operations (`dst = dst op src`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum AluOp {
    /// Wrapping addition.
    Add,
    /// Wrapping subtraction.
    Sub,
    /// Wrapping multiplication.
    Mul,
    /// Unsigned division; by zero gives 0.
    Div,
    /// Signed division (v4, offset 1); by zero gives 0, `MIN / -1` gives `MIN`.
    SDiv,
    /// Bitwise or.
    Or,
    /// Bitwise and.
    And,
    /// Left shift (amount masked to the width).
    Lsh,
    /// Logical right shift (amount masked to the width).
    Rsh,
    /// Unsigned remainder; by zero leaves the dividend.
    Mod,
    /// Signed remainder (v4, offset 1); by zero leaves the dividend.
    SMod,
    /// Bitwise exclusive or.
    Xor,
    /// Copy.
    Mov,
    /// Move with sign extension from 8 bits (v4, offset 8, register source).
    MovSx8,
    /// Move with sign extension from 16 bits (v4, offset 16, register source).
    MovSx16,
    /// Move with sign extension from 32 bits (v4, offset 32, ALU64 register source).
    MovSx32,
    /// Arithmetic (sign-filling) right shift.
    Arsh,
}

/// Byte-order operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum SwapKind {
    /// Convert to little-endian (truncate/zero-extend on a little-endian VM).
    ToLe,
    /// Convert to big-endian.
    ToBe,
    /// Unconditional byte swap (v4, ALU64 class).
    Bswap,
}

/// Size of a memory access.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum MemSize {
    /// 1 byte.
    Byte,
    /// 2 bytes.
    Half,
    /// 4 bytes.
    Word,
    /// 8 bytes.
    DWord,
}

impl MemSize {
    /// Number of bytes accessed.
    #[inline]
    pub const fn bytes(self) -> u8 {
        match self {
            MemSize::Byte => 1,
            MemSize::Half => 2,
            MemSize::Word => 4,
            MemSize::DWord => 8,
        }
    }

    const fn from_bits(bits: u8) -> MemSize {
        match bits & op::SIZE_MASK {
            op::SIZE_W => MemSize::Word,
            op::SIZE_H => MemSize::Half,
            op::SIZE_B => MemSize::Byte,
            _ => MemSize::DWord,
        }
    }

    const fn bits(self) -> u8 {
        match self {
            MemSize::Word => op::SIZE_W,
            MemSize::Half => op::SIZE_H,
            MemSize::Byte => op::SIZE_B,
            MemSize::DWord => op::SIZE_DW,
        }
    }
}

/// Conditions of conditional jumps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum JumpCond {
    /// `==`.
    Eq,
    /// Unsigned `>`.
    Gt,
    /// Unsigned `>=`.
    Ge,
    /// `dst & src != 0`.
    Set,
    /// `!=`.
    Ne,
    /// Signed `>`.
    Sgt,
    /// Signed `>=`.
    Sge,
    /// Unsigned `<` (v2).
    Lt,
    /// Unsigned `<=` (v2).
    Le,
    /// Signed `<` (v2).
    Slt,
    /// Signed `<=` (v2).
    Sle,
}

impl JumpCond {
    /// Evaluates the condition on 64-bit operands (32-bit jumps pass truncated,
    /// appropriately extended values).
    #[inline(always)]
    pub fn holds64(self, a: u64, b: u64) -> bool {
        match self {
            JumpCond::Eq => a == b,
            JumpCond::Gt => a > b,
            JumpCond::Ge => a >= b,
            JumpCond::Set => a & b != 0,
            JumpCond::Ne => a != b,
            JumpCond::Sgt => (a as i64) > (b as i64),
            JumpCond::Sge => (a as i64) >= (b as i64),
            JumpCond::Lt => a < b,
            JumpCond::Le => a <= b,
            JumpCond::Slt => (a as i64) < (b as i64),
            JumpCond::Sle => (a as i64) <= (b as i64),
        }
    }

    /// Evaluates the condition on the low 32 bits of the operands.
    #[inline(always)]
    pub fn holds32(self, a: u64, b: u64) -> bool {
        let (a, b) = (a as u32, b as u32);
        match self {
            JumpCond::Eq => a == b,
            JumpCond::Gt => a > b,
            JumpCond::Ge => a >= b,
            JumpCond::Set => a & b != 0,
            JumpCond::Ne => a != b,
            JumpCond::Sgt => (a as i32) > (b as i32),
            JumpCond::Sge => (a as i32) >= (b as i32),
            JumpCond::Lt => a < b,
            JumpCond::Le => a <= b,
            JumpCond::Slt => (a as i32) < (b as i32),
            JumpCond::Sle => (a as i32) <= (b as i32),
        }
    }
}

/// Atomic read-modify-write operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum AtomicOp {
    /// Wrapping addition.
    Add,
    /// Bitwise or.
    Or,
    /// Bitwise and.
    And,
    /// Bitwise exclusive or.
    Xor,
    /// Exchange: `src` receives the old value (always a fetch).
    Xchg,
    /// Compare `r0` with memory, store `src` if equal; `r0` receives the old value.
    CmpXchg,
}

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

/// The one or two raw slots of an encoded instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Encoded {
    slots: [RawInsn; 2],
    len: usize,
}

impl Encoded {
    /// The slots, one or two.
    pub fn slots(&self) -> &[RawInsn] {
        &self.slots[..self.len]
    }

    /// The bytes of all slots.
    pub fn bytes(&self) -> impl Iterator<Item = u8> + '_ {
        self.slots().iter().flat_map(|s| s.to_bytes())
    }
}

fn reg(field: u8, which: RegField) -> Result<Reg, DecodeError> {
    Reg::new(field).ok_or(DecodeError::InvalidRegister {
        field: which,
        value: field,
    })
}

/// Which register field of an instruction an error refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum RegField {
    /// The destination register field.
    Dst,
    /// The source register field.
    Src,
}

/// Which field of an instruction an error refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Field {
    /// The destination register field.
    Dst,
    /// The source register field.
    Src,
    /// The offset field.
    Offset,
    /// The immediate field.
    Imm,
}

fn zero(raw: &RawInsn, field: Field) -> Result<(), DecodeError> {
    let nonzero = match field {
        Field::Dst => raw.dst != 0,
        Field::Src => raw.src != 0,
        Field::Offset => raw.off != 0,
        Field::Imm => raw.imm != 0,
    };
    if nonzero {
        Err(DecodeError::ReservedFieldNotZero { field })
    } else {
        Ok(())
    }
}

impl Instruction {
    /// Decodes the instruction starting at `first`; `second` is the following
    /// slot, needed only by `lddw`.
    ///
    /// ```
    /// use ebpfvm::isa::{Instruction, RawInsn, Reg, Operand, AluOp, Width};
    /// let raw = RawInsn::new(0xb7, 0, 0, 0, 42); // mov r0, 42
    /// assert_eq!(
    ///     Instruction::decode(raw, None),
    ///     Ok(Instruction::Alu { width: Width::W64, op: AluOp::Mov, dst: Reg::R0, src: Operand::Imm(42) })
    /// );
    /// ```
    pub fn decode(first: RawInsn, second: Option<RawInsn>) -> Result<Instruction, DecodeError> {
        let raw = first;
        match raw.opcode & op::CLASS_MASK {
            op::CLASS_ALU | op::CLASS_ALU64 => decode_alu(&raw),
            op::CLASS_JMP | op::CLASS_JMP32 => decode_jmp(&raw),
            op::CLASS_LD => decode_ld(&raw, second),
            op::CLASS_LDX => decode_ldx(&raw),
            op::CLASS_ST => decode_st(&raw),
            _ => decode_stx(&raw),
        }
    }

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

    /// Encodes the instruction into one or two raw slots.
    pub fn encode(&self) -> Encoded {
        let one = |r: RawInsn| Encoded {
            slots: [r, RawInsn::default()],
            len: 1,
        };
        use Instruction::*;
        match *self {
            Alu {
                width,
                op: aop,
                dst,
                src,
            } => {
                let class = class_of(width, op::CLASS_ALU, op::CLASS_ALU64);
                let (code, off) = match aop {
                    AluOp::Add => (alu::ADD, 0),
                    AluOp::Sub => (alu::SUB, 0),
                    AluOp::Mul => (alu::MUL, 0),
                    AluOp::Div => (alu::DIV, 0),
                    AluOp::SDiv => (alu::DIV, 1),
                    AluOp::Or => (alu::OR, 0),
                    AluOp::And => (alu::AND, 0),
                    AluOp::Lsh => (alu::LSH, 0),
                    AluOp::Rsh => (alu::RSH, 0),
                    AluOp::Mod => (alu::MOD, 0),
                    AluOp::SMod => (alu::MOD, 1),
                    AluOp::Xor => (alu::XOR, 0),
                    AluOp::Mov => (alu::MOV, 0),
                    AluOp::MovSx8 => (alu::MOV, 8),
                    AluOp::MovSx16 => (alu::MOV, 16),
                    AluOp::MovSx32 => (alu::MOV, 32),
                    AluOp::Arsh => (alu::ARSH, 0),
                };
                let (srcbit, s, imm) = operand_fields(src);
                one(RawInsn::new(class | code | srcbit, dst.0, s, off, imm))
            }
            Neg { width, dst } => one(RawInsn::new(
                class_of(width, op::CLASS_ALU, op::CLASS_ALU64) | alu::NEG,
                dst.0,
                0,
                0,
                0,
            )),
            Endian { kind, bits, dst } => {
                let opcode = match kind {
                    SwapKind::ToLe => op::CLASS_ALU | alu::END | op::SRC_K,
                    SwapKind::ToBe => op::CLASS_ALU | alu::END | op::SRC_X,
                    SwapKind::Bswap => op::CLASS_ALU64 | alu::END | op::SRC_K,
                };
                one(RawInsn::new(opcode, dst.0, 0, 0, bits as i32))
            }
            LoadImm64 { dst, imm } => Encoded {
                slots: [
                    RawInsn::new(op::full::LDDW, dst.0, 0, 0, imm as u32 as i32),
                    RawInsn::new(0, 0, 0, 0, (imm >> 32) as u32 as i32),
                ],
                len: 2,
            },
            LoadPacket { size, src, imm } => {
                let (mode, s) = match src {
                    None => (op::MODE_ABS, 0),
                    Some(r) => (op::MODE_IND, r.0),
                };
                one(RawInsn::new(
                    op::CLASS_LD | mode | size.bits(),
                    0,
                    s,
                    0,
                    imm,
                ))
            }
            Load {
                size,
                dst,
                src,
                off,
            } => one(RawInsn::new(
                op::CLASS_LDX | op::MODE_MEM | size.bits(),
                dst.0,
                src.0,
                off,
                0,
            )),
            LoadSx {
                size,
                dst,
                src,
                off,
            } => one(RawInsn::new(
                op::CLASS_LDX | op::MODE_MEMSX | size.bits(),
                dst.0,
                src.0,
                off,
                0,
            )),
            Store {
                size,
                dst,
                off,
                imm,
            } => one(RawInsn::new(
                op::CLASS_ST | op::MODE_MEM | size.bits(),
                dst.0,
                0,
                off,
                imm,
            )),
            StoreReg {
                size,
                dst,
                src,
                off,
            } => one(RawInsn::new(
                op::CLASS_STX | op::MODE_MEM | size.bits(),
                dst.0,
                src.0,
                off,
                0,
            )),
            Atomic {
                width,
                op: aop,
                fetch,
                dst,
                src,
                off,
            } => {
                let size = match width {
                    Width::W32 => op::SIZE_W,
                    Width::W64 => op::SIZE_DW,
                };
                let imm = match aop {
                    AtomicOp::Add => atomic::ADD,
                    AtomicOp::Or => atomic::OR,
                    AtomicOp::And => atomic::AND,
                    AtomicOp::Xor => atomic::XOR,
                    AtomicOp::Xchg => atomic::XCHG,
                    AtomicOp::CmpXchg => atomic::CMPXCHG,
                } | if fetch { atomic::FETCH } else { 0 };
                one(RawInsn::new(
                    op::CLASS_STX | op::MODE_ATOMIC | size,
                    dst.0,
                    src.0,
                    off,
                    imm,
                ))
            }
            Ja { off } => one(RawInsn::new(op::full::JA, 0, 0, off, 0)),
            Ja32 { imm } => one(RawInsn::new(op::full::JA32, 0, 0, 0, imm)),
            Jump {
                width,
                cond,
                dst,
                src,
                off,
            } => {
                let class = class_of(width, op::CLASS_JMP32, op::CLASS_JMP);
                let code = match cond {
                    JumpCond::Eq => jmp::JEQ,
                    JumpCond::Gt => jmp::JGT,
                    JumpCond::Ge => jmp::JGE,
                    JumpCond::Set => jmp::JSET,
                    JumpCond::Ne => jmp::JNE,
                    JumpCond::Sgt => jmp::JSGT,
                    JumpCond::Sge => jmp::JSGE,
                    JumpCond::Lt => jmp::JLT,
                    JumpCond::Le => jmp::JLE,
                    JumpCond::Slt => jmp::JSLT,
                    JumpCond::Sle => jmp::JSLE,
                };
                let (srcbit, s, imm) = operand_fields(src);
                one(RawInsn::new(class | code | srcbit, dst.0, s, off, imm))
            }
            Call { id } => one(RawInsn::new(
                op::full::CALL,
                0,
                op::CALL_HELPER,
                0,
                id as i32,
            )),
            CallLocal { imm } => one(RawInsn::new(op::full::CALL, 0, op::CALL_LOCAL, 0, imm)),
            CallReg { reg } => one(RawInsn::new(op::full::CALLX, reg.0, 0, 0, 0)),
            Exit => one(RawInsn::new(op::full::EXIT, 0, 0, 0, 0)),
        }
    }
}

const fn class_of(width: Width, w32: u8, w64: u8) -> u8 {
    match width {
        Width::W32 => w32,
        Width::W64 => w64,
    }
}

fn operand_fields(src: Operand) -> (u8, u8, i32) {
    match src {
        Operand::Reg(r) => (op::SRC_X, r.0, 0),
        Operand::Imm(imm) => (op::SRC_K, 0, imm),
    }
}

fn width_of(raw: &RawInsn, w32_class: u8) -> Width {
    if raw.opcode & op::CLASS_MASK == w32_class {
        Width::W32
    } else {
        Width::W64
    }
}

/// Decodes the operand selected by the source bit; the unused field must be zero.
fn operand(raw: &RawInsn) -> Result<Operand, DecodeError> {
    if raw.opcode & op::SRC_MASK == op::SRC_X {
        zero(raw, Field::Imm)?;
        Ok(Operand::Reg(reg(raw.src, RegField::Src)?))
    } else {
        zero(raw, Field::Src)?;
        Ok(Operand::Imm(raw.imm))
    }
}

fn decode_alu(raw: &RawInsn) -> Result<Instruction, DecodeError> {
    let width = width_of(raw, op::CLASS_ALU);
    let dst = reg(raw.dst, RegField::Dst)?;
    let code = raw.opcode & op::OP_MASK;
    let unknown = DecodeError::UnknownOpcode { opcode: raw.opcode };
    match code {
        alu::NEG => {
            if raw.opcode & op::SRC_MASK != 0 {
                return Err(unknown);
            }
            zero(raw, Field::Src)?;
            zero(raw, Field::Offset)?;
            zero(raw, Field::Imm)?;
            Ok(Instruction::Neg { width, dst })
        }
        alu::END => {
            let kind = match (width, raw.opcode & op::SRC_MASK) {
                (Width::W32, op::SRC_K) => SwapKind::ToLe,
                (Width::W32, _) => SwapKind::ToBe,
                (Width::W64, op::SRC_K) => SwapKind::Bswap,
                (Width::W64, _) => return Err(unknown),
            };
            zero(raw, Field::Src)?;
            zero(raw, Field::Offset)?;
            match raw.imm {
                16 | 32 | 64 => Ok(Instruction::Endian {
                    kind,
                    bits: raw.imm as u8,
                    dst,
                }),
                _ => Err(DecodeError::InvalidEndianWidth { imm: raw.imm }),
            }
        }
        0xe0 | 0xf0 => Err(unknown),
        _ => {
            let src = operand(raw)?;
            let plain = |op: AluOp| -> Result<AluOp, DecodeError> {
                zero(raw, Field::Offset)?;
                Ok(op)
            };
            let signed = |unsigned: AluOp, signed: AluOp| match raw.off {
                0 => Ok(unsigned),
                1 => Ok(signed),
                _ => Err(DecodeError::InvalidOffset { off: raw.off }),
            };
            let op = match code {
                alu::ADD => plain(AluOp::Add)?,
                alu::SUB => plain(AluOp::Sub)?,
                alu::MUL => plain(AluOp::Mul)?,
                alu::DIV => signed(AluOp::Div, AluOp::SDiv)?,
                alu::OR => plain(AluOp::Or)?,
                alu::AND => plain(AluOp::And)?,
                alu::LSH => plain(AluOp::Lsh)?,
                alu::RSH => plain(AluOp::Rsh)?,
                alu::MOD => signed(AluOp::Mod, AluOp::SMod)?,
                alu::XOR => plain(AluOp::Xor)?,
                alu::ARSH => plain(AluOp::Arsh)?,
                _ => match (raw.off, src, width) {
                    (0, _, _) => AluOp::Mov,
                    (8, Operand::Reg(_), _) => AluOp::MovSx8,
                    (16, Operand::Reg(_), _) => AluOp::MovSx16,
                    (32, Operand::Reg(_), Width::W64) => AluOp::MovSx32,
                    _ => return Err(DecodeError::InvalidOffset { off: raw.off }),
                },
            };
            Ok(Instruction::Alu {
                width,
                op,
                dst,
                src,
            })
        }
    }
}

fn decode_jmp(raw: &RawInsn) -> Result<Instruction, DecodeError> {
    let width = width_of(raw, op::CLASS_JMP32);
    let code = raw.opcode & op::OP_MASK;
    let unknown = DecodeError::UnknownOpcode { opcode: raw.opcode };
    let srcx = raw.opcode & op::SRC_MASK == op::SRC_X;
    let cond = match code {
        jmp::JA => {
            if srcx {
                return Err(unknown);
            }
            zero(raw, Field::Dst)?;
            zero(raw, Field::Src)?;
            return match width {
                Width::W64 => {
                    zero(raw, Field::Imm)?;
                    Ok(Instruction::Ja { off: raw.off })
                }
                Width::W32 => {
                    zero(raw, Field::Offset)?;
                    Ok(Instruction::Ja32 { imm: raw.imm })
                }
            };
        }
        jmp::CALL => {
            if width == Width::W32 {
                return Err(unknown);
            }
            zero(raw, Field::Offset)?;
            if srcx {
                zero(raw, Field::Src)?;
                zero(raw, Field::Imm)?;
                return Ok(Instruction::CallReg {
                    reg: reg(raw.dst, RegField::Dst)?,
                });
            }
            zero(raw, Field::Dst)?;
            return match raw.src {
                op::CALL_HELPER => Ok(Instruction::Call { id: raw.imm as u32 }),
                op::CALL_LOCAL => Ok(Instruction::CallLocal { imm: raw.imm }),
                other => Err(DecodeError::UnsupportedCallKind { src: other }),
            };
        }
        jmp::EXIT => {
            if width == Width::W32 || srcx {
                return Err(unknown);
            }
            zero(raw, Field::Dst)?;
            zero(raw, Field::Src)?;
            zero(raw, Field::Offset)?;
            zero(raw, Field::Imm)?;
            return Ok(Instruction::Exit);
        }
        jmp::JEQ => JumpCond::Eq,
        jmp::JGT => JumpCond::Gt,
        jmp::JGE => JumpCond::Ge,
        jmp::JSET => JumpCond::Set,
        jmp::JNE => JumpCond::Ne,
        jmp::JSGT => JumpCond::Sgt,
        jmp::JSGE => JumpCond::Sge,
        jmp::JLT => JumpCond::Lt,
        jmp::JLE => JumpCond::Le,
        jmp::JSLT => JumpCond::Slt,
        jmp::JSLE => JumpCond::Sle,
        _ => return Err(unknown),
    };
    Ok(Instruction::Jump {
        width,
        cond,
        dst: reg(raw.dst, RegField::Dst)?,
        src: operand(raw)?,
        off: raw.off,
    })
}

fn decode_ld(raw: &RawInsn, second: Option<RawInsn>) -> Result<Instruction, DecodeError> {
    let size = MemSize::from_bits(raw.opcode);
    match raw.opcode & op::MODE_MASK {
        op::MODE_IMM if size == MemSize::DWord => {
            zero(raw, Field::Offset)?;
            if raw.src != 0 {
                return Err(DecodeError::UnsupportedLddwSource { src: raw.src });
            }
            let dst = reg(raw.dst, RegField::Dst)?;
            let next = second.ok_or(DecodeError::IncompleteLddw)?;
            if next.opcode != 0 || next.dst != 0 || next.src != 0 || next.off != 0 {
                return Err(DecodeError::IncompleteLddw);
            }
            let imm = (raw.imm as u32 as u64) | ((next.imm as u32 as u64) << 32);
            Ok(Instruction::LoadImm64 { dst, imm })
        }
        mode @ (op::MODE_ABS | op::MODE_IND) if size != MemSize::DWord => {
            zero(raw, Field::Dst)?;
            zero(raw, Field::Offset)?;
            let src = if mode == op::MODE_ABS {
                zero(raw, Field::Src)?;
                None
            } else {
                Some(reg(raw.src, RegField::Src)?)
            };
            Ok(Instruction::LoadPacket {
                size,
                src,
                imm: raw.imm,
            })
        }
        _ => Err(DecodeError::UnknownOpcode { opcode: raw.opcode }),
    }
}

fn decode_ldx(raw: &RawInsn) -> Result<Instruction, DecodeError> {
    let size = MemSize::from_bits(raw.opcode);
    let sx = match raw.opcode & op::MODE_MASK {
        op::MODE_MEM => false,
        op::MODE_MEMSX if size != MemSize::DWord => true,
        _ => return Err(DecodeError::UnknownOpcode { opcode: raw.opcode }),
    };
    zero(raw, Field::Imm)?;
    let dst = reg(raw.dst, RegField::Dst)?;
    let src = reg(raw.src, RegField::Src)?;
    let off = raw.off;
    Ok(if sx {
        Instruction::LoadSx {
            size,
            dst,
            src,
            off,
        }
    } else {
        Instruction::Load {
            size,
            dst,
            src,
            off,
        }
    })
}

fn decode_st(raw: &RawInsn) -> Result<Instruction, DecodeError> {
    if raw.opcode & op::MODE_MASK != op::MODE_MEM {
        return Err(DecodeError::UnknownOpcode { opcode: raw.opcode });
    }
    zero(raw, Field::Src)?;
    Ok(Instruction::Store {
        size: MemSize::from_bits(raw.opcode),
        dst: reg(raw.dst, RegField::Dst)?,
        off: raw.off,
        imm: raw.imm,
    })
}

fn decode_stx(raw: &RawInsn) -> Result<Instruction, DecodeError> {
    let size = MemSize::from_bits(raw.opcode);
    let dst = reg(raw.dst, RegField::Dst)?;
    let src = reg(raw.src, RegField::Src)?;
    let off = raw.off;
    match raw.opcode & op::MODE_MASK {
        op::MODE_MEM => {
            zero(raw, Field::Imm)?;
            Ok(Instruction::StoreReg {
                size,
                dst,
                src,
                off,
            })
        }
        op::MODE_ATOMIC if matches!(size, MemSize::Word | MemSize::DWord) => {
            let width = if size == MemSize::Word {
                Width::W32
            } else {
                Width::W64
            };
            let fetch = raw.imm & atomic::FETCH != 0;
            let aop = match raw.imm {
                atomic::XCHG => AtomicOp::Xchg,
                atomic::CMPXCHG => AtomicOp::CmpXchg,
                imm => match imm & !atomic::FETCH {
                    atomic::ADD => AtomicOp::Add,
                    atomic::OR => AtomicOp::Or,
                    atomic::AND => AtomicOp::And,
                    atomic::XOR => AtomicOp::Xor,
                    _ => return Err(DecodeError::UnknownAtomicOp { imm }),
                },
            };
            Ok(Instruction::Atomic {
                width,
                op: aop,
                fetch,
                dst,
                src,
                off,
            })
        }
        _ => Err(DecodeError::UnknownOpcode { opcode: raw.opcode }),
    }
}
