//! [`JitError`]: why JIT compilation failed.

use core::fmt;

/// Why JIT compilation failed (the `jit` feature).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum JitError {
    /// No JIT in this build: the `jit` feature is off, or the target is not
    /// x86_64 unix. The one "JIT unavailable" error; the interpreter runs
    /// everywhere.
    UnsupportedTarget,
    /// The program has more slots than the code generator addresses.
    ProgramTooLarge {
        /// The program's length in slots.
        slots: usize,
    },
    /// A jump or call target is not an instruction start. Never returned
    /// for verified programs (the verifier rejects such targets).
    InvalidTarget {
        /// The target pc.
        pc: usize,
    },
    /// The generated code is too large for 32-bit relative branches.
    CodeTooLarge {
        /// Bytes of generated code.
        bytes: usize,
    },
    /// `mmap` of the code buffer failed.
    MapFailed {
        /// Bytes requested.
        len: usize,
        /// The OS error number (0 when unknown, e.g. without `std`).
        errno: i32,
    },
    /// `mprotect` to read+execute failed.
    ProtectFailed {
        /// Bytes of the mapping.
        len: usize,
        /// The OS error number (0 when unknown, e.g. without `std`).
        errno: i32,
    },
}

impl fmt::Display for JitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            JitError::UnsupportedTarget => {
                write!(
                    f,
                    "no JIT in this build (needs the `jit` feature on x86_64 unix)"
                )
            }
            JitError::ProgramTooLarge { slots } => {
                write!(f, "program of {slots} instructions is too large to compile")
            }
            JitError::InvalidTarget { pc } => {
                write!(f, "branch target {pc} is not an instruction")
            }
            JitError::CodeTooLarge { bytes } => {
                write!(f, "generated code of {bytes} bytes is too large")
            }
            JitError::MapFailed { len, errno } => {
                write!(
                    f,
                    "mapping {len} bytes of code memory failed (errno {errno})"
                )
            }
            JitError::ProtectFailed { len, errno } => write!(
                f,
                "making {len} bytes of code executable failed (errno {errno})"
            ),
        }
    }
}
