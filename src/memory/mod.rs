//! Guest memory: regions, the mapping of the 64-bit virtual address space onto
//! host buffers, and checked translation of every access.
//!
//! # Address layout
//!
//! The virtual address space is cut into 4 GiB *slots*; bits 32..63 of an
//! address select the slot, so finding the region of an access is one indexed
//! load (no search, and no "last region" cache is needed: the table lookup is
//! as cheap as checking one). Each slot holds at most one region, which may
//! start anywhere inside the slot and must not cross into the next one.
//!
//! | slot | start address | region | access |
//! |---|---|---|---|
//! | 0 | `0x0` | unmapped (null pointers fault) | — |
//! | 1 | [`MM_PROGRAM_START`] | program image: bytecode, then read-only data | read |
//! | 2 | [`MM_STACK_START`] | stack frames | read/write |
//! | 3 | [`MM_HEAP_START`] | heap (host-provided, optional) | read/write |
//! | 4 | [`MM_INPUT_START`] | input (packet, context) | as mapped |
//! | 5 | [`MM_DATA_START`] | writable program data (`.data`, `.bss`) | read/write |
//! | 6 | [`MM_MAPS_START`] | map value storage (the [`crate::maps::MapSet`] arena) | read/write |
//! | 7.. | `slot << 32` | user regions | as mapped |
//!
//! At entry `r1` holds the input region's start address (0 when no input is
//! mapped), `r2` its length, and `r10` the top of the first stack frame.

mod error;
mod mapping;
mod region;

pub use error::{AccessKind, MappingError};
pub use mapping::MemoryMapping;
pub use region::MemoryRegion;

/// Number of 4 GiB slots a mapping can hold (slots `0..MAX_REGIONS`).
pub const MAX_REGIONS: usize = 16;
/// Bits of an address below the slot index.
pub const SLOT_SHIFT: u32 = 32;
/// Start of the program image (bytecode at offset 0, then read-only data).
pub const MM_PROGRAM_START: u64 = 1 << SLOT_SHIFT;
/// Start of the stack region.
pub const MM_STACK_START: u64 = 2 << SLOT_SHIFT;
/// Start of the heap region.
pub const MM_HEAP_START: u64 = 3 << SLOT_SHIFT;
/// Start of the input region (`r1` at entry).
pub const MM_INPUT_START: u64 = 4 << SLOT_SHIFT;
/// Start of the writable program data region (`.data`, `.bss`).
pub const MM_DATA_START: u64 = 5 << SLOT_SHIFT;
/// Start of the map value storage (the arena of a [`crate::maps::MapSet`]).
pub const MM_MAPS_START: u64 = 6 << SLOT_SHIFT;

/// The slot index of a virtual address.
#[inline(always)]
pub const fn slot_of(vm_addr: u64) -> usize {
    (vm_addr >> SLOT_SHIFT) as usize
}
