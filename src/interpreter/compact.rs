//! The size-oriented interpreter loop (feature `compact`), for firmware where
//! flash matters more than speed.
//!
//! It runs the same pre-decoded ops as the fast loop but dispatches on an
//! op's *family*: [`OpCode`] lists each family contiguously (ALU operations
//! in [`AluOp`](crate::isa::AluOp) order with the immediate and register
//! forms alternating, byte swaps by kind and size, loads and stores by size,
//! atomics, jump conditions in [`JumpCond`](crate::isa::JumpCond) order), so
//! an op's position inside its family gives the operation, operand kind and
//! access size. One out-of-line function per family ([`alu`], [`condition`],
//! [`load`], [`store`], [`atomic`]) serves all of its ops; a compile-time
//! check below pins the layout it relies on.
//!
//! The call frames and the trap reports are the fast loop's
//! ([`calls`](super::calls)); the instruction meter counts one instruction at
//! a time ([`step_meter`](super::step_meter)) where the fast loop's charges
//! whole runs, to the same contract. Results, traps, pcs, instruction counts
//! and context charges are identical; only the host speed differs.

use crate::engine::{ContextObject, RunOutcome, RunParts, Trap};
use crate::isa::semantics::{self, DivOp};
use crate::isa::Reg;
use crate::memory::AccessKind;
use crate::memory::MemoryMapping;
use crate::program::{CallTarget, OpCode};

use super::calls::{Calls, Flow};
use super::step_meter::Meter;

// The first op of each family, in `OpCode` order.
const ALU64: u8 = OpCode::Add64Imm as u8;
const UNARY64: u8 = OpCode::Neg64 as u8;
const ALU32: u8 = OpCode::Add32Imm as u8;
const UNARY32: u8 = OpCode::Neg32 as u8;
const ENDIAN: u8 = OpCode::Le16 as u8;
const LDDW: u8 = OpCode::Lddw as u8;
const PACKET: u8 = OpCode::LdAbsB as u8;
const LOAD: u8 = OpCode::LdxB as u8;
const STORE: u8 = OpCode::StB as u8;
const ATOMIC: u8 = OpCode::AtomicAdd32 as u8;
const JA: u8 = OpCode::Ja as u8;
const JUMP64: u8 = OpCode::Jeq64Imm as u8;
const JUMP32: u8 = OpCode::Jeq32Imm as u8;
const CALL_BUILTIN: u8 = OpCode::CallBuiltin as u8;
const CALL_LOCAL: u8 = OpCode::CallLocal as u8;
const CALL_REG: u8 = OpCode::CallReg as u8;
const EXIT: u8 = OpCode::Exit as u8;

// Binary ALU operations: (position in the family) / 2.
const ADD: u8 = (OpCode::Add64Imm as u8 - ALU64) / 2;
const SUB: u8 = (OpCode::Sub64Imm as u8 - ALU64) / 2;
const MUL: u8 = (OpCode::Mul64Imm as u8 - ALU64) / 2;
const DIV: u8 = (OpCode::Div64Imm as u8 - ALU64) / 2;
const SDIV: u8 = (OpCode::SDiv64Imm as u8 - ALU64) / 2;
const OR: u8 = (OpCode::Or64Imm as u8 - ALU64) / 2;
const AND: u8 = (OpCode::And64Imm as u8 - ALU64) / 2;
const LSH: u8 = (OpCode::Lsh64Imm as u8 - ALU64) / 2;
const RSH: u8 = (OpCode::Rsh64Imm as u8 - ALU64) / 2;
const MOD: u8 = (OpCode::Mod64Imm as u8 - ALU64) / 2;
const SMOD: u8 = (OpCode::SMod64Imm as u8 - ALU64) / 2;
const XOR: u8 = (OpCode::Xor64Imm as u8 - ALU64) / 2;
const MOV: u8 = (OpCode::Mov64Imm as u8 - ALU64) / 2;
const ARSH: u8 = (OpCode::Arsh64Imm as u8 - ALU64) / 2;

