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

        impl OpCode {
            /// The op whose discriminant is `index`. (The compiler turns
            /// this chain into one range check.)
            pub(crate) const fn from_index(index: u8) -> Option<OpCode> {
                $(if index == OpCode::$name as u8 {
                    return Some(OpCode::$name);
                })*
                None
            }
        }
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

// The code selection below counts positions inside the families of
// `OpCode` (each contiguous, in the order of the `isa` enums); this pins the
// layout it relies on, so a reordering fails to compile instead of
// mistranslating.
const _: () = {
    use OpCode::*;
    let alu = [
        (AluOp::Add, Add64Imm, Add32Reg),
        (AluOp::Sub, Sub64Imm, Sub32Reg),
        (AluOp::Mul, Mul64Imm, Mul32Reg),
        (AluOp::Div, Div64Imm, Div32Reg),
        (AluOp::SDiv, SDiv64Imm, SDiv32Reg),
        (AluOp::Or, Or64Imm, Or32Reg),
        (AluOp::And, And64Imm, And32Reg),
        (AluOp::Lsh, Lsh64Imm, Lsh32Reg),
        (AluOp::Rsh, Rsh64Imm, Rsh32Reg),
        (AluOp::Mod, Mod64Imm, Mod32Reg),
        (AluOp::SMod, SMod64Imm, SMod32Reg),
        (AluOp::Xor, Xor64Imm, Xor32Reg),
        (AluOp::Mov, Mov64Imm, Mov32Reg),
    ];
    let mut i = 0;
    while i < alu.len() {
        let (op, imm64, reg32) = alu[i];
        assert!(imm64 as u8 == Add64Imm as u8 + 2 * op as u8);
        assert!(reg32 as u8 == Add32Imm as u8 + 2 * op as u8 + 1);
        i += 1;
    }
    assert!(
        Arsh64Imm as u8 == Add64Imm as u8 + ARSH && Arsh32Reg as u8 == Add32Imm as u8 + ARSH + 1
    );
    assert!(
        MovSx8To64 as u8 == Add64Imm as u8 + MOVSX8 && MovSx16To64 as u8 == MovSx8To64 as u8 + 1
    );
    assert!(
        MovSx8To32 as u8 == Add32Imm as u8 + MOVSX8 && MovSx16To32 as u8 == MovSx8To32 as u8 + 1
    );
    let conds = [
        (JumpCond::Eq, Jeq64Imm, Jeq32Reg),
        (JumpCond::Gt, Jgt64Imm, Jgt32Reg),
        (JumpCond::Ge, Jge64Imm, Jge32Reg),
        (JumpCond::Set, Jset64Imm, Jset32Reg),
        (JumpCond::Ne, Jne64Imm, Jne32Reg),
        (JumpCond::Sgt, Jsgt64Imm, Jsgt32Reg),
        (JumpCond::Sge, Jsge64Imm, Jsge32Reg),
        (JumpCond::Lt, Jlt64Imm, Jlt32Reg),
        (JumpCond::Le, Jle64Imm, Jle32Reg),
        (JumpCond::Slt, Jslt64Imm, Jslt32Reg),
        (JumpCond::Sle, Jsle64Imm, Jsle32Reg),
    ];
    let mut i = 0;
    while i < conds.len() {
        let (cond, imm64, reg32) = conds[i];
        assert!(imm64 as u8 == Jeq64Imm as u8 + 2 * cond as u8);
        assert!(reg32 as u8 == Jeq32Imm as u8 + 2 * cond as u8 + 1);
        i += 1;
    }
    let atomics = [
        (AtomicOp::Add, AtomicAdd32, AtomicFetchAdd64),
        (AtomicOp::Or, AtomicOr32, AtomicFetchOr64),
        (AtomicOp::And, AtomicAnd32, AtomicFetchAnd64),
        (AtomicOp::Xor, AtomicXor32, AtomicFetchXor64),
    ];
    let mut i = 0;
    while i < atomics.len() {
        let (op, plain32, fetch64) = atomics[i];
        assert!(plain32 as u8 == AtomicAdd32 as u8 + op as u8);
        assert!(fetch64 as u8 == AtomicAdd64 as u8 + op as u8 + ATOMIC_FETCH);
        i += 1;
    }
    assert!(AtomicXchg32 as u8 == AtomicAdd32 as u8 + ATOMIC_XCHG);
    assert!(AtomicCmpXchg64 as u8 == AtomicAdd64 as u8 + ATOMIC_XCHG + 1);
    assert!(MemSize::Byte as u8 == 0 && MemSize::Half as u8 == 1);
    assert!(MemSize::Word as u8 == 2 && MemSize::DWord as u8 == 3);
    assert!(LdxDw as u8 == LdxB as u8 + 3 && LdxSW as u8 == LdxSB as u8 + 2);
    assert!(StDw as u8 == StB as u8 + 3 && StxDw as u8 == StxB as u8 + 3);
    assert!(LdAbsW as u8 == LdAbsB as u8 + 2 && LdIndW as u8 == LdIndB as u8 + 2);
    assert!(SwapKind::ToLe as u8 == 0 && SwapKind::ToBe as u8 == 1 && SwapKind::Bswap as u8 == 2);
    assert!(Be16 as u8 == Le16 as u8 + 3 && Bswap64 as u8 == Le16 as u8 + 8);
};

