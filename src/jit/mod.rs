//! The x86_64 JIT compiler (`jit` feature).
//!
//! [`Executable::jit_compile`] translates a verified program into x86-64
//! machine code; [`crate::EbpfVm::execute_program`] with
//! [`crate::Engine::Jit`] runs it. The JIT has the interpreter's observable
//! behaviour exactly: same result or trap (kind, pc, fields), same
//! instruction count, same memory, registers and context-object charging.
//!
//! Layers:
//! - `x86/`: a small safe assembler (typed operands, labels and fixups);
//! - `compiler/`: basic blocks, metering, the inline memory check, calls;
//! - `context`: the `#[repr(C)]` state block generated code works on;
//! - `mem`: code pages, written then sealed read+execute (W^X);
//! - `entry`: the call into the code and the `extern "C"` helpers.
//!
//! On targets other than x86_64 unix the module compiles to a stub whose
//! [`Executable::jit_compile`] returns [`JitError::UnsupportedTarget`].
//!
//! ```
//! use std::sync::Arc;
//! use ebpfvm::{Budget, Config, EbpfVm, Engine, Executable, Loader};
//! use ebpfvm::memory::MemoryMapping;
//!
//! // mov r0, 6 ; mul r0, 7 ; exit
//! let code = [
//!     0xb7, 0, 0, 0, 6, 0, 0, 0,
//!     0x27, 0, 0, 0, 7, 0, 0, 0,
//!     0x95, 0, 0, 0, 0, 0, 0, 0,
//! ];
//! let loader = Arc::new(Loader::<Budget>::new(Config::default()));
//! let mut executable = Executable::from_bytecode(&code, loader)?;
//! match executable.jit_compile() {
//!     Ok(()) => {
//!         let mut budget = Budget::new(100);
//!         let mut vm = EbpfVm::new(&executable, &mut budget, MemoryMapping::default());
//!         let outcome = vm.execute_program(Engine::Jit);
//!         assert_eq!(outcome.result, Ok(42));
//!         assert_eq!(outcome.instruction_count, 3);
//!     }
//!     // Not an x86_64 unix host: use the interpreter.
//!     Err(ebpfvm::error::JitError::UnsupportedTarget) => {}
//!     Err(e) => return Err(e.into()),
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#[cfg(all(target_arch = "x86_64", unix))]
mod blind;
#[cfg(all(target_arch = "x86_64", unix))]
mod compiler;
#[cfg(all(target_arch = "x86_64", unix))]
mod context;
#[cfg(all(target_arch = "x86_64", unix))]
mod entry;
#[cfg(all(target_arch = "x86_64", unix))]
mod mem;
#[cfg(all(target_arch = "x86_64", unix))]
mod run;
#[cfg(all(target_arch = "x86_64", unix))]
mod x86;

#[cfg(all(target_arch = "x86_64", unix))]
pub(crate) use run::execute;
#[cfg(all(target_arch = "x86_64", unix))]
pub use run::JitProgram;

#[cfg(not(all(target_arch = "x86_64", unix)))]
mod unsupported;
#[cfg(not(all(target_arch = "x86_64", unix)))]
pub(crate) use unsupported::execute;
#[cfg(not(all(target_arch = "x86_64", unix)))]
pub use unsupported::JitProgram;

use crate::error::{Error, JitError};
use crate::program::Executable;

impl<C> Executable<C> {
    /// Compiles the program to machine code, kept in the executable for
    /// [`crate::Engine::Jit`] runs. Compiling again replaces the code.
    ///
    /// Fails with [`JitError::UnsupportedTarget`] on targets other than
    /// x86_64 unix; the interpreter runs everywhere.
    pub fn jit_compile(&mut self) -> Result<(), JitError> {
        self.jit = Some(JitProgram::compile(self)?);
        Ok(())
    }

    /// The compiled code, if [`jit_compile`](Self::jit_compile) succeeded.
    pub fn jit_program(&self) -> Option<&JitProgram> {
        self.jit.as_ref()
    }

    /// [`Executable::prepare_engine`] for the JIT: compiles once.
    pub(crate) fn prepare_jit(&mut self) -> Result<(), Error> {
        if self.jit.is_none() {
            self.jit_compile()?;
        }
        Ok(())
    }
}

#[cfg(all(test, target_arch = "x86_64", unix))]
mod tests;
