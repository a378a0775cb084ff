//! Run-time errors: [`Trap`] (with its [`AccessKind`]) and the
//! [`BuiltinError`] a builtin returns to cause one.

use core::fmt;

/// The kind of memory access that faulted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum AccessKind {
    /// A read (load, legacy packet load).
    Load,
    /// A write (store, or the write half of an atomic).
    Store,
}

impl fmt::Display for AccessKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AccessKind::Load => "load",
            AccessKind::Store => "store",
        })
    }
}

/// A run-time fault: execution stopped at `pc` for the stated cause.
///
/// The interpreter and the JIT report identical traps (kind, pc and fields)
/// and identical instruction counts for the same program and input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Trap {
    /// A load or store outside every mapped region, or a store to a read-only one.
    AccessViolation {
        /// The pc (8-byte slot index) of the offending instruction.
        pc: usize,
        /// The faulting virtual address.
        addr: u64,
        /// Bytes accessed.
        len: u8,
        /// Load or store.
        kind: AccessKind,
    },
    /// The instruction budget of the context object is exhausted; the
    /// instruction at `pc` was not executed.
    ExceededMaxInstructions {
        /// The pc (8-byte slot index) of the offending instruction.
        pc: usize,
    },
    /// A local call would exceed [`crate::Config::max_call_depth`].
    CallDepthExceeded {
        /// The pc (8-byte slot index) of the offending instruction.
        pc: usize,
        /// The configured maximum depth.
        depth: usize,
    },
    /// `callx` with a value that is neither a registered builtin id nor a
    /// function address.
    InvalidCallTarget {
        /// The pc (8-byte slot index) of the offending instruction.
        pc: usize,
        /// The register value.
        target: u64,
    },
    /// A builtin function returned an error code.
    BuiltinFailed {
        /// The pc (8-byte slot index) of the offending instruction.
        pc: usize,
        /// The builtin id.
        id: u32,
        /// The error code the builtin returned.
        code: u64,
    },
    /// JIT execution was requested but the executable has no compiled code
    /// (not compiled, or the `jit` feature/target does not support it).
    JitUnavailable,
}

impl Trap {
    /// The pc of the instruction that trapped (0 for [`Trap::JitUnavailable`]).
    pub fn pc(&self) -> usize {
        match *self {
            Trap::AccessViolation { pc, .. }
            | Trap::ExceededMaxInstructions { pc }
            | Trap::CallDepthExceeded { pc, .. }
            | Trap::InvalidCallTarget { pc, .. }
            | Trap::BuiltinFailed { pc, .. } => pc,
            Trap::JitUnavailable => 0,
        }
    }
}

impl fmt::Display for Trap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Trap::AccessViolation {
                pc,
                addr,
                len,
                kind,
            } => write!(
                f,
                "pc {pc}: access violation: {kind} of {len} bytes at {addr:#x}"
            ),
            Trap::ExceededMaxInstructions { pc } => {
                write!(f, "pc {pc}: instruction budget exhausted")
            }
            Trap::CallDepthExceeded { pc, depth } => {
                write!(f, "pc {pc}: call depth limit {depth} exceeded")
            }
            Trap::InvalidCallTarget { pc, target } => {
                write!(
                    f,
                    "pc {pc}: callx target {target:#x} is not a builtin or function"
                )
            }
            Trap::BuiltinFailed { pc, id, code } => {
                write!(f, "pc {pc}: builtin {id} failed with code {code}")
            }
            Trap::JitUnavailable => write!(f, "no JIT-compiled code for this executable"),
        }
    }
}

/// An error a builtin function returns to abort the program. The VM turns it
/// into [`Trap::BuiltinFailed`] with the pc of the call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct BuiltinError {
    /// An application-defined code.
    pub code: u64,
}

impl fmt::Display for BuiltinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "builtin error {}", self.code)
    }
}
