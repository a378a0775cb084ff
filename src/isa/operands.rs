//! The operand types of instructions: registers, widths, operations,
//! conditions and sizes, and the names of instruction fields.

use super::opcode as op;

/// A register `r0..=r10`. `r10` is the read-only frame pointer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Reg(pub(super) u8);

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

    pub(super) const fn from_bits(bits: u8) -> MemSize {
        match bits & op::SIZE_MASK {
            op::SIZE_W => MemSize::Word,
            op::SIZE_H => MemSize::Half,
            op::SIZE_B => MemSize::Byte,
            _ => MemSize::DWord,
        }
    }

    pub(super) const fn bits(self) -> u8 {
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
