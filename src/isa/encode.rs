//! Encoding of [`Instruction`]s into raw slots (the exact inverse of decoding).

use super::instruction::Instruction;
use super::opcode::{self as op, alu, atomic, jmp};
use super::operands::{AluOp, AtomicOp, JumpCond, Operand, SwapKind, Width};
use super::raw::RawInsn;

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

impl Instruction {
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
