//! The eBPF instruction set as pure data: opcode constants, the raw 8-byte slot,
//! the typed [`Instruction`] with strict decode/encode, and ISA versions.
//!
//! Nothing here executes or allocates; the verifier, interpreter, JIT, assembler
//! and disassembler all build on these types.

mod instruction;
pub mod opcode;
mod raw;
mod version;

pub use instruction::{
    AluOp, AtomicOp, Encoded, Field, Instruction, JumpCond, MemSize, Operand, Reg, RegField,
    SwapKind, Width,
};
pub use raw::{slots, RawInsn, INSN_SIZE};
pub use version::IsaVersion;

#[cfg(test)]
mod tests;
