//! The eBPF instruction set as pure data: opcode constants, the raw 8-byte slot,
//! the typed [`Instruction`] with strict decode/encode, and ISA versions.
//!
//! Nothing here executes or allocates; the verifier, interpreter, JIT, assembler
//! and disassembler all build on these types.
//!
//! | file | owns |
//! |---|---|
//! | `opcode.rs` | opcode byte constants |
//! | `raw.rs` | [`RawInsn`], the 8-byte slot |
//! | `operands.rs` | [`Reg`], [`Width`], [`Operand`], [`AluOp`], [`JumpCond`], [`MemSize`], ... |
//! | `instruction.rs` | [`Instruction`] and its properties |
//! | `decode.rs` / `encode.rs` | strict decoding and exact encoding |
//! | `version.rs` | [`IsaVersion`] |

mod decode;
mod encode;
mod error;
mod instruction;
pub mod opcode;
mod operands;
mod raw;
pub mod semantics;
mod version;

pub use encode::Encoded;
pub use error::DecodeError;
pub use instruction::Instruction;
pub use operands::{
    AluOp, AtomicOp, Field, JumpCond, MemSize, Operand, Reg, RegField, SwapKind, Width,
};
pub use raw::{slots, RawInsn, INSN_SIZE};
pub use version::IsaVersion;

#[cfg(test)]
mod tests;