// Jump conditions: (position in the family) / 2.
const JEQ: u8 = (OpCode::Jeq64Imm as u8 - JUMP64) / 2;
const JGT: u8 = (OpCode::Jgt64Imm as u8 - JUMP64) / 2;
const JGE: u8 = (OpCode::Jge64Imm as u8 - JUMP64) / 2;
const JSET: u8 = (OpCode::Jset64Imm as u8 - JUMP64) / 2;
const JNE: u8 = (OpCode::Jne64Imm as u8 - JUMP64) / 2;
const JSGT: u8 = (OpCode::Jsgt64Imm as u8 - JUMP64) / 2;
const JSGE: u8 = (OpCode::Jsge64Imm as u8 - JUMP64) / 2;
const JLT: u8 = (OpCode::Jlt64Imm as u8 - JUMP64) / 2;
const JLE: u8 = (OpCode::Jle64Imm as u8 - JUMP64) / 2;
const JSLT: u8 = (OpCode::Jslt64Imm as u8 - JUMP64) / 2;
const JSLE: u8 = (OpCode::Jsle64Imm as u8 - JUMP64) / 2;

// Atomic operations: position in a width's group of ten.
const ATOMIC_FETCH: u8 = OpCode::AtomicFetchAdd32 as u8 - ATOMIC;
const ATOMIC_XCHG: u8 = OpCode::AtomicXchg32 as u8 - ATOMIC;
const ATOMIC_CMPXCHG: u8 = OpCode::AtomicCmpXchg32 as u8 - ATOMIC;

/// Whether `imm` and `reg` sit at positions `2k` and `2k + 1` of a family.
const fn pair(base: u8, k: u8, imm: OpCode, reg: OpCode) -> bool {
    imm as u8 == base + 2 * k && reg as u8 == base + 2 * k + 1
}

