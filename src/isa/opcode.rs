//! Opcode byte constants of the eBPF instruction encoding (RFC 9669, section 3).
//!
//! The low three bits of an opcode select the instruction class; the remaining
//! bits are interpreted per class (operation + source for arithmetic and jumps,
//! mode + size for loads and stores). Only the field constants live here; the
//! meaning of a complete instruction is decoded in [`Instruction`](crate::isa::Instruction).

/// Mask selecting the instruction class.
pub const CLASS_MASK: u8 = 0x07;
/// Non-standard loads (`lddw`, legacy packet access).
pub const CLASS_LD: u8 = 0x00;
/// Loads into a register.
pub const CLASS_LDX: u8 = 0x01;
/// Stores of an immediate.
pub const CLASS_ST: u8 = 0x02;
/// Stores of a register (and atomics).
pub const CLASS_STX: u8 = 0x03;
/// 32-bit arithmetic.
pub const CLASS_ALU: u8 = 0x04;
/// 64-bit jumps, calls and exit.
pub const CLASS_JMP: u8 = 0x05;
/// 32-bit jumps.
pub const CLASS_JMP32: u8 = 0x06;
/// 64-bit arithmetic.
pub const CLASS_ALU64: u8 = 0x07;

/// Source bit: the operand is the immediate.
pub const SRC_K: u8 = 0x00;
/// Source bit: the operand is the `src` register.
pub const SRC_X: u8 = 0x08;
/// Mask selecting the source bit.
pub const SRC_MASK: u8 = 0x08;
/// Mask selecting the operation of arithmetic and jump instructions.
pub const OP_MASK: u8 = 0xf0;

/// Arithmetic operation codes (high four bits).
pub mod alu {
    /// `+`.
    pub const ADD: u8 = 0x00;
    /// `-`.
    pub const SUB: u8 = 0x10;
    /// `*`.
    pub const MUL: u8 = 0x20;
    /// Unsigned (or, with offset 1, signed) `/`.
    pub const DIV: u8 = 0x30;
    /// `|`.
    pub const OR: u8 = 0x40;
    /// `&`.
    pub const AND: u8 = 0x50;
    /// `<<`.
    pub const LSH: u8 = 0x60;
    /// Logical `>>`.
    pub const RSH: u8 = 0x70;
    /// Negation.
    pub const NEG: u8 = 0x80;
    /// Unsigned (or, with offset 1, signed) `%`.
    pub const MOD: u8 = 0x90;
    /// `^`.
    pub const XOR: u8 = 0xa0;
    /// Move (or, with offset 8/16/32, sign-extending move).
    pub const MOV: u8 = 0xb0;
    /// Arithmetic `>>`.
    pub const ARSH: u8 = 0xc0;
    /// Byte-order conversion.
    pub const END: u8 = 0xd0;
}

/// Jump operation codes (high four bits).
pub mod jmp {
    /// Unconditional jump.
    pub const JA: u8 = 0x00;
    /// Jump if `==`.
    pub const JEQ: u8 = 0x10;
    /// Jump if unsigned `>`.
    pub const JGT: u8 = 0x20;
    /// Jump if unsigned `>=`.
    pub const JGE: u8 = 0x30;
    /// Jump if `dst & src != 0`.
    pub const JSET: u8 = 0x40;
    /// Jump if `!=`.
    pub const JNE: u8 = 0x50;
    /// Jump if signed `>`.
    pub const JSGT: u8 = 0x60;
    /// Jump if signed `>=`.
    pub const JSGE: u8 = 0x70;
    /// Call.
    pub const CALL: u8 = 0x80;
    /// Exit.
    pub const EXIT: u8 = 0x90;
    /// Jump if unsigned `<`.
    pub const JLT: u8 = 0xa0;
    /// Jump if unsigned `<=`.
    pub const JLE: u8 = 0xb0;
    /// Jump if signed `<`.
    pub const JSLT: u8 = 0xc0;
    /// Jump if signed `<=`.
    pub const JSLE: u8 = 0xd0;
}

/// Mask selecting the access size of load/store instructions.
pub const SIZE_MASK: u8 = 0x18;
/// 4 bytes.
pub const SIZE_W: u8 = 0x00;
/// 2 bytes.
pub const SIZE_H: u8 = 0x08;
/// 1 byte.
pub const SIZE_B: u8 = 0x10;
/// 8 bytes.
pub const SIZE_DW: u8 = 0x18;

/// Mask selecting the mode of load/store instructions.
pub const MODE_MASK: u8 = 0xe0;
/// 64-bit immediate (`lddw`).
pub const MODE_IMM: u8 = 0x00;
/// Legacy packet access, absolute offset.
pub const MODE_ABS: u8 = 0x20;
/// Legacy packet access, register-relative offset.
pub const MODE_IND: u8 = 0x40;
/// Regular memory access.
pub const MODE_MEM: u8 = 0x60;
/// Sign-extending load.
pub const MODE_MEMSX: u8 = 0x80;
/// Atomic read-modify-write.
pub const MODE_ATOMIC: u8 = 0xc0;

/// Atomic operation codes (carried in the immediate).
pub mod atomic {
    /// `+`.
    pub const ADD: i32 = 0x00;
    /// `|`.
    pub const OR: i32 = 0x40;
    /// `&`.
    pub const AND: i32 = 0x50;
    /// `^`.
    pub const XOR: i32 = 0xa0;
    /// Flag: the old value is returned in `src`.
    pub const FETCH: i32 = 0x01;
    /// Exchange (always fetches).
    pub const XCHG: i32 = 0xe0 | FETCH;
    /// Compare-and-exchange against `r0` (always fetches).
    pub const CMPXCHG: i32 = 0xf0 | FETCH;
}

/// `src` value of `call` for a helper (builtin) call by id.
pub const CALL_HELPER: u8 = 0;
/// `src` value of `call` for a program-local (bpf-to-bpf) call.
pub const CALL_LOCAL: u8 = 1;

/// Full opcode bytes of the most used instructions, for encoders and tests.
pub mod full {
    use super::*;
    /// `lddw` (64-bit immediate).
    pub const LDDW: u8 = CLASS_LD | MODE_IMM | SIZE_DW;
    /// Unconditional jump.
    pub const JA: u8 = CLASS_JMP | jmp::JA;
    /// `ja32`/`gotol` (32-bit offset jump).
    pub const JA32: u8 = CLASS_JMP32 | jmp::JA;
    /// Call.
    pub const CALL: u8 = CLASS_JMP | jmp::CALL;
    /// `callx` (indirect call).
    pub const CALLX: u8 = CLASS_JMP | jmp::CALL | SRC_X;
    /// Exit.
    pub const EXIT: u8 = CLASS_JMP | jmp::EXIT;
    /// `mov dst, imm`.
    pub const MOV64_IMM: u8 = CLASS_ALU64 | alu::MOV | SRC_K;
    /// `mov dst, src`.
    pub const MOV64_REG: u8 = CLASS_ALU64 | alu::MOV | SRC_X;
    /// `add dst, imm`.
    pub const ADD64_IMM: u8 = CLASS_ALU64 | alu::ADD | SRC_K;
    /// `add dst, src`.
    pub const ADD64_REG: u8 = CLASS_ALU64 | alu::ADD | SRC_X;
}
