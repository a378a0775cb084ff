#![no_std]
#![deny(unsafe_code)]
#![warn(missing_docs)]
//! ebpfvm: a portable eBPF virtual machine.
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod error;
pub mod isa;
#[cfg(feature = "asm")]
pub mod asm;
