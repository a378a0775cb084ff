//! A small, safe x86-64 assembler: typed registers and memory operands,
//! REX/ModRM/SIB encoding, immediates, and labels with rel32 fixups.
//!
//! It knows only the instruction forms the JIT emits. Every form has golden
//! tests (`tests.rs`) that check the bytes against an independent decoder.

// The encoder offers complete operand sets (every scale, both rotate
// directions, ...) that its golden tests cover, not only what the compiler
// happens to emit today.
#![allow(dead_code)]

mod assembler;
mod insn;
mod reg;

pub use assembler::{AsmError, Assembler, Label};
pub use reg::{Alu, Cond, Mem, Reg, Scale, Shift, Size};

#[cfg(test)]
mod tests;
