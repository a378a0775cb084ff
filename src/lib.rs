#![no_std]
#![deny(unsafe_code)]
#![warn(missing_docs)]
//! ebpfvm: a portable eBPF virtual machine.
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

#[cfg(feature = "asm")]
pub mod asm;
pub mod builtins;
pub mod error;
mod interpreter;
pub mod isa;
#[cfg(feature = "jit")]
pub mod jit;
pub mod memory;
pub mod program;
pub mod verifier;
pub mod vm;

pub use program::{Executable, Loader};
pub use vm::{Budget, Config, ContextObject, EbpfVm, Engine, RunOutcome};