// The layout the decoding above relies on. A reordered `OpCode` fails here,
// at compile time, instead of executing the wrong operation.
const _: () = {
    use OpCode::*;
    let alu = [
        (ADD, Add64Imm, Add64Reg, Add32Imm, Add32Reg),
        (SUB, Sub64Imm, Sub64Reg, Sub32Imm, Sub32Reg),
        (MUL, Mul64Imm, Mul64Reg, Mul32Imm, Mul32Reg),
        (DIV, Div64Imm, Div64Reg, Div32Imm, Div32Reg),
        (SDIV, SDiv64Imm, SDiv64Reg, SDiv32Imm, SDiv32Reg),
        (OR, Or64Imm, Or64Reg, Or32Imm, Or32Reg),
        (AND, And64Imm, And64Reg, And32Imm, And32Reg),
        (LSH, Lsh64Imm, Lsh64Reg, Lsh32Imm, Lsh32Reg),
        (RSH, Rsh64Imm, Rsh64Reg, Rsh32Imm, Rsh32Reg),
        (MOD, Mod64Imm, Mod64Reg, Mod32Imm, Mod32Reg),
        (SMOD, SMod64Imm, SMod64Reg, SMod32Imm, SMod32Reg),
        (XOR, Xor64Imm, Xor64Reg, Xor32Imm, Xor32Reg),
        (MOV, Mov64Imm, Mov64Reg, Mov32Imm, Mov32Reg),
        (ARSH, Arsh64Imm, Arsh64Reg, Arsh32Imm, Arsh32Reg),
    ];
    let mut i = 0;
    while i < alu.len() {
        let (k, imm64, reg64, imm32, reg32) = alu[i];
        assert!(k as usize == i);
        assert!(pair(ALU64, k, imm64, reg64) && pair(ALU32, k, imm32, reg32));
        i += 1;
    }
    assert!(UNARY64 == ALU64 + 28 && ALU32 == UNARY64 + 4 && UNARY32 == ALU32 + 28);
    assert!(MovSx8To64 as u8 == UNARY64 + 1 && MovSx32To64 as u8 == UNARY64 + 3);
    assert!(MovSx16To32 as u8 == UNARY32 + 2 && ENDIAN == UNARY32 + 3);
    assert!(Be16 as u8 == ENDIAN + 3 && Bswap64 as u8 == ENDIAN + 8);
    assert!(LDDW == ENDIAN + 9 && LddwTail as u8 == LDDW + 1 && PACKET == LDDW + 2);
    assert!(LdIndB as u8 == PACKET + 3 && LOAD == PACKET + 6);
    assert!(LdxDw as u8 == LOAD + 3 && LdxSB as u8 == LOAD + 4 && STORE == LOAD + 7);
    assert!(StxB as u8 == STORE + 4 && StxDw as u8 == STORE + 7 && ATOMIC == STORE + 8);
    assert!(AtomicOr32 as u8 == ATOMIC + 1 && AtomicAnd32 as u8 == ATOMIC + 2);
    assert!(AtomicXor32 as u8 == ATOMIC + 3 && ATOMIC_FETCH == 4);
    assert!(AtomicFetchXor32 as u8 == ATOMIC + 7 && ATOMIC_XCHG == 8);
    assert!(ATOMIC_CMPXCHG == 9 && AtomicAdd64 as u8 == ATOMIC + 10);
    assert!(AtomicCmpXchg64 as u8 == ATOMIC + 19 && JA == ATOMIC + 20 && JUMP64 == JA + 1);
    let jumps = [
        (JEQ, Jeq64Imm, Jeq64Reg, Jeq32Imm, Jeq32Reg),
        (JGT, Jgt64Imm, Jgt64Reg, Jgt32Imm, Jgt32Reg),
        (JGE, Jge64Imm, Jge64Reg, Jge32Imm, Jge32Reg),
        (JSET, Jset64Imm, Jset64Reg, Jset32Imm, Jset32Reg),
        (JNE, Jne64Imm, Jne64Reg, Jne32Imm, Jne32Reg),
        (JSGT, Jsgt64Imm, Jsgt64Reg, Jsgt32Imm, Jsgt32Reg),
        (JSGE, Jsge64Imm, Jsge64Reg, Jsge32Imm, Jsge32Reg),
        (JLT, Jlt64Imm, Jlt64Reg, Jlt32Imm, Jlt32Reg),
        (JLE, Jle64Imm, Jle64Reg, Jle32Imm, Jle32Reg),
        (JSLT, Jslt64Imm, Jslt64Reg, Jslt32Imm, Jslt32Reg),
    ];
    let mut i = 0;
    while i < jumps.len() {
        let (k, imm64, reg64, imm32, reg32) = jumps[i];
        assert!(k as usize == i);
        assert!(pair(JUMP64, k, imm64, reg64) && pair(JUMP32, k, imm32, reg32));
        i += 1;
    }
    assert!(pair(JUMP64, JSLE, Jsle64Imm, Jsle64Reg) && pair(JUMP32, JSLE, Jsle32Imm, Jsle32Reg));
    assert!(CALL_BUILTIN == JUMP32 + 22 && CALL_LOCAL == CALL_BUILTIN + 1);
    assert!(CALL_REG == CALL_LOCAL + 1 && EXIT == CALL_REG + 1);
};

/// What the loop does after an op that does not simply fall through.
enum Next {
    /// Continue at this pc.
    Go(usize),
    /// A local call to this pc.
    Call(usize),
    /// A builtin call: table index and id.
    Builtin(usize, u32),
    /// A memory access failed: address, length, kind.
    Fault(u64, u8, AccessKind),
}

