//! The pre-decoded program form the interpreter executes.
//!
//! Translation happens once, at load time, from verified instructions: every
//! operation/width/operand combination gets its own [`OpCode`] (so the
//! interpreter's dispatch is one jump-table branch with no further decoding),
//! immediates are pre-extended, jump and call targets become absolute pcs, and
//! helper ids become builtin-table indices. Ops stay slot-indexed (the second
//! slot of an `lddw` holds [`OpCode::LddwTail`], which is never executed), so
//! pcs mean the same in every engine, trap and disassembly.

use alloc::vec::Vec;

use crate::builtins::BuiltinRegistry;
use crate::isa::{AluOp, AtomicOp, Instruction, JumpCond, MemSize, Operand, SwapKind, Width};
use crate::verifier::VerifiedProgram;

macro_rules! opcodes {
    ($($name:ident),* $(,)?) => {
        /// One specialised operation of the pre-decoded form.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[cfg_attr(feature = "defmt", derive(defmt::Format))]
        #[repr(u8)]
        #[allow(missing_docs)]
        pub enum OpCode { $($name),* }
    };
}

opcodes! {
    // 64-bit ALU, immediate / register operand.
    Add64Imm, Add64Reg, Sub64Imm, Sub64Reg, Mul64Imm, Mul64Reg, Div64Imm, Div64Reg,
    SDiv64Imm, SDiv64Reg, Or64Imm, Or64Reg, And64Imm, And64Reg, Lsh64Imm, Lsh64Reg,
    Rsh64Imm, Rsh64Reg, Mod64Imm, Mod64Reg, SMod64Imm, SMod64Reg, Xor64Imm, Xor64Reg,
    Mov64Imm, Mov64Reg, Arsh64Imm, Arsh64Reg, Neg64, MovSx8To64, MovSx16To64, MovSx32To64,
    // 32-bit ALU.
    Add32Imm, Add32Reg, Sub32Imm, Sub32Reg, Mul32Imm, Mul32Reg, Div32Imm, Div32Reg,
    SDiv32Imm, SDiv32Reg, Or32Imm, Or32Reg, And32Imm, And32Reg, Lsh32Imm, Lsh32Reg,
    Rsh32Imm, Rsh32Reg, Mod32Imm, Mod32Reg, SMod32Imm, SMod32Reg, Xor32Imm, Xor32Reg,
    Mov32Imm, Mov32Reg, Arsh32Imm, Arsh32Reg, Neg32, MovSx8To32, MovSx16To32,
    // Byte order.
    Le16, Le32, Le64, Be16, Be32, Be64, Bswap16, Bswap32, Bswap64,
    // 64-bit immediate and its never-executed second slot.
    Lddw, LddwTail,
    // Legacy packet loads (absolute / indirect).
    LdAbsB, LdAbsH, LdAbsW, LdIndB, LdIndH, LdIndW,
    // Loads and stores.
    LdxB, LdxH, LdxW, LdxDw, LdxSB, LdxSH, LdxSW,
    StB, StH, StW, StDw, StxB, StxH, StxW, StxDw,
    // Atomics.
    AtomicAdd32, AtomicOr32, AtomicAnd32, AtomicXor32,
    AtomicFetchAdd32, AtomicFetchOr32, AtomicFetchAnd32, AtomicFetchXor32,
    AtomicXchg32, AtomicCmpXchg32,
    AtomicAdd64, AtomicOr64, AtomicAnd64, AtomicXor64,
    AtomicFetchAdd64, AtomicFetchOr64, AtomicFetchAnd64, AtomicFetchXor64,
    AtomicXchg64, AtomicCmpXchg64,
    // Jumps.
    Ja,
    Jeq64Imm, Jeq64Reg, Jgt64Imm, Jgt64Reg, Jge64Imm, Jge64Reg, Jset64Imm, Jset64Reg,
    Jne64Imm, Jne64Reg, Jsgt64Imm, Jsgt64Reg, Jsge64Imm, Jsge64Reg, Jlt64Imm, Jlt64Reg,
    Jle64Imm, Jle64Reg, Jslt64Imm, Jslt64Reg, Jsle64Imm, Jsle64Reg,
    Jeq32Imm, Jeq32Reg, Jgt32Imm, Jgt32Reg, Jge32Imm, Jge32Reg, Jset32Imm, Jset32Reg,
    Jne32Imm, Jne32Reg, Jsgt32Imm, Jsgt32Reg, Jsge32Imm, Jsge32Reg, Jlt32Imm, Jlt32Reg,
    Jle32Imm, Jle32Reg, Jslt32Imm, Jslt32Reg, Jsle32Imm, Jsle32Reg,
    // Calls and exit.
    CallBuiltin, CallLocal, CallReg, Exit,
}