/// Positions in a width's ALU family: `arsh` (after the 13 operations in
/// [`AluOp`] order), then `neg`, then the sign-extending moves.
const ARSH: u8 = 26;
const MOVSX8: u8 = 29;
/// Positions in an atomic width group: the fetching forms follow the plain
/// ones, then `xchg`, `cmpxchg`.
const ATOMIC_FETCH: u8 = 4;
const ATOMIC_XCHG: u8 = 8;

/// The op `index` places after `first`; only called with positions the
/// layout check above covers.
fn nth(first: OpCode, index: u8) -> OpCode {
    OpCode::from_index(first as u8 + index).unwrap_or(OpCode::Exit)
}

fn alu_code(width: Width, op: AluOp, reg: bool) -> OpCode {
    let first = match width {
        Width::W64 => OpCode::Add64Imm,
        Width::W32 => OpCode::Add32Imm,
    };
    let reg = u8::from(reg);
    match op {
        AluOp::Arsh => nth(first, ARSH + reg),
        // Register-only forms (the decoder guarantees a register source).
        AluOp::MovSx8 => nth(first, MOVSX8),
        AluOp::MovSx16 => nth(first, MOVSX8 + 1),
        AluOp::MovSx32 => OpCode::MovSx32To64,
        _ => nth(first, 2 * op as u8 + reg),
    }
}

fn jump_code(width: Width, cond: JumpCond, reg: bool) -> OpCode {
    let first = match width {
        Width::W64 => OpCode::Jeq64Imm,
        Width::W32 => OpCode::Jeq32Imm,
    };
    nth(first, 2 * cond as u8 + u8::from(reg))
}

fn atomic_code(width: Width, op: AtomicOp, fetch: bool) -> OpCode {
    let first = match width {
        Width::W32 => OpCode::AtomicAdd32,
        Width::W64 => OpCode::AtomicAdd64,
    };
    let index = match op {
        AtomicOp::Xchg => ATOMIC_XCHG,
        AtomicOp::CmpXchg => ATOMIC_XCHG + 1,
        _ if fetch => op as u8 + ATOMIC_FETCH,
        _ => op as u8,
    };
    nth(first, index)
}