/// Runs the program of `run` from its entry point.
pub(crate) fn execute<C: ContextObject>(mut run: RunParts<'_, '_, C>) -> RunOutcome {
    let start = run.begin();
    let mut regs = [0u64; 16];
    regs[..Reg::COUNT].copy_from_slice(&start.registers);
    let exe = run.executable;
    let mut calls = Calls::new(exe.config());
    let ops = exe.ops();
    let (packet_start, _) = run.memory.input();

    let mut meter = Meter::new(start.budget);
    let mut pc = exe.entry_pc();

    let (result, count): (Result<u64, Trap>, u64) = loop {
        // (Verified code never leaves `ops`; if it did, this stops it.)
        let op = match ops.get(pc) {
            Some(&op) if meter.step() => op,
            _ => break (Err(Trap::ExceededMaxInstructions { pc }), meter.count()),
        };
        pc += 1;
        let code = op.code as u8;
        let d = (op.dst & 15) as usize;
        let s = (op.src & 15) as usize;
        let imm = op.imm as u64;
        let offset = op.off as i64 as u64;
        // The second operand of a binary ALU op or a jump at position `x` of
        // its family: odd positions take the source register.
        let operand = |regs: &[u64; 16], x: u8| if x & 1 == 1 { regs[s] } else { imm };

        let next = match code {
            ALU64..UNARY64 | ALU32..UNARY32 => {
                let (x, wide) = match code.checked_sub(ALU32) {
                    Some(x) => (x, false),
                    None => (code - ALU64, true),
                };
                regs[d] = alu(x / 2, wide, regs[d], operand(&regs, x));
                continue;
            }
            UNARY64..ALU32 | UNARY32..ENDIAN => {
                let (x, wide) = match code.checked_sub(UNARY32) {
                    Some(x) => (x, false),
                    None => (code - UNARY64, true),
                };
                regs[d] = unary(x, wide, regs[d], regs[s]);
                continue;
            }
            ENDIAN..LDDW => {
                regs[d] = endian(code - ENDIAN, regs[d]);
                continue;
            }
            LDDW => {
                regs[d] = imm;
                pc += 1;
                continue;
            }
            PACKET..LOAD => {
                // Absolute (B, H, W), then indirect (B, H, W); big-endian.
                let x = code - PACKET;
                let base = if x >= 3 { regs[s] } else { 0 };
                let addr = packet_start.wrapping_add(base).wrapping_add(imm);
                let len = 1 << (x % 3);
                match load(run.memory, addr, len, true) {
                    Some(value) => {
                        regs[0] = value;
                        continue;
                    }
                    None => Next::Fault(addr, len, AccessKind::Load),
                }
            }
            LOAD..STORE => {
                // B, H, W, DW, then sign-extending B, H, W.
                let x = code - LOAD;
                let addr = regs[s].wrapping_add(offset);
                let len = 1 << (x & 3);
                match load(run.memory, addr, len, false) {
                    Some(value) => {
                        regs[d] = if x >= 4 {
                            sign_extend(value, len)
                        } else {
                            value
                        };
                        continue;
                    }
                    None => Next::Fault(addr, len, AccessKind::Load),
                }
            }
            STORE..ATOMIC => {
                // Immediate B, H, W, DW, then register B, H, W, DW.
                let x = code - STORE;
                let addr = regs[d].wrapping_add(offset);
                let len = 1 << (x & 3);
                let value = if x >= 4 { regs[s] } else { imm };
                if store(run.memory, addr, len, value) {
                    continue;
                }
                Next::Fault(addr, len, AccessKind::Store)
            }
            ATOMIC..JA => {
                let (k, len) = match code - ATOMIC {
                    x @ 0..10 => (x, 4),
                    x => (x - 10, 8),
                };
                let addr = regs[d].wrapping_add(offset);
                match atomic(run.memory, addr, len, k, regs[s], regs[0]) {
                    Some(old) => {
                        if k == ATOMIC_CMPXCHG {
                            regs[0] = old;
                        } else if k >= ATOMIC_FETCH {
                            regs[s] = old;
                        }
                        continue;
                    }
                    None => Next::Fault(addr, len, AccessKind::Store),
                }
            }
            JA => Next::Go(op.off as usize),
            JUMP64..CALL_BUILTIN => {
                let (x, wide) = match code.checked_sub(JUMP32) {
                    Some(x) => (x, false),
                    None => (code - JUMP64, true),
                };
                let taken = condition(x / 2, wide, regs[d], operand(&regs, x));
                Next::Go(if taken { op.off as usize } else { pc })
            }
            CALL_BUILTIN => Next::Builtin(op.imm as usize, op.off as u32),
            CALL_LOCAL => Next::Call(op.off as usize),
            CALL_REG => {
                let target = regs[d];
                match exe.resolve_callx(target) {
                    Some(CallTarget::Builtin(index)) => {
                        Next::Builtin(index, exe.builtins().at(index).map_or(0, |b| b.id))
                    }
                    Some(CallTarget::Local(to)) => Next::Call(to),
                    None => {
                        let trap = Trap::InvalidCallTarget { pc: pc - 1, target };
                        break (Err(trap), meter.count());
                    }
                }
            }
            EXIT => match calls.ret(&mut regs) {
                Some(ret) => Next::Go(ret),
                None => break (Ok(regs[0]), meter.count()),
            },
            // `LddwTail`: never reached (jumps cannot target it, lddw skips it).
            _ => continue,
        };

        let to = match next {
            Next::Go(to) => to,
            Next::Call(to) => match calls.call(pc, to, &mut regs) {
                Flow::Continue(to) => to,
                Flow::Trap(trap) => break (Err(trap), meter.count()),
            },
            Next::Builtin(index, id) => {
                let args = [regs[1], regs[2], regs[3], regs[4], regs[5]];
                let (result, budget) = run.call_builtin(pc - 1, index, id, args, meter.count());
                if let Some(left) = budget {
                    meter.set_left(left);
                }
                match result {
                    Ok(value) => {
                        regs[0] = value;
                        pc
                    }
                    Err(trap) => break (Err(trap), meter.count()),
                }
            }
            Next::Fault(addr, len, kind) => {
                let trap = Trap::AccessViolation {
                    pc: pc - 1,
                    addr,
                    len,
                    kind,
                };
                break (Err(trap), meter.count());
            }
        };
        pc = to;
    };

    let mut registers = [0u64; Reg::COUNT];
    registers.copy_from_slice(&regs[..Reg::COUNT]);
    run.finish(&registers, count, result)
}

