//! Error types, one small `Copy` enum per stage, and the root [`Error`].
//!
//! None of them carries a `String`: each names its cause with plain data (the
//! pc, the address, the field), so firmware that never prints does not link
//! `core::fmt` machinery through them. Every type implements `Display` by hand
//! and `core::error::Error`, and `defmt::Format` with the `defmt` feature.
//!
//! | stage | type | file |
//! |---|---|---|
//! | decoding one slot | [`DecodeError`] | `decode.rs` |
//! | verification | [`VerifierError`] | `verifier.rs` |
//! | run time | [`Trap`], [`AccessKind`], [`BuiltinError`] | `trap.rs` |
//! | set-up | [`RegistryError`], [`MappingError`] | `setup.rs` |
//! | ELF loading | [`ElfError`], [`SymbolName`] | `elf.rs` |
//! | JIT compilation | [`JitError`] | `jit.rs` |

use core::fmt;

mod decode;
mod elf;
mod jit;
mod setup;
mod trap;
mod verifier;

pub use decode::DecodeError;
pub use elf::{ElfError, MapDefProblem, SymbolName};
pub use jit::JitError;
pub use setup::{MappingError, RegistryError};
pub use trap::{AccessKind, BuiltinError, Trap};
pub use verifier::VerifierError;

macro_rules! error_impls {
    ($($t:ty),*) => {$(
        impl core::error::Error for $t {}
    )*};
}

error_impls!(
    DecodeError,
    VerifierError,
    Trap,
    BuiltinError,
    RegistryError,
    MappingError,
    JitError
);

/// The root error: any stage's error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Error {
    /// The verifier rejected the program.
    Verifier(VerifierError),
    /// A run-time trap.
    Trap(Trap),
    /// Registering a builtin failed.
    Registry(RegistryError),
    /// Building a memory mapping failed.
    Mapping(MappingError),
    /// Loading an ELF object failed.
    Elf(ElfError),
    /// JIT compilation failed.
    Jit(JitError),
    /// Assembly text that does not assemble (feature `asm`).
    #[cfg(feature = "asm")]
    Asm(crate::asm::AsmError),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Verifier(e) => write!(f, "verifier: {e}"),
            Error::Trap(e) => write!(f, "trap: {e}"),
            Error::Registry(e) => write!(f, "registry: {e}"),
            Error::Mapping(e) => write!(f, "memory mapping: {e}"),
            Error::Elf(e) => write!(f, "ELF: {e}"),
            Error::Jit(e) => write!(f, "JIT: {e}"),
            #[cfg(feature = "asm")]
            Error::Asm(e) => write!(f, "assembler: {e}"),
        }
    }
}

impl core::error::Error for Error {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Error::Verifier(e) => Some(e),
            Error::Trap(e) => Some(e),
            Error::Registry(e) => Some(e),
            Error::Mapping(e) => Some(e),
            Error::Elf(e) => Some(e),
            Error::Jit(e) => Some(e),
            #[cfg(feature = "asm")]
            Error::Asm(e) => Some(e),
        }
    }
}

macro_rules! from_impls {
    ($($t:ident),*) => {$(
        impl From<$t> for Error {
            fn from(e: $t) -> Self {
                Error::$t(e)
            }
        }
    )*};
}
from_impls!(Trap);

impl From<VerifierError> for Error {
    fn from(e: VerifierError) -> Self {
        Error::Verifier(e)
    }
}
impl From<RegistryError> for Error {
    fn from(e: RegistryError) -> Self {
        Error::Registry(e)
    }
}
impl From<MappingError> for Error {
    fn from(e: MappingError) -> Self {
        Error::Mapping(e)
    }
}
impl From<ElfError> for Error {
    fn from(e: ElfError) -> Self {
        Error::Elf(e)
    }
}
impl From<JitError> for Error {
    fn from(e: JitError) -> Self {
        Error::Jit(e)
    }
}

#[cfg(feature = "asm")]
impl From<crate::asm::AsmError> for Error {
    fn from(e: crate::asm::AsmError) -> Self {
        Error::Asm(e)
    }
}