/// One pre-decoded instruction (16 bytes).
///
/// Field use by kind: ALU `dst`, `src`, `imm` (sign-extended immediate);
/// memory `dst`, `src`, `off` (sign-extended offset), `imm` for stores of
/// immediates; jumps `dst`, `src`/`imm`, `off` = absolute target pc;
/// `CallBuiltin` `imm` = builtin table index and `off` = builtin id;
/// `CallLocal` `off` = target pc; `CallReg` `dst` = register; `Lddw` `imm` = value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct Op {
    /// The operation.
    pub code: OpCode,
    /// Destination register number.
    pub dst: u8,
    /// Source register number.
    pub src: u8,
    /// Unused padding (kept zero).
    pub pad: u8,
    /// Memory offset or absolute jump/call target.
    pub off: i32,
    /// Immediate, pre-extended.
    pub imm: i64,
}

impl Op {
    const fn new(code: OpCode) -> Op {
        Op {
            code,
            dst: 0,
            src: 0,
            pad: 0,
            off: 0,
            imm: 0,
        }
    }
}

/// Translates a verified program into ops, one per slot.
pub fn predecode<C>(program: &VerifiedProgram, builtins: &BuiltinRegistry<C>) -> Vec<Op> {
    program
        .slots()
        .iter()
        .enumerate()
        .map(|(pc, slot)| match slot {
            Some(insn) => translate(pc, insn, builtins),
            None => Op::new(OpCode::LddwTail),
        })
        .collect()
}

fn alu_code(width: Width, op: AluOp, reg: bool) -> OpCode {
    use OpCode::*;
    let (imm64, reg64, imm32, reg32) = match op {
        AluOp::Add => (Add64Imm, Add64Reg, Add32Imm, Add32Reg),
        AluOp::Sub => (Sub64Imm, Sub64Reg, Sub32Imm, Sub32Reg),
        AluOp::Mul => (Mul64Imm, Mul64Reg, Mul32Imm, Mul32Reg),
        AluOp::Div => (Div64Imm, Div64Reg, Div32Imm, Div32Reg),
        AluOp::SDiv => (SDiv64Imm, SDiv64Reg, SDiv32Imm, SDiv32Reg),
        AluOp::Or => (Or64Imm, Or64Reg, Or32Imm, Or32Reg),
        AluOp::And => (And64Imm, And64Reg, And32Imm, And32Reg),
        AluOp::Lsh => (Lsh64Imm, Lsh64Reg, Lsh32Imm, Lsh32Reg),
        AluOp::Rsh => (Rsh64Imm, Rsh64Reg, Rsh32Imm, Rsh32Reg),
        AluOp::Mod => (Mod64Imm, Mod64Reg, Mod32Imm, Mod32Reg),
        AluOp::SMod => (SMod64Imm, SMod64Reg, SMod32Imm, SMod32Reg),
        AluOp::Xor => (Xor64Imm, Xor64Reg, Xor32Imm, Xor32Reg),
        AluOp::Mov => (Mov64Imm, Mov64Reg, Mov32Imm, Mov32Reg),
        AluOp::Arsh => (Arsh64Imm, Arsh64Reg, Arsh32Imm, Arsh32Reg),
        // Register-only forms (the decoder guarantees a register source).
        AluOp::MovSx8 => (MovSx8To64, MovSx8To64, MovSx8To32, MovSx8To32),
        AluOp::MovSx16 => (MovSx16To64, MovSx16To64, MovSx16To32, MovSx16To32),
        AluOp::MovSx32 => (MovSx32To64, MovSx32To64, MovSx32To64, MovSx32To64),
    };
    match (width, reg) {
        (Width::W64, false) => imm64,
        (Width::W64, true) => reg64,
        (Width::W32, false) => imm32,
        (Width::W32, true) => reg32,
    }
}

