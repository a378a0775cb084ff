//! The builtins' errors: [`RegistryError`] (building a registry) and
//! [`BuiltinError`] (a builtin aborting the program).

use core::fmt;

/// Errors building a loader's builtin registry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum RegistryError {
    /// The registry already holds [`crate::builtins::MAX_BUILTINS`] functions.
    Full {
        /// The registry capacity.
        capacity: usize,
    },
    /// The id is already registered.
    DuplicateId {
        /// The builtin id.
        id: u32,
    },
    /// The name is already registered.
    DuplicateName,
}

impl fmt::Display for RegistryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            RegistryError::Full { capacity } => {
                write!(f, "builtin registry is full ({capacity} functions)")
            }
            RegistryError::DuplicateId { id } => write!(f, "builtin id {id} is already registered"),
            RegistryError::DuplicateName => write!(f, "builtin name is already registered"),
        }
    }
}

/// An error a builtin function returns to abort the program. The engines turn it
/// into [`crate::error::Trap::BuiltinFailed`] with the pc of the call.
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
