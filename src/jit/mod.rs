//! The x86_64 JIT compiler (feature `jit`).
//!
//! [`JitProgram::compile`] (or [`Executable::jit_compile`]) translates a
//! verified program into x86-64 machine code, a value the caller owns and
//! that borrows the executable; [`crate::EbpfVm::execute_jit`] runs it. The
//! JIT has the interpreter's observable behaviour exactly: same result or
//! trap (kind, pc, fields), same instruction count, same memory, registers
//! and context-object charging.
//!
//! Layers:
//! - `x86/`: a small safe assembler (typed operands, labels and fixups);
//! - `compiler/`: basic blocks, metering, the inline memory check, calls;
//! - `state`: the `#[repr(C)]` state block generated code works on;
//! - `program`: [`JitProgram`] and the run of one program in its code;
//! - `mem`: code pages, written then sealed read+execute (W^X);
//! - `entry`: the call into the code and the `extern "C"` helpers.
//!
//! Without the `jit` feature, or on targets other than x86_64 unix, the
//! module compiles to a stub whose [`JitProgram::compile`] returns
//! [`JitError::UnsupportedTarget`], the one "no JIT here" error.
//!
//! ```
//! use ebpfvm::{Budget, Config, EbpfVm, Executable, Runtime};
//! use ebpfvm::jit::{JitError, JitProgram};
//! use ebpfvm::memory::MemoryMapping;
//!
//! // mov r0, 6 ; mul r0, 7 ; exit
//! let code = [
//!     0xb7, 0, 0, 0, 6, 0, 0, 0,
//!     0x27, 0, 0, 0, 7, 0, 0, 0,
//!     0x95, 0, 0, 0, 0, 0, 0, 0,
//! ];
//! let runtime = Runtime::<Budget>::new(Config::default());
//! let executable = Executable::from_bytecode(&code, &runtime)?;
//! match JitProgram::compile(&executable) {
//!     Ok(jit) => {
//!         let mut budget = Budget::new(100);
//!         let mut vm = EbpfVm::new(&executable, &mut budget, MemoryMapping::default());
//!         let outcome = vm.execute_jit(&jit);
//!         assert_eq!(outcome.result, Ok(42));
//!         assert_eq!(outcome.instruction_count, 3);
//!     }
//!     // No JIT in this build or on this host: use the interpreter.
//!     Err(JitError::UnsupportedTarget) => {}
//!     Err(e) => return Err(e.into()),
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;

pub use error::JitError;

#[cfg(all(feature = "jit", target_arch = "x86_64", unix))]
mod blind;
#[cfg(all(feature = "jit", target_arch = "x86_64", unix))]
mod compiler;
#[cfg(all(feature = "jit", target_arch = "x86_64", unix))]
mod entry;
#[cfg(all(feature = "jit", target_arch = "x86_64", unix))]
mod mem;
#[cfg(all(feature = "jit", target_arch = "x86_64", unix))]
mod program;
#[cfg(all(feature = "jit", target_arch = "x86_64", unix))]
mod state;
#[cfg(all(feature = "jit", target_arch = "x86_64", unix))]
mod x86;

#[cfg(all(feature = "jit", target_arch = "x86_64", unix))]
pub(crate) use program::execute;
#[cfg(all(feature = "jit", target_arch = "x86_64", unix))]
pub use program::JitProgram;

#[cfg(not(all(feature = "jit", target_arch = "x86_64", unix)))]
mod unsupported;
#[cfg(not(all(feature = "jit", target_arch = "x86_64", unix)))]
pub(crate) use unsupported::execute;
#[cfg(not(all(feature = "jit", target_arch = "x86_64", unix)))]
pub use unsupported::JitProgram;

use crate::program::Executable;

impl<C> Executable<'_, C> {
    /// Compiles the program to machine code: [`JitProgram::compile`].
    ///
    /// Fails with [`JitError::UnsupportedTarget`] without the `jit` feature
    /// or on targets other than x86_64 unix; the interpreter runs everywhere.
    pub fn jit_compile(&self) -> Result<JitProgram<'_, C>, JitError> {
        JitProgram::compile(self)
    }
}

#[cfg(all(test, feature = "jit", target_arch = "x86_64", unix))]
mod tests;