fn jump_code(width: Width, cond: JumpCond, reg: bool) -> OpCode {
    use OpCode::*;
    let (imm64, reg64, imm32, reg32) = match cond {
        JumpCond::Eq => (Jeq64Imm, Jeq64Reg, Jeq32Imm, Jeq32Reg),
        JumpCond::Gt => (Jgt64Imm, Jgt64Reg, Jgt32Imm, Jgt32Reg),
        JumpCond::Ge => (Jge64Imm, Jge64Reg, Jge32Imm, Jge32Reg),
        JumpCond::Set => (Jset64Imm, Jset64Reg, Jset32Imm, Jset32Reg),
        JumpCond::Ne => (Jne64Imm, Jne64Reg, Jne32Imm, Jne32Reg),
        JumpCond::Sgt => (Jsgt64Imm, Jsgt64Reg, Jsgt32Imm, Jsgt32Reg),
        JumpCond::Sge => (Jsge64Imm, Jsge64Reg, Jsge32Imm, Jsge32Reg),
        JumpCond::Lt => (Jlt64Imm, Jlt64Reg, Jlt32Imm, Jlt32Reg),
        JumpCond::Le => (Jle64Imm, Jle64Reg, Jle32Imm, Jle32Reg),
        JumpCond::Slt => (Jslt64Imm, Jslt64Reg, Jslt32Imm, Jslt32Reg),
        JumpCond::Sle => (Jsle64Imm, Jsle64Reg, Jsle32Imm, Jsle32Reg),
    };
    match (width, reg) {
        (Width::W64, false) => imm64,
        (Width::W64, true) => reg64,
        (Width::W32, false) => imm32,
        (Width::W32, true) => reg32,
    }
}

fn atomic_code(width: Width, op: AtomicOp, fetch: bool) -> OpCode {
    use OpCode::*;
    let (w32, w64) = match (op, fetch) {
        (AtomicOp::Add, false) => (AtomicAdd32, AtomicAdd64),
        (AtomicOp::Or, false) => (AtomicOr32, AtomicOr64),
        (AtomicOp::And, false) => (AtomicAnd32, AtomicAnd64),
        (AtomicOp::Xor, false) => (AtomicXor32, AtomicXor64),
        (AtomicOp::Add, true) => (AtomicFetchAdd32, AtomicFetchAdd64),
        (AtomicOp::Or, true) => (AtomicFetchOr32, AtomicFetchOr64),
        (AtomicOp::And, true) => (AtomicFetchAnd32, AtomicFetchAnd64),
        (AtomicOp::Xor, true) => (AtomicFetchXor32, AtomicFetchXor64),
        (AtomicOp::Xchg, _) => (AtomicXchg32, AtomicXchg64),
        (AtomicOp::CmpXchg, _) => (AtomicCmpXchg32, AtomicCmpXchg64),
    };
    match width {
        Width::W32 => w32,
        Width::W64 => w64,
    }
}

fn sized(size: MemSize, codes: [OpCode; 4]) -> OpCode {
    match size {
        MemSize::Byte => codes[0],
        MemSize::Half => codes[1],
        MemSize::Word => codes[2],
        MemSize::DWord => codes[3],
    }
}

fn target(pc: usize, rel: i64) -> i32 {
    // The verifier checked 0 <= target < program length <= max_program_slots.
    (pc as i64 + 1 + rel) as i32
}