/// Binary ALU operation `k` (its position in [`AluOp`](crate::isa::AluOp)
/// order) on 64 bits, or on 32 bits with the result zero-extended.
///
/// A 32-bit operation runs on its operands extended to 64 bits (sign-extended
/// for the signed ones, zero-extended otherwise) with the shift count masked
/// to 5 bits, and keeps the low half: that is exactly the RFC 9669 32-bit
/// result, division by zero and `MIN / -1` included, with one copy of each
/// operation.
#[inline(never)]
fn alu(k: u8, wide: bool, a: u64, b: u64) -> u64 {
    let (a, b, count_mask) = match (wide, k) {
        (true, _) => (a, b, 63),
        (false, SDIV | SMOD | ARSH) => (sign_extend(a, 4), sign_extend(b, 4), 31),
        (false, _) => (a as u32 as u64, b as u32 as u64, 31),
    };
    let count = b as u32 & count_mask;
    let r = match k {
        ADD => a.wrapping_add(b),
        SUB => a.wrapping_sub(b),
        MUL => a.wrapping_mul(b),
        DIV | SDIV | MOD | SMOD => divide(k, a, b),
        OR => a | b,
        AND => a & b,
        LSH => a << count,
        RSH => a >> count,
        XOR => a ^ b,
        MOV => b,
        _ => ((a as i64) >> count) as u64,
    };
    if wide {
        r
    } else {
        r as u32 as u64
    }
}

/// Division or remainder `k` (`DIV`, `SDIV`, `MOD`, `SMOD`): the one RFC 9669
/// rule ([`semantics::divide`]) over this loop's unsigned primitive.
fn divide(k: u8, a: u64, b: u64) -> u64 {
    let op = match k {
        DIV => DivOp::Div,
        SDIV => DivOp::SDiv,
        MOD => DivOp::Mod,
        _ => DivOp::SMod,
    };
    semantics::divide(op, a, b, div_rem)
}

