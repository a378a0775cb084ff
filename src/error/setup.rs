//! Errors of setting up a run: the builtin registry ([`RegistryError`]) and
//! the memory mapping ([`MappingError`]).

use core::fmt;

/// Errors building a loader's builtin registry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
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

/// Errors building a memory mapping.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum MappingError {
    /// Two regions claim the same 4 GiB slot of the address space.
    SlotTaken {
        /// The region start address.
        vm_addr: u64,
    },
    /// The region's slot is beyond [`crate::memory::MAX_REGIONS`], or slot 0 (null).
    InvalidSlot {
        /// The region start address.
        vm_addr: u64,
    },
    /// The region crosses a 4 GiB boundary.
    RegionTooLarge {
        /// The region start address.
        vm_addr: u64,
        /// The region length in bytes.
        len: u64,
    },
}

impl fmt::Display for MappingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            MappingError::SlotTaken { vm_addr } => {
                write!(
                    f,
                    "region at {vm_addr:#x}: its 4 GiB slot is already mapped"
                )
            }
            MappingError::InvalidSlot { vm_addr } => {
                write!(
                    f,
                    "region at {vm_addr:#x}: address is outside the mappable slots"
                )
            }
            MappingError::RegionTooLarge { vm_addr, len } => write!(
                f,
                "region at {vm_addr:#x} of {len} bytes crosses a 4 GiB boundary"
            ),
        }
    }
}
