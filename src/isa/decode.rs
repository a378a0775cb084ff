//! Strict decoding of raw slots into [`Instruction`]s.
//!
//! Every field that RFC 9669 says must be zero for a given opcode is checked,
//! register numbers must be in `r0..=r10`, and only the variants the RFC
//! defines are accepted. Every accepted slot re-encodes to the identical
//! bytes, which the tests check exhaustively over all opcodes.

use super::instruction::Instruction;
use super::opcode::{self as op, alu, atomic, jmp};
use super::operands::{
    AluOp, AtomicOp, Field, JumpCond, MemSize, Operand, Reg, RegField, SwapKind, Width,
};
use super::raw::RawInsn;
use crate::error::DecodeError;

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
}

fn reg(field: u8, which: RegField) -> Result<Reg, DecodeError> {
    Reg::new(field).ok_or(DecodeError::InvalidRegister {
        field: which,
        value: field,
    })
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
