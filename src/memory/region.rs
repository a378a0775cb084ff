//! One contiguous host buffer made visible to the guest at a virtual address.

use super::MappingError;

use super::{slot_of, MAX_REGIONS, SLOT_SHIFT};

/// A host buffer mapped at a virtual address, read-only or writable.
///
/// The region borrows the buffer for `'a`; the guest can never reach past its
/// end, and a read-only region is never written.
///
/// ```
/// use ebpfvm::memory::{MemoryRegion, MM_INPUT_START};
/// let mut packet = [0u8; 64];
/// let region = MemoryRegion::writable(&mut packet, MM_INPUT_START);
/// assert_eq!(region.len(), 64);
/// assert!(region.is_writable());
/// ```
#[derive(Debug)]
pub struct MemoryRegion<'a> {
    vm_addr: u64,
    data: RegionData<'a>,
}

#[derive(Debug)]
enum RegionData<'a> {
    ReadOnly(&'a [u8]),
    Writable(&'a mut [u8]),
}

impl<'a> MemoryRegion<'a> {
    /// Maps `data` read-only at `vm_addr`.
    pub fn readonly(data: &'a [u8], vm_addr: u64) -> Self {
        MemoryRegion {
            vm_addr,
            data: RegionData::ReadOnly(data),
        }
    }

    /// Maps `data` read-write at `vm_addr`.
    pub fn writable(data: &'a mut [u8], vm_addr: u64) -> Self {
        MemoryRegion {
            vm_addr,
            data: RegionData::Writable(data),
        }
    }

    /// The virtual address of the first byte.
    #[inline]
    pub fn vm_addr(&self) -> u64 {
        self.vm_addr
    }

    /// Length in bytes.
    #[inline]
    pub fn len(&self) -> usize {
        self.bytes().len()
    }

    /// Whether the region is empty.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the guest may write the region.
    #[inline]
    pub fn is_writable(&self) -> bool {
        matches!(self.data, RegionData::Writable(_))
    }

    /// The region's bytes.
    #[inline(always)]
    pub fn bytes(&self) -> &[u8] {
        match &self.data {
            RegionData::ReadOnly(d) => d,
            RegionData::Writable(d) => d,
        }
    }

    /// The region's bytes for writing, if it is writable.
    #[inline(always)]
    pub fn bytes_mut(&mut self) -> Option<&mut [u8]> {
        match &mut self.data {
            RegionData::ReadOnly(_) => None,
            RegionData::Writable(d) => Some(d),
        }
    }

    /// Host address of the first byte, for the JIT's region tables, which
    /// check bounds themselves against [`len`](Self::len) and write only
    /// regions that [`is_writable`](Self::is_writable). Derived from `&mut`
    /// for writable regions, so it stays valid for writes while the region is
    /// borrowed; a read-only region's address is never written through.
    /// Crate-private: the JIT's soundness rests on it.
    #[cfg_attr(not(feature = "jit"), allow(dead_code))]
    pub(crate) fn host_addr(&mut self) -> usize {
        match &mut self.data {
            RegionData::ReadOnly(d) => d.as_ptr() as usize,
            RegionData::Writable(d) => d.as_mut_ptr() as usize,
        }
    }

    /// The slot this region occupies, after checking it fits in one slot.
    pub(crate) fn checked_slot(&self) -> Result<usize, MappingError> {
        let slot = slot_of(self.vm_addr);
        if slot == 0 || slot >= MAX_REGIONS {
            return Err(MappingError::InvalidSlot {
                vm_addr: self.vm_addr,
            });
        }
        let len = self.len() as u64;
        let slot_end = (slot as u64 + 1) << SLOT_SHIFT;
        if self
            .vm_addr
            .checked_add(len)
            .is_none_or(|end| end > slot_end)
        {
            return Err(MappingError::RegionTooLarge {
                vm_addr: self.vm_addr,
                len,
            });
        }
        Ok(slot)
    }
}
