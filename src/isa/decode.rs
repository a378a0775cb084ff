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
use super::DecodeError;

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

/// Checks `fields` are zero, in order (the first nonzero one is reported).
fn zeros(raw: &RawInsn, fields: &[Field]) -> Result<(), DecodeError> {
    fields.iter().try_for_each(|&field| zero(raw, field))
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

/// The binary ALU operation of each operation code (`opcode >> 4`), before
/// the offset selects a signed or sign-extending variant; `None` for `neg`,
/// `end` and the undefined codes. (A table is smaller than a `match` here.)
const ALU_OPS: [Option<AluOp>; 16] = {
    use AluOp::*;
    let mut ops = [None; 16];
    ops[(alu::ADD >> 4) as usize] = Some(Add);
    ops[(alu::SUB >> 4) as usize] = Some(Sub);
    ops[(alu::MUL >> 4) as usize] = Some(Mul);
    ops[(alu::DIV >> 4) as usize] = Some(Div);
    ops[(alu::OR >> 4) as usize] = Some(Or);
    ops[(alu::AND >> 4) as usize] = Some(And);
    ops[(alu::LSH >> 4) as usize] = Some(Lsh);
    ops[(alu::RSH >> 4) as usize] = Some(Rsh);
    ops[(alu::MOD >> 4) as usize] = Some(Mod);
    ops[(alu::XOR >> 4) as usize] = Some(Xor);
    ops[(alu::MOV >> 4) as usize] = Some(Mov);
    ops[(alu::ARSH >> 4) as usize] = Some(Arsh);
    ops
};

/// The condition of each conditional jump code (`opcode >> 4`); `None` for
/// `ja`, `call`, `exit` and the undefined codes.
const JUMP_CONDS: [Option<JumpCond>; 16] = {
    use JumpCond::*;
    let mut conds = [None; 16];
    conds[(jmp::JEQ >> 4) as usize] = Some(Eq);
    conds[(jmp::JGT >> 4) as usize] = Some(Gt);
    conds[(jmp::JGE >> 4) as usize] = Some(Ge);
    conds[(jmp::JSET >> 4) as usize] = Some(Set);
    conds[(jmp::JNE >> 4) as usize] = Some(Ne);
    conds[(jmp::JSGT >> 4) as usize] = Some(Sgt);
    conds[(jmp::JSGE >> 4) as usize] = Some(Sge);
    conds[(jmp::JLT >> 4) as usize] = Some(Lt);
    conds[(jmp::JLE >> 4) as usize] = Some(Le);
    conds[(jmp::JSLT >> 4) as usize] = Some(Slt);
    conds[(jmp::JSLE >> 4) as usize] = Some(Sle);
    conds
};

fn decode_alu(raw: &RawInsn) -> Result<Instruction, DecodeError> {
    let width = width_of(raw, op::CLASS_ALU);
    let dst = reg(raw.dst, RegField::Dst)?;
    let code = raw.opcode & op::OP_MASK;
    let unknown = DecodeError::UnknownOpcode { opcode: raw.opcode };
    if let Some(base) = ALU_OPS[usize::from(code >> 4)] {
        let src = operand(raw)?;
        let is_reg = matches!(src, Operand::Reg(_));
        let op = match (base, raw.off) {
            (_, 0) => base,
            (AluOp::Div, 1) => AluOp::SDiv,
            (AluOp::Mod, 1) => AluOp::SMod,
            (AluOp::Mov, 8) if is_reg => AluOp::MovSx8,
            (AluOp::Mov, 16) if is_reg => AluOp::MovSx16,
            (AluOp::Mov, 32) if is_reg && width == Width::W64 => AluOp::MovSx32,
            (AluOp::Div | AluOp::Mod | AluOp::Mov, off) => {
                return Err(DecodeError::InvalidOffset { off })
            }
            _ => {
                return Err(DecodeError::ReservedFieldNotZero {
                    field: Field::Offset,
                })
            }
        };
        return Ok(Instruction::Alu {
            width,
            op,
            dst,
            src,
        });
    }
    match code {
        alu::NEG => {
            if raw.opcode & op::SRC_MASK != 0 {
                return Err(unknown);
            }
            zeros(raw, &[Field::Src, Field::Offset, Field::Imm])?;
            Ok(Instruction::Neg { width, dst })
        }
        alu::END => {
            let kind = match (width, raw.opcode & op::SRC_MASK) {
                (Width::W32, op::SRC_K) => SwapKind::ToLe,
                (Width::W32, _) => SwapKind::ToBe,
                (Width::W64, op::SRC_K) => SwapKind::Bswap,
                (Width::W64, _) => return Err(unknown),
            };
            zeros(raw, &[Field::Src, Field::Offset])?;
            match raw.imm {
                16 | 32 | 64 => Ok(Instruction::Endian {
                    kind,
                    bits: raw.imm as u8,
                    dst,
                }),
                _ => Err(DecodeError::InvalidEndianWidth { imm: raw.imm }),
            }
        }
        _ => Err(unknown),
    }
}

fn decode_jmp(raw: &RawInsn) -> Result<Instruction, DecodeError> {
    let width = width_of(raw, op::CLASS_JMP32);
    let code = raw.opcode & op::OP_MASK;
    let unknown = DecodeError::UnknownOpcode { opcode: raw.opcode };
    let srcx = raw.opcode & op::SRC_MASK == op::SRC_X;
    if let Some(cond) = JUMP_CONDS[usize::from(code >> 4)] {
        return Ok(Instruction::Jump {
            width,
            cond,
            dst: reg(raw.dst, RegField::Dst)?,
            src: operand(raw)?,
            off: raw.off,
        });
    }
    match code {
        jmp::JA if !srcx => match width {
            Width::W64 => {
                zeros(raw, &[Field::Dst, Field::Src, Field::Imm])?;
                Ok(Instruction::Ja { off: raw.off })
            }
            Width::W32 => {
                zeros(raw, &[Field::Dst, Field::Src, Field::Offset])?;
                Ok(Instruction::Ja32 { imm: raw.imm })
            }
        },
        jmp::CALL if width == Width::W64 => {
            zero(raw, Field::Offset)?;
            if srcx {
                zeros(raw, &[Field::Src, Field::Imm])?;
                return Ok(Instruction::CallReg {
                    reg: reg(raw.dst, RegField::Dst)?,
                });
            }
            zero(raw, Field::Dst)?;
            match raw.src {
                op::CALL_HELPER => Ok(Instruction::Call { id: raw.imm as u32 }),
                op::CALL_LOCAL => Ok(Instruction::CallLocal { imm: raw.imm }),
                other => Err(DecodeError::UnsupportedCallKind { src: other }),
            }
        }
        jmp::EXIT if width == Width::W64 && !srcx => {
            zeros(raw, &[Field::Dst, Field::Src, Field::Offset, Field::Imm])?;
            Ok(Instruction::Exit)
        }
        _ => Err(unknown),
    }
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
