//! x86-64 general-purpose registers, operand sizes and memory operands.

/// A 64-bit general-purpose register, numbered as the hardware encodes it
/// (bit 3 goes into a REX prefix, bits 0..2 into ModRM/SIB or the opcode).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Reg {
    Rax = 0,
    Rcx = 1,
    Rdx = 2,
    Rbx = 3,
    Rsp = 4,
    Rbp = 5,
    Rsi = 6,
    Rdi = 7,
    R8 = 8,
    R9 = 9,
    R10 = 10,
    R11 = 11,
    R12 = 12,
    R13 = 13,
    R14 = 14,
    R15 = 15,
}

impl Reg {
    /// Every register, in encoding order.
    pub const ALL: [Reg; 16] = [
        Reg::Rax,
        Reg::Rcx,
        Reg::Rdx,
        Reg::Rbx,
        Reg::Rsp,
        Reg::Rbp,
        Reg::Rsi,
        Reg::Rdi,
        Reg::R8,
        Reg::R9,
        Reg::R10,
        Reg::R11,
        Reg::R12,
        Reg::R13,
        Reg::R14,
        Reg::R15,
    ];

    /// The low three bits of the register number.
    #[inline]
    pub const fn low3(self) -> u8 {
        self as u8 & 7
    }

    /// Whether the register needs a REX extension bit (`r8`..`r15`).
    #[inline]
    pub const fn is_extended(self) -> bool {
        self as u8 >= 8
    }

    /// Whether the low byte of this register is only reachable with a REX
    /// prefix (`spl`, `bpl`, `sil`, `dil`; without REX these encodings mean
    /// `ah`, `ch`, `dh`, `bh`).
    #[inline]
    pub const fn byte_needs_rex(self) -> bool {
        matches!(self as u8, 4..=7)
    }
}

/// Operand size of an instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Size {
    /// 8 bits.
    S8,
    /// 16 bits (operand-size prefix `0x66`).
    S16,
    /// 32 bits (writes to a register zero-extend to 64 bits).
    S32,
    /// 64 bits (`REX.W`).
    S64,
}

impl Size {
    /// The size in bytes.
    pub const fn bytes(self) -> u8 {
        match self {
            Size::S8 => 1,
            Size::S16 => 2,
            Size::S32 => 4,
            Size::S64 => 8,
        }
    }
}

/// Scale factor of an index register.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scale {
    X1 = 0,
    X2 = 1,
    X4 = 2,
    X8 = 3,
}

/// A memory operand `[base + index * scale + disp]`.
///
/// `rsp` cannot be an index (its encoding means "no index"); the
/// constructors never produce one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Mem {
    pub(super) base: Reg,
    pub(super) index: Option<(Reg, Scale)>,
    pub(super) disp: i32,
}

impl Mem {
    /// `[base + disp]`.
    pub const fn base(base: Reg, disp: i32) -> Mem {
        Mem {
            base,
            index: None,
            disp,
        }
    }

    /// `[base + index * scale + disp]`; `None` if `index` is `rsp`.
    pub const fn indexed(base: Reg, index: Reg, scale: Scale, disp: i32) -> Option<Mem> {
        if matches!(index, Reg::Rsp) {
            return None;
        }
        Some(Mem {
            base,
            index: Some((index, scale)),
            disp,
        })
    }
}

/// Two-operand integer ALU operations, by their `/digit` (the opcode of the
/// `r/m, r` form is `digit * 8 + 1`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Alu {
    Add = 0,
    Or = 1,
    And = 4,
    Sub = 5,
    Xor = 6,
    Cmp = 7,
}

/// Shift and rotate operations, by their `/digit`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Shift {
    Rol = 0,
    Ror = 1,
    Shl = 4,
    Shr = 5,
    Sar = 7,
}

/// Condition codes of `jcc`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Cond {
    /// Below (unsigned `<`, carry set).
    B = 0x2,
    /// Above or equal (unsigned `>=`).
    Ae = 0x3,
    /// Equal.
    E = 0x4,
    /// Not equal.
    Ne = 0x5,
    /// Below or equal (unsigned `<=`).
    Be = 0x6,
    /// Above (unsigned `>`).
    A = 0x7,
    /// Signed `<`.
    L = 0xc,
    /// Signed `>=`.
    Ge = 0xd,
    /// Signed `<=`.
    Le = 0xe,
    /// Signed `>`.
    G = 0xf,
}
