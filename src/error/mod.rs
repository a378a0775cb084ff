//! The root [`Error`], and re-exports of every stage's error from beside its
//! stage.
//!
//! None of the errors carries a `String`: each names its cause with plain
//! data (the pc, the address, the field), so firmware that never prints does
//! not link `core::fmt` machinery through them. Every type implements
//! `Display` by hand and `core::error::Error`, and `defmt::Format` with the
//! `defmt` feature. Every public error enum is `#[non_exhaustive]`.
//!
//! | stage | type | defined in |
//! |---|---|---|
//! | decoding one slot | [`DecodeError`] | `isa/error.rs` |
//! | building a memory mapping | [`MappingError`] | `memory/error.rs` |
//! | the builtin registry, a builtin's abort | [`RegistryError`], [`BuiltinError`] | `builtins/error.rs` |
//! | verification | [`VerifierError`] | `verifier/error.rs` |
//! | run time | [`Trap`], [`AccessKind`] | `engine/trap.rs` |
//! | JIT compilation | [`JitError`] | `jit/error.rs` |
//! | ELF loading (feature `elf`) | `ElfError`, `SymbolName` | `elf/error.rs` |
//! | assembly (feature `asm`) | `AsmError` | `asm/error.rs` |

use core::fmt;

pub use crate::builtins::{BuiltinError, RegistryError};
#[cfg(feature = "elf")]
pub use crate::elf::{ElfError, MapDefProblem, SymbolName};
pub use crate::engine::Trap;
pub use crate::isa::DecodeError;
pub use crate::jit::JitError;
pub use crate::memory::{AccessKind, MappingError};
pub use crate::verifier::VerifierError;

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
///
/// Kept small (see the `size_of` test): every variant is a `Copy` stage
/// error with plain fields.
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
    /// Loading an ELF object failed (feature `elf`).
    #[cfg(feature = "elf")]
    Elf(ElfError),
    /// JIT compilation failed, or there is no JIT in this build.
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
            #[cfg(feature = "elf")]
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
            #[cfg(feature = "elf")]
            Error::Elf(e) => Some(e),
            Error::Jit(e) => Some(e),
            #[cfg(feature = "asm")]
            Error::Asm(e) => Some(e),
        }
    }
}

macro_rules! from_impls {
    ($($variant:ident($t:ty)),* $(,)?) => {$(
        impl From<$t> for Error {
            fn from(e: $t) -> Self {
                Error::$variant(e)
            }
        }
    )*};
}

from_impls!(
    Verifier(VerifierError),
    Trap(Trap),
    Registry(RegistryError),
    Mapping(MappingError),
    Jit(JitError),
);
#[cfg(feature = "elf")]
from_impls!(Elf(ElfError));
#[cfg(feature = "asm")]
from_impls!(Asm(crate::asm::AsmError));

#[cfg(test)]
mod tests {
    use super::*;

    /// The root error stays small: it is returned by value through every
    /// stage. Growing it is a decision, not an accident.
    #[test]
    fn root_error_size_is_bounded() {
        let size = core::mem::size_of::<Error>();
        assert!(size <= 48, "ebpfvm::error::Error grew to {size} bytes");
        assert!(core::mem::size_of::<Trap>() <= 32);
        assert!(core::mem::size_of::<VerifierError>() <= 32);
    }
}
