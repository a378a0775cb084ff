//! # ebpfvm
//!
//! A portable eBPF virtual machine: an alloc-only `#![no_std]` core (ISA,
//! verifier, loader, interpreter, memory mapping, instruction meter, builtin
//! registry, call frames) that runs in firmware, plus optional hosted layers
//! (assembler, ELF loader, x86_64 JIT, command-line tool).
//!
//! ## Layers
//!
//! | module | owns |
//! |---|---|
//! | [`isa`] | the instruction encoding as pure data: [`isa::Instruction`], strict decode/encode, versions |
//! | [`verifier`] | static checks; the only way to a [`verifier::VerifiedProgram`] |
//! | [`program`] | [`Loader`] (config + builtins) and [`Executable`] (verified, pre-decoded program) |
//! | [`memory`] | regions, the slot-indexed [`memory::MemoryMapping`], checked accesses |
//! | [`builtins`] | the fixed-capacity registry of host functions |
//! | [`vm`] | [`Config`], the [`ContextObject`] meter, [`EbpfVm`] and its run entry point |
//! | `asm` | text assembler and disassembler (feature `asm`) |
//! | [`conformance`] | the bpf_conformance `.data` format and its conventions |
//! | [`error`] | one small `Copy` error enum per stage and the root [`error::Error`] |
//!
//! ## Features
//!
//! | feature | adds |
//! |---|---|
//! | `std` | `std`-only conveniences |
//! | `asm` | assembler and disassembler (`no_std`-capable) |
//! | `elf` | ELF loader for clang-built objects (`no_std`-capable) |
//! | `jit` | x86_64 JIT; an "unsupported" error elsewhere |
//! | `cli` | the `ebpfvm` tool |
//! | `defmt` | `defmt::Format` for errors, traps, instructions |
//!
//! ## Example
//!
//! ```
//! use std::sync::Arc;
//! use ebpfvm::{Budget, Config, EbpfVm, Engine, Executable, Loader};
//!
//! let code = [
//!     0xb7, 0x00, 0, 0, 0x2a, 0, 0, 0, // mov r0, 42
//!     0x95, 0x00, 0, 0, 0, 0, 0, 0,    // exit
//! ];
//! let loader = Arc::new(Loader::<Budget>::new(Config::default()));
//! let executable = Executable::from_bytecode(&code, loader)?;
//! let mut stack = vec![0u8; executable.config().stack_size()];
//! let mut data = executable.data_template().to_vec();
//! let mut input = [];
//! let mapping = executable.standard_mapping(&mut stack, &mut data, &mut input)?;
//! let mut budget = Budget::new(100);
//! let outcome = EbpfVm::new(&executable, &mut budget, mapping).execute_program(Engine::Interpreter);
//! assert_eq!(outcome.result, Ok(42));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![no_std]
#![deny(unsafe_code)]
#![warn(missing_docs)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

#[cfg(feature = "asm")]
pub mod asm;
pub mod builtins;
pub mod conformance;
#[cfg(feature = "elf")]
pub mod elf;
pub mod error;
mod interpreter;
pub mod isa;
#[cfg(feature = "jit")]
pub mod jit;
pub mod maps;
pub mod memory;
#[cfg(feature = "std")]
pub mod oracle;
pub mod program;
pub mod verifier;
pub mod vm;

pub use program::{Executable, Loader};
pub use vm::{Budget, Config, ContextObject, EbpfVm, Engine, RunOutcome};

/// The README's examples, compiled and run as doctests so the README stays true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
