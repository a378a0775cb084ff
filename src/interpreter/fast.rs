//! The fast interpreter loop (the default engine; the `compact` feature
//! replaces it with the size-oriented `compact` loop).
//!
//! One loop, one `match` on a dense `u8` opcode (compiled to a jump table),
//! registers in a local array indexed with a 4-bit mask (no bounds checks),
//! no allocation and no decoding per step. Every memory access goes through
//! the mapping's checked accessors. The instruction meter charges whole
//! straight-line runs at control-flow instructions and stops exactly at the
//! first instruction over budget through the fetch's bounds check (see
//! [`meter`](super::meter)). Semantics follow RFC 9669 exactly (see
//! [`alu`](super::alu)).

use crate::engine::{ContextObject, RunOutcome, RunParts, Trap};
use crate::isa::{JumpCond, Reg};
use crate::memory::AccessKind;
use crate::program::OpCode;

use super::calls::{Calls, Flow};
use super::meter::Meter;
use crate::isa::semantics as alu;

/// Runs the program of `run` from its entry point.
pub(crate) fn execute<C: ContextObject>(mut run: RunParts<'_, '_, C>) -> RunOutcome {
    let start = run.begin();
    let mut regs = [0u64; 16];
    regs[..Reg::COUNT].copy_from_slice(&start.registers);
    let exe = run.executable;
    let mut calls = Calls::new(exe.config());
    let ops = exe.ops();
    let (packet_start, _) = run.memory.input();

    let run_lengths = exe.run_lengths();
    let mut meter = Meter::new(start.budget);
    let mut pc = exe.entry_pc();
    // The ops the loop may fetch: all of them, or up to the first
    // instruction over budget.
    let mut active = &ops[..meter.enter(ops, run_lengths, pc)];

    macro_rules! dst {
        ($op:expr) => {
            regs[($op.dst & 15) as usize]
        };
    }
    macro_rules! src {
        ($op:expr) => {
            regs[($op.src & 15) as usize]
        };
    }
    macro_rules! enter {
        ($to:expr) => {{
            pc = $to;
            active = &ops[..meter.enter(ops, run_lengths, pc)];
        }};
    }
    macro_rules! stop {
        ($trap:expr) => {
            break (Err($trap), meter.count())
        };
    }
    macro_rules! fault {
        ($addr:expr, $len:expr, $kind:expr) => {
            break (
                Err(Trap::AccessViolation {
                    pc: pc - 1,
                    addr: $addr,
                    len: $len,
                    kind: $kind,
                }),
                meter.count_at(ops, run_lengths, pc - 1),
            )
        };
    }
    macro_rules! load {
        ($op:expr, $n:literal, $conv:expr) => {{
            let addr = src!($op).wrapping_add($op.off as i64 as u64);
            match run.memory.load::<$n>(addr) {
                Some(bytes) => dst!($op) = $conv(bytes),
                None => fault!(addr, $n, AccessKind::Load),
            }
        }};
    }
    macro_rules! store {
        ($op:expr, $n:literal, $value:expr) => {{
            let addr = dst!($op).wrapping_add($op.off as i64 as u64);
            if !run.memory.store::<$n>(addr, $value) {
                fault!(addr, $n, AccessKind::Store)
            }
        }};
    }
    macro_rules! packet {
        ($op:expr, $n:literal, $base:expr, $conv:expr) => {{
            let addr = packet_start
                .wrapping_add($base)
                .wrapping_add($op.imm as u64);
            match run.memory.load::<$n>(addr) {
                Some(bytes) => regs[0] = $conv(bytes),
                None => fault!(addr, $n, AccessKind::Load),
            }
        }};
    }
    macro_rules! atomic {
        ($op:expr, $n:literal, $t:ty, |$old:ident, $val:ident| $new:expr, $fetch:expr) => {{
            let addr = dst!($op).wrapping_add($op.off as i64 as u64);
            let $val = src!($op) as $t;
            match run.memory.bytes_mut::<$n>(addr) {
                Some(cell) => {
                    let $old = <$t>::from_le_bytes(*cell);
                    *cell = ($new).to_le_bytes();
                    if $fetch {
                        src!($op) = $old as u64;
                    }
                }
                None => fault!(addr, $n, AccessKind::Store),
            }
        }};
    }
    macro_rules! cmpxchg {
        ($op:expr, $n:literal, $t:ty) => {{
            let addr = dst!($op).wrapping_add($op.off as i64 as u64);
            let new = src!($op) as $t;
            let expected = regs[0] as $t;
            match run.memory.bytes_mut::<$n>(addr) {
                Some(cell) => {
                    let old = <$t>::from_le_bytes(*cell);
                    if old == expected {
                        *cell = new.to_le_bytes();
                    }
                    regs[0] = old as u64;
                }
                None => fault!(addr, $n, AccessKind::Store),
            }
        }};
    }
    macro_rules! jump {
        ($op:expr, $cond:expr) => {{
            let next = if $cond { $op.off as usize } else { pc };
            enter!(next)
        }};
    }
    macro_rules! call_flow {
        ($flow:expr) => {
            match $flow {
                Flow::Continue(next) => enter!(next),
                Flow::Trap(trap) => stop!(trap),
            }
        };
    }
    macro_rules! builtin {
        ($index:expr, $id:expr) => {{
            let args = [regs[1], regs[2], regs[3], regs[4], regs[5]];
            let (result, budget) = run.call_builtin(pc - 1, $index, $id, args, meter.count());
            if let Some(left) = budget {
                meter.set_left(left);
            }
            match result {
                Ok(value) => {
                    regs[0] = value;
                    enter!(pc)
                }
                Err(trap) => stop!(trap),
            }
        }};
    }

    let (result, count): (Result<u64, Trap>, u64) = loop {
        let Some(&op) = active.get(pc) else {
            stop!(Trap::ExceededMaxInstructions { pc });
        };
        pc += 1;
        let imm = op.imm as u64;
        use OpCode::*;
        match op.code {
            Add64Imm => dst!(op) = dst!(op).wrapping_add(imm),
            Add64Reg => dst!(op) = dst!(op).wrapping_add(src!(op)),
            Sub64Imm => dst!(op) = dst!(op).wrapping_sub(imm),
            Sub64Reg => dst!(op) = dst!(op).wrapping_sub(src!(op)),
            Mul64Imm => dst!(op) = dst!(op).wrapping_mul(imm),
            Mul64Reg => dst!(op) = dst!(op).wrapping_mul(src!(op)),
            Div64Imm => dst!(op) = alu::div64(dst!(op), imm),
            Div64Reg => dst!(op) = alu::div64(dst!(op), src!(op)),
            SDiv64Imm => dst!(op) = alu::sdiv64(dst!(op), imm),
            SDiv64Reg => dst!(op) = alu::sdiv64(dst!(op), src!(op)),
            Or64Imm => dst!(op) |= imm,
            Or64Reg => dst!(op) |= src!(op),
            And64Imm => dst!(op) &= imm,
            And64Reg => dst!(op) &= src!(op),
            Lsh64Imm => dst!(op) = dst!(op).wrapping_shl(imm as u32),
            Lsh64Reg => dst!(op) = dst!(op).wrapping_shl(src!(op) as u32),
            Rsh64Imm => dst!(op) = dst!(op).wrapping_shr(imm as u32),
            Rsh64Reg => dst!(op) = dst!(op).wrapping_shr(src!(op) as u32),
            Mod64Imm => dst!(op) = alu::mod64(dst!(op), imm),
            Mod64Reg => dst!(op) = alu::mod64(dst!(op), src!(op)),
            SMod64Imm => dst!(op) = alu::smod64(dst!(op), imm),
            SMod64Reg => dst!(op) = alu::smod64(dst!(op), src!(op)),
            Xor64Imm => dst!(op) ^= imm,
            Xor64Reg => dst!(op) ^= src!(op),
            Mov64Imm => dst!(op) = imm,
            Mov64Reg => dst!(op) = src!(op),
            Arsh64Imm => dst!(op) = (dst!(op) as i64).wrapping_shr(imm as u32) as u64,
            Arsh64Reg => dst!(op) = (dst!(op) as i64).wrapping_shr(src!(op) as u32) as u64,
            Neg64 => dst!(op) = dst!(op).wrapping_neg(),
            MovSx8To64 => dst!(op) = src!(op) as i8 as i64 as u64,
            MovSx16To64 => dst!(op) = src!(op) as i16 as i64 as u64,
            MovSx32To64 => dst!(op) = src!(op) as i32 as i64 as u64,

            Add32Imm => dst!(op) = (dst!(op) as u32).wrapping_add(imm as u32) as u64,
            Add32Reg => dst!(op) = (dst!(op) as u32).wrapping_add(src!(op) as u32) as u64,
            Sub32Imm => dst!(op) = (dst!(op) as u32).wrapping_sub(imm as u32) as u64,
            Sub32Reg => dst!(op) = (dst!(op) as u32).wrapping_sub(src!(op) as u32) as u64,
            Mul32Imm => dst!(op) = (dst!(op) as u32).wrapping_mul(imm as u32) as u64,
            Mul32Reg => dst!(op) = (dst!(op) as u32).wrapping_mul(src!(op) as u32) as u64,
            Div32Imm => dst!(op) = alu::div32(dst!(op), imm),
            Div32Reg => dst!(op) = alu::div32(dst!(op), src!(op)),
            SDiv32Imm => dst!(op) = alu::sdiv32(dst!(op), imm),
            SDiv32Reg => dst!(op) = alu::sdiv32(dst!(op), src!(op)),
            Or32Imm => dst!(op) = (dst!(op) as u32 | imm as u32) as u64,
            Or32Reg => dst!(op) = (dst!(op) as u32 | src!(op) as u32) as u64,
            And32Imm => dst!(op) = (dst!(op) as u32 & imm as u32) as u64,
            And32Reg => dst!(op) = (dst!(op) as u32 & src!(op) as u32) as u64,
            Lsh32Imm => dst!(op) = (dst!(op) as u32).wrapping_shl(imm as u32) as u64,
            Lsh32Reg => dst!(op) = (dst!(op) as u32).wrapping_shl(src!(op) as u32) as u64,
            Rsh32Imm => dst!(op) = (dst!(op) as u32).wrapping_shr(imm as u32) as u64,
            Rsh32Reg => dst!(op) = (dst!(op) as u32).wrapping_shr(src!(op) as u32) as u64,
            Mod32Imm => dst!(op) = alu::mod32(dst!(op), imm),
            Mod32Reg => dst!(op) = alu::mod32(dst!(op), src!(op)),
            SMod32Imm => dst!(op) = alu::smod32(dst!(op), imm),
            SMod32Reg => dst!(op) = alu::smod32(dst!(op), src!(op)),
            Xor32Imm => dst!(op) = (dst!(op) as u32 ^ imm as u32) as u64,
            Xor32Reg => dst!(op) = (dst!(op) as u32 ^ src!(op) as u32) as u64,
            Mov32Imm => dst!(op) = imm as u32 as u64,
            Mov32Reg => dst!(op) = src!(op) as u32 as u64,
            Arsh32Imm => dst!(op) = (dst!(op) as i32).wrapping_shr(imm as u32) as u32 as u64,
            Arsh32Reg => dst!(op) = (dst!(op) as i32).wrapping_shr(src!(op) as u32) as u32 as u64,
            Neg32 => dst!(op) = (dst!(op) as u32).wrapping_neg() as u64,
            MovSx8To32 => dst!(op) = src!(op) as i8 as i32 as u32 as u64,
            MovSx16To32 => dst!(op) = src!(op) as i16 as i32 as u32 as u64,

            Le16 => dst!(op) = dst!(op) as u16 as u64,
            Le32 => dst!(op) = dst!(op) as u32 as u64,
            Le64 => {}
            Be16 | Bswap16 => dst!(op) = (dst!(op) as u16).swap_bytes() as u64,
            Be32 | Bswap32 => dst!(op) = (dst!(op) as u32).swap_bytes() as u64,
            Be64 | Bswap64 => dst!(op) = dst!(op).swap_bytes(),

            Lddw => {
                dst!(op) = imm;
                pc += 1;
            }
            // Never reached: jumps cannot target it and lddw skips it.
            LddwTail => {}

            LdAbsB => packet!(op, 1, 0, |b: [u8; 1]| b[0] as u64),
            LdAbsH => packet!(op, 2, 0, |b| u16::from_be_bytes(b) as u64),
            LdAbsW => packet!(op, 4, 0, |b| u32::from_be_bytes(b) as u64),
            LdIndB => packet!(op, 1, src!(op), |b: [u8; 1]| b[0] as u64),
            LdIndH => packet!(op, 2, src!(op), |b| u16::from_be_bytes(b) as u64),
            LdIndW => packet!(op, 4, src!(op), |b| u32::from_be_bytes(b) as u64),

            LdxB => load!(op, 1, |b: [u8; 1]| b[0] as u64),
            LdxH => load!(op, 2, |b| u16::from_le_bytes(b) as u64),
            LdxW => load!(op, 4, |b| u32::from_le_bytes(b) as u64),
            LdxDw => load!(op, 8, u64::from_le_bytes),
            LdxSB => load!(op, 1, |b: [u8; 1]| b[0] as i8 as i64 as u64),
            LdxSH => load!(op, 2, |b| i16::from_le_bytes(b) as i64 as u64),
            LdxSW => load!(op, 4, |b| i32::from_le_bytes(b) as i64 as u64),
            StB => store!(op, 1, [imm as u8]),
            StH => store!(op, 2, (imm as u16).to_le_bytes()),
            StW => store!(op, 4, (imm as u32).to_le_bytes()),
            StDw => store!(op, 8, imm.to_le_bytes()),
            StxB => store!(op, 1, [src!(op) as u8]),
            StxH => store!(op, 2, (src!(op) as u16).to_le_bytes()),
            StxW => store!(op, 4, (src!(op) as u32).to_le_bytes()),
            StxDw => store!(op, 8, src!(op).to_le_bytes()),

            AtomicAdd32 => atomic!(op, 4, u32, |old, v| old.wrapping_add(v), false),
            AtomicOr32 => atomic!(op, 4, u32, |old, v| old | v, false),
            AtomicAnd32 => atomic!(op, 4, u32, |old, v| old & v, false),
            AtomicXor32 => atomic!(op, 4, u32, |old, v| old ^ v, false),
            AtomicFetchAdd32 => atomic!(op, 4, u32, |old, v| old.wrapping_add(v), true),
            AtomicFetchOr32 => atomic!(op, 4, u32, |old, v| old | v, true),
            AtomicFetchAnd32 => atomic!(op, 4, u32, |old, v| old & v, true),
            AtomicFetchXor32 => atomic!(op, 4, u32, |old, v| old ^ v, true),
            AtomicXchg32 => atomic!(op, 4, u32, |old, v| v, true),
            AtomicCmpXchg32 => cmpxchg!(op, 4, u32),
            AtomicAdd64 => atomic!(op, 8, u64, |old, v| old.wrapping_add(v), false),
            AtomicOr64 => atomic!(op, 8, u64, |old, v| old | v, false),
            AtomicAnd64 => atomic!(op, 8, u64, |old, v| old & v, false),
            AtomicXor64 => atomic!(op, 8, u64, |old, v| old ^ v, false),
            AtomicFetchAdd64 => atomic!(op, 8, u64, |old, v| old.wrapping_add(v), true),
            AtomicFetchOr64 => atomic!(op, 8, u64, |old, v| old | v, true),
            AtomicFetchAnd64 => atomic!(op, 8, u64, |old, v| old & v, true),
            AtomicFetchXor64 => atomic!(op, 8, u64, |old, v| old ^ v, true),
            AtomicXchg64 => atomic!(op, 8, u64, |old, v| v, true),
            AtomicCmpXchg64 => cmpxchg!(op, 8, u64),

            Ja => enter!(op.off as usize),
            Jeq64Imm => jump!(op, JumpCond::Eq.holds64(dst!(op), imm)),
            Jeq64Reg => jump!(op, JumpCond::Eq.holds64(dst!(op), src!(op))),
            Jgt64Imm => jump!(op, JumpCond::Gt.holds64(dst!(op), imm)),
            Jgt64Reg => jump!(op, JumpCond::Gt.holds64(dst!(op), src!(op))),
            Jge64Imm => jump!(op, JumpCond::Ge.holds64(dst!(op), imm)),
            Jge64Reg => jump!(op, JumpCond::Ge.holds64(dst!(op), src!(op))),
            Jset64Imm => jump!(op, JumpCond::Set.holds64(dst!(op), imm)),
            Jset64Reg => jump!(op, JumpCond::Set.holds64(dst!(op), src!(op))),
            Jne64Imm => jump!(op, JumpCond::Ne.holds64(dst!(op), imm)),
            Jne64Reg => jump!(op, JumpCond::Ne.holds64(dst!(op), src!(op))),
            Jsgt64Imm => jump!(op, JumpCond::Sgt.holds64(dst!(op), imm)),
            Jsgt64Reg => jump!(op, JumpCond::Sgt.holds64(dst!(op), src!(op))),
            Jsge64Imm => jump!(op, JumpCond::Sge.holds64(dst!(op), imm)),
            Jsge64Reg => jump!(op, JumpCond::Sge.holds64(dst!(op), src!(op))),
            Jlt64Imm => jump!(op, JumpCond::Lt.holds64(dst!(op), imm)),
            Jlt64Reg => jump!(op, JumpCond::Lt.holds64(dst!(op), src!(op))),
            Jle64Imm => jump!(op, JumpCond::Le.holds64(dst!(op), imm)),
            Jle64Reg => jump!(op, JumpCond::Le.holds64(dst!(op), src!(op))),
            Jslt64Imm => jump!(op, JumpCond::Slt.holds64(dst!(op), imm)),
            Jslt64Reg => jump!(op, JumpCond::Slt.holds64(dst!(op), src!(op))),
            Jsle64Imm => jump!(op, JumpCond::Sle.holds64(dst!(op), imm)),
            Jsle64Reg => jump!(op, JumpCond::Sle.holds64(dst!(op), src!(op))),

            Jeq32Imm => jump!(op, JumpCond::Eq.holds32(dst!(op), imm)),
            Jeq32Reg => jump!(op, JumpCond::Eq.holds32(dst!(op), src!(op))),
            Jgt32Imm => jump!(op, JumpCond::Gt.holds32(dst!(op), imm)),
            Jgt32Reg => jump!(op, JumpCond::Gt.holds32(dst!(op), src!(op))),
            Jge32Imm => jump!(op, JumpCond::Ge.holds32(dst!(op), imm)),
            Jge32Reg => jump!(op, JumpCond::Ge.holds32(dst!(op), src!(op))),
            Jset32Imm => jump!(op, JumpCond::Set.holds32(dst!(op), imm)),
            Jset32Reg => jump!(op, JumpCond::Set.holds32(dst!(op), src!(op))),
            Jne32Imm => jump!(op, JumpCond::Ne.holds32(dst!(op), imm)),
            Jne32Reg => jump!(op, JumpCond::Ne.holds32(dst!(op), src!(op))),
            Jsgt32Imm => jump!(op, JumpCond::Sgt.holds32(dst!(op), imm)),
            Jsgt32Reg => jump!(op, JumpCond::Sgt.holds32(dst!(op), src!(op))),
            Jsge32Imm => jump!(op, JumpCond::Sge.holds32(dst!(op), imm)),
            Jsge32Reg => jump!(op, JumpCond::Sge.holds32(dst!(op), src!(op))),
            Jlt32Imm => jump!(op, JumpCond::Lt.holds32(dst!(op), imm)),
            Jlt32Reg => jump!(op, JumpCond::Lt.holds32(dst!(op), src!(op))),
            Jle32Imm => jump!(op, JumpCond::Le.holds32(dst!(op), imm)),
            Jle32Reg => jump!(op, JumpCond::Le.holds32(dst!(op), src!(op))),
            Jslt32Imm => jump!(op, JumpCond::Slt.holds32(dst!(op), imm)),
            Jslt32Reg => jump!(op, JumpCond::Slt.holds32(dst!(op), src!(op))),
            Jsle32Imm => jump!(op, JumpCond::Sle.holds32(dst!(op), imm)),
            Jsle32Reg => jump!(op, JumpCond::Sle.holds32(dst!(op), src!(op))),

            CallBuiltin => builtin!(op.imm as usize, op.off as u32),
            CallLocal => call_flow!(calls.call(pc, op.off as usize, &mut regs)),
            CallReg => {
                let target = dst!(op);
                match exe.resolve_callx(target) {
                    Some(crate::program::CallTarget::Builtin(index)) => {
                        let id = exe.builtins().at(index).map_or(0, |b| b.id);
                        builtin!(index, id)
                    }
                    Some(crate::program::CallTarget::Local(to)) => {
                        call_flow!(calls.call(pc, to, &mut regs))
                    }
                    None => stop!(Trap::InvalidCallTarget { pc: pc - 1, target }),
                }
            }
            Exit => match calls.ret(&mut regs) {
                Some(ret) => enter!(ret),
                None => break (Ok(regs[0]), meter.count()),
            },
        }
    };

    let mut registers = [0u64; Reg::COUNT];
    registers.copy_from_slice(&regs[..Reg::COUNT]);
    run.finish(&registers, count, result)
}