/// `a / b` and `a % b` (`b` nonzero). A 64-bit target divides in hardware;
/// on a 32-bit one, Rust's `/` on `u64` links the compiler's 64-bit division
/// routine (about a kilobyte of flash), so the compact build divides by
/// [`long_division`] there instead, a loop of under 100 bytes.
fn div_rem(a: u64, b: u64) -> (u64, u64) {
    if cfg!(target_pointer_width = "64") {
        (a / b, a % b)
    } else {
        long_division(a, b)
    }
}

/// `a / b` and `a % b` (`b` nonzero) by binary long division, one quotient
/// bit per step.
#[inline(never)]
fn long_division(a: u64, b: u64) -> (u64, u64) {
    // Shifts the dividend's bits out of the top of `q` into `r` while the
    // quotient's bits shift into the bottom of `q`.
    let (mut q, mut r) = (a, 0u64);
    for _ in 0..64 {
        // `r < b` here, so `2r + 1 < 2b`: one subtraction suffices, and the
        // bit shifted out of `r` (when `b` > 2^63) is part of the value.
        let carry = r >> 63;
        r = r << 1 | q >> 63;
        q <<= 1;
        if carry != 0 || r >= b {
            r = r.wrapping_sub(b);
            q |= 1;
        }
    }
    (q, r)
}

/// The unary ops after a width's binary ones: negation of `dst` (`k` = 0),
/// then `src` sign-extended from 8, 16 and 32 bits.
fn unary(k: u8, wide: bool, dst: u64, src: u64) -> u64 {
    let r = match k {
        0 => dst.wrapping_neg(),
        k => sign_extend(src, 1 << (k - 1)),
    };
    if wide {
        r
    } else {
        r as u32 as u64
    }
}

/// Byte-order op `x`: `le`, `be`, `bswap` (`x / 3`) of 16, 32, 64 bits
/// (`x % 3`), on a little-endian host.
fn endian(x: u8, v: u64) -> u64 {
    // (Casts, not shifts by a variable amount: those are long on a 32-bit
    // target.)
    match (x < 3, x % 3) {
        (true, 0) => u64::from(v as u16),
        (true, 1) => u64::from(v as u32),
        (false, 0) => u64::from((v as u16).swap_bytes()),
        (false, 1) => u64::from((v as u32).swap_bytes()),
        (true, _) => v,
        (false, _) => v.swap_bytes(),
    }
}

/// `v`'s low `len` bytes, sign-extended.
fn sign_extend(v: u64, len: u8) -> u64 {
    // (Casts, not a shift pair: 64-bit shifts by a variable amount are long
    // on a 32-bit target.)
    (match len {
        1 => i64::from(v as i8),
        2 => i64::from(v as i16),
        4 => i64::from(v as i32),
        _ => v as i64,
    }) as u64
}

/// Jump condition `k` (its position in [`JumpCond`](crate::isa::JumpCond)
/// order) on 64 bits or on the low 32 bits.
///
/// Every ordering is one unsigned `<`: a signed comparison is the unsigned
/// one with the operands' sign bits flipped, `a > b` is `b < a`, and `>=`,
/// `<=` are the negations of `<`, `>`.
#[inline(never)]
fn condition(k: u8, wide: bool, a: u64, b: u64) -> bool {
    let (a, b, sign) = if wide {
        (a, b, 1 << 63)
    } else {
        (u64::from(a as u32), u64::from(b as u32), 1 << 31)
    };
    let flip = match k {
        JSGT | JSGE | JSLT | JSLE => sign,
        _ => 0,
    };
    let (x, y) = (a ^ flip, b ^ flip);
    let (p, q) = match k {
        JGT | JSGT | JLE | JSLE => (y, x),
        _ => (x, y),
    };
    match k {
        JEQ => a == b,
        JSET => a & b != 0,
        JNE => a != b,
        JLT | JSLT | JGT | JSGT => p < q,
        _ => p >= q,
    }
}

