//! [`MappingError`] (why a memory mapping could not be built) and
//! [`AccessKind`] (which kind of guest access faulted).

use core::fmt;

/// Errors building a memory mapping.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
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

/// The kind of memory access that faulted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
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