/// The op for `size` in a family of sizes starting at `first` (packet loads
/// have no double word; the decoder rejects one).
fn sized(size: MemSize, first: OpCode) -> OpCode {
    nth(first, size as u8)
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
            let size = match bits {
                16 => 0,
                32 => 1,
                _ => 2,
            };
            op.code = nth(Le16, 3 * kind as u8 + size);
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
                None => sized(size, LdAbsB),
                Some(r) => {
                    op.src = r.num();
                    sized(size, LdIndB)
                }
            };
        }
        Instruction::Load {
            size,
            dst,
            src,
            off,
        } => {
            op.code = sized(size, LdxB);
            (op.dst, op.src, op.off) = (dst.num(), src.num(), off as i32);
        }
        Instruction::LoadSx {
            size,
            dst,
            src,
            off,
        } => {
            op.code = sized(size, LdxSB);
            (op.dst, op.src, op.off) = (dst.num(), src.num(), off as i32);
        }
        Instruction::Store {
            size,
            dst,
            off,
            imm,
        } => {
            op.code = sized(size, StB);
            (op.dst, op.off, op.imm) = (dst.num(), off as i32, imm as i64);
        }
        Instruction::StoreReg {
            size,
            dst,
            src,
            off,
        } => {
            op.code = sized(size, StxB);
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

    use alloc::format;
    use alloc::string::String;

    /// An op's name, the independent oracle for the position arithmetic.
    fn name(code: OpCode) -> String {
        format!("{code:?}")
    }

    fn suffix(width: Width, reg: bool) -> String {
        let bits = if width == Width::W64 { 64 } else { 32 };
        format!("{bits}{}", if reg { "Reg" } else { "Imm" })
    }

    #[test]
    fn codes_are_the_ops_named_by_operation_width_and_operand() {
        use AluOp::*;
        for width in [Width::W64, Width::W32] {
            for reg in [false, true] {
                let binary = [
                    Add, Sub, Mul, Div, SDiv, Or, And, Lsh, Rsh, Mod, SMod, Xor, Mov, Arsh,
                ];
                for op in binary {
                    let want = format!("{op:?}{}", suffix(width, reg));
                    assert_eq!(name(alu_code(width, op, reg)), want);
                }
                let bits = if width == Width::W64 { 64 } else { 32 };
                for (op, from) in [(MovSx8, 8), (MovSx16, 16)] {
                    assert_eq!(
                        name(alu_code(width, op, true)),
                        format!("MovSx{from}To{bits}")
                    );
                }
                for cond in [
                    JumpCond::Eq,
                    JumpCond::Gt,
                    JumpCond::Ge,
                    JumpCond::Set,
                    JumpCond::Ne,
                    JumpCond::Sgt,
                    JumpCond::Sge,
                    JumpCond::Lt,
                    JumpCond::Le,
                    JumpCond::Slt,
                    JumpCond::Sle,
                ] {
                    let want = format!(
                        "J{}{}",
                        format!("{cond:?}").to_lowercase(),
                        suffix(width, reg)
                    );
                    assert_eq!(name(jump_code(width, cond, reg)), want);
                }
                let fetch = reg;
                for op in [
                    AtomicOp::Add,
                    AtomicOp::Or,
                    AtomicOp::And,
                    AtomicOp::Xor,
                    AtomicOp::Xchg,
                    AtomicOp::CmpXchg,
                ] {
                    let prefix = match op {
                        AtomicOp::Xchg | AtomicOp::CmpXchg => "",
                        _ if fetch => "Fetch",
                        _ => "",
                    };
                    let want = format!("Atomic{prefix}{op:?}{bits}");
                    assert_eq!(name(atomic_code(width, op, fetch)), want);
                }
            }
        }
        assert_eq!(alu_code(Width::W64, MovSx32, true), OpCode::MovSx32To64);
        let sizes = [MemSize::Byte, MemSize::Half, MemSize::Word, MemSize::DWord];
        for (size, letter) in sizes.into_iter().zip(["B", "H", "W", "Dw"]) {
            assert_eq!(name(sized(size, OpCode::LdxB)), format!("Ldx{letter}"));
            assert_eq!(name(sized(size, OpCode::StxB)), format!("Stx{letter}"));
            assert_eq!(name(sized(size, OpCode::StB)), format!("St{letter}"));
            if size != MemSize::DWord {
                let letter = &letter[..1];
                assert_eq!(name(sized(size, OpCode::LdxSB)), format!("LdxS{letter}"));
                assert_eq!(name(sized(size, OpCode::LdAbsB)), format!("LdAbs{letter}"));
                assert_eq!(name(sized(size, OpCode::LdIndB)), format!("LdInd{letter}"));
            }
        }
    }

    #[test]
    fn byte_swaps_are_named_by_kind_and_size() {
        for (kind, word) in [
            (SwapKind::ToLe, "Le"),
            (SwapKind::ToBe, "Be"),
            (SwapKind::Bswap, "Bswap"),
        ] {
            for bits in [16u8, 32, 64] {
                let insn = Instruction::Endian {
                    kind,
                    bits,
                    dst: crate::isa::Reg::R1,
                };
                let op = translate(0, &insn, &BuiltinRegistry::<()>::default());
                assert_eq!(name(op.code), format!("{word}{bits}"));
            }
        }
    }

    #[test]
    fn op_is_sixteen_bytes() {
        assert_eq!(core::mem::size_of::<Op>(), 16);
    }
}