/// The `len`-byte value at `addr`, little- or big-endian; `None` if the
/// mapping does not allow the read.
#[inline(never)]
fn load(memory: &MemoryMapping<'_>, addr: u64, len: u8, big_endian: bool) -> Option<u64> {
    let bytes = memory.slice(addr, u64::from(len))?;
    Some(if big_endian {
        bytes.iter().fold(0, |v, &b| v << 8 | u64::from(b))
    } else {
        read_le(bytes)
    })
}

/// Writes `value`'s low `len` bytes at `addr`, little-endian; `false` if the
/// mapping does not allow the write.
#[inline(never)]
fn store(memory: &mut MemoryMapping<'_>, addr: u64, len: u8, value: u64) -> bool {
    match memory.slice_mut(addr, u64::from(len)) {
        Some(bytes) => {
            write_le(bytes, value);
            true
        }
        None => false,
    }
}

/// Atomic op `k` (position in a width's group: add, or, and, xor, their
/// fetching forms, xchg, cmpxchg) on the `len` bytes at `addr` with operand
/// `value` (and `expected` for cmpxchg). Returns the old value, or `None` if
/// the mapping does not allow the write.
#[inline(never)]
fn atomic(
    memory: &mut MemoryMapping<'_>,
    addr: u64,
    len: u8,
    k: u8,
    value: u64,
    expected: u64,
) -> Option<u64> {
    let bytes = memory.slice_mut(addr, u64::from(len))?;
    let old = read_le(bytes);
    let new = match k {
        ATOMIC_XCHG => value,
        ATOMIC_CMPXCHG => {
            // Only the low `len` bytes of r0 take part in the comparison.
            let expected = if len == 4 {
                u64::from(expected as u32)
            } else {
                expected
            };
            if old == expected {
                value
            } else {
                old
            }
        }
        // Add, or, and, xor: the 64-bit ALU operations (the result is cut
        // to `len` bytes by the write).
        k => alu([ADD, OR, AND, XOR][usize::from(k % 4)], true, old, value),
    };
    write_le(bytes, new);
    Some(old)
}

fn read_le(bytes: &[u8]) -> u64 {
    bytes.iter().rev().fold(0, |v, &b| v << 8 | u64::from(b))
}

