//! # ebpfvm
//!
//! A portable eBPF virtual machine: an alloc-only `#![no_std]` core (ISA,
//! verifier, loader, interpreter, memory mapping, instruction meter, builtin
//! registry, call frames) that runs in firmware, plus optional hosted layers
//! (assembler, ELF loader, x86_64 JIT); the `ebpfvm` command-line tool is
//! its own crate (`cli/`).
//!
//! ## Layers
//!
//! | module | owns |
//! |---|---|
//! | [`isa`] | the instruction encoding as pure data: [`isa::Instruction`], strict decode/encode, versions, [`isa::DecodeError`] |
//! | [`config`] | [`Config`]: limits, ISA level, metering, read by everything above |
//! | [`memory`] | regions, the slot-indexed [`memory::MemoryMapping`], checked accesses, [`memory::MappingError`] |
//! | [`builtins`] | the fixed-capacity registry of host functions, [`builtins::BuiltinError`] |
//! | [`verifier`] | static checks; the only way to a [`verifier::VerifiedProgram`] |
//! | [`program`] | [`Runtime`] (config + builtins) and [`Executable`] (verified, pre-decoded program borrowing its runtime) |
//! | [`engine`] | the run contract: [`ContextObject`], [`Budget`], [`RunOutcome`], [`engine::Trap`], [`Engine`] |
//! | `interpreter` | the interpreter loops (crate-private) |
//! | [`jit`] | [`JitProgram`]: x86_64 machine code the caller owns; [`jit::JitError`] |
//! | [`vm`] | [`EbpfVm`], the facade and the engines' only caller; [`Prepared`] |
//! | `elf`, `asm` | ELF loader; text assembler, disassembler and listings (features `elf`, `asm`) |
//! | [`analysis`] | control-flow graph: blocks, functions, calls, loops, Graphviz DOT |
//! | `conformance`, `oracle` | test support (feature `testkit`): the bpf_conformance `.data` format, the fuzz oracles |
//! | [`error`] | the root [`error::Error`] and re-exports of every stage's error |
//!
//! ## Features
//!
//! | feature | adds |
//! |---|---|
//! | `std` | `std`-only conveniences |
//! | `asm` | assembler and disassembler (`no_std`-capable) |
//! | `elf` | ELF loader for clang-built objects (`no_std`-capable) |
//! | `jit` | x86_64 JIT; an "unsupported" error elsewhere |
//! | `defmt` | `defmt::Format` for errors, traps, instructions |
//! | `compact` | the size-oriented interpreter loop (replaces the fast one unless `fast`) |
//! | `fast` | the fast loop beside `compact` ([`Engine`] then lists both) |
//! | `testkit` | test support: `conformance` (`.data` format), `oracle` (fuzz oracles) |
//!
//! ## Example
//!
//! ```
//! use ebpfvm::{Budget, Config, EbpfVm, Executable, Runtime};
//!
//! let code = [
//!     0xb7, 0x00, 0, 0, 0x2a, 0, 0, 0, // mov r0, 42
//!     0x95, 0x00, 0, 0, 0, 0, 0, 0,    // exit
//! ];
//! let runtime = Runtime::<Budget>::new(Config::default());
//! let executable = Executable::from_bytecode(&code, &runtime)?;
//! let mut stack = vec![0u8; executable.config().stack_size()];
//! let mut data = executable.data_template().to_vec();
//! let mut input = [];
//! let mapping = executable.standard_mapping(&mut stack, &mut data, &mut input)?;
//! let mut budget = Budget::new(100);
//! let outcome = EbpfVm::new(&executable, &mut budget, mapping).execute_interpreted();
//! assert_eq!(outcome.result, Ok(42));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![no_std]
#![deny(unsafe_code)]
#![warn(missing_docs)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod analysis;
#[cfg(feature = "asm")]
pub mod asm;
pub mod builtins;
pub mod config;
#[cfg(feature = "testkit")]
pub mod conformance;
pub mod dialect;
#[cfg(feature = "elf")]
pub mod elf;
pub mod engine;
pub mod error;
mod interpreter;
pub mod isa;
pub mod jit;
pub mod maps;
pub mod memory;
#[cfg(all(feature = "testkit", feature = "std"))]
pub mod oracle;
pub mod program;
#[cfg(feature = "testkit")]
pub mod testkit;
pub mod verifier;
pub mod vm;

pub use config::Config;
pub use engine::{Budget, ContextObject, Engine, RunOutcome};
pub use jit::JitProgram;
pub use program::{Executable, Runtime};
pub use vm::{EbpfVm, Prepared};

/// The README's examples, compiled and run as doctests so the README stays true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
