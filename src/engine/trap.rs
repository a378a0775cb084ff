//! Run-time errors: [`Trap`], the one error every engine reports a failed
//! run with (memory faults name a [`crate::memory::AccessKind`]).

use core::fmt;

use crate::memory::AccessKind;

/// A run-time fault: execution stopped at `pc` for the stated cause.
///
/// The interpreter and the JIT report identical traps (kind, pc and fields)
/// and identical instruction counts for the same program and input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
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
    /// A builtin call whose table index names no registered builtin. Never
    /// raised for verified programs run with the runtime they were loaded
    /// with (the verifier resolves every call); reported, not assumed.
    UnknownBuiltin {
        /// The pc (8-byte slot index) of the offending instruction.
        pc: usize,
        /// The builtin table index.
        index: usize,
    },
}

impl Trap {
    /// The pc of the instruction that trapped.
    pub fn pc(&self) -> usize {
        match *self {
            Trap::AccessViolation { pc, .. }
            | Trap::ExceededMaxInstructions { pc }
            | Trap::CallDepthExceeded { pc, .. }
            | Trap::InvalidCallTarget { pc, .. }
            | Trap::BuiltinFailed { pc, .. }
            | Trap::UnknownBuiltin { pc, .. } => pc,
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
            Trap::UnknownBuiltin { pc, index } => {
                write!(f, "pc {pc}: no builtin at table index {index}")
            }
        }
    }
}
