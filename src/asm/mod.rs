//! Text assembler and disassembler for the eBPF ISA (feature `asm`).
//!
//! [`assemble`] turns source text into bytecode, [`assemble_instructions`] into
//! typed [`Instruction`](crate::isa::Instruction)s. [`disassemble`] and
//! [`disassemble_with`] turn bytecode into a listing that assembles back to
//! the identical bytes; [`Disasm`] displays a single instruction;
//! [`listing`] lists any bytecode for reading (pc column, labels, function
//! and helper names, invalid slots marked instead of refused). Everything
//! here is `no_std` + `alloc`, and no input makes it panic.
//!
//! # Dialect
//!
//! The assembler accepts the bpf_conformance dialect and the rbpf/ubpf one:
//!
//! | | |
//! |---|---|
//! | registers | `r0`..`r10` or `%r0`..`%r10` |
//! | ALU | `add dst, src\|imm` (64-bit; also `add64`), `add32`; likewise `sub mul div sdiv or and lsh rsh mod smod xor mov arsh`; `neg`/`neg32`/`neg64` |
//! | sign-extending moves | `movsx832`, `movsx1632`, `movsx864`, `movsx1664`, `movsx3264` (register source) |
//! | byte order | `le16/32/64`, `be16/32/64`, `bswap16/32/64` (alias `swap16/32/64`) |
//! | 64-bit immediate | `lddw dst, imm64` |
//! | loads | `ldxb/ldxh/ldxw/ldxdw dst, [src+off]`, sign-extending `ldxsb/ldxsh/ldxsw` |
//! | stores | `stb/sth/stw/stdw [dst+off], imm`, `stxb/stxh/stxw/stxdw [dst+off], src` |
//! | atomics | `lock [fetch] add\|and\|or\|xor[32] [dst+off], src`, `lock xchg[32]`, `lock cmpxchg[32]` |
//! | packet access | `ldabsb/ldabsh/ldabsw imm`, `ldindb/ldindh/ldindw src, imm` |
//! | jumps | `ja target`, `ja32 target`, `jeq jgt jge jset jne jsgt jsge jlt jle jslt jsle[32] dst, src\|imm, target` |
//! | calls | `call id` (helper), `call reg` or `callx reg` (indirect), `call local target` or `call label` (local) |
//! | other | `exit` |
//!
//! - Operands are separated by a comma or by whitespace. Memory operands are
//!   `[reg]`, `[reg+off]` or `[reg-off]` (spaces inside are allowed).
//! - A target is a label, or `+N`/`-N` slots relative to the next instruction
//!   (`lddw` takes two slots). Label offsets must fit the field: 16 bits for
//!   `ja` and conditional jumps, 32 bits for `ja32` and `call local`.
//! - A label is `name:` at the start of a line, alone or before an
//!   instruction; names are identifiers (letters, digits, `_`, `.`, not
//!   starting with a digit) other than register names. The label `exit` is
//!   implicitly defined at the first `exit` instruction unless the source
//!   defines it.
//! - Numbers are decimal or `0x` hex. A 32-bit immediate is hex up to
//!   `0xffffffff` (stored as that bit pattern) or decimal within `i32`; a
//!   memory offset likewise with `0xffff`/`i16`; the `lddw` immediate is any
//!   `u64`, or a negative `i64`.
//! - Comments start with `#`, `;` or `//`. Mnemonics and registers are lowercase.
//!
//! # Disassembly
//!
//! The disassembler prints one canonical spelling of that dialect, so every
//! listing assembles back to the identical bytes:
//! - registers are `r0`..`r10`, without `%`;
//! - mnemonics are the bpf_conformance ones listed first above (`add`, `add32`,
//!   `movsx3264`, `bswap16`, `ldxw`, `lock fetch add32`, `call local`, ...);
//! - immediates and offsets are signed decimal, the `lddw` immediate is
//!   unsigned hex, a helper id is unsigned decimal (hex above `i32::MAX`);
//! - memory operands always show the offset: `[r1+0]`, `[r10-8]`;
//! - [`Disasm`] (one instruction) writes branch targets as `+N`/`-N`;
//! - a listing ([`disassemble`], [`disassemble_with`]) indents instructions by
//!   four spaces and puts a label at column 0 before every jump or local-call
//!   target: the symbol name when one is given (preceded by a blank line),
//!   else `fn_<pc>` for call targets and `lbb_<pc>` for jump targets, where
//!   `pc` is the slot index. A target outside the program or inside an `lddw`
//!   stays relative.
//!
//! ```
//! use ebpfvm::asm::{assemble, disassemble};
//!
//! let code = assemble(
//!     "mov %r0, 0
//!      loop:
//!      add %r0, 1
//!      jlt %r0, 10, loop
//!      exit",
//! )?;
//! assert_eq!(code.len(), 4 * 8);
//! let text = disassemble(&code)?;
//! assert!(text.contains("jlt r0, 10, lbb_1"));
//! assert_eq!(assemble(&text)?, code);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod assembler;
mod disasm;
mod error;
mod lexer;
mod listing;
mod mnemonics;
mod operand;
mod parser;

pub use assembler::{assemble, assemble_instructions};
pub use disasm::{decode_program, disassemble, disassemble_with, Disasm};
pub use error::{AsmError, DisasmError, Expected, NumberField, Word};
pub use listing::{listing, Entry, EntryKind, Listing};
pub use parser::is_valid_label;

impl<'r, C> crate::program::Executable<'r, C> {
    /// Assembles `text` (see [`crate::asm`]), then verifies and pre-decodes it.
    ///
    /// ```
    /// use ebpfvm::{Budget, Config, Executable, Runtime};
    /// let runtime = Runtime::<Budget>::new(Config::default());
    /// let exe = Executable::from_asm("mov r0, 1\nexit", &runtime)?;
    /// assert_eq!(exe.len(), 2);
    /// # Ok::<(), ebpfvm::error::Error>(())
    /// ```
    pub fn from_asm(
        text: &str,
        runtime: &'r crate::program::Runtime<C>,
    ) -> Result<Self, crate::error::Error> {
        let code = assemble(text)?;
        Ok(Self::from_bytecode(&code, runtime)?)
    }
}

#[cfg(test)]
mod tests;