fn translate<C>(pc: usize, insn: &Instruction, builtins: &BuiltinRegistry<C>) -> Op {
    use OpCode::*;
    let mut op = Op::new(Exit);
    match *insn {
        Instruction::Alu {
            width,
            op: aop,
            dst,
            src,
        } => {
            op.dst = dst.num();
            match src {
                Operand::Reg(r) => {
                    op.code = alu_code(width, aop, true);
                    op.src = r.num();
                }
                Operand::Imm(imm) => {
                    op.code = alu_code(width, aop, false);
                    op.imm = imm as i64;
                }
            }
        }
        Instruction::Neg { width, dst } => {
            op.code = if width == Width::W64 { Neg64 } else { Neg32 };
            op.dst = dst.num();
        }
        Instruction::Endian { kind, bits, dst } => {
            let idx = match bits {
                16 => 0,
                32 => 1,
                _ => 2,
            };
            op.code = match kind {
                SwapKind::ToLe => [Le16, Le32, Le64][idx],
                SwapKind::ToBe => [Be16, Be32, Be64][idx],
                SwapKind::Bswap => [Bswap16, Bswap32, Bswap64][idx],
            };
            op.dst = dst.num();
        }
        Instruction::LoadImm64 { dst, imm } => {
            op.code = Lddw;
            op.dst = dst.num();
            op.imm = imm as i64;
        }
        Instruction::LoadPacket { size, src, imm } => {
            op.imm = imm as i64;
            op.code = match src {
                None => sized(size, [LdAbsB, LdAbsH, LdAbsW, LdAbsW]),
                Some(r) => {
                    op.src = r.num();
                    sized(size, [LdIndB, LdIndH, LdIndW, LdIndW])
                }
            };
        }
        Instruction::Load {
            size,
            dst,
            src,
            off,
        } => {
            op.code = sized(size, [LdxB, LdxH, LdxW, LdxDw]);
            (op.dst, op.src, op.off) = (dst.num(), src.num(), off as i32);
        }
        Instruction::LoadSx {
            size,
            dst,
            src,
            off,
        } => {
            op.code = sized(size, [LdxSB, LdxSH, LdxSW, LdxSW]);
            (op.dst, op.src, op.off) = (dst.num(), src.num(), off as i32);
        }
        Instruction::Store {
            size,
            dst,
            off,
            imm,
        } => {
            op.code = sized(size, [StB, StH, StW, StDw]);
            (op.dst, op.off, op.imm) = (dst.num(), off as i32, imm as i64);
        }
        Instruction::StoreReg {
            size,
            dst,
            src,
            off,
        } => {
            op.code = sized(size, [StxB, StxH, StxW, StxDw]);
            (op.dst, op.src, op.off) = (dst.num(), src.num(), off as i32);
        }
        Instruction::Atomic {
            width,
            op: aop,
            fetch,
            dst,
            src,
            off,
        } => {
            op.code = atomic_code(width, aop, fetch);
            (op.dst, op.src, op.off) = (dst.num(), src.num(), off as i32);
        }
        Instruction::Ja { off } => {
            op.code = Ja;
            op.off = target(pc, off as i64);
        }
        Instruction::Ja32 { imm } => {
            op.code = Ja;
            op.off = target(pc, imm as i64);
        }
        Instruction::Jump {
            width,
            cond,
            dst,
            src,
            off,
        } => {
            op.dst = dst.num();
            op.off = target(pc, off as i64);
            match src {
                Operand::Reg(r) => {
                    op.code = jump_code(width, cond, true);
                    op.src = r.num();
                }
                Operand::Imm(imm) => {
                    op.code = jump_code(width, cond, false);
                    op.imm = imm as i64;
                }
            }
        }
        Instruction::Call { id } => {
            op.code = CallBuiltin;
            op.off = id as i32;
            // The verifier checked the id is registered.
            op.imm = builtins.index_of(id).map_or(-1, |i| i as i64);
        }
        Instruction::CallLocal { imm } => {
            op.code = CallLocal;
            op.off = target(pc, imm as i64);
        }
        Instruction::CallReg { reg } => {
            op.code = CallReg;
            op.dst = reg.num();
        }
        Instruction::Exit => op.code = Exit,
    }
    op
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn op_is_sixteen_bytes() {
        assert_eq!(core::mem::size_of::<Op>(), 16);
    }
}