fn write_le(bytes: &mut [u8], mut value: u64) {
    for b in bytes {
        *b = value as u8;
        value >>= 8;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::isa::semantics as rfc;

    const EDGES: [u64; 9] = [
        0,
        1,
        7,
        31,
        32,
        0x8000_0000,
        0xffff_ffff,
        i64::MIN as u64,
        u64::MAX,
    ];

    #[test]
    fn alu32_matches_the_rfc_32_bit_rules() {
        for a in EDGES {
            for b in EDGES {
                assert_eq!(alu(DIV, false, a, b), rfc::div32(a, b), "{a:#x} / {b:#x}");
                assert_eq!(
                    alu(SDIV, false, a, b),
                    rfc::sdiv32(a, b),
                    "{a:#x} s/ {b:#x}"
                );
                assert_eq!(alu(MOD, false, a, b), rfc::mod32(a, b), "{a:#x} % {b:#x}");
                assert_eq!(
                    alu(SMOD, false, a, b),
                    rfc::smod32(a, b),
                    "{a:#x} s% {b:#x}"
                );
                let (x, n) = (a as u32, b as u32);
                assert_eq!(alu(LSH, false, a, b), u64::from(x.wrapping_shl(n)));
                assert_eq!(alu(RSH, false, a, b), u64::from(x.wrapping_shr(n)));
                let arsh = (x as i32).wrapping_shr(n) as u32;
                assert_eq!(alu(ARSH, false, a, b), u64::from(arsh));
                assert_eq!(alu(MUL, false, a, b), u64::from(x.wrapping_mul(b as u32)));
                assert_eq!(alu(MOV, false, a, b), u64::from(b as u32));
            }
        }
    }

    #[test]
    fn division_matches_the_rfc_64_bit_rules() {
        let mut values = alloc::vec::Vec::from(EDGES);
        // A deterministic spread of other magnitudes and signs (xorshift).
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..40 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            values.extend([
                x,
                x >> (x % 64),
                (x >> 32) | (1 << 63),
                0u64.wrapping_sub(x % 1000),
            ]);
        }
        for &a in &values {
            for &b in &values {
                assert_eq!(alu(DIV, true, a, b), rfc::div64(a, b), "{a:#x} / {b:#x}");
                assert_eq!(alu(SDIV, true, a, b), rfc::sdiv64(a, b), "{a:#x} s/ {b:#x}");
                assert_eq!(alu(MOD, true, a, b), rfc::mod64(a, b), "{a:#x} % {b:#x}");
                assert_eq!(alu(SMOD, true, a, b), rfc::smod64(a, b), "{a:#x} s% {b:#x}");
                assert_eq!(alu(DIV, false, a, b), rfc::div32(a, b), "{a:#x} /32 {b:#x}");
                assert_eq!(
                    alu(SMOD, false, a, b),
                    rfc::smod32(a, b),
                    "{a:#x} s%32 {b:#x}"
                );
            }
        }
    }

    #[test]
    fn long_division_matches_the_hardware() {
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let mut values = alloc::vec::Vec::from(EDGES);
        for _ in 0..60 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            values.extend([x, x >> (x % 64), x | (1 << 63)]);
        }
        for &a in &values {
            for &b in values.iter().filter(|&&b| b != 0) {
                assert_eq!(long_division(a, b), (a / b, a % b), "{a:#x} / {b:#x}");
            }
        }
    }

    #[test]
    fn conditions_match_the_isa_definitions() {
        use crate::isa::JumpCond::*;
        let conds = [Eq, Gt, Ge, Set, Ne, Sgt, Sge, Lt, Le, Slt, Sle];
        for (k, cond) in conds.into_iter().enumerate() {
            for a in EDGES {
                for b in EDGES {
                    let k = k as u8;
                    assert_eq!(
                        condition(k, true, a, b),
                        cond.holds64(a, b),
                        "{cond:?} {a:#x} {b:#x}"
                    );
                    assert_eq!(
                        condition(k, false, a, b),
                        cond.holds32(a, b),
                        "{cond:?}32 {a:#x} {b:#x}"
                    );
                }
            }
        }
    }

    #[test]
    fn conditions_compare_32_bit_operands_by_their_low_half() {
        let (minus_one, one) = (0xffff_ffffu64, 0x1_0000_0001u64);
        assert!(condition(JEQ, false, one, 1) && !condition(JEQ, true, one, 1));
        assert!(condition(JSLT, false, minus_one, 0) && !condition(JSLT, true, minus_one, 0));
        assert!(condition(JGT, false, minus_one, one) && condition(JSET, false, one, 1));
        assert!(condition(JSLE, false, minus_one, minus_one));
    }

    #[test]
    fn byte_order_and_sign_extension() {
        let v = 0x1122_3344_5566_7788;
        let expected = [
            0x7788,
            0x5566_7788,
            v,
            0x8877,
            0x8877_6655,
            0x8877_6655_4433_2211,
        ];
        for (x, want) in expected.into_iter().enumerate() {
            assert_eq!(endian(x as u8, v), want, "byte-order op {x}");
            // `bswap` is `be` on a little-endian host.
            if x >= 3 {
                assert_eq!(endian(x as u8 + 3, v), want, "bswap op {x}");
            }
        }
        assert_eq!(sign_extend(0x80, 1), 0xffff_ffff_ffff_ff80);
        assert_eq!(sign_extend(0x7fff, 2), 0x7fff);
        assert_eq!(unary(2, false, 0, 0x8000), 0xffff_8000);
    }
}
